"""Messages over HTTP: one route of the admin function (web.admin).

    POST /admin/customers/{key}/whatsapp    send a WhatsApp message (text or template)

Who may send, the 24-hour window and never sending twice are hearth.messaging's.
"""

from __future__ import annotations

import functools

from flask import Request

from hearth import messaging
from hearth.customers.operations import usable_key
from hearth.errors import NotFound
from hearth.web.endpoint import Call, Handler, Reply, parse
from hearth.web.routes import admin_path, only


def admin_route(request: Request) -> Handler | None:
    """The handler for a messages path of /admin, None for any other path."""
    parts = admin_path(request).split("/")
    if len(parts) != 3 or parts[0] != "customers" or parts[2] != "whatsapp":
        return None
    if not usable_key(parts[1]):
        raise NotFound("No such customer.")
    only(request, "POST")
    return functools.partial(_send, key=parts[1])


def _send(call: Call, *, key: str) -> Reply:
    principal = call.principal()
    body = parse(messaging.WhatsAppSend, call.json())
    return Reply(messaging.send_whatsapp(principal, key, body, call.settings))
