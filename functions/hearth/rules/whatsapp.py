"""WhatsApp Cloud API webhooks and sends, decided without I/O.

Meta calls the webhook with whatever it has: messages of a dozen kinds, status updates
that arrive late, twice or out of order, and errors as numeric codes. These rules turn
that into what the timeline holds and the owner can read: one entry per message with a
short summary, a status that only ever moves forward, and a reason in plain words.
The signature check lives here too, because it must run on the raw bytes before any
parsing (a body parsed and serialised again no longer matches its signature).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

SIGNATURE_PREFIX = "sha256="
SERVICE_WINDOW = timedelta(hours=24)

# A message's status only moves forward; failed is final whatever comes after it.
STATUS_RANK = {"pending": 0, "accepted": 1, "sent": 2, "delivered": 3, "read": 4}
FAILED = "failed"

# Meta's error codes as the owner should read them: what happened and what to do.
REASONS = {
    131047: "More than 24 hours have passed since the customer last wrote: send an approved "
    "template instead.",
    470: "More than 24 hours have passed since the customer last wrote: send an approved "
    "template instead.",
    131026: "The message could not be delivered: the number may not be on WhatsApp, or the "
    "customer's app is too old.",
    131049: "WhatsApp chose not to deliver this marketing message, to keep the customer from "
    "getting too many: try again later or another way.",
    131050: "The customer has stopped marketing messages from this business.",
    131021: "A message cannot be sent to the business's own number.",
    131051: "WhatsApp does not support this kind of message.",
    131052: "The customer's media could not be downloaded: ask them to send it again.",
    131053: "The media could not be uploaded: check its type and size.",
    131056: "Too many messages to this customer in a short time: wait a little and send again.",
    130429: "WhatsApp's sending limit was reached: the message can be sent again in a moment.",
    131048: "Sending is limited because earlier messages were marked as spam.",
    131000: "WhatsApp could not send the message (an error on its side): try again.",
    131005: "The WhatsApp account does not allow this: check the app's permissions.",
    131008: "A required part of the message was missing.",
    131009: "A value in the message is not valid.",
    131031: "The WhatsApp Business account is locked.",
    131042: "The WhatsApp Business account has a payment problem.",
    132000: "The template got a different number of values than it has placeholders.",
    132001: "The template does not exist in this language, or is not approved yet.",
    132005: "The template's text is too long once filled in.",
    132007: "The template breaks WhatsApp's content rules.",
    132012: "A template value is not in the format the template expects.",
    132015: "The template is paused for low quality: use another one.",
    132016: "The template is disabled: use another one.",
    133010: "The business phone number is not registered with WhatsApp.",
    368: "The account is temporarily blocked for breaking WhatsApp's policies.",
    190: "The WhatsApp access token has expired: the owner must renew it.",
}
GENERIC_REASON = "WhatsApp could not deliver the message."


def signature_valid(app_secret: str, raw_body: bytes, header: str | None) -> bool:
    """``X-Hub-Signature-256`` is ``sha256=`` and the HMAC-SHA256 of the exact bytes
    received under the app secret; compared in constant time."""
    if not app_secret or not header or not header.startswith(SIGNATURE_PREFIX):
        return False
    expected = hmac.new(app_secret.encode("utf-8"), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len(SIGNATURE_PREFIX) :].strip().lower())


def handshake(params: Mapping[str, str], verify_token: str) -> str | None:
    """The challenge to echo when Meta's subscription check carries our verify token,
    else None (the caller answers 403)."""
    if not verify_token or params.get("hub.mode") != "subscribe":
        return None
    offered = params.get("hub.verify_token") or ""
    if not hmac.compare_digest(offered.encode(), verify_token.encode()):
        return None
    challenge = params.get("hub.challenge")
    return challenge if challenge else None


@dataclass(frozen=True)
class Inbound:
    """One message a customer sent."""

    id: str
    sender: str  # E.164, "+35679123456"
    at: datetime
    kind: str
    summary: str  # what the timeline shows in one line
    profile_name: str | None = None
    text: str | None = None
    media: dict[str, Any] = field(default_factory=dict)
    reply_to: str | None = None  # the message it answers or reacts to
    business_number: str | None = None  # phone_number_id it was sent to


@dataclass(frozen=True)
class StatusUpdate:
    """What happened to one message the business sent."""

    message_id: str
    status: str
    at: datetime
    recipient: str | None
    errors: tuple[dict[str, Any], ...] = ()
    reference: str | None = None  # our message id, echoed from biz_opaque_callback_data

    @property
    def reason(self) -> str | None:
        return reason(self.errors) if self.status == FAILED else None


def e164(wa_id: str) -> str:
    """WhatsApp ids are the international number without "+"."""
    digits = "".join(ch for ch in str(wa_id) if ch.isdigit())
    return f"+{digits}"


def _at(timestamp: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(timestamp), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.now(UTC)


def _values(payload: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    if not isinstance(payload, Mapping):
        return
    for entry in payload.get("entry") or ():
        for change in (entry or {}).get("changes") or ():
            value = (change or {}).get("value")
            if isinstance(value, Mapping):
                yield value


def inbound_messages(payload: Mapping[str, Any]) -> list[Inbound]:
    """Every message in a webhook body (one body may carry several)."""
    found = []
    for value in _values(payload):
        names = {
            str(c.get("wa_id")): ((c.get("profile") or {}).get("name"))
            for c in value.get("contacts") or ()
            if isinstance(c, Mapping)
        }
        number = (value.get("metadata") or {}).get("phone_number_id")
        for message in value.get("messages") or ():
            if isinstance(message, Mapping) and message.get("id") and message.get("from"):
                found.append(_inbound(message, names.get(str(message["from"])), number))
    return found


def status_updates(payload: Mapping[str, Any]) -> list[StatusUpdate]:
    found = []
    for value in _values(payload):
        for status in value.get("statuses") or ():
            if isinstance(status, Mapping) and status.get("id") and status.get("status"):
                found.append(
                    StatusUpdate(
                        message_id=str(status["id"]),
                        status=str(status["status"]),
                        at=_at(status.get("timestamp")),
                        recipient=e164(status["recipient_id"])
                        if status.get("recipient_id")
                        else None,
                        errors=tuple(
                            e for e in status.get("errors") or () if isinstance(e, Mapping)
                        ),
                        reference=str(status["biz_opaque_callback_data"])
                        if status.get("biz_opaque_callback_data")
                        else None,
                    )
                )
    return found


def _media(part: Mapping[str, Any]) -> dict[str, Any]:
    keep = ("id", "mime_type", "filename", "caption", "sha256", "voice", "animated")
    return {k: part[k] for k in keep if k in part}


def _inbound(message: Mapping[str, Any], name: str | None, number: str | None) -> Inbound:
    kind = str(message.get("type") or "unknown")
    part = message.get(kind) if isinstance(message.get(kind), Mapping) else {}
    text, media, reply_to = None, {}, (message.get("context") or {}).get("id")
    if kind == "text":
        text = str(part.get("body") or "")
        summary = text
    elif kind in ("image", "video", "document", "audio", "sticker"):
        media = _media(part)
        text = part.get("caption")
        summary = _media_summary(kind, part)
    elif kind == "location":
        media = {k: part[k] for k in ("latitude", "longitude", "name", "address") if k in part}
        place = ", ".join(str(part[k]) for k in ("name", "address") if part.get(k))
        summary = f"Location: {place}" if place else "Location"
    elif kind == "contacts":
        cards = [c for c in message.get("contacts") or () if isinstance(c, Mapping)]
        media = {"contacts": cards}
        names = [str((c.get("name") or {}).get("formatted_name") or "") for c in cards]
        summary = "Contact card: " + (", ".join(n for n in names if n) or "no name")
    elif kind == "reaction":
        emoji = str(part.get("emoji") or "")
        reply_to = part.get("message_id") or reply_to
        summary = f"Reacted {emoji}" if emoji else "Removed a reaction"
        text = emoji or None
    elif kind == "button":
        text = str(part.get("text") or part.get("payload") or "")
        summary = f"Pressed “{text}”"
    elif kind == "interactive":
        reply = part.get(str(part.get("type"))) if isinstance(part, Mapping) else None
        reply = reply if isinstance(reply, Mapping) else {}
        text = str(reply.get("title") or "")
        summary = f"Chose “{text}”" if text else "Answered an interactive message"
    else:
        summary = "A message of a kind WhatsApp did not show (unsupported)"
    return Inbound(
        id=str(message["id"]),
        sender=e164(message["from"]),
        at=_at(message.get("timestamp")),
        kind=kind,
        summary=summary,
        profile_name=name,
        text=text,
        media=media,
        reply_to=reply_to,
        business_number=number,
    )


def _media_summary(kind: str, part: Mapping[str, Any]) -> str:
    if kind == "audio":
        what = "Voice message" if part.get("voice") else "Audio"
    elif kind == "document":
        what = f"Document {part['filename']}" if part.get("filename") else "Document"
    else:
        what = kind.capitalize()
    caption = part.get("caption")
    return f"{what}: {caption}" if caption else what


def next_status(current: str | None, incoming: str) -> str | None:
    """The status to store after ``incoming`` arrives, or None when it changes nothing:
    read never goes back to delivered, and failed is final."""
    if current in (FAILED, incoming):
        return None
    if incoming == FAILED:
        return FAILED
    if incoming not in STATUS_RANK:
        return None
    if current is not None and STATUS_RANK.get(current, -1) >= STATUS_RANK[incoming]:
        return None
    return incoming


def reason(errors: Sequence[Mapping[str, Any]]) -> str:
    """The first error's code in plain words (its own message when the code is new)."""
    for error in errors:
        try:
            code = int(error.get("code"))
        except (TypeError, ValueError):
            code = None
        if code in REASONS:
            return REASONS[code]
        detail = (error.get("error_data") or {}).get("details") or error.get("message")
        if detail:
            return f"{GENERIC_REASON} WhatsApp says: {detail}"
    return GENERIC_REASON


def window_closes(last_inbound: datetime | None) -> datetime | None:
    """When free text stops being allowed: 24 hours after the customer last wrote."""
    return last_inbound + SERVICE_WINDOW if last_inbound else None


def window_open(last_inbound: datetime | None, now: datetime) -> bool:
    closes = window_closes(last_inbound)
    return closes is not None and now < closes


def offered_templates(listed: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The approved templates as the composer offers them: name, language, category,
    the body's text and how many positional values it takes ({{1}}, {{2}}...)."""
    import re

    offered = []
    for template in listed:
        if template.get("status") != "APPROVED" or not template.get("name"):
            continue
        body = next(
            (
                c.get("text") or ""
                for c in template.get("components") or ()
                if c.get("type") == "BODY"
            ),
            "",
        )
        places = {int(n) for n in re.findall(r"\{\{(\d+)\}\}", body)}
        offered.append(
            {
                "name": str(template["name"]),
                "language": str(template.get("language") or "en"),
                "category": template.get("category"),
                "body": body,
                "params": max(places) if places else 0,
            }
        )
    return sorted(offered, key=lambda t: (t["name"], t["language"]))
