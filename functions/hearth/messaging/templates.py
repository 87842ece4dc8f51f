"""The WhatsApp templates the composer offers, read from the business account.

Templates are made and approved in Meta's WhatsApp Manager, never typed into Hearth:
the sweep reads the account's list at most once an hour (``sync``) and keeps the
approved ones in Firestore, so the composer reads them like any other list. An outage
of Meta's API skips the hour and leaves the last list in place.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from hearth import config
from hearth.errors import HearthError
from hearth.messaging import whatsapp_api
from hearth.rules import whatsapp
from hearth.store import client as db
from hearth.store import messages

log = logging.getLogger(__name__)
EVERY = timedelta(hours=1)


def sync(settings: config.Settings, now: datetime | None = None, *, force: bool = False) -> int:
    """How many approved templates were stored (0 when WhatsApp is off or it is not time)."""
    api = whatsapp_api.connect(settings)
    if api is None or not settings.whatsapp_business_account_id:
        return 0
    when = now or datetime.now(UTC)
    client, timeout = db.client(), settings.store_timeout_s
    last = messages.templates_synced_at(client, timeout)
    if not force and last is not None and when - last < EVERY:
        return 0
    try:
        listed = api.templates()
    except HearthError as exc:  # Meta down or refusing: the last list stays
        log.warning("WhatsApp templates not refreshed: %s", exc)
        return 0
    return messages.replace_templates(client, whatsapp.offered_templates(listed), when, timeout)
