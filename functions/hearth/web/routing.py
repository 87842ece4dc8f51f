"""The owner's lead routing rules: two routes of the admin function (web.admin).

    PUT  /settings/routing           replace the rules and the fallback
    POST /settings/routing/preview   who given rules would have given the last 30 days' leads

What a rule may be, who may set one, and the preview are hearth.routing's.
"""

from __future__ import annotations

from flask import Request

from hearth import routing
from hearth.errors import MethodNotAllowed
from hearth.web.endpoint import Call, Handler, Reply

PATH = "settings/routing"
PREVIEW = "settings/routing/preview"


def admin_route(request: Request) -> Handler | None:
    """The handler for a routing path of /admin, or None for any other path; 405 for
    another method, as the admin router does."""
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
    routing.check_owner(owner)
    return Reply({"settings": routing.save_settings(call.json(), owner, call.settings)})


def _preview(call: Call) -> Reply:
    owner = call.principal()
    routing.check_owner(owner)
    return Reply(routing.preview(call.json(), owner, call.settings))
