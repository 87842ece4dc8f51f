"""Erasing one person: every document that names them, in resumable steps.

``erasures/{id}`` is both the job and, once done, the receipt the owner keeps:
``{state: erasing|done, at, finishedAt, by {uid, email}, hint, request, pseudonym,
counts {timeline, bookings, calendarEvents, tasks, messages, aliases, events},
problems [...], suppressions [keys]}``. It never holds the e-mail or the name (``hint``
is a masked e-mail such as ``a•••@e•••.org``).

Each step deletes (or, for events, renames) one page of documents and adds how many
to the receipt's counts in the same batch, so a run stopped anywhere and started again
counts each document once and finds only what is left. The customer document goes
last, in one commit with the suppressions and the receipt's ``done``: until then the
person is still visible in full, so there is never a half-erased customer on the page
without the job that will finish it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from hearth.store import deal_reports, merges, privacy_requests, suppressions, tasks
from hearth.store import events as domain_events
from hearth.store import timeline as activity
from hearth.store.bookings import COLLECTION as BOOKINGS
from hearth.store.calls import call_options
from hearth.store.consumers import CLOCKS
from hearth.store.customers import COLLECTION as CUSTOMERS

COLLECTION = "erasures"
MESSAGES = "messages"
ALIASES = "aliases"
PAGE = 400
ERASING, DONE = "erasing", "done"
# merges: merge records hold copies of both customers; dismissals: "not the same person"
# pairs name both keys.
STEPS = ("timeline", "tasks", "messages", "aliases", "merges", "dismissals")


def ref(client: Any, erasure_id: str) -> Any:
    return client.collection(COLLECTION).document(erasure_id)


def get(client: Any, erasure_id: str, timeout: float) -> dict[str, Any] | None:
    snapshot = ref(client, erasure_id).get(**call_options(timeout))
    return (snapshot.to_dict() or {}) if snapshot.exists else None


def begin(client: Any, erasure_id: str, document: dict[str, Any], timeout: float) -> None:
    """Create the job; a job that exists already (a resumed run) is left as it is."""
    from google.api_core.exceptions import AlreadyExists

    try:
        ref(client, erasure_id).create(document, **call_options(timeout))
    except AlreadyExists:
        return


def customer(client: Any, key: str, timeout: float) -> dict[str, Any] | None:
    snapshot = client.collection(CUSTOMERS).document(key).get(**call_options(timeout))
    return (snapshot.to_dict() or {}) if snapshot.exists else None


def bookings_of(client: Any, key: str, timeout: float) -> list[tuple[str, dict[str, Any]]]:
    """(id, booking) of every call booked for the customer, cancelled ones included."""
    from google.cloud.firestore import FieldFilter

    query = client.collection(BOOKINGS).where(filter=FieldFilter("customerKey", "==", key))
    return [(s.id, s.to_dict() or {}) for s in query.stream(**call_options(timeout))]


def drop_booking(
    client: Any,
    erasure_id: str,
    booking_id: str,
    deleted_event: bool,
    problem: str | None,
    timeout: float,
) -> None:
    """Delete one (already cancelled) booking and count it, with its calendar event."""
    from google.cloud.firestore import ArrayUnion, Increment

    counts: dict[str, Any] = {"counts.bookings": Increment(1)}
    if deleted_event:
        counts["counts.calendarEvents"] = Increment(1)
    if problem:
        counts["problems"] = ArrayUnion([problem])
    batch = client.batch()
    batch.delete(client.collection(BOOKINGS).document(booking_id))
    batch.update(ref(client, erasure_id), counts)
    batch.commit(**call_options(timeout))


def _query(client: Any, step: str, key: str) -> Any:
    from google.cloud.firestore import FieldFilter

    if step == "timeline":
        return activity.entries(client, key)
    if step == "tasks":
        return tasks.customer_query(client, key)
    if step == "merges":
        return merges.records_of(client, key)
    if step == "dismissals":
        return merges.dismissals_of(client, key)
    collection = MESSAGES if step == "messages" else ALIASES
    return client.collection(collection).where(filter=FieldFilter("customer", "==", key))


def delete_page(client: Any, erasure_id: str, step: str, key: str, timeout: float) -> int:
    """Delete up to PAGE documents of one step (timeline, tasks, messages, aliases, merge
    records, dismissed pairs) and
    count them on the receipt, in one batch; answers how many (0: the step is done)."""
    from google.cloud.firestore import Increment

    call = call_options(timeout)
    refs = [s.reference for s in _query(client, step, key).limit(PAGE).stream(**call)]
    if not refs:
        return 0
    batch = client.batch()
    for found in refs:
        batch.delete(found)
    batch.update(ref(client, erasure_id), {f"counts.{step}": Increment(len(refs))})
    batch.commit(**call)
    return len(refs)


def pseudonymise_page(
    client: Any,
    erasure_id: str,
    key: str,
    pseudonym: str,
    timeout: float,
    names: Sequence[str] = (),
) -> int:
    """Rename up to PAGE of the key's events to the pseudonym, counted on the receipt."""
    from google.cloud.firestore import Increment

    found = domain_events.of_customer_page(client, key, PAGE, timeout)
    if not found:
        return 0
    batch = client.batch()
    domain_events.pseudonymise(batch, found, pseudonym, names or (key,))
    batch.update(ref(client, erasure_id), {"counts.events": Increment(len(found))})
    batch.commit(**call_options(timeout))
    return len(found)


def finish(
    client: Any,
    erasure_id: str,
    key: str,
    suppression_keys: Iterable[str],
    request_id: str | None,
    at: datetime,
    timeout: float,
) -> None:
    """The last commit: the customer and what is keyed by them go, the suppressions are
    written and the receipt says done, together (a request is marked done with them)."""
    batch = client.batch()
    batch.delete(client.collection(CUSTOMERS).document(key))
    batch.delete(client.collection(CLOCKS).document(key))
    batch.delete(deal_reports.customer_ref(client, key))
    for suppression in suppression_keys:
        suppressions.put(batch, client, suppression, at=at, erasure=erasure_id)
    batch.update(ref(client, erasure_id), {"state": DONE, "finishedAt": at})
    if request_id:
        batch.update(
            privacy_requests.ref(client, request_id),
            privacy_requests.done_fields(at, erasure_id),
        )
    batch.commit(**call_options(timeout))


def person(client: Any, key: str, timeout: float) -> dict[str, Any] | None:
    """Everything stored about one customer, for their export: the record, and each
    document that names them (timeline, bookings, tasks, messages, events, the events
    of any record merged into them), each with its id; None for no such customer."""
    call = call_options(timeout)
    found = customer(client, key, timeout)
    if found is None:
        return None

    def listed(query: Any) -> list[dict[str, Any]]:
        return [{"id": s.id, **(s.to_dict() or {})} for s in query.stream(**call)]

    merged = found.get("mergedFrom")
    keys = [key, *(k for k in merged if isinstance(k, str))] if isinstance(merged, list) else [key]
    events: list[dict[str, Any]] = []
    for each in keys:
        events.extend(domain_events.of_customer(client, each, timeout))
    return {
        "customer": found,
        "timeline": listed(_query(client, "timeline", key)),
        "bookings": [{"id": bid, **doc} for bid, doc in bookings_of(client, key, timeout)],
        "tasks": listed(_query(client, "tasks", key)),
        "messages": listed(_query(client, "messages", key)),
        "events": events,
    }
