"""Messages over HTTP: routes of the admin function (web.admin).

    POST /admin/customers/{key}/whatsapp        send a WhatsApp message (text or template)
    POST /admin/customers/{key}/email/preview   an e-mail as it will read, and what is empty
    POST /admin/customers/{key}/email           send an e-mail (a template or one-off)
    PUT  /admin/settings/email-templates        the owner's e-mail templates, whole

Who may send, the 24-hour window and never sending twice are hearth.messaging's.
"""

from __future__ import annotations

import functools

from flask import Request

from hearth import messaging
from hearth.customers.operations import usable_key
from hearth.errors import NotFound
from hearth.web.endpoint import Call, Handler, Reply, parse
from hearth.web.routes import admin_path, only, owner_settings

_settings_route = owner_settings("settings/email-templates", messaging.email_settings)


def admin_route(request: Request) -> Handler | None:
    """The handler for a messages path of /admin, None for any other path."""
    settings = _settings_route(request)
    if settings is not None:
        return settings
    parts = admin_path(request).split("/")
    handler = ROUTES.get(tuple(parts[2:])) if len(parts) >= 3 else None
    if parts[0] != "customers" or handler is None:
        return None
    if not usable_key(parts[1]):
        raise NotFound("No such customer.")
    only(request, "POST")
    return functools.partial(handler, key=parts[1])


def _send(call: Call, *, key: str) -> Reply:
    principal = call.principal()
    body = parse(messaging.WhatsAppSend, call.json())
    return Reply(messaging.send_whatsapp(principal, key, body, call.settings))


def _email(call: Call, *, key: str) -> Reply:
    principal = call.principal()
    body = parse(messaging.EmailDraft, call.json())
    return Reply(messaging.send_email(principal, key, body, call.settings))


def _preview(call: Call, *, key: str) -> Reply:
    principal = call.principal()
    body = parse(messaging.EmailDraft, call.json())
    return Reply(messaging.preview_email(principal, key, body, call.settings))


# Below /admin/customers/{key}/: the path's rest, and its handler.
ROUTES = {("whatsapp",): _send, ("email",): _email, ("email", "preview"): _preview}
