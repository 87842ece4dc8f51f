"""Every Firestore write of the site analytics: daily salts, visitor markers, events,
the sharded daily roll-ups and their compaction (docs/analytics.md).

A pageview is one commit and no read: the visitor marker is created (never read) so
its existence decides whether this is a new visitor, and the event is created under the
client's own id so that a beacon sent twice is recorded once. Counters are plain
increments on one of a day's shard documents, so a burst never queues on one document.
"""

from __future__ import annotations

import random
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hearth.rules import traffic
from hearth.store.calls import call_options

SALTS = "analytics_salts"
VISITORS = "analytics_visitors"
EVENTS = "analytics_events"
DAYS = "analytics_days"
ALL = "all"
MONTH = "month"  # the shard of a closed month's roll-up, {YYYY-MM}_month
SALT_BYTES = 32
SALT_KEPT = timedelta(days=3)  # TTL backstop; the rollover deletes it a day earlier
MARKER_KEPT = timedelta(hours=48)

# Salts by day, per process: a pageview must cost no read. A salt never changes once
# created, so a cached one is never stale; forget_salts() is for tests that empty the
# database under a running process.
_salts: dict[str, bytes] = {}
_salts_lock = threading.Lock()


def forget_salts() -> None:
    with _salts_lock:
        _salts.clear()


def salt(client: Any, day: str, at: datetime, *, create: bool, timeout: float) -> bytes | None:
    """The day's salt: from memory, else read, else (when ``create``) made.

    Made with create() so that two instances racing at midnight agree: the loser reads
    the winner's. ``create=False`` is for yesterday's, which is never made afresh.
    """
    from google.api_core.exceptions import AlreadyExists

    with _salts_lock:
        if day in _salts:
            return _salts[day]
    ref = client.collection(SALTS).document(day)
    snapshot = ref.get(**call_options(timeout))
    value = snapshot.get("salt") if snapshot.exists else None
    if value is None and create:
        fresh = secrets.token_bytes(SALT_BYTES)
        try:
            ref.create(
                {"salt": fresh, "createdAt": at, "expiresAt": at + SALT_KEPT},
                **call_options(timeout),
            )
            value = fresh
        except AlreadyExists:
            value = ref.get(**call_options(timeout)).get("salt")
    if value is None:
        return None
    with _salts_lock:
        _salts[day] = bytes(value)
        for old in sorted(_salts)[:-3]:  # a long-lived instance keeps only recent days
            del _salts[old]
    return bytes(value)


def visitor_marker(client: Any, day: str, visitor: str, timeout: float) -> dict[str, Any] | None:
    """A visitor's marker of one day (the one read a pageview may cost: just after
    midnight, to carry a visit's source over)."""
    snapshot = client.collection(VISITORS).document(f"{day}_{visitor}").get(**call_options(timeout))
    return snapshot.to_dict() if snapshot.exists else None


@dataclass(frozen=True)
class Hit:
    """One accepted hit as the store writes it. ``counts`` are what every hit adds to
    the day's roll-up; ``visit_counts`` are added only when ``marker`` (the visitor's
    first pageview of the day) could be created."""

    day: str
    event_id: str
    event: dict[str, Any]
    counts: dict[str, Any]
    visitor: str | None = None
    marker: dict[str, Any] | None = None
    visit_counts: dict[str, Any] | None = None


def record(client: Any, hit: Hit, shards: int, timeout: float) -> str:
    """Write one hit in one commit; "new visitor", "returning" or "duplicate".

    The first commit tries to create the marker too; when the visitor already has one
    it fails as a whole and is sent again without it. When that fails as well, the event
    itself exists: a beacon sent again, recorded once already.
    """
    from google.api_core.exceptions import AlreadyExists

    with_marker = hit.marker is not None and hit.visitor is not None
    if with_marker:
        try:
            _commit(client, hit, shards, timeout, with_marker=True)
            return "new visitor"
        except AlreadyExists:
            pass
    try:
        _commit(client, hit, shards, timeout, with_marker=False)
    except AlreadyExists:
        return "duplicate"
    return "returning"


def _commit(client: Any, hit: Hit, shards: int, timeout: float, *, with_marker: bool) -> None:
    batch = client.batch()
    counts = hit.counts
    if with_marker:
        batch.create(client.collection(VISITORS).document(f"{hit.day}_{hit.visitor}"), hit.marker)
        counts = _added(counts, hit.visit_counts or {})
    batch.create(client.collection(EVENTS).document(hit.event_id), hit.event)
    _increment(batch, client, hit.day, counts, shards)
    batch.commit(**call_options(timeout))


