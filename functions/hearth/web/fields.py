"""PUT /admin/settings/fields: the owner's custom field definitions, inside /admin.

Only the HTTP of it: which path and method this is. What a field may be, and who may
define one, is hearth.fields'.
"""

from __future__ import annotations

from flask import Request

from hearth import fields
from hearth.errors import MethodNotAllowed
from hearth.web.endpoint import Call, Handler, Reply

PATH = "settings/fields"


def admin_route(request: Request) -> Handler | None:
    """The handler for /admin/settings/fields, or None for any other admin path."""
    path = request.path.strip("/").removeprefix("admin/")
    if path != PATH:
        return None
    if request.method != "PUT":
        raise MethodNotAllowed(request.method, "PUT, OPTIONS", "Use PUT here.")
    return _save


def _save(call: Call) -> Reply:
    owner = call.principal()
    fields.check_owner(owner)
    return Reply({"settings": fields.save_settings(call.json(), owner, call.settings)})
