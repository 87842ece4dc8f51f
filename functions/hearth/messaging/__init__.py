"""Messaging: WhatsApp and e-mail on the customer's timeline, in and out (issue 14).

Started: the Cloud API client (``whatsapp_api``). The webhook, the sends from the
customer page and e-mail follow; see docs/messaging.md once they land.
"""
