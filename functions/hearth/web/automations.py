"""The owner's automation rules: two routes of the admin function (web.admin).

    PUT  /settings/automations           replace the rules
    POST /settings/automations/preview   what given rules would have made in 30 days

What a rule may be, who may set one, and the preview are hearth.automations'.
"""

from __future__ import annotations

from flask import Request

from hearth import automations
from hearth.errors import MethodNotAllowed
from hearth.web.endpoint import Call, Handler, Reply

PATH = "settings/automations"
PREVIEW = "settings/automations/preview"


def admin_route(request: Request) -> Handler | None:
    """The handler for an automations path of /admin, or None for any other path; 405
    for another method, as the admin router does."""
    path = request.path.strip("/").removeprefix("admin/")
    if path == PATH:
        _only(request, "PUT")
        return _save
    if path == PREVIEW:
        _only(request, "POST")
        return _preview
    return None


def _only(request: Request, method: str) -> None:
    if request.method != method:
        raise MethodNotAllowed(request.method, f"{method}, OPTIONS", f"Use {method} here.")


def _save(call: Call) -> Reply:
    owner = call.principal()
    automations.check_owner(owner)
    return Reply({"settings": automations.save_settings(call.json(), owner, call.settings)})


def _preview(call: Call) -> Reply:
    owner = call.principal()
    automations.check_owner(owner)
    return Reply(automations.preview(call.json(), owner, call.settings))
