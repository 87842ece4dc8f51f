"""Event consumers: read events in order from a cursor, a bounded batch at a time.

A consumer (the automations today, the reports next) keeps its place in
``consumers/{name}`` as ``{at, id, updatedAt}``: the last event it has fully handled,
in the order (at, document id). Each batch's effects are written first and the cursor
after, and every effect is idempotent by id (a task's id is ``{rule}.{event}``), so a
run killed between the two repeats a batch whose writes find themselves already done:
nothing is lost and nothing is made twice.

Events whose time is within ``SETTLE`` of now are left for the next run: an event's
time is its commit's, and a commit still in flight may land with a time just before
one already seen; waiting a moment keeps the cursor from stepping over it.

Also the automations' stage clocks (``stageClocks/{customer}``): the last stage event
of each customer, kept by the automations consumer so the stale check finds customers
whose stage has not moved with one indexed query instead of re-reading every customer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from hearth.store import events as domain_events
from hearth.store.calls import call_options

COLLECTION = "consumers"
CLOCKS = "stageClocks"
BATCH = 200
MAX_BATCHES = 50
SETTLE = timedelta(seconds=5)


def cursor(client: Any, name: str, timeout: float) -> dict[str, Any] | None:
    snapshot = client.collection(COLLECTION).document(name).get(**call_options(timeout))
    return (snapshot.to_dict() or {}) if snapshot.exists else None


def run(
    client: Any,
    name: str,
    handle: Callable[[list[dict[str, Any]]], int | None],
    *,
    now: datetime,
    timeout: float,
    batch_size: int = BATCH,
    max_batches: int = MAX_BATCHES,
) -> int:
    """Hand the events after ``name``'s cursor to ``handle`` batch by batch, moving the
    cursor after each batch's effects; how many events were handled. ``handle`` may
    answer how many of the batch it handled (a prefix): the rest wait for the next run
    (the automations wait so for a customer the router has not yet given an owner)."""
    call = call_options(timeout)
    ref = client.collection(COLLECTION).document(name)
    position = cursor(client, name, timeout)
    handled = 0
    for _ in range(max_batches):
        batch = domain_events.after(client, position, now - SETTLE, batch_size, timeout)
        if not batch:
            break
        done = handle(batch)
        done = len(batch) if done is None else done
        if done <= 0:
            break
        last = batch[done - 1]
        position = {"at": last["at"], "id": last["id"]}
        ref.set({**position, "updatedAt": datetime.now(UTC)}, **call)
        handled += done
        if done < len(batch) or len(batch) < batch_size:
            break
    return handled


def set_clock(client: Any, event: dict[str, Any], stage: str | None, timeout: float) -> None:
    """Restart a customer's stage clock at this stage event; replaying an older event
    after a newer one cannot happen, as a consumer reads in order."""
    client.collection(CLOCKS).document(event["customer"]).set(
        {
            "customer": event["customer"],
            "event": event["id"],
            "at": event["at"],
            "stage": stage,
            "ownerUid": event.get("ownerUid"),
            "open": True,
        },
        **call_options(timeout),
    )


def stale_clocks(
    client: Any, cutoff: datetime, limit: int, timeout: float, *, after: Any = None
) -> list[Any]:
    """Open clocks not restarted since ``cutoff``, oldest first, from after the snapshot
    ``after`` (the previous page); snapshots, for the guard that closes them."""
    from google.cloud.firestore import FieldFilter

    query = (
        client.collection(CLOCKS)
        .where(filter=FieldFilter("open", "==", True))
        .where(filter=FieldFilter("at", "<=", cutoff))
        .order_by("at")
        .limit(limit)
    )
    if after is not None:
        query = query.start_after(after)
    return list(query.stream(**call_options(timeout)))


def close_clock(client: Any, snapshot: Any, timeout: float) -> bool:
    """Mark a clock as handled unless a stage event restarted it meanwhile."""
    from google.api_core.exceptions import FailedPrecondition, NotFound

    try:
        snapshot.reference.update(
            {"open": False},
            option=client.write_option(last_update_time=snapshot.update_time),
            **call_options(timeout),
        )
    except (FailedPrecondition, NotFound):
        return False
    return True


def customers(client: Any, keys: list[str], timeout: float) -> dict[str, dict[str, Any]]:
    """The customers these keys name, as stored (one round trip)."""
    refs = [client.collection("customers").document(key) for key in dict.fromkeys(keys)]
    if not refs:
        return {}
    return {
        snapshot.id: snapshot.to_dict() or {}
        for snapshot in client.get_all(refs, **call_options(timeout))
        if snapshot.exists
    }


def source_kinds(client: Any, ids: list[str], timeout: float) -> dict[str, str | None]:
    refs = [client.collection("sources").document(i) for i in dict.fromkeys(ids) if i]
    if not refs:
        return {}
    return {
        snapshot.id: (snapshot.to_dict() or {}).get("kind")
        for snapshot in client.get_all(refs, **call_options(timeout))
        if snapshot.exists
    }
