"""Booked calls in the store: one slot, one person, whatever the load.

Two visitors pressing "Book" for the same time must never both hold it. A read-then-
write transaction would serialise them but mostly fail under contention on this
database (see customers.py), so the slot itself is claimed: every five-minute cell of
[start, end + buffer) is a slotLocks document created in the same atomic batch as the
booking and its timeline entry. Creates fail when the document exists, so of any
number of overlapping requests exactly one batch commits and the others learn the time
is taken; no call ends up closer to another than the buffer. The booking.created and
booking.cancelled events go in the same batches (store/events.py).

Cancelling deletes the booking's cells and rescheduling swaps them, each in one batch
with the booking change, guarded by the booking's update time.

Free times are public (every visitor who opens the widget, and every bot, asks), so they
must not cost one read per booked call. Each UTC day the calls touch has one busyDays
document holding every confirmed call of that day, keyed by booking id, written in the
same batch as the booking, its cancel or its move: only the batch that won the slot
cells commits, so the day documents say exactly what the confirmed bookings say, and
free times read one document per day whatever the number of calls. UTC rather than the
owner's zone because the owner may change their zone and a booking link may carry its
own, while a UTC day never moves (nor has 23 or 25 hours).
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hearth.errors import FIX_FIELDS, Conflict, Invalid, NotFound
from hearth.rules import slots
from hearth.rules.slots import MeetingType
from hearth.store import events as domain_events
from hearth.store import timeline
from hearth.store.calls import ContentionError, call_options
from hearth.store.customers import COLLECTION as CUSTOMERS

log = logging.getLogger(__name__)

COLLECTION = "bookings"
LOCKS = "slotLocks"
BUSY_DAYS = "busyDays"
# Slot cells and busy days are only ever read for times still to come: each carries the
# moment after which the TTL policy may delete it.
EXPIRES = "expiresAt"
KEEP_PAST = timedelta(days=1)
SETTINGS, SETTINGS_DOCUMENT = "settings", "booking"
LINKS = "bookingLinks"
CONFIRMED = "confirmed"
CANCELLED = "cancelled"
MAX_ATTEMPTS = 10
# A call's [start, end), as the busy days hold it.
Span = tuple[datetime, datetime]


SLOT_TAKEN = "Sorry, that time was just taken. Please pick another."
NO_BOOKING = "There is no booking here that you may see."


class SlotTakenError(Conflict):
    """Someone else holds (part of) this time: the visitor picks another, nothing is lost."""

    def __init__(self) -> None:
        super().__init__(
            SLOT_TAKEN, {"start": "Someone booked this time a moment ago."}, code="slot_taken"
        )


class IdReusedError(Invalid):
    """A submission id already names a different booking: a client bug, not a retry."""

    def __init__(self) -> None:
        super().__init__(
            {"submission_id": "This id was already used for a different booking: make a new one."},
            FIX_FIELDS,
        )


class NotFoundError(NotFound):
    """No such booking; said the same way as "not yours", so ids reveal nothing."""

    def __init__(self) -> None:
        super().__init__(NO_BOOKING)


class CancelledError(Conflict):
    """A cancelled booking cannot move: book a new one instead."""

    def __init__(self) -> None:
        super().__init__(
            "This call was cancelled, so it cannot be moved. Please book a new one.",
            code="cancelled",
        )


@dataclass(frozen=True)
class NewBooking:
    id: str
    customer_key: str
    email: str
    name: str | None
    owner_uid: str | None
    start: datetime
    end: datetime
    tz: str
    hours_time_zone: str
    meeting: MeetingType
    source: str
    notes: str | None
    submission_id: str
    actor: dict[str, Any]
    video_link: str | None
    calendar_connected: bool


def lock_id(cell: datetime) -> str:
    return cell.astimezone(UTC).strftime("%Y%m%dT%H%MZ")


def lock_document(booking_id: str, lock: str) -> dict[str, Any]:
    """A cell guards its time only until that time has passed: a day later Firestore's
    TTL policy (deploy/functions.toml) deletes it, so past cells never pile up."""
    cell = datetime.strptime(lock, "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
    return {"bookingId": booking_id, EXPIRES: cell + KEEP_PAST}


def lock_ids(start: datetime, end: datetime, buffer_minutes: int) -> list[str]:
    return [lock_id(cell) for cell in slots.lock_cells(start, end, buffer_minutes)]


def booking_id(submission_id: str) -> str:
    """The booking's id is the client's submission id, so a retry finds its booking."""
    return f"bk_{submission_id}"


def new_document(new: NewBooking, locks: list[str], at: datetime) -> dict[str, Any]:
    return {
        "customerKey": new.customer_key,
        "customerEmail": new.email,
        "customerName": new.name or new.email,
        "ownerUid": new.owner_uid,
        "start": new.start,
        "end": new.end,
        "tz": new.tz,
        "hoursTimeZone": new.hours_time_zone,
        "type": new.meeting.id,
        "typeLabel": new.meeting.label,
        "minutes": new.meeting.minutes,
        "status": CONFIRMED,
        "videoLink": new.video_link,
        "calendarEventId": None,
        "calendar": {
            "state": "pending" if new.calendar_connected else "off",
            "attempts": 0,
            "lastError": None,
            # Fresh per booking; reused by every retry so Google makes one Meet room.
            "requestId": uuid.uuid4().hex,
        },
        "source": new.source,
        "notes": new.notes,
        "submissionId": new.submission_id,
        "sequence": 0,
        "lockIds": locks,
        "actor": new.actor,
        "createdAt": at,
        "updatedAt": at,
    }


def timeline_entry(kind: str, booking_id: str, booking: Mapping[str, Any], **extra: Any) -> dict:
    """What the customer's timeline says about a call: enough to read without the booking."""
    return {
        "type": kind,
        "at": extra.pop("at"),
        "bookingId": booking_id,
        "start": booking["start"],
        "end": booking["end"],
        "tz": booking.get("tz"),
        "bookingType": booking.get("type"),
        "typeLabel": booking.get("typeLabel"),
        "videoLink": booking.get("videoLink"),
        "source": booking.get("source"),
        "notes": booking.get("notes"),
        "actor": extra.pop("actor", booking.get("actor")),
        **extra,
    }


