"""The pipeline reports' store: the only writer of ``report_days``, ``report_months``
and ``report_customers``, and the bounded reads a report opens with.

Bucket figures are increments, and an increment applied twice is wrong, so the
reports consumer cannot use the automations' "effects first, cursor after" (that is
safe only for idempotent effects). Each batch commits in ONE transaction instead: the
cursor ``consumers/reports`` and the batch's customers' facts are read, and the
facts, every bucket increment and the new cursor are written together. A run killed
before the commit wrote nothing and the next run does the batch again; a run that
finds the cursor moved since it read the batch (another run did it) writes nothing.
The rebuild's lease ``pausedUntil`` on the same document stops the consumer inside
that very transaction.

Counters are written as NESTED maps of ``Increment`` with ``merge=True``, never as
dotted update paths: a source id may contain a dot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from hearth.store.calls import call_options
from hearth.store.consumers import COLLECTION as CONSUMERS
from hearth.store.consumers import documents

DAYS, MONTHS, CUSTOMERS = "report_days", "report_months", "report_customers"
COLLECTIONS = (DAYS, MONTHS, CUSTOMERS)
CONSUMER = "reports"
TEAM, SOURCES = "team", "sources"
WRITE_CHUNK = 400

# (stored facts by customer) -> (facts documents by customer, bucket documents by
# (collection, id)); pure, and called again if the transaction is retried.
Plan = Callable[
    [dict[str, dict[str, Any]]],
    tuple[dict[str, dict[str, Any]], dict[tuple[str, str], dict[str, Any]]],
]


def _cursor_ref(client: Any) -> Any:
    return client.collection(CONSUMERS).document(CONSUMER)


def cursor(client: Any, timeout: float) -> dict[str, Any] | None:
    """``consumers/reports``: {at, id, updatedAt, pausedUntil?}, or None before the first run."""
    snapshot = _cursor_ref(client).get(**call_options(timeout))
    return (snapshot.to_dict() or {}) if snapshot.exists else None


def position(stored: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The {at, id} of the last event folded, None before the first."""
    if not stored or stored.get("at") is None or not stored.get("id"):
        return None
    return {"at": stored["at"], "id": stored["id"]}


def paused(stored: Mapping[str, Any] | None, now: datetime) -> bool:
    until = (stored or {}).get("pausedUntil")
    return isinstance(until, datetime) and until > now


