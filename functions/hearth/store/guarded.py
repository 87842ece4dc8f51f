"""One staff write to one customer: read, decide, then commit the change and its
timeline entry together, guarded by what was read.

Why a guarded batch and not a Firestore transaction: a Python transaction retries by
re-running the whole callback against server-side locks and, under contention, mostly
fails (see customers.py, which measured it). Here the commit carries the read's
update time as a precondition, so it applies only if the customer is exactly as read;
otherwise nothing is written and the request is decided again on a fresh read. Either
the customer update, the activity entry and the domain events it causes all land, or
none does.

The activity entry's id comes from the client's request id, so a retry of a request
that already landed fails its create; the fresh read then finds the entry and the
request is answered as the duplicate it is, never applied twice.

This module knows nothing of roles or HTTP: the caller's ``decide`` says what to write
(or raises to refuse), and is called again after every lost race.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from hearth.store import customers
from hearth.store import events as domain_events
from hearth.store import pipeline as pipeline_store
from hearth.store import timeline as activity
from hearth.store.calls import ContentionError, call_options

MAX_ATTEMPTS = 25


@dataclass(frozen=True)
class Seen:
    """One consistent read: the customer (None if absent), this request's timeline entry
    if it already exists (a retry), and the pipeline settings when asked for."""

    customer: dict[str, Any] | None
    update_time: Any
    entry: dict[str, Any] | None
    pipeline: dict[str, Any] | None
    pipeline_version: Any = None  # settings/pipeline's update time (None: absent)


@dataclass(frozen=True)
class Write:
    """Fields to update on the customer, the timeline entry to create with them and the
    domain events the change causes (their ids derive from the entry's)."""

    updates: dict[str, Any]
    entry: dict[str, Any]
    events: tuple[domain_events.Event, ...] = ()


class Skip(StrEnum):
    """Why nothing is written: the request already landed, or it changes nothing."""

    DUPLICATE = "duplicate"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Result:
    customer: dict[str, Any]
    outcome: str  # "applied", "duplicate" or "unchanged"


def write(
    client: Any,
    key: str,
    entry_id: str,
    decide: Callable[[Seen], Write | Skip],
    *,
    pipeline: bool,
    timeout: float,
) -> Result:
    """Apply ``decide``'s write atomically; returns the customer as stored afterwards.

    ``decide`` may raise to refuse (not found, conflict, bad amount): nothing is written.
    """
    from google.api_core.exceptions import AlreadyExists, FailedPrecondition, NotFound
    from google.cloud.firestore import SERVER_TIMESTAMP

    call = call_options(timeout)
    ref = client.collection(customers.COLLECTION).document(key)
    entry_ref = activity.entry_ref(client, key, entry_id)
    pipeline_ref = pipeline_store.pipeline_ref(client) if pipeline else None
    for attempt in range(MAX_ATTEMPTS):
        seen = _read(client, ref, entry_ref, pipeline_ref, call)
        decision = decide(seen)
        if isinstance(decision, Skip):
            return Result(seen.customer or {}, decision.value)
        batch = client.batch()
        batch.update(
            ref,
            {**decision.updates, "updatedAt": SERVER_TIMESTAMP},
            option=client.write_option(last_update_time=seen.update_time),
        )
        batch.create(entry_ref, decision.entry)
        if pipeline:
            # The stage was checked against this pipeline: if the owner has saved another
            # since (removing that stage, say), nothing lands and the move is decided again.
            pipeline_store.guard(client, batch, seen.pipeline_version)
        for event in decision.events:
            domain_events.add(client, batch, key, entry_id, event)
        try:
            batch.commit(**call)
        except (AlreadyExists, FailedPrecondition, NotFound):
            # Someone wrote in between (or this very request did, before a retry):
            # decide again on what is there now.
            time.sleep(random.uniform(0, 0.01 * (attempt + 1)))
            continue
        # Read back rather than compute: the stored updatedAt is the server's clock,
        # which the client must echo exactly on its next change.
        after = ref.get(**call)
        return Result(after.to_dict() or {}, "applied")
    raise ContentionError(f"customer {key} stayed contended for {MAX_ATTEMPTS} attempts")


def _read(client: Any, ref: Any, entry_ref: Any, pipeline_ref: Any, call: dict[str, Any]) -> Seen:
    """Customer, entry and pipeline in one round trip."""
    refs = [ref, entry_ref] + ([pipeline_ref] if pipeline_ref is not None else [])
    found = {snapshot.reference.path: snapshot for snapshot in client.get_all(refs, **call)}
    customer = found.get(ref.path)
    entry = found.get(entry_ref.path)
    settings = found.get(pipeline_ref.path) if pipeline_ref is not None else None
    exists = customer is not None and customer.exists
    return Seen(
        customer=(customer.to_dict() or {}) if exists else None,
        update_time=customer.update_time if exists else None,
        entry=(entry.to_dict() or {}) if entry is not None and entry.exists else None,
        pipeline=(settings.to_dict() or {}) if settings is not None and settings.exists else None,
        pipeline_version=settings.update_time if settings is not None and settings.exists else None,
    )