def create(
    client: Any, new: NewBooking, buffer_minutes: int, timeout: float
) -> tuple[dict[str, Any], bool]:
    """(booking, created): the booking as stored, and False when this was a retry."""
    from google.api_core.exceptions import AlreadyExists
    from google.api_core.exceptions import Conflict as Contended

    call = call_options(timeout)
    at = datetime.now(UTC)
    locks = lock_ids(new.start, new.end, buffer_minutes)
    document = new_document(new, locks, at)
    ref = client.collection(COLLECTION).document(new.id)
    batch = client.batch()
    batch.create(ref, document)
    for lock in locks:
        batch.create(client.collection(LOCKS).document(lock), lock_document(new.id, lock))
    entry = timeline.entry_ref(client, new.customer_key, f"booking_{new.id}")
    batch.create(entry, timeline_entry("booking", new.id, document, at=at))
    event = _event(domain_events.BOOKING_CREATED, new.id, document, at, new.actor)
    domain_events.add(client, batch, new.customer_key, entry.id, event)
    _write_busy_days(client, batch, {new.id: (None, (new.start, new.end))})
    try:
        batch.commit(**call)
        return document, True
    except (AlreadyExists, Contended):
        pass
    snapshot = ref.get(**call)
    if not snapshot.exists:
        raise SlotTakenError()
    stored = snapshot.to_dict() or {}
    if stored.get("customerKey") != new.customer_key or stored.get("start") != new.start:
        raise IdReusedError()
    return stored, False


def find(client: Any, booking_id: str, timeout: float) -> tuple[dict[str, Any], Any] | None:
    """(booking, its update time), or None when there is no such booking."""
    snapshot = client.collection(COLLECTION).document(booking_id).get(**call_options(timeout))
    if not snapshot.exists:
        return None
    return snapshot.to_dict() or {}, snapshot.update_time


def get(client: Any, booking_id: str, timeout: float) -> tuple[dict[str, Any], Any]:
    """(booking, its update time); NotFoundError when there is none."""
    found = find(client, booking_id, timeout)
    if found is None:
        raise NotFoundError()
    return found


