"""E-mail from the customer page: the owner's templates, their preview, and the send.

Templates live in ``settings/emailTemplates`` (the owner's, saved whole like the other
settings); one may belong to a stage, and is then offered first for a customer in it.
A template or a one-off e-mail is merged with the customer, their custom fields and
the sender in the sandbox (rules.mail_templates), previewed with the fields that were
empty, and sent over the owner's SMTP server with a Message-ID of ours. The send is
recorded before it goes out, so a retried click never sends it twice; a server that
could not be reached leaves it ``not_sent``, and the same click may try again.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import parseaddr
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hearth import config
from hearth.errors import Conflict, Forbidden, Invalid, NotFound, field_messages
from hearth.messaging import smtp
from hearth.rules import mail_templates
from hearth.rules.fields import ID_PATTERN
from hearth.rules.json_values import plain
from hearth.rules.roles import Principal, can_manage_lists, can_write_customer
from hearth.store import client as db
from hearth.store import messages
from hearth.store import timeline as activity
from hearth.store.calls import call_options
from hearth.store.customers import COLLECTION as CUSTOMERS

OFF = "E-mail is not connected to Hearth (HEARTH_SMTP_HOST and HEARTH_MAIL_FROM)."


class EmailDraft(BaseModel):
    """A template by id, or a one-off subject and text (merge fields allowed in both)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: Annotated[str | None, Field(pattern=ID_PATTERN)] = None  # the send's id
    template: Annotated[str | None, Field(pattern=mail_templates.TEMPLATE_ID)] = None
    subject: Annotated[str | None, Field(min_length=1, max_length=500)] = None
    text: Annotated[str | None, Field(min_length=1, max_length=mail_templates.MAX_SOURCE)] = None

    @model_validator(mode="after")
    def _one_source(self) -> EmailDraft:
        if self.template is None and (self.subject is None or self.text is None):
            raise ValueError("Choose a template, or write a subject and a text.")
        return self


# --- the owner's templates ----------------------------------------------------------------


def check_owner(principal: Principal) -> None:
    if not can_manage_lists(principal):
        raise Forbidden("Only the owner writes the e-mail templates.")


def save_settings(
    data: dict[str, Any], owner: Principal, settings: config.Settings
) -> dict[str, Any]:
    check_owner(owner)
    data = {k: v for k, v in data.items() if k not in ("updatedAt", "updatedBy")}
    try:
        parsed = mail_templates.EmailTemplates.model_validate(data)
    except ValidationError as exc:
        raise Invalid(field_messages(exc)) from None
    duplicates = mail_templates.duplicate_ids(parsed)
    if duplicates:
        raise Invalid(duplicates)
    stored = parsed.model_dump(mode="json", exclude_none=True)
    stamp = {"updatedAt": datetime.now(UTC), "updatedBy": {"uid": owner.uid, "email": owner.email}}
    messages.save_email_templates(db.client(), {**stored, **stamp}, settings.store_timeout_s)
    return stored


def _templates(client: Any, timeout: float) -> dict[str, mail_templates.EmailTemplate]:
    stored = messages.email_templates(client, timeout) or {}
    try:
        parsed = mail_templates.EmailTemplates.model_validate(
            {"templates": stored.get("templates") or []}
        )
    except ValidationError:
        return {}
    return {t.id: t for t in parsed.templates}


# --- preview and send ---------------------------------------------------------------------


def _customer(client: Any, principal: Principal, key: str, timeout: float) -> dict[str, Any]:
    snapshot = client.collection(CUSTOMERS).document(key).get(**call_options(timeout))
    if not snapshot.exists:
        raise NotFound("There is no such customer.")
    customer = snapshot.to_dict() or {}
    if not can_write_customer(principal, customer):
        raise Forbidden("Only the owner and the customer's rep may e-mail them.")
    return customer


def render(
    client: Any,
    principal: Principal,
    customer: dict[str, Any],
    draft: EmailDraft,
    settings: config.Settings,
) -> mail_templates.Rendered:
    """The draft merged with the customer, as the preview shows it and the send sends
    it (the sample data's e-mails too, so theirs read like a real send's)."""
    if draft.template is not None:
        template = _templates(client, settings.store_timeout_s).get(draft.template)
        if template is None:
            raise Invalid({"template": "There is no template with this id."})
        subject, text, html = template.subject, template.text, template.html
    else:
        subject, text, html = draft.subject or "", draft.text or "", None
    sender_name = parseaddr(settings.mail_from or "")[0] or settings.business_name
    values = mail_templates.context(
        customer,
        sender={"name": sender_name, "email": principal.email},
        business=settings.business_name,
    )
    try:
        return mail_templates.render(subject, text, values, html=html)
    except mail_templates.RefusedTemplateError as exc:
        raise Invalid({exc.part: str(exc)}) from None


