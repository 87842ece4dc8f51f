"""Hand-over jobs (handovers/{job_id}) and the one write that moves a customer from a
rep who left to the next: the customer, its open tasks, its future calls, its timeline
entry and its ``owner.changed`` event, in ONE transaction.

Why a transaction per customer, not a batch per page: the move is guarded on the
customer's ownerUid still being the leaving rep, read inside the transaction, so a
second run of the same job, a concurrent run of another, or the owner reassigning the
customer by hand meanwhile can never make it move twice; and a run stopped between
two customers leaves each either wholly moved or wholly not.

The job document holds only progress (``moved``, ``total``) and ``state``; which
customers are left is always asked of the customers themselves (ownerUid == from), so
a resumed job needs no cursor and cannot skip one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hearth.store import bookings as booking_store
from hearth.store import events as domain_events
from hearth.store import tasks as task_store
from hearth.store import timeline as activity
from hearth.store.calls import call_options

COLLECTION = "handovers"
CUSTOMERS = activity.CUSTOMERS
RUNNING, STOPPED, DONE = "running", "stopped", "done"


@dataclass(frozen=True)
class Move:
    """What one customer's move writes, as the domain decided it inside the
    transaction: the new owner (None: unassigned, the owner's), the timeline entry,
    the event, and any other write that must land with it (a round-robin pointer)."""

    to_uid: str | None
    entry: dict[str, Any]
    event: domain_events.Event
    also: Callable[[Any], None] | None = None


@dataclass(frozen=True)
class Moved:
    """One customer moved: how many of its open tasks and future calls followed."""

    key: str
    to_uid: str | None
    tasks: int
    bookings: int


def job_ref(client: Any, job_id: str) -> Any:
    return client.collection(COLLECTION).document(job_id)


def job(client: Any, job_id: str, timeout: float) -> dict[str, Any] | None:
    snapshot = job_ref(client, job_id).get(**call_options(timeout))
    return snapshot.to_dict() if snapshot.exists else None


def open_job(
    client: Any, job_id: str, fresh: dict[str, Any], timeout: float
) -> tuple[dict[str, Any], bool]:
    """Create the job as ``fresh`` (state running), or find the one this id names;
    (job as stored, created). Comparing a found job with the request is the caller's."""
    from google.api_core.exceptions import AlreadyExists
    from google.cloud.firestore import SERVER_TIMESTAMP

    ref = job_ref(client, job_id)
    try:
        ref.create(
            {
                **fresh,
                "id": job_id,
                "state": RUNNING,
                "moved": 0,
                "startedAt": SERVER_TIMESTAMP,
                "updatedAt": SERVER_TIMESTAMP,
            },
            **call_options(timeout),
        )
        created = True
    except AlreadyExists:
        created = False
    return ref.get(**call_options(timeout)).to_dict() or {}, created


def set_state(client: Any, job_id: str, state: str, timeout: float) -> dict[str, Any] | None:
    """Mark a job running or stopped, unless it is done (done stays done); the job
    after, None when there is none. One transaction, so it never undoes a "done"."""
    from google.cloud import firestore
    from google.cloud.firestore import SERVER_TIMESTAMP

    ref = job_ref(client, job_id)

    @firestore.transactional
    def work(transaction: Any) -> bool:
        snapshot = ref.get(transaction=transaction)
        if not snapshot.exists:
            return False
        if (snapshot.to_dict() or {}).get("state") not in (DONE, state):
            transaction.update(ref, {"state": state, "updatedAt": SERVER_TIMESTAMP})
        return True

    if not work(client.transaction()):
        return None
    return job(client, job_id, timeout)


def record_progress(
    client: Any, job_id: str, moved: int, remaining: int, timeout: float
) -> dict[str, Any]:
    """Add this call's moves to the job, total = moved so far + still to move, and
    mark it done when nothing is left (a stop that came meanwhile is kept otherwise)."""
    from google.cloud import firestore
    from google.cloud.firestore import SERVER_TIMESTAMP

    ref = job_ref(client, job_id)

    @firestore.transactional
    def work(transaction: Any) -> None:
        current = ref.get(transaction=transaction).to_dict() or {}
        so_far = int(current.get("moved") or 0) + moved
        updates: dict[str, Any] = {
            "moved": so_far,
            "total": so_far + remaining,
            "updatedAt": SERVER_TIMESTAMP,
        }
        if remaining == 0:
            updates["state"] = DONE
            updates["doneAt"] = SERVER_TIMESTAMP
        transaction.update(ref, updates)

    work(client.transaction())
    return job(client, job_id, timeout) or {}


def _open_query(client: Any, from_uid: str) -> Any:
    from google.cloud.firestore import FieldFilter

    return (
        client.collection(CUSTOMERS)
        .where(filter=FieldFilter("ownerUid", "==", from_uid))
        .where(filter=FieldFilter("archived", "==", False))
    )


def open_customers(client: Any, from_uid: str, limit: int, timeout: float) -> list[str]:
    """Keys of up to ``limit`` customers the rep still holds (not archived)."""
    query = _open_query(client, from_uid).limit(limit)
    return [snapshot.id for snapshot in query.stream(**call_options(timeout))]


def count_open(client: Any, from_uid: str, timeout: float) -> int:
    """How many customers the rep still holds (not archived): one aggregation read."""
    [[result]] = _open_query(client, from_uid).count().get(**call_options(timeout))
    return int(result.value)


def move(
    client: Any,
    key: str,
    from_uid: str,
    entry_id: str,
    decide: Callable[[Any, dict[str, Any]], Move],
    *,
    now: datetime,
    timeout: float,
) -> Moved | None:
    """Move one customer if it still belongs to ``from_uid`` and is not archived;
    None when it does not (moved already, reassigned, archived, gone).

    ``decide(transaction, customer)`` picks the new owner and says what to write; it
    runs inside the transaction and again on each retry. The customer's open tasks
    assigned to the leaving rep and its confirmed calls from ``now`` on get the new
    owner in the same commit.
    """
    from google.cloud import firestore
    from google.cloud.firestore import SERVER_TIMESTAMP, FieldFilter

    ref = client.collection(CUSTOMERS).document(key)
    tasks_query = (
        client.collection(task_store.COLLECTION)
        .where(filter=FieldFilter("customer", "==", key))
        .where(filter=FieldFilter("done", "==", False))
    )
    calls_query = client.collection(booking_store.COLLECTION).where(
        filter=FieldFilter("customerKey", "==", key)
    )

    @firestore.transactional
    def work(transaction: Any) -> Moved | None:
        snapshot = ref.get(transaction=transaction)
        customer = snapshot.to_dict() if snapshot.exists else None
        if not customer or customer.get("ownerUid") != from_uid or customer.get("archived"):
            return None
        entry_ref = activity.entry_ref(client, key, entry_id)
        change_id = entry_id
        if entry_ref.get(transaction=transaction).exists:
            # This job moved it before and someone gave it back since: a new entry.
            change_id = f"{entry_id}_{uuid.uuid4().hex[:8]}"
            entry_ref = activity.entry_ref(client, key, change_id)
        open_tasks = [
            task
            for task in transaction.get(tasks_query)
            if (task.to_dict() or {}).get("ownerUid") == from_uid
        ]
        future_calls = [
            call
            for call in transaction.get(calls_query)
            if _future_confirmed(call.to_dict() or {}, now)
        ]
        decision = decide(transaction, customer)
        transaction.update(
            ref,
            {
                "ownerUid": decision.to_uid,
                "assignedAt": SERVER_TIMESTAMP,
                "updatedAt": SERVER_TIMESTAMP,
            },
        )
        for task in open_tasks:
            transaction.update(task.reference, {"ownerUid": decision.to_uid})
        for call in future_calls:
            transaction.update(call.reference, {"ownerUid": decision.to_uid})
        transaction.create(entry_ref, decision.entry)
        domain_events.add(client, transaction, key, change_id, decision.event)
        if decision.also is not None:
            decision.also(transaction)
        return Moved(key, decision.to_uid, len(open_tasks), len(future_calls))

    return work(client.transaction(max_attempts=10))


def _future_confirmed(booking: dict[str, Any], now: datetime) -> bool:
    start = booking.get("start")
    return (
        booking.get("status") == booking_store.CONFIRMED
        and isinstance(start, datetime)
        and start >= now
    )
