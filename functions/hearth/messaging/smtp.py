"""Outbound e-mail through the owner's SMTP server.

SMTP is the one protocol every mail provider speaks (Google Workspace, Microsoft 365,
Postmark, a hosting company's server), so Hearth needs no provider's SDK: the standard
library's client, STARTTLS when the server offers a plain port, credentials from the
environment (Secret Manager in production). Each message gets a Message-ID of ours,
kept on the timeline, so the customer's reply (In-Reply-To) threads to it; a reply of
ours carries In-Reply-To and References in turn.

Failures come in the same two kinds as WhatsApp's: the server refused this message
(``MailRefusedError``: a bad address, a message too large) or the server could not be
reached or asked us to try later (``MailUnavailableError``, SMTP's 4xx).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from hearth.errors import Invalid, Unavailable


class MailRefusedError(Invalid):
    def __init__(self, reason: str) -> None:
        super().__init__({"email": reason}, reason, code="mail_refused")


class MailUnavailableError(Unavailable):
    def __init__(self, detail: str) -> None:
        super().__init__(
            f"The mail server could not take the message ({detail}). Nothing was sent: try again.",
            code="mail_unavailable",
        )


@dataclass(frozen=True)
class Server:
    host: str
    port: int = 587
    starttls: bool = True
    username: str | None = None
    password: str | None = None
    timeout_s: float = 15.0
    # Only for a test's own server on loopback with a self-signed certificate.
    verify_certificate: bool = True


@dataclass(frozen=True)
class Outgoing:
    sender_name: str
    sender_address: str
    to: str
    subject: str
    text: str
    html: str
    in_reply_to: str | None = None
    references: Sequence[str] = ()


def message_id(domain: str) -> str:
    """A Message-ID of ours, made before sending so it is on the timeline even when the
    answer of the server is lost."""
    return make_msgid(domain=domain)


def build(mail: Outgoing, msgid: str, at: datetime | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((mail.sender_name, mail.sender_address))
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(at or datetime.now(UTC))
    message["Message-ID"] = msgid
    if mail.in_reply_to:
        message["In-Reply-To"] = mail.in_reply_to
        message["References"] = " ".join([*mail.references, mail.in_reply_to])
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message


def send(server: Server, message: EmailMessage) -> None:
    context = ssl.create_default_context()
    if not server.verify_certificate:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    try:
        with smtplib.SMTP(server.host, server.port, timeout=server.timeout_s) as smtp:
            if server.starttls:
                smtp.starttls(context=context)
            if server.username:
                smtp.login(server.username, server.password or "")
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if codes and all(400 <= code < 500 for code in codes):
            raise MailUnavailableError(f"it answered {codes[0]} for the address") from exc
        raise MailRefusedError("The mail server refused the address.") from exc
    except smtplib.SMTPAuthenticationError as exc:
        raise MailRefusedError(
            "The mail server refused Hearth's sign-in: check the SMTP password."
        ) from exc
    except smtplib.SMTPResponseException as exc:
        if 400 <= exc.smtp_code < 500:
            raise MailUnavailableError(f"it answered {exc.smtp_code}") from exc
        raise MailRefusedError(f"The mail server refused the message ({exc.smtp_code}).") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise MailUnavailableError("no connection") from exc