def preview(principal: Principal, key: str, draft: EmailDraft, settings: config.Settings) -> dict:
    client = db.client()
    customer = _customer(client, principal, key, settings.store_timeout_s)
    out = render(client, principal, customer, draft, settings)
    return {
        "preview": {
            "to": customer.get("email"),
            "subject": out.subject,
            "text": out.text,
            "html": out.html,
            "empty": list(out.empty),
        }
    }


def message_id(key: str, client_id: str) -> str:
    return "out_" + hashlib.sha256(f"{key}\nemail\n{client_id}".encode()).hexdigest()[:32]


def send(principal: Principal, key: str, draft: EmailDraft, settings: config.Settings) -> dict:
    if draft.id is None:
        raise Invalid({"id": "A send needs the page's id for it (8-128 letters, digits, - or _)."})
    client, timeout = db.client(), settings.store_timeout_s
    customer = _customer(client, principal, key, timeout)
    ours = message_id(key, draft.id)
    before = messages.get(client, ours, timeout)
    if before is not None and not messages.retry_outbound(client, ours, timeout):
        return view(before)  # sent, or on its way: never twice
    if not (settings.smtp_host and settings.mail_from):
        raise Conflict(OFF, {"email": "Not connected."}, code="email_off")
    to = customer.get("email")
    if not to:
        raise Invalid({"email": "This customer has no e-mail address."})
    out = render(client, principal, customer, draft, settings)
    now = datetime.now(UTC)
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "hearth.local"
    header_id = (before or {}).get("providerId") or smtp.message_id(domain)
    if before is None:
        document, entry = outgoing(principal, key, customer, draft, out, header_id, now)
        if not messages.start_outbound(client, key, document, entry, timeout=timeout):
            return view(messages.get(client, ours, timeout) or document)
    name, address = parseaddr(settings.mail_from)
    mail = smtp.Outgoing(
        sender_name=name or settings.business_name,
        sender_address=address,
        to=to,
        subject=out.subject,
        text=out.text,
        html=out.html,
    )
    server = smtp.Server(
        host=settings.smtp_host,
        port=settings.smtp_port,
        starttls=settings.smtp_starttls,
        username=settings.smtp_username,
        password=settings.smtp_password,
        timeout_s=settings.smtp_timeout_s,
    )
    try:
        smtp.send(server, smtp.build(mail, header_id, now))
    except smtp.MailRefusedError as refused:
        messages.settle(client, ours, {"status": "failed", "reason": refused.message}, timeout)
        raise
    except smtp.MailUnavailableError:
        messages.settle(client, ours, {"status": "not_sent"}, timeout)
        raise
    messages.settle(client, ours, {"status": "sent", "sentAt": datetime.now(UTC)}, timeout)
    return view(messages.get(client, ours, timeout) or {})


def outgoing(
    principal: Principal,
    key: str,
    customer: dict[str, Any],
    draft: EmailDraft,
    out: mail_templates.Rendered,
    header_id: str,
    at: datetime,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The e-mail (status ``sending``) and its timeline entry, as written before it goes
    out. Apart from ``send`` so the sample data (devstack.seed) records its e-mails in
    exactly this shape without any SMTP."""
    to = str(customer.get("email"))
    ours = message_id(key, str(draft.id))
    document = {
        "id": ours,
        "customer": key,
        "ownerUid": customer.get("ownerUid"),
        "channel": "email",
        "direction": "out",
        "to": to,
        "subject": out.subject,
        "summary": out.subject,
        "text": out.text,
        "html": out.html,
        "template": draft.template,
        "providerId": header_id,  # our Message-ID: a reply's In-Reply-To names it
        "status": "sending",
        "at": at,
        "by": {"uid": principal.uid, "role": principal.role.value if principal.role else None},
    }
    entry = activity.email_out(
        message_id=ours, at=at, to=to, subject=out.subject, text=out.text, actor=principal
    )
    return document, entry


def view(message: dict[str, Any]) -> dict[str, Any]:
    keep = ("id", "customer", "channel", "direction", "to", "subject", "status", "reason", "at")
    return {"message": plain({k: message.get(k) for k in keep})}