def _added(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    total = {
        key: (dict(value) if isinstance(value, Mapping) else value) for key, value in a.items()
    }
    for key, value in b.items():
        if isinstance(value, Mapping):
            into = total.setdefault(key, {})
            for inner, number in value.items():
                into[inner] = into.get(inner, 0) + number
        else:
            total[key] = total.get(key, 0) + value
    return total


def _increment(batch: Any, client: Any, day: str, counts: Mapping[str, Any], shards: int) -> None:
    """Add counts to one shard of the day picked at random; nested maps are merged key by
    key (a key holding "." or "/" stays one key: it is a dict key, never a path)."""
    from google.cloud.firestore import SERVER_TIMESTAMP, Increment

    shard = random.randrange(shards)
    data: dict[str, Any] = {"day": day, "shard": shard, "updatedAt": SERVER_TIMESTAMP}
    for key, value in counts.items():
        if isinstance(value, Mapping):
            data[key] = {inner: Increment(number) for inner, number in value.items()}
        else:
            data[key] = Increment(value)
    batch.set(client.collection(DAYS).document(f"{day}_{shard}"), data, merge=True)


@dataclass(frozen=True)
class Tally:
    """What one submission adds to its day's roll-up: ``always``, plus ``if_new`` when it
    made a new customer (which only the commit that records it knows)."""

    day: str
    shards: int
    always: Mapping[str, Any]
    if_new: Mapping[str, Any]


def add_tally(batch: Any, client: Any, tally: Tally, created: bool) -> None:
    """Put the tally's increments in ``batch``, the commit that records the submission:
    a blind write (no read), counted exactly when the submission is, never twice for a
    retry (whose commit is refused) and never lost if the process stops after it."""
    counts = {**tally.always, **(tally.if_new if created else {})}
    _increment(batch, client, tally.day, counts, tally.shards)


# --- the daily rollover ----------------------------------------------------------------


def delete_salts_before(client: Any, day: str, timeout: float) -> list[str]:
    """Delete every salt of a day before ``day``: without it, nobody can recompute a
    visitor id of that day, which is the point. A handful of documents at most."""
    gone = [ref.id for ref in client.collection(SALTS).list_documents() if ref.id < day]
    for name in gone:
        client.collection(SALTS).document(name).delete(**call_options(timeout))
    with _salts_lock:  # nor may this process keep it
        for name in [cached for cached in _salts if cached < day]:
            del _salts[name]
    return gone


def days_with_shards(client: Any, timeout: float) -> set[str]:
    """The days that still have live shard documents (a numeric shard: "all" is text,
    and a range on numbers never returns text), so the query reads only live shards."""
    from google.cloud.firestore_v1.base_query import FieldFilter

    query = client.collection(DAYS).where(filter=FieldFilter("shard", ">=", 0))
    return {snapshot.get("day") for snapshot in query.stream(**call_options(timeout))}


def compact(client: Any, day: str, timeout: float) -> int:
    """Fold a closed day's shards into {day}_all and delete them, in one transaction, so
    a reader summing the day's documents sees the same numbers before and after.
    Returns how many shards were folded (0: nothing to do, already compacted).

    The day's month roll-up, if its month is closed and was folded already, is deleted
    in the same transaction: it no longer equals its days, and a month without one is
    read from its days (and folded again by the rollover) until then."""
    from google.cloud import firestore
    from google.cloud.firestore_v1.base_query import FieldFilter

    days = client.collection(DAYS)
    whole = days.document(f"{day}_{ALL}")

    @firestore.transactional
    def fold(transaction: Any) -> int:
        query = days.where(filter=FieldFilter("day", "==", day))
        documents = list(transaction.get(query, timeout=timeout))
        shards = [d for d in documents if d.id != whole.id]
        if not shards:
            return 0
        total = traffic.fold(d.to_dict() or {} for d in documents)
        transaction.set(
            whole,
            {**total, "day": day, "shard": ALL, "updatedAt": firestore.SERVER_TIMESTAMP},
        )
        for shard in shards:
            transaction.delete(shard.reference)
        transaction.delete(days.document(f"{day[:7]}_{MONTH}"))
        return len(shards)

    return fold(client.transaction())


# --- monthly roll-ups ------------------------------------------------------------------


def first_day(client: Any, since: str, timeout: float) -> str | None:
    """The earliest day from ``since`` on with a roll-up: months before it had no
    traffic and get no month roll-up. One read."""
    from google.cloud.firestore_v1.base_query import FieldFilter

    query = (
        client.collection(DAYS)
        .where(filter=FieldFilter("day", ">=", since))
        .order_by("day")
        .limit(1)
        .select(["day"])
    )
    for snapshot in query.stream(**call_options(timeout)):
        return snapshot.get("day")
    return None


def _months_query(client: Any, first: str, last: str) -> Any:
    from google.cloud.firestore_v1.base_query import FieldFilter

    return (
        client.collection(DAYS)
        .where(filter=FieldFilter("month", ">=", first))
        .where(filter=FieldFilter("month", "<=", last))
    )


def month_count(client: Any, first: str, last: str, timeout: float) -> int:
    """How many month roll-ups there are from ``first`` to ``last`` ("2026-01"): a
    count is billed one read, so an hourly rollover with nothing to do stays cheap."""
    [[result]] = _months_query(client, first, last).count().get(**call_options(timeout))
    return int(result.value)


def folded_months(client: Any, first: str, last: str, timeout: float) -> set[str]:
    """The months from ``first`` to ``last`` that have a month roll-up."""
    query = _months_query(client, first, last).select(["month"])
    return {snapshot.get("month") for snapshot in query.stream(**call_options(timeout))}


def fold_month(client: Any, month: str, first: str, last: str, timeout: float) -> int:
    """Write {month}_month from the documents of its days ``first`` to ``last``, in one
    transaction: rewritten from them, never incremented, so folding again changes
    nothing. It has no ``day``, so the day-range queries never see it. A month without
    any document still gets one (all zeros): it tells readers and the rollover alike
    that the month is done. Returns how many day documents were folded."""
    from google.cloud import firestore
    from google.cloud.firestore_v1.base_query import FieldFilter

    days = client.collection(DAYS)

    @firestore.transactional
    def fold(transaction: Any) -> int:
        query = days.where(filter=FieldFilter("day", ">=", first)).where(
            filter=FieldFilter("day", "<=", last)
        )
        documents = list(transaction.get(query, timeout=timeout))
        total = traffic.fold(d.to_dict() or {} for d in documents)
        transaction.set(
            days.document(f"{month}_{MONTH}"),
            {**total, "month": month, "shard": MONTH, "updatedAt": firestore.SERVER_TIMESTAMP},
        )
        return len(documents)

    return fold(client.transaction())
