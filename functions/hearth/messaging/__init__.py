"""Messaging: WhatsApp and e-mail on the customer's timeline, in and out (issue 14).

Built so far: WhatsApp's webhook (messages in, statuses of what was sent), the Cloud API
client for sends and templates, SMTP sending; see docs/messaging.md for what is left.
"""

from hearth.messaging.inbound import Received, handshake, receive

__all__ = ["Received", "handshake", "receive"]
