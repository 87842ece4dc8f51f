"""The daily rollover, run by the scheduler shortly after midnight (and by make dev's
loop): today's salt made, salts older than yesterday deleted, every closed day's shards
folded into one document, then every closed month without a roll-up of its own folded
from its days into one (what the 12-month report reads). Each step is idempotent, so
running it twice, or late, or every hour, changes nothing further.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hearth import config
from hearth.rules import periods, traffic
from hearth.store import analytics as store
from hearth.store import client as db


def rollover(settings: config.Settings, at: datetime | None = None, client: Any = None) -> dict:
    """What was done: the day, the salts deleted, the days compacted, the months folded."""
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
    months = fold_months(client, today, timeout)
    return {"day": day, "saltsDeleted": deleted, "compacted": compacted, "months": months}


def fold_months(client: Any, today: date, timeout: float) -> dict[str, int]:
    """Fold every closed month the 12-month report may read (this one excluded, the 23
    before it) that has no month roll-up yet, from the first with traffic on: after a
    deploy, a missed run, or a late day whose compaction dropped its month's roll-up.
    Two reads when every month is folded already."""
    this_month = today.replace(day=1)
    since = periods.add_months(this_month, -(2 * periods.MONTHS - 1))
    first = store.first_day(client, since.isoformat(), timeout)
    if first is None or first >= this_month.isoformat():
        return {}
    last = this_month - timedelta(days=1)
    wanted = periods.months(date.fromisoformat(first), last)
    if store.month_count(client, wanted[0], wanted[-1], timeout) == len(wanted):
        return {}
    have = store.folded_months(client, wanted[0], wanted[-1], timeout)
    folded = {}
    for month in wanted:
        if month not in have:
            days = periods.month_days(month)
            folded[month] = store.fold_month(
                client, month, days.first.isoformat(), days.last.isoformat(), timeout
            )
    return folded
