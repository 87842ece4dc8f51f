"""POST /email_inbound: an e-mail a customer sent, from the mail provider's webhook
(docs/messaging.md). Server to server, so no CORS; the shared secret is checked before
the body is read as an e-mail."""

from __future__ import annotations

import functools

from hearth import messaging, routing
from hearth.web.endpoint import Call, Reply, endpoint, parse

MAX_BODY_BYTES = 2 * 1024 * 1024  # an e-mail's text and HTML; attachments are not sent


@endpoint(methods="POST", wrong_method="Post the e-mail as JSON.", cors=False)
def handle(call: Call) -> Reply:
    messaging.check_inbound_secret(call.header("X-Hearth-Secret"), call.settings)
    _, data = call.signed_json(MAX_BODY_BYTES)
    received = messaging.receive_email(parse(messaging.InboundEmail, data), call.settings)
    reply = Reply({k: v for k, v in received.items() if k != "pending"})
    if received["pending"]:  # a new lead is routed after the answer; the sweep backs it up
        reply.after = functools.partial(routing.nudge, call.settings)
    return reply
