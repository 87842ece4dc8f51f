"""How an admin adapter claims its paths: the path under /admin, the methods a route
takes, and the shape every owner-only settings document shares.

The admin router (web/admin.py) asks each concern's adapter in turn; an adapter
answers with a handler for its own paths and None for the rest. These are the pieces
each adapter would otherwise write again: reading the path the same way locally
("/admin/settings/x") and deployed ("/settings/x"), refusing another method with the
same 405, and, for settings the owner replaces whole (custom fields, automation rules,
routing rules), the PUT and its optional 30-day preview.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from flask import Request

from hearth import config
from hearth.errors import MethodNotAllowed
from hearth.rules.roles import Principal
from hearth.web.endpoint import Call, Handler, Reply


def admin_path(request: Request) -> str:
    """The path below /admin, without slashes at either end."""
    return request.path.strip("/").removeprefix("admin/")


def only(request: Request, *allowed: str) -> None:
    """405 naming what the route takes, unless the request uses one of ``allowed``."""
    if request.method not in allowed:
        raise MethodNotAllowed(
            request.method, ", ".join((*allowed, "OPTIONS")), f"Use {' or '.join(allowed)} here."
        )


class OwnerSettings(Protocol):
    """A domain whose settings document the owner replaces whole (its package face)."""

    def check_owner(self, principal: Principal) -> None: ...

    def save_settings(
        self, data: Any, owner: Principal, settings: config.Settings
    ) -> dict[str, Any]: ...


class PreviewedSettings(OwnerSettings, Protocol):
    """Settings whose effect the owner sees on the last 30 days before saving them."""

    def preview(self, data: Any, owner: Principal, settings: config.Settings) -> dict[str, Any]: ...


def owner_settings(
    path: str, domain: OwnerSettings, *, previewed: bool = False
) -> Callable[[Request], Handler | None]:
    """The ``admin_route`` of one settings document: ``PUT {path}`` saves it and, when
    ``previewed``, ``POST {path}/preview`` answers what it would have done (the domain
    must then have ``preview``); None for any other path."""

    def save(call: Call) -> Reply:
        owner = call.principal()
        domain.check_owner(owner)
        return Reply({"settings": domain.save_settings(call.json(), owner, call.settings)})

    def preview(call: Call) -> Reply:
        owner = call.principal()
        domain.check_owner(owner)
        return Reply(domain.preview(call.json(), owner, call.settings))  # type: ignore[attr-defined]

    def admin_route(request: Request) -> Handler | None:
        found = admin_path(request)
        if found == path:
            only(request, "PUT")
            return save
        if previewed and found == f"{path}/preview":
            only(request, "POST")
            return preview
        return None

    return admin_route