def cancel(
    client: Any,
    booking_id: str,
    actor: dict[str, Any],
    reason: str | None,
    calendar_connected: bool,
    timeout: float,
) -> tuple[dict[str, Any], bool]:
    """(booking, changed). Cancelling a cancelled booking is a safe no-op (a retry)."""

    def change(booking: dict[str, Any], at: datetime) -> Change | None:
        if booking.get("status") == CANCELLED:
            return None
        updates = {
            "status": CANCELLED,
            "cancelledAt": at,
            "cancelReason": reason,
            "sequence": int(booking.get("sequence") or 0) + 1,
            "lockIds": [],
            "updatedAt": at,
            **_calendar_pending(booking, calendar_connected),
        }
        entry = timeline_entry(
            "booking_cancelled", booking_id, booking, at=at, actor=actor, reason=reason
        )
        return Change(
            updates,
            creates=[],
            deletes=list(booking.get("lockIds") or []),
            entry=entry,
            busy=(_interval_of(booking), None),
            events=(_event(domain_events.BOOKING_CANCELLED, booking_id, booking, at, actor),),
        )

    return _guarded(client, booking_id, change, timeout)


def reschedule(
    client: Any,
    booking_id: str,
    start: datetime,
    end: datetime,
    tz: str | None,
    buffer_minutes: int,
    actor: dict[str, Any],
    calendar_connected: bool,
    timeout: float,
) -> tuple[dict[str, Any], bool]:
    """(booking, changed). Moving to where it already is answers as done (a retry)."""

    def change(booking: dict[str, Any], at: datetime) -> Change | None:
        if booking.get("status") == CANCELLED:
            raise CancelledError()
        if booking.get("start") == start and booking.get("end") == end:
            return None
        old = list(booking.get("lockIds") or [])
        new = lock_ids(start, end, buffer_minutes)
        updates = {
            "start": start,
            "end": end,
            "tz": tz or booking.get("tz"),
            "sequence": int(booking.get("sequence") or 0) + 1,
            "lockIds": new,
            "updatedAt": at,
            **_calendar_pending(booking, calendar_connected),
        }
        entry = timeline_entry(
            "booking_rescheduled",
            booking_id,
            {**booking, **updates},
            at=at,
            actor=actor,
            previous={"start": booking.get("start"), "end": booking.get("end")},
        )
        return Change(
            updates,
            creates=[lock for lock in new if lock not in old],
            deletes=[lock for lock in old if lock not in new],
            entry=entry,
            busy=(_interval_of(booking), (start, end)),
        )

    return _guarded(client, booking_id, change, timeout)


def _calendar_pending(booking: Mapping[str, Any], connected: bool) -> dict[str, Any]:
    """A change the calendar has not seen yet; nothing to do when none is connected and
    the booking never reached one."""
    if not connected and not booking.get("calendarEventId"):
        return {}
    return {"calendar.state": "pending"}


@dataclass(frozen=True)
class Change:
    updates: dict[str, Any]
    creates: list[str]
    deletes: list[str]
    entry: dict[str, Any]
    # (before, after) for the busy days: None where the booking holds no time.
    busy: tuple[Span | None, Span | None]
    events: tuple[domain_events.Event, ...] = ()


def _event(
    kind: str, booking_id: str, booking: Mapping[str, Any], at: datetime, actor: Mapping[str, Any]
) -> domain_events.Event:
    """booking.created / booking.cancelled, owned like the booking (the rep it names)."""
    return domain_events.Event(
        kind,
        at,
        domain_events.by_actor(actor),
        booking.get("ownerUid"),
        {"booking": booking_id, "start": booking["start"], "type": booking.get("type")},
    )


