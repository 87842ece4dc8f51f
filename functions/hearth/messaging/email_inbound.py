"""/email_inbound: an e-mail a customer sent, handed over by the mail provider.

Any inbound-mail service (Postmark, Mailgun, SendGrid, a small script on the mail
server) can post the JSON shape of ``InboundEmail``; a shared secret in
``X-Hearth-Secret``, compared in constant time, keeps anyone else out. The e-mail
attaches to the customer with the sender's address (a new lead with source ``email``
when there is none), through the same upsert as every form, so it counts as a contact
and an erased person is recognised. Its HTML is cleaned before it is stored, so the
admin page never holds a script to escape. A delivery is stored once, by its
Message-ID.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from email.utils import parseaddr
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hearth import config
from hearth.errors import NotFound, Unauthenticated
from hearth.rules import emails, mail_html, suppression
from hearth.store import client as db
from hearth.store import customers, messages
from hearth.store import events as domain_events
from hearth.store import timeline as activity

SOURCE = "email"
FORM = "email"
NOT_CONNECTED = "Inbound e-mail is not connected (HEARTH_EMAIL_INBOUND_SECRET is not set)."


class InboundEmail(BaseModel):
    """The documented shape (docs/messaging.md): what a mail provider's webhook sends."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, str_strip_whitespace=True)

    sender: Annotated[
        str, Field(alias="from", max_length=400, description='"Ana Borg <ana@example.org>"')
    ]
    to: Annotated[str | None, Field(max_length=2000)] = None
    subject: Annotated[str, Field(max_length=1000)] = ""
    text: Annotated[str, Field(max_length=200_000)] = ""
    html: Annotated[str | None, Field(max_length=1_000_000)] = None
    message_id: Annotated[str, Field(min_length=3, max_length=998)]
    in_reply_to: Annotated[str | None, Field(max_length=998)] = None
    references: Annotated[list[Annotated[str, Field(max_length=998)]], Field(max_length=100)] = []

    @field_validator("sender")
    @classmethod
    def _address(cls, value: str) -> str:
        _name, address = parseaddr(value)
        try:
            emails.normalise(address)
        except emails.InvalidEmailError as exc:
            raise ValueError(f"Not an e-mail address: {exc}") from None
        return value

    @property
    def address(self) -> str:
        return emails.normalise(parseaddr(self.sender)[1])

    @property
    def display_name(self) -> str | None:
        name = parseaddr(self.sender)[0].strip()
        return name[:200] or None


def check_secret(offered: str | None, settings: config.Settings) -> None:
    expected = settings.email_inbound_secret
    if not expected:
        raise NotFound(NOT_CONNECTED)
    if not offered or not hmac.compare_digest(offered.encode(), expected.encode()):
        raise Unauthenticated(
            "The X-Hearth-Secret header is missing or wrong.",
            {"X-Hearth-Secret": "Send the shared secret configured for inbound e-mail."},
        )


def message_id(header: str) -> str:
    """Our id for an e-mail's Message-ID: the same on every delivery."""
    return "em_" + hashlib.sha256(header.strip().encode("utf-8")).hexdigest()[:32]


def receive(
    mail: InboundEmail, settings: config.Settings, *, at: datetime | None = None
) -> dict[str, Any]:
    """Store the e-mail on its sender's timeline; answers what happened and whether a
    new lead waits for the router. ``at`` is now unless the caller replays history
    (sample data), as for a form (hearth.intake.store)."""
    client = db.client()
    timeout = settings.store_timeout_s
    ours = message_id(mail.message_id)
    at = at or datetime.now(UTC)
    html = mail_html.clean(mail.html) if mail.html else None
    summary = (mail.subject or mail.text[:120] or "(no subject)").strip()
    answered = _answered(client, mail, timeout)
    entry = {
        "type": "email",
        "direction": "in",
        "at": at,
        "messageId": ours,
        "from": mail.sender,
        "subject": mail.subject,
        "summary": summary,
        "text": mail.text,
        "html": html,
        "replyTo": answered,
        "actor": {"kind": "customer", "channel": "email"},
    }
    key = emails.customer_key(mail.address)
    incoming = customers.Incoming(
        email=mail.address,
        form=FORM,
        source=SOURCE,
        at=at,
        submission_id=ours,
        name=mail.display_name,
        suppression_keys=tuple(suppression.keys(settings.privacy_secret, key, None)),
    )
    outcome = customers.upsert(
        client,
        key,
        incoming,
        entry,
        currency=settings.currency,
        timeout=timeout,
        entry_id=activity.message_entry_id(ours),
    )
    key = outcome.key or key  # an address merged into another customer lands there
    document = {
        "id": ours,
        "customer": key,
        "ownerUid": None,
        "channel": "email",
        "direction": "in",
        "providerId": mail.message_id,
        "at": at,
        "from": mail.sender,
        "to": mail.to,
        "subject": mail.subject,
        "summary": summary,
        "text": mail.text,
        "html": html,
        "inReplyTo": mail.in_reply_to,
        "references": mail.references,
        "replyTo": answered,
        "status": "received",
        "receivedAt": at,
    }
    owner = customers.owner_of(client, key, timeout)
    document["ownerUid"] = owner
    event = domain_events.Event(
        domain_events.MESSAGE_RECEIVED, at, None, owner, {"channel": "email", "message": ours}
    )
    new = messages.record_inbound(client, key, document, None, event, timeout=timeout)
    return {
        "customer": key,
        "created": outcome.created,
        "repeated": not new,
        "pending": outcome.pending,
    }


def _answered(client: Any, mail: InboundEmail, timeout: float) -> dict[str, Any] | None:
    """The e-mail of ours this one answers, found by its Message-ID in In-Reply-To (or
    the last of References): {message, subject}, so the timeline reads as a thread."""
    for header in [mail.in_reply_to, *reversed(mail.references)]:
        if not header:
            continue
        found = messages.by_provider_id(client, header.strip(), timeout)
        if found is not None:
            data = found.to_dict() or {}
            return {"message": found.id, "subject": data.get("subject")}
    return None
