"""Lead routing in the store: the settings, the pending queue, the pointers and the lease.

A new customer is created with ``routing: "pending"``; the router takes up to a batch
of them (oldest first) and, in ONE transaction with the round-robin pointers
(``routing_state/{ruleId}``), gives each its owner, its timeline entry and its
``owner.changed`` event, and clears the marker. The customer is read in that
transaction, so one routed meanwhile (or assigned by hand) is seen as such: nothing is
routed twice, and the pointers move exactly as the owners were given.

Who runs it is decided by a short lease (``routing_state/_lease``, taken with a
create, so exactly one request holds it): intake's hot path never waits on the
pointers, and a burst is routed by one request in creation order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hearth.store import events as domain_events
from hearth.store import timeline as activity
from hearth.store.calls import call_options

CUSTOMERS = activity.CUSTOMERS

SETTINGS, DOCUMENT = "settings", "routing"
STATE = "routing_state"
LEASE = "_lease"
LEASE_FOR = timedelta(seconds=30)
PENDING, DONE, MANUAL = "pending", "done", "manual"
ROUTED_ENTRY = "routed"  # the timeline entry's id and the event's change id: once per customer
BATCH = 100
NO_RULES = "no routing rules"


def settings_ref(client: Any) -> Any:
    return client.collection(SETTINGS).document(DOCUMENT)


def has_rules(document: Mapping[str, Any]) -> bool:
    """Whether stored settings route anyone: without, a new customer is not even pending."""
    return bool(document.get("rules") or document.get("fallback"))


def read_settings(client: Any, timeout: float) -> dict[str, Any] | None:
    snapshot = client.collection(SETTINGS).document(DOCUMENT).get(**call_options(timeout))
    return (snapshot.to_dict() or {}) if snapshot.exists else None


def save_settings(client: Any, document: dict[str, Any], timeout: float) -> None:
    """Replace the whole document: the owner sends every rule each time."""
    client.collection(SETTINGS).document(DOCUMENT).set(document, **call_options(timeout))


def read_team(client: Any, timeout: float) -> dict[str, dict[str, Any]]:
    """The team directory by uid (a small collection: read whole)."""
    return {
        snapshot.id: snapshot.to_dict() or {}
        for snapshot in client.collection("team").stream(**call_options(timeout))
    }


def read_pointers(client: Any, ids: list[str], timeout: float) -> dict[str, dict[str, Any]]:
    """The pointers as they stand (the preview's starting point); outside a transaction."""
    refs = [client.collection(STATE).document(i) for i in dict.fromkeys(ids)]
    if not refs:
        return {}
    return {
        s.id: s.to_dict() or {} for s in client.get_all(refs, **call_options(timeout)) if s.exists
    }


def pointers_in(transaction: Any, client: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The pointers read inside ``transaction`` (so moving them is serialised)."""
    refs = [client.collection(STATE).document(i) for i in dict.fromkeys(ids)]
    if not refs:
        return {}
    return {s.id: s.to_dict() or {} for s in transaction.get_all(refs) if s.exists}


def set_pointer(transaction: Any, client: Any, pointer: str, document: dict[str, Any]) -> None:
    from google.cloud.firestore import SERVER_TIMESTAMP

    transaction.set(
        client.collection(STATE).document(pointer), {**document, "updatedAt": SERVER_TIMESTAMP}
    )


def pending_keys(client: Any, limit: int, timeout: float) -> list[str]:
    """The oldest pending customers' keys (at most ``limit``)."""
    from google.cloud.firestore import FieldFilter

    query = (
        client.collection(CUSTOMERS)
        .where(filter=FieldFilter("routing", "==", PENDING))
        .order_by("createdAt")
        .limit(limit)
    )
    return [s.id for s in query.select(["createdAt"]).stream(**call_options(timeout))]


@dataclass(frozen=True)
class Assignment:
    """What the router decided for one pending customer."""

    key: str
    uid: str | None
    rule: str | None
    reason: str
    names: Mapping[str, str]  # uid -> name, for the timeline's words
    noted: bool = True  # False when no rules exist: nothing happened worth a timeline line


Decide = Callable[
    [list[tuple[str, dict[str, Any]]], dict[str, dict[str, Any]]],
    tuple[list[Assignment], dict[str, dict[str, Any]]],
]


def route_batch(
    client: Any, keys: list[str], pointer_ids: list[str], decide: Decide, timeout: float
) -> tuple[list[Assignment], int]:
    """Route ``keys`` in one transaction: read them and the pointers, let ``decide``
    choose (customers still pending and unowned, in the order given), write owners,
    entries, events and pointers. Answers the assignments and how many were found
    assigned by hand (marked manual)."""
    from google.cloud import firestore
    from google.cloud.firestore import SERVER_TIMESTAMP

    refs = [client.collection(CUSTOMERS).document(key) for key in keys]

    @firestore.transactional
    def run(transaction: Any) -> tuple[list[Assignment], int]:
        found = {s.id: s for s in transaction.get_all(refs)}
        pointers = pointers_in(transaction, client, pointer_ids)
        todo: list[tuple[str, dict[str, Any]]] = []
        manual = 0
        for key in keys:
            snapshot = found.get(key)
            if snapshot is None or not snapshot.exists:
                continue
            customer = snapshot.to_dict() or {}
            if customer.get("routing") != PENDING:
                continue
            if customer.get("ownerUid"):
                transaction.update(snapshot.reference, {"routing": MANUAL})
                manual += 1
                continue
            todo.append((key, customer))
        assignments, moved = decide(todo, pointers)
        for assignment in assignments:
            ref = client.collection(CUSTOMERS).document(assignment.key)
            routed_by = {"rule": assignment.rule, "reason": assignment.reason}
            updates: dict[str, Any] = {"routing": DONE, "routedBy": routed_by}
            if assignment.uid is not None:
                updates.update(
                    {
                        "ownerUid": assignment.uid,
                        "assignedAt": SERVER_TIMESTAMP,
                        "updatedAt": SERVER_TIMESTAMP,
                    }
                )
            transaction.update(ref, updates)
            if not assignment.noted:
                continue
            transaction.create(
                activity.entry_ref(client, assignment.key, ROUTED_ENTRY),
                activity.routed(
                    at=SERVER_TIMESTAMP,
                    uid=assignment.uid,
                    name=assignment.names.get(assignment.uid or "", None),
                    rule=assignment.rule,
                    reason=assignment.reason,
                ),
            )
            if assignment.uid is not None:
                domain_events.add(
                    client,
                    transaction,
                    assignment.key,
                    ROUTED_ENTRY,
                    domain_events.Event(
                        domain_events.OWNER_CHANGED,
                        SERVER_TIMESTAMP,
                        None,
                        assignment.uid,
                        {
                            "from": None,
                            "to": assignment.uid,
                            "reason": assignment.reason,
                            "rule": assignment.rule,
                        },
                    ),
                )
        for pointer, document in moved.items():
            set_pointer(transaction, client, pointer, document)
        return assignments, manual

    return run(client.transaction(max_attempts=20))


def take_lease(client: Any, holder: str, timeout: float, now: datetime | None = None) -> Any:
    """The lease's write time when this caller now holds it (created, or taken over from
    a holder whose time ran out: a crashed request must not stop routing for long), else
    None. The time guards the release, so it needs no read."""
    from google.api_core.exceptions import AlreadyExists, FailedPrecondition, NotFound

    when = now or datetime.now(UTC)
    ref = client.collection(STATE).document(LEASE)
    body = {"holder": holder, "expiresAt": when + LEASE_FOR}
    call = call_options(timeout)
    try:
        return ref.create(body, **call).update_time
    except AlreadyExists:
        pass
    snapshot = ref.get(**call)
    if not snapshot.exists:
        return None  # released just now: the releaser looks for pending once more
    expires = (snapshot.to_dict() or {}).get("expiresAt")
    if isinstance(expires, datetime) and expires > when:
        return None
    try:
        option = client.write_option(last_update_time=snapshot.update_time)
        return ref.set(body, option=option, **call).update_time
    except (FailedPrecondition, NotFound):
        return None


def release_lease(client: Any, taken: Any, timeout: float) -> None:
    """Give the lease up, unless someone took it over after it ran out (then its write
    time is no longer the one we took it with)."""
    from google.api_core.exceptions import FailedPrecondition, NotFound

    ref = client.collection(STATE).document(LEASE)
    try:
        ref.delete(option=client.write_option(last_update_time=taken), **call_options(timeout))
    except (FailedPrecondition, NotFound):
        return