def _guarded(
    client: Any, booking_id: str, decide: Any, timeout: float
) -> tuple[dict[str, Any], bool]:
    from google.api_core.exceptions import AlreadyExists, FailedPrecondition
    from google.api_core.exceptions import Conflict as Contended

    call = call_options(timeout)
    ref = client.collection(COLLECTION).document(booking_id)
    for attempt in range(MAX_ATTEMPTS):
        booking, updated = get(client, booking_id, timeout)
        at = datetime.now(UTC)
        change = decide(booking, at)
        if change is None:
            return booking, False
        batch = client.batch()
        batch.update(ref, change.updates, option=client.write_option(last_update_time=updated))
        for lock in change.creates:
            batch.create(client.collection(LOCKS).document(lock), lock_document(booking_id, lock))
        for lock in change.deletes:
            batch.delete(client.collection(LOCKS).document(lock))
        _write_busy_days(client, batch, {booking_id: change.busy})
        entry_id = f"{change.entry['type']}_{booking_id}_{change.updates['sequence']}"
        batch.set(timeline.entry_ref(client, booking["customerKey"], entry_id), change.entry)
        for event in change.events:  # set, like the entry: the guard makes it once
            domain_events.add(client, batch, booking["customerKey"], entry_id, event, create=False)
        try:
            batch.commit(**call)
        except (AlreadyExists, Contended):
            raise SlotTakenError() from None
        except FailedPrecondition:
            time.sleep(random.uniform(0, 0.01 * (attempt + 1)))
            continue
        merged = dict(booking)
        for name, value in change.updates.items():
            if name.startswith("calendar."):
                merged["calendar"] = {**(booking.get("calendar") or {}), "state": value}
            else:
                merged[name] = value
        return merged, True
    # The detail is for the log; the caller is told what every store outage tells them.
    log.warning("booking %s stayed contended for %d attempts", booking_id, MAX_ATTEMPTS)
    raise ContentionError()


def busy_between(
    client: Any, start: datetime, end: datetime, timeout: float
) -> list[slots.Interval]:
    """Confirmed calls that touch [start, end): nobody may be booked into them.

    One read per UTC day of [start, end) (a missing day is a day without calls, and is
    billed a read too), however many calls there are: a call is in every day it touches,
    so the days of the window hold every call that touches the window.
    """
    refs = [client.collection(BUSY_DAYS).document(day) for day in busy_days(start, end)]
    found: dict[str, slots.Interval] = {}
    for snapshot in client.get_all(refs, **call_options(timeout)):
        for booking_id, call in _calls(snapshot).items():
            if call["start"] < end and call["end"] > start:
                found[booking_id] = slots.Interval(call["start"], call["end"])
    return sorted(found.values(), key=lambda call: (call.start, call.end))


def busy_days(start: datetime, end: datetime) -> list[str]:
    """The ids of the UTC days [start, end) touches (its first day when it is empty)."""
    first = start.astimezone(UTC).date()
    last = max(first, (end.astimezone(UTC) - timedelta(microseconds=1)).date())
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def busy_day_calls(client: Any, day: str, timeout: float) -> dict[str, Span]:
    """One day's calls as its busyDays document holds them, by booking id."""
    snapshot = client.collection(BUSY_DAYS).document(day).get(**call_options(timeout))
    return {
        booking_id: (call["start"], call["end"]) for booking_id, call in _calls(snapshot).items()
    }


def _calls(snapshot: Any) -> dict[str, Any]:
    if not snapshot.exists:
        return {}
    return (snapshot.to_dict() or {}).get("calls") or {}


def _interval_of(booking: Mapping[str, Any]) -> Span | None:
    if booking.get("status") != CONFIRMED:
        return None
    return booking["start"], booking["end"]


def _write_busy_days(
    client: Any, batch: Any, changes: Mapping[str, tuple[Span | None, Span | None]]
) -> None:
    """Add each booking's (before, after) change to the batch: one merge per day touched,
    setting the call's entry where it now is and deleting it where it no longer is.
    Keyed by booking id, so writing it again, or deleting what is not there, changes
    nothing: a retry cannot double or lose a call."""
    from google.cloud.firestore import DELETE_FIELD

    days: dict[str, dict[str, Any]] = {}
    for booking_id, (before, after) in changes.items():
        now = set(busy_days(*after)) if after else set()
        for day in set(busy_days(*before)) if before else set():
            if day not in now:
                days.setdefault(day, {})[booking_id] = DELETE_FIELD
        for day in now:
            assert after is not None
            days.setdefault(day, {})[booking_id] = {"start": after[0], "end": after[1]}
    for day, calls in sorted(days.items()):
        expires = datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(days=1) + KEEP_PAST
        batch.set(
            client.collection(BUSY_DAYS).document(day),
            {"calls": calls, EXPIRES: expires},
            merge=True,
        )


