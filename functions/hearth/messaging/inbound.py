"""WhatsApp's webhook: messages customers send, and what became of those we sent.

Meta posts here whenever something happens; it retries until it gets a 200 and may
deliver the same body twice or out of order. So: the signature is checked on the raw
bytes first (anything unsigned is a 401 and touches nothing), each message is stored
once by its id, a sender nobody knows becomes a lead of their own (a phone-only
customer, merged later when they give an e-mail with the same mobile: hearth.merge),
and a status only ever moves forward.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hearth import config
from hearth.errors import NotFound, Unauthenticated
from hearth.rules import suppression, whatsapp
from hearth.rules.phones import parse_mobile, phone_key
from hearth.store import client as db
from hearth.store import customers, messages
from hearth.store import events as domain_events
from hearth.store import timeline as activity

SOURCE = "whatsapp"
FORM = "whatsapp"
NOT_CONNECTED = "WhatsApp is not connected to Hearth (HEARTH_WHATSAPP_APP_SECRET is not set)."


@dataclass(frozen=True)
class Received:
    messages: int  # new messages stored
    repeated: int  # messages already stored (a redelivery)
    leads: int  # new phone-only customers
    statuses: int  # statuses that moved a message forward
    pending: bool  # a new lead waits for the router (nudged after the answer)

    def body(self) -> dict[str, int]:
        return {
            "messages": self.messages,
            "repeated": self.repeated,
            "leads": self.leads,
            "statuses": self.statuses,
        }


def handshake(params: dict[str, str], settings: config.Settings) -> str:
    """Meta's subscription check: the challenge back, or 403 for another verify token."""
    from hearth.errors import Forbidden

    if not settings.whatsapp_verify_token:
        raise NotFound(NOT_CONNECTED)
    challenge = whatsapp.handshake(params, settings.whatsapp_verify_token)
    if challenge is None:
        raise Forbidden(
            "The verify token does not match.", {"hub.verify_token": "Not this app's token."}
        )
    return challenge


def message_id(wamid: str) -> str:
    """Our id for WhatsApp's: short, safe in a document id, the same on every delivery."""
    return "wa_" + hashlib.sha256(wamid.encode("utf-8")).hexdigest()[:32]


def receive(
    raw: bytes, payload: dict[str, Any], signature: str | None, settings: config.Settings
) -> Received:
    if not settings.whatsapp_app_secret:
        raise NotFound(NOT_CONNECTED)
    if not whatsapp.signature_valid(settings.whatsapp_app_secret, raw, signature):
        raise Unauthenticated(
            "The X-Hub-Signature-256 header is missing or does not match the body.",
            {"X-Hub-Signature-256": "Sign the exact body with the app secret (HMAC-SHA256)."},
        )
    client = db.client()
    stored = repeated = leads = moved = 0
    pending = False
    for message in whatsapp.inbound_messages(payload):
        new, lead, waits = _attach(client, message, settings)
        stored, repeated, leads = stored + new, repeated + (not new), leads + lead
        pending = pending or waits
    for update in whatsapp.status_updates(payload):
        moved += _status(client, update, settings)
    return Received(stored, repeated, leads, moved, pending)


def _attach(
    client: Any, message: whatsapp.Inbound, settings: config.Settings
) -> tuple[bool, bool, bool]:
    """Store one inbound message on its customer's timeline; answers whether it was new,
    whether it made a lead, and whether that lead waits for the router."""
    timeout = settings.store_timeout_s
    ours = message_id(message.id)
    entry = activity.whatsapp_in(
        message_id=ours,
        at=message.at,
        sender=message.sender,
        profile_name=message.profile_name,
        kind=message.kind,
        summary=message.summary,
        text=message.text,
        media=message.media,
        reply_to=message.reply_to,
    )
    found = customers.by_mobile(client, message.sender, timeout)
    pending = False
    if found is None:
        # The lead's creation writes the entry; the router gives it an owner later.
        (key, pending), owner, entry_to_write = (
            _new_lead(client, message, ours, entry, settings),
            None,
            None,
        )
    else:
        (key, owner), entry_to_write = found, entry
    document = {
        "id": ours,
        "customer": key,
        "ownerUid": owner,
        "channel": "whatsapp",
        "direction": "in",
        "providerId": message.id,
        "at": message.at,
        "from": message.sender,
        "kind": message.kind,
        "summary": message.summary,
        "text": message.text,
        "media": message.media,
        "replyTo": message.reply_to,
        "status": "received",
        "receivedAt": datetime.now(UTC),
    }
    event = domain_events.Event(
        domain_events.MESSAGE_RECEIVED,
        message.at,
        None,
        owner,
        {"channel": "whatsapp", "message": ours, "kind": message.kind},
    )
    new = messages.record_inbound(client, key, document, entry_to_write, event, timeout=timeout)
    return new, found is None and new, pending


def _new_lead(
    client: Any,
    message: whatsapp.Inbound,
    ours: str,
    entry: dict[str, Any],
    settings: config.Settings,
) -> tuple[str, bool]:
    """A sender no customer has: a lead of their own, keyed by the number, source
    WhatsApp, made by the same upsert as every other customer (routed, counted; a
    person erased before gets the same note a form's would). Answers the key and
    whether the lead waits for the router."""
    key = phone_key(message.sender)
    incoming = customers.Incoming(
        email="",
        form=FORM,
        source=SOURCE,
        at=message.at,
        submission_id=ours,
        name=message.profile_name,
        mobile=parse_mobile(message.sender, settings.phone_region),
        suppression_keys=tuple(suppression.keys(settings.privacy_secret, None, message.sender)),
    )
    outcome = customers.upsert(
        client,
        key,
        incoming,
        entry,
        currency=settings.currency,
        timeout=settings.store_timeout_s,
        entry_id=activity.message_entry_id(ours),
    )
    return key, outcome.pending


def _status(client: Any, update: whatsapp.StatusUpdate, settings: config.Settings) -> int:
    """Move the message WhatsApp reports on forward; an unknown message is ignored (one
    sent before Hearth was connected)."""
    timeout = settings.store_timeout_s
    snapshot = messages.by_provider_id(client, update.message_id, timeout)
    if snapshot is None and update.reference:
        # A send whose answer was lost: our id came back with its first status.
        found = messages.ref(client, update.reference).get()
        snapshot = found if found.exists else None
    if snapshot is None:
        return 0

    def changes(status: str) -> dict[str, Any]:
        extra: dict[str, Any] = {"providerId": update.message_id}
        if status == whatsapp.FAILED:
            extra["reason"] = update.reason
        return extra

    moved = messages.move_status(
        client,
        snapshot,
        lambda current: whatsapp.next_status(current, update.status),
        changes,
        at=update.at,
        timeout=timeout,
    )
    return int(moved is not None)
