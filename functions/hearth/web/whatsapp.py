"""/whatsapp: the WhatsApp Cloud API's webhook (docs/messaging.md).

GET is Meta's subscription check (the challenge echoed as plain text); POST carries
messages and statuses, signed over the raw body. Meta calls from its servers, never a
browser, so there is no CORS; every answer but the challenge is JSON, and Meta retries
anything that is not a 200, which is safe: a delivery is stored once.
"""

from __future__ import annotations

import functools

from flask import Request, Response

from hearth import messaging, routing
from hearth.errors import MethodNotAllowed
from hearth.web.endpoint import Call, Handler, Reply, serve

MAX_BODY_BYTES = 1024 * 1024  # Meta batches at most a few messages; 1 MB is generous


def _route(request: Request) -> Handler:
    if request.method == "GET":
        return _handshake
    if request.method == "POST":
        return _receive
    raise MethodNotAllowed(
        request.method, "GET, POST", "GET is the subscription check; POST carries messages."
    )


def _handshake(call: Call) -> Reply:
    challenge = messaging.handshake(call.args(), call.settings)
    return Reply.raw(Response(challenge, status=200, mimetype="text/plain"))


def _receive(call: Call) -> Reply:
    raw, payload = call.signed_json(MAX_BODY_BYTES)
    received = messaging.receive(raw, payload, call.header("X-Hub-Signature-256"), call.settings)
    reply = Reply(received.body())
    if received.pending:  # a new lead is routed right after the answer; the sweep backs it up
        reply.after = functools.partial(routing.nudge, call.settings)
    return reply


handle = serve(_route, methods="GET, POST", cors=False)