def put(client: Any, documents: Mapping[str, Mapping[str, Any]], timeout: float) -> None:
    """Store bookings as they are given, with their busy days, in one batch.

    For the local stack's sample data, the tests and the benchmarks, which store calls
    without booking them: a call stored any other way would be invisible to free times.
    A stored call is put in the days it now touches; one moved by storing it again keeps
    its old days (move calls with reschedule).
    """
    batch = client.batch()
    changes: dict[str, tuple[Span | None, Span | None]] = {}
    for booking_id, document in documents.items():
        batch.set(client.collection(COLLECTION).document(booking_id), dict(document))
        span = (document["start"], document["end"])
        confirmed = document.get("status") == CONFIRMED
        changes[booking_id] = (span, span) if confirmed else (span, None)
    _write_busy_days(client, batch, changes)
    batch.commit(**call_options(timeout))


def follow_customer(
    client: Any, customer_key: str, customer: Mapping[str, Any], timeout: float
) -> int:
    """Copy the customer's owner and name onto their calls (the rules let a rep read a
    booking by its ownerUid; the calendar shows the name); answers how many changed.
    Repeating it changes nothing."""
    from google.cloud.firestore import FieldFilter

    wanted = {
        "ownerUid": customer.get("ownerUid"),
        "customerName": customer.get("name") or customer.get("email"),
    }
    query = client.collection(COLLECTION).where(
        filter=FieldFilter("customerKey", "==", customer_key)
    )
    changed = 0
    batch = client.batch()
    for snapshot in query.stream(**call_options(timeout)):
        data = snapshot.to_dict() or {}
        updates = {name: value for name, value in wanted.items() if data.get(name) != value}
        if updates:
            batch.update(snapshot.reference, updates)
            changed += 1
    if changed:
        batch.commit(**call_options(timeout))
    return changed


def pending_calendar(client: Any, limit: int, timeout: float) -> list[str]:
    """Ids of bookings whose calendar copy is behind (the scheduled sync's work list)."""
    from google.cloud.firestore import FieldFilter

    query = (
        client.collection(COLLECTION)
        .where(filter=FieldFilter("calendar.state", "==", "pending"))
        .limit(limit)
    )
    return [snapshot.id for snapshot in query.stream(**call_options(timeout))]


def update_unless_changed(
    client: Any, booking_id: str, updates: dict[str, Any], updated: Any, timeout: float
) -> bool:
    """Apply ``updates`` only if the booking is as it was at ``updated``; False when it
    moved meanwhile (what Google was told may be stale: the caller looks again)."""
    from google.api_core.exceptions import FailedPrecondition

    ref = client.collection(COLLECTION).document(booking_id)
    try:
        ref.update(
            updates, option=client.write_option(last_update_time=updated), **call_options(timeout)
        )
    except FailedPrecondition:
        return False
    return True


def retry_calendar(client: Any, booking_id: str, timeout: float) -> None:
    """Put a call back in the calendar's queue with a fresh count of attempts."""
    client.collection(COLLECTION).document(booking_id).update(
        {"calendar.state": "pending", "calendar.attempts": 0}, **call_options(timeout)
    )


# The owner's booking settings and links; bookings.settings says what they mean.


def settings_document(client: Any, timeout: float) -> dict[str, Any] | None:
    snapshot = client.collection(SETTINGS).document(SETTINGS_DOCUMENT).get(**call_options(timeout))
    return snapshot.to_dict() if snapshot.exists else None


def save_settings(client: Any, document: dict[str, Any], timeout: float) -> None:
    client.collection(SETTINGS).document(SETTINGS_DOCUMENT).set(document, **call_options(timeout))


def link_document(client: Any, source: str, timeout: float) -> dict[str, Any] | None:
    snapshot = client.collection(LINKS).document(source).get(**call_options(timeout))
    return (snapshot.to_dict() or {}) if snapshot.exists else None


def save_link(client: Any, source: str, document: dict[str, Any], timeout: float) -> None:
    client.collection(LINKS).document(source).set(document, **call_options(timeout))


def delete_link(client: Any, source: str, timeout: float) -> None:
    client.collection(LINKS).document(source).delete(**call_options(timeout))


def customer(client: Any, key: str, timeout: float) -> dict[str, Any] | None:
    """The customer a call is booked for, as stored (its owner decides who may book)."""
    snapshot = client.collection(CUSTOMERS).document(key).get(**call_options(timeout))
    return snapshot.to_dict() if snapshot.exists else None