def increments(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A bucket document's counters as nested increments; its keys (day, owner) as is."""
    from google.cloud.firestore import Increment

    def walk(node: Mapping[str, Any]) -> dict[str, Any]:
        return {
            key: walk(value) if isinstance(value, Mapping) else Increment(value)
            for key, value in node.items()
        }

    return {key: walk(value) if isinstance(value, Mapping) else value for key, value in doc.items()}


def commit_batch(
    client: Any,
    start: Mapping[str, Any] | None,
    events: list[dict[str, Any]],
    plan: Plan,
    now: datetime,
    timeout: float,
) -> bool:
    """Fold one batch in one transaction, if the cursor is still at ``start`` and no
    rebuild holds the lease; True when this run wrote it."""
    from google.cloud import firestore

    cursor_ref = _cursor_ref(client)
    keys = list(dict.fromkeys(e["customer"] for e in events if e.get("customer")))
    refs = [client.collection(CUSTOMERS).document(key) for key in keys]
    last = events[-1]

    @firestore.transactional
    def work(transaction: Any) -> bool:
        found = {
            snapshot.reference.path: snapshot
            for snapshot in client.get_all([cursor_ref, *refs], transaction=transaction)
        }
        at_cursor = found.get(cursor_ref.path)
        stored_cursor = (at_cursor.to_dict() or {}) if at_cursor and at_cursor.exists else None
        if position(stored_cursor) != position(start) or paused(stored_cursor, now):
            return False
        stored = {
            ref.id: found[ref.path].to_dict() or {}
            for ref in refs
            if ref.path in found and found[ref.path].exists
        }
        facts, buckets = plan(stored)
        for key, doc in facts.items():
            transaction.set(client.collection(CUSTOMERS).document(key), doc)
        for (collection, doc_id), doc in buckets.items():
            body = {**increments(doc), "updatedAt": firestore.SERVER_TIMESTAMP}
            transaction.set(client.collection(collection).document(doc_id), body, merge=True)
        transaction.set(
            cursor_ref,
            {"at": last["at"], "id": last["id"], "updatedAt": firestore.SERVER_TIMESTAMP},
            merge=True,
        )
        return True

    return work(client.transaction(max_attempts=5))


# --- bounded reads for a period ------------------------------------------------------------


def buckets(
    client: Any,
    collection: str,
    first: str,
    last: str,
    owner: str | None,
    timeout: float,
    *,
    everyone: bool,
) -> list[dict[str, Any]]:
    """The bucket documents of ``collection`` whose day (or month) is in [first, last]:
    every owner's (``everyone``), or only ``owner``'s, the query a rep's rules allow."""
    from google.cloud.firestore import FieldFilter

    key = "day" if collection == DAYS else "month"
    query = client.collection(collection)
    if not everyone:
        query = query.where(filter=FieldFilter("ownerUid", "==", owner))
    query = query.where(filter=FieldFilter(key, ">=", first)).where(
        filter=FieldFilter(key, "<=", last)
    )
    return [doc.to_dict() or {} for doc in query.stream(**call_options(timeout))]


def sources(client: Any, ids: Iterable[str], timeout: float) -> dict[str, dict[str, Any]]:
    return documents(client, SOURCES, ids, timeout)


def team(client: Any, uids: Iterable[str], timeout: float) -> dict[str, dict[str, Any]]:
    return documents(client, TEAM, uids, timeout)


def trade_shows(client: Any, timeout: float) -> dict[str, dict[str, Any]]:
    """Every source of kind trade_show (a list as long as the shows, not the customers)."""
    from google.cloud.firestore import FieldFilter

    query = client.collection(SOURCES).where(filter=FieldFilter("kind", "==", "trade_show"))
    return {doc.id: doc.to_dict() or {} for doc in query.stream(**call_options(timeout))}


# --- the rebuild ------------------------------------------------------------------------


def everything(client: Any, timeout: float) -> dict[tuple[str, str], dict[str, Any]]:
    """Every stored report document, keyed (collection, id), without its updatedAt:
    what the rebuild compares with its own sums."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for collection in COLLECTIONS:
        for snapshot in client.collection(collection).stream(**call_options(timeout)):
            body = snapshot.to_dict() or {}
            body.pop("updatedAt", None)
            found[(collection, snapshot.id)] = body
    return found


def set_lease(client: Any, until: datetime | None, timeout: float) -> None:
    """Hold (until a time) or release (None) the consumer while the rebuild writes."""
    _cursor_ref(client).set({"pausedUntil": until}, merge=True, **call_options(timeout))


def replace_all(
    client: Any,
    wanted: Mapping[tuple[str, str], Mapping[str, Any]],
    last: Mapping[str, Any] | None,
    timeout: float,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Make the report collections exactly ``wanted`` (stale documents deleted) and put
    the cursor at ``last``; written in chunks, under the rebuild's lease."""
    from google.cloud import firestore

    stale = [key for key in everything(client, timeout) if key not in wanted]
    writes: list[tuple[str, tuple[str, str], Mapping[str, Any] | None]] = [
        ("delete", key, None) for key in stale
    ] + [("set", key, doc) for key, doc in wanted.items()]
    done = 0
    for start in range(0, len(writes), WRITE_CHUNK):
        batch = client.batch()
        for action, (collection, doc_id), doc in writes[start : start + WRITE_CHUNK]:
            ref = client.collection(collection).document(doc_id)
            if action == "delete":
                batch.delete(ref)
            else:
                body = dict(doc or {})
                if collection != CUSTOMERS:
                    body["updatedAt"] = firestore.SERVER_TIMESTAMP
                batch.set(ref, body)
        batch.commit(**call_options(timeout))
        done += len(writes[start : start + WRITE_CHUNK])
        if progress is not None:
            progress(done, len(writes))
    body: dict[str, Any] = {"updatedAt": firestore.SERVER_TIMESTAMP}
    if last is not None:
        body.update({"at": last["at"], "id": last["id"]})
    _cursor_ref(client).set(body, merge=True, **call_options(timeout))


def customer_ref(client: Any, customer_key: str) -> Any:
    """A customer's report facts, which name them by key: an erasure deletes it (the
    buckets beside it hold counts only, and stay)."""
    return client.collection(CUSTOMERS).document(customer_key)
