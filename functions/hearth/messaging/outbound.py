"""Sending a WhatsApp message from the customer page.

Free text only inside WhatsApp's customer-service window (24 hours after the customer
last wrote); outside it, an approved template. A send is recorded (status ``sending``,
with its timeline entry) before it goes out, under an id made from the page's own
request id, so a retried click finds it and never sends twice; a send whose answer was
lost stays ``unconfirmed`` until WhatsApp's first status names it (it carries our id).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hearth import config
from hearth.errors import Conflict, Forbidden, Invalid, NotFound
from hearth.messaging import whatsapp_api
from hearth.rules import whatsapp
from hearth.rules.fields import ID_PATTERN
from hearth.rules.json_values import plain
from hearth.rules.roles import Principal, can_write_customer
from hearth.store import client as db
from hearth.store import messages
from hearth.store import timeline as activity
from hearth.store.calls import call_options
from hearth.store.customers import COLLECTION as CUSTOMERS

OFF = "WhatsApp is not connected to Hearth: see docs/messaging.md to connect it."


class Template(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Annotated[str, Field(min_length=1, max_length=512)]
    language: Annotated[str, Field(min_length=2, max_length=15)]
    params: Annotated[list[Annotated[str, Field(max_length=1024)]], Field(max_length=20)] = []


class WhatsAppSend(BaseModel):
    """What the composer sends: free text, or a template with its values."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: Annotated[str, Field(pattern=ID_PATTERN, description="The page's id for this send.")]
    text: Annotated[str | None, Field(min_length=1, max_length=4096)] = None
    template: Template | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> WhatsAppSend:
        if (self.text is None) == (self.template is None):
            raise ValueError("Send either text or a template.")
        return self


def message_id(key: str, client_id: str) -> str:
    return "out_" + hashlib.sha256(f"{key}\n{client_id}".encode()).hexdigest()[:32]


def send(principal: Principal, key: str, body: WhatsAppSend, settings: config.Settings) -> dict:
    client, timeout = db.client(), settings.store_timeout_s
    snapshot = client.collection(CUSTOMERS).document(key).get(**call_options(timeout))
    if not snapshot.exists:
        raise NotFound("There is no such customer.")
    customer = snapshot.to_dict() or {}
    if not can_write_customer(principal, customer):
        raise Forbidden("Only the owner and the customer's rep may message them.")
    ours = message_id(key, body.id)
    sent_before = messages.get(client, ours, timeout)
    if sent_before is not None:
        return view(sent_before)  # a retried click: answered, never sent twice
    api = whatsapp_api.connect(settings)
    if api is None:
        raise Conflict(OFF, {"whatsapp": "Not connected."}, code="whatsapp_off")
    to = customer.get("mobile")
    if not customer.get("mobileValid") or not isinstance(to, str):
        raise Invalid({"mobile": "This customer has no valid mobile number to message."})
    now = datetime.now(UTC)
    if body.text is not None:
        last = messages.last_inbound_at(client, key, "whatsapp", timeout)
        if not whatsapp.window_open(last, now):
            raise Conflict(
                "More than 24 hours have passed since the customer last wrote on WhatsApp "
                "(or they never did): send an approved template instead.",
                {"text": "Outside the 24-hour window: choose a template."},
                code="outside_window",
            )
    document, entry = outgoing(principal, key, customer, body, now)
    if not messages.start_outbound(client, key, document, entry, timeout=timeout):
        return view(messages.get(client, ours, timeout) or document)
    try:
        if body.template is not None:
            t = body.template
            wamid = api.send_template(to, t.name, t.language, t.params, reference=ours)
        else:
            wamid = api.send_text(to, body.text or "", reference=ours)
    except whatsapp_api.WhatsAppRefusedError as refused:
        messages.settle(client, ours, {"status": "failed", "reason": refused.reason}, timeout)
        raise
    except whatsapp_api.WhatsAppUnavailableError:
        # It may have gone out: never sent again; WhatsApp's first status will name it.
        messages.settle(client, ours, {"status": "unconfirmed"}, timeout)
        return view(messages.get(client, ours, timeout) or document)
    messages.settle(client, ours, {"status": "accepted", "providerId": wamid}, timeout)
    return view(messages.get(client, ours, timeout) or document)


def outgoing(
    principal: Principal,
    key: str,
    customer: dict[str, Any],
    body: WhatsAppSend,
    at: datetime,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The message (status ``sending``) and its timeline entry, as written before
    anything goes out. Apart from ``send`` so the sample data (devstack.seed) records
    its sends in exactly this shape without sending anything."""
    to = str(customer.get("mobile"))
    ours = message_id(key, body.id)
    summary = body.text or f"Template {body.template.name} ({body.template.language})"  # type: ignore[union-attr]
    document = {
        "id": ours,
        "customer": key,
        "ownerUid": customer.get("ownerUid"),
        "channel": "whatsapp",
        "direction": "out",
        "to": to,
        "text": body.text,
        "template": body.template.model_dump() if body.template else None,
        "summary": summary,
        "status": "sending",
        "at": at,
        "by": {"uid": principal.uid, "role": principal.role.value if principal.role else None},
    }
    entry = activity.whatsapp_out(
        message_id=ours,
        at=at,
        to=to,
        summary=summary,
        template=body.template.name if body.template else None,
        actor=principal,
    )
    return document, entry


def view(message: dict[str, Any]) -> dict[str, Any]:
    keep = ("id", "customer", "channel", "direction", "to", "text", "template", "summary")
    return {"message": plain({k: message.get(k) for k in (*keep, "status", "reason", "at")})}
