"""Domain events (events/{id}): the one writer, like timeline.py is for the timeline.

An event says what the domain did (a customer created, a stage changed, a payment
recorded, a call booked or cancelled) so that automations and reports consume what
happened instead of re-reading the world to guess it. Two promises make that safe:

- an event is added to the very batch that makes the change, so a change that is
  refused, loses a race or fails leaves no event, and one that lands always has it;
- its id is derived from the change's own idempotent id (the timeline entry's), so a
  retried request or a replayed submission fails or repeats the same write and never
  adds a second event.

The customer's key is folded into the id because a client's request id is only unique
per customer (the timeline entry lives under the customer), while events share one
collection. Events are only ever created: the history they make must read the same
tomorrow (the one exception is an erasure, which replaces an erased person's key in
their events by a pseudonym: ``pseudonymise``).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hearth import config
from hearth.rules.roles import Principal
from hearth.store.calls import call_options

COLLECTION = "events"

CUSTOMER_CREATED = "customer.created"
STAGE_CHANGED = "stage.changed"
PAYMENT_RECORDED = "payment.recorded"
BOOKING_CREATED = "booking.created"
BOOKING_CANCELLED = "booking.cancelled"
OWNER_CHANGED = "owner.changed"
MESSAGE_RECEIVED = "message.received"
CUSTOMER_MERGED = "customer.merged"
CUSTOMER_UNMERGED = "customer.unmerged"

# The short name each type adds to its change's id: one change may cause several events.
SHORT = {
    CUSTOMER_CREATED: "created",
    STAGE_CHANGED: "stage",
    PAYMENT_RECORDED: "payment",
    BOOKING_CREATED: "booked",
    BOOKING_CANCELLED: "cancelled",
    OWNER_CHANGED: "owner",
    MESSAGE_RECEIVED: "received",
    CUSTOMER_MERGED: "merged",
    CUSTOMER_UNMERGED: "unmerged",
}


@dataclass(frozen=True)
class Event:
    """What happened, as the code that decided the change knows it; the id and the
    customer come from the write that carries it."""

    type: str
    at: Any  # a datetime, or SERVER_TIMESTAMP to share the commit's time
    by: dict[str, Any] | None  # {uid, role} of staff; None for a visitor
    owner_uid: str | None  # the customer's owner at that moment, which the rules check
    data: dict[str, Any] = field(default_factory=dict)


def event_id(customer_key: str, change_id: str, event_type: str) -> str:
    """The change's id, the event's short type and a digest of the customer's key.

    The digest is keyed with the privacy secret (HMAC-SHA-256): a document id cannot be
    renamed when the person is erased, and a plain hash of an address can be matched by
    anyone guessing addresses; without the secret this one cannot."""
    secret = config.load().privacy_secret.encode("utf-8")
    digest = hmac.new(secret, customer_key.encode("utf-8"), hashlib.sha256).hexdigest()[:12]
    return f"{change_id}.{SHORT[event_type]}.{digest}"


def by_principal(principal: Principal) -> dict[str, Any]:
    """Staff as events record them; the role at the time, since roles change later."""
    return {"uid": principal.uid, "role": principal.role.value if principal.role else None}


def by_actor(actor: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The timeline's actor ({kind, uid, role...}) as an event's ``by``: staff or nobody."""
    if not actor or actor.get("kind") != "staff":
        return None
    return {"uid": actor.get("uid"), "role": actor.get("role")}


def document(event_id_: str, customer_key: str, event: Event) -> dict[str, Any]:
    return {
        "id": event_id_,
        "type": event.type,
        "customer": customer_key,
        "at": event.at,
        "by": event.by,
        "ownerUid": event.owner_uid,
        "data": event.data,
    }


def add(
    client: Any,
    batch: Any,
    customer_key: str,
    change_id: str,
    event: Event,
    *,
    create: bool = True,
) -> str:
    """Put ``event`` in ``batch``, the commit of the change it records; answers its id.

    ``create`` (the default) fails the whole commit if the event exists, exactly as the
    timeline entry beside it does; ``create=False`` is for writers whose entry is set
    under a guard (bookings), where writing the same event again changes nothing.
    """
    identifier = event_id(customer_key, change_id, event.type)
    ref = client.collection(COLLECTION).document(identifier)
    body = document(identifier, customer_key, event)
    if create:
        batch.create(ref, body)
    else:
        batch.set(ref, body)
    return identifier


def of_customer(
    client: Any, customer_key: str, timeout: float, merged_from: list[str] | None = None
) -> list[dict[str, Any]]:
    """One customer's events, oldest first (the input of rules.history), with those of
    the records merged into it (``mergedFrom``): events are never rewritten, so a
    merged customer's history is read under every key it had (at most 30)."""
    from google.cloud.firestore import FieldFilter

    keys = [customer_key, *(merged_from or [])][:30]
    query = client.collection(COLLECTION).where(filter=FieldFilter("customer", "in", keys))
    found = [snapshot.to_dict() or {} for snapshot in query.stream(**call_options(timeout))]
    return sorted(found, key=lambda event: (event.get("at"), event.get("id")))


def of_customer_page(client: Any, customer_key: str, limit: int, timeout: float) -> list[Any]:
    """Up to ``limit`` of one customer's event snapshots, for an erasure to rename."""
    from google.cloud.firestore import FieldFilter

    query = client.collection(COLLECTION).where(filter=FieldFilter("customer", "==", customer_key))
    return list(query.limit(limit).stream(**call_options(timeout)))


def pseudonymise(
    batch: Any, snapshots: list[Any], pseudonym: str, names: Sequence[str] = ()
) -> None:
    """The one change an event ever takes: an erased person's key replaced by a name
    that points at nobody (``erased_<hex>``), in the erasure's batch, in ``customer`` and
    wherever the event's data names one of their keys (``names``: a merge's from and
    into). Everything else stays, so report figures rebuilt from the events still add
    up."""
    erased = set(names)
    for snapshot in snapshots:
        change: dict[str, Any] = {"customer": pseudonym}
        data = (snapshot.to_dict() or {}).get("data")
        if isinstance(data, Mapping) and any(v in erased for v in data.values()):
            change["data"] = {k: pseudonym if v in erased else v for k, v in data.items()}
        batch.update(snapshot.reference, change)


def after(
    client: Any, position: Mapping[str, Any] | None, until: Any, limit: int, timeout: float
) -> list[dict[str, Any]]:
    """Up to ``limit`` events after ``position`` ({at, id}, a consumer's cursor) and up
    to ``until``, in the order (at, document id) every consumer reads them in."""
    from google.cloud.firestore import FieldFilter
    from google.cloud.firestore_v1.field_path import FieldPath

    events = client.collection(COLLECTION)
    query = (
        events.where(filter=FieldFilter("at", "<=", until))
        .order_by("at")
        .order_by(FieldPath.document_id())
        .limit(limit)
    )
    if position:
        query = query.start_after(
            {"at": position["at"], FieldPath.document_id(): events.document(position["id"])}
        )
    return [snapshot.to_dict() or {} for snapshot in query.stream(**call_options(timeout))]


def between(
    client: Any, since: Any, until: Any, limit: int, timeout: float
) -> list[dict[str, Any]]:
    """Events from ``since`` to ``until``, oldest first, at most ``limit``."""
    from google.cloud.firestore import FieldFilter

    query = (
        client.collection(COLLECTION)
        .where(filter=FieldFilter("at", ">=", since))
        .where(filter=FieldFilter("at", "<=", until))
        .order_by("at")
        .limit(limit)
    )
    return [snapshot.to_dict() or {} for snapshot in query.stream(**call_options(timeout))]
