"""Messaging: WhatsApp and e-mail on the customer's timeline, in and out (issue 14).

Built so far: WhatsApp's webhook (messages in, statuses of what was sent), inbound
e-mail, the Cloud API client and SMTP sending; docs/messaging.md says what is left.
"""

from hearth.messaging import mail as email_settings
from hearth.messaging.email_inbound import InboundEmail
from hearth.messaging.email_inbound import check_secret as check_inbound_secret
from hearth.messaging.email_inbound import receive as receive_email
from hearth.messaging.inbound import Received, handshake, receive
from hearth.messaging.mail import EmailDraft
from hearth.messaging.mail import preview as preview_email
from hearth.messaging.mail import send as send_email
from hearth.messaging.outbound import WhatsAppSend
from hearth.messaging.outbound import send as send_whatsapp
from hearth.messaging.templates import sync as sync_templates

__all__ = [
    "EmailDraft",
    "InboundEmail",
    "Received",
    "WhatsAppSend",
    "check_inbound_secret",
    "email_settings",
    "handshake",
    "preview_email",
    "receive",
    "receive_email",
    "send_email",
    "send_whatsapp",
    "sync_templates",
]
