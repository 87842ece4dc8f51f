"""The daily rollover, run by the scheduler shortly after midnight (and by make dev's
loop): today's salt made, salts older than yesterday deleted, every closed day's shards
folded into one document. Each step is idempotent, so running it twice, or late, or
every hour, changes nothing further.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hearth import config
from hearth.rules import traffic
from hearth.store import analytics as store
from hearth.store import client as db


def rollover(settings: config.Settings, at: datetime | None = None, client: Any = None) -> dict:
    """What was done: the day, the salts deleted and the days compacted."""
    at = at or datetime.now(UTC)
    client = client or db.client()
    timeout = settings.store_timeout_s
    today = traffic.business_day(at, settings.time_zone)
    day = traffic.day_key(today)
    store.salt(client, day, at, create=True, timeout=timeout)
    yesterday = traffic.day_key(today - timedelta(days=1))
    deleted = store.delete_salts_before(client, yesterday, timeout)
    compacted = {}
    for closed in sorted(store.days_with_shards(client, timeout)):
        if closed < day:
            compacted[closed] = store.compact(client, closed, timeout)
    return {"day": day, "saltsDeleted": deleted, "compacted": compacted}
