"""What the reports read: daily and monthly roll-ups, the period's new customers,
today's calls.

Every read here is bounded by days, not by traffic: a roll-up is one document per day
(a few shards while the day is live) or one per closed month, so a report costs the
same for a thousand or a hundred thousand pageviews. Each query is a range on one field
(``day``, ``month``, ``createdAt``, ``start``), which Firestore's automatic single-field
indexes serve: no composite index to deploy, no index to forget. Documents are read
with a field mask wherever a report needs less than the whole document.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from hearth.store.bookings import COLLECTION as BOOKINGS
from hearth.store.calls import call_options
from hearth.store.customers import COLLECTION as CUSTOMERS

DAYS = "analytics_days"  # the roll-ups; written by the ingest (store/analytics.py)
PIPELINE = ("settings", "pipeline")
# What a report needs of a customer, and of a booking: nothing that names a person.
CUSTOMER_FIELDS = ("firstSource", "stage", "balances", "createdAt", "archived")
BOOKING_FIELDS = ("start", "end", "status")
# What comparing with the previous period needs of a roll-up (not its maps of pages).
TOTAL_FIELDS = ("day", "pageviews", "visitors", "leads", "forms", "events")


def roll_ups(
    client: Any, first: str, last: str, timeout: float, fields: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """Every roll-up document whose ``day`` is in [first, last], whatever its shard:
    live shards and compacted ``{day}_all`` documents alike, for the caller to add up."""
    from google.cloud.firestore import FieldFilter

    query = (
        client.collection(DAYS)
        .where(filter=FieldFilter("day", ">=", first))
        .where(filter=FieldFilter("day", "<=", last))
    )
    if fields is not None:
        query = query.select(list(fields))
    return [doc.to_dict() or {} for doc in query.stream(**call_options(timeout))]


def month_roll_ups(
    client: Any, first: str, last: str, timeout: float, fields: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """Every month roll-up (``{YYYY-MM}_month``, written by the rollover) whose
    ``month`` is in [first, last]. A mask asking for ``day`` gets ``month`` instead:
    it is what says which month a document stands for."""
    from google.cloud.firestore import FieldFilter

    query = (
        client.collection(DAYS)
        .where(filter=FieldFilter("month", ">=", first))
        .where(filter=FieldFilter("month", "<=", last))
    )
    if fields is not None:
        query = query.select(sorted({name for name in fields if name != "day"} | {"month"}))
    return [doc.to_dict() or {} for doc in query.stream(**call_options(timeout))]


def customers_created(
    client: Any, start: datetime, end: datetime, timeout: float
) -> list[dict[str, Any]]:
    """Customers created in [start, end), archived ones too, with only the fields a
    report uses (no name, no e-mail: a manager's report never holds a person)."""
    from google.cloud.firestore import FieldFilter

    query = (
        client.collection(CUSTOMERS)
        .where(filter=FieldFilter("createdAt", ">=", start))
        .where(filter=FieldFilter("createdAt", "<", end))
        .select(list(CUSTOMER_FIELDS))
    )
    return [doc.to_dict() or {} for doc in query.stream(**call_options(timeout))]


def calls_starting(
    client: Any, start: datetime, end: datetime, timeout: float
) -> list[dict[str, Any]]:
    """Bookings starting in [start, end), cancelled ones too: filtering on status here
    would need a composite index for a list that is a handful of calls long."""
    from google.cloud.firestore import FieldFilter

    query = (
        client.collection(BOOKINGS)
        .where(filter=FieldFilter("start", ">=", start))
        .where(filter=FieldFilter("start", "<", end))
        .select(list(BOOKING_FIELDS))
    )
    return [doc.to_dict() or {} for doc in query.stream(**call_options(timeout))]


def pipeline(client: Any, timeout: float) -> dict[str, Any] | None:
    """The owner's settings/pipeline document (which stages count as won), if any."""
    snapshot = client.collection(PIPELINE[0]).document(PIPELINE[1]).get(**call_options(timeout))
    return (snapshot.to_dict() or {}) if snapshot.exists else None
