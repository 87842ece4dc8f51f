"""POST /book: a visitor (or staff, for them) books a call.

The person becomes (part of) a customer through the very same upsert as every form, so
a booking fills in a customer exactly like a contact form would; then the slot is
claimed and the booking stored in one batch (store/bookings.py says how two people can never
hold one time). Google Calendar is told afterwards and never decides whether the
booking stands: a calendar outage leaves the booking confirmed and the event pending.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, Field, field_validator

from hearth import calendar as google_calendar
from hearth import config, intake, routing
from hearth.bookings import view as booking_view
from hearth.bookings.availability import calendar_busy, load_rules, meeting_type
from hearth.bookings.settings import Instant, ZoneName
from hearth.errors import Forbidden, HearthError, Invalid, NotFound
from hearth.rules import emails, slots, sources
from hearth.rules.fields import ID_PATTERN, public_request
from hearth.rules.roles import Principal, Role
from hearth.store import bookings

REFUSALS = {
    slots.Refusal.PAST: "This time has passed: pick a time in the future.",
    slots.Refusal.TOO_SOON: "This time is too soon to book: pick a later time.",
    slots.Refusal.TOO_FAR: "This time is too far ahead to book yet: pick an earlier day.",
    slots.Refusal.OUTSIDE_HOURS: "This is not an open time for this call: pick one of the "
    "times offered.",
}


class BookingRequest(BaseModel):
    """One booking, as the booking widget (or the admin page) sends it."""

    model_config = public_request(
        "BookingRequest",
        {
            "email": "ana@example.org",
            "name": "Ana Borg",
            "mobile": "7912 3456",
            "start": "2026-11-24T09:00:00Z",
            "tz": "Europe/London",
            "type": "intro",
            "notes": "A new logo for our bakery.",
            "consent": True,
            "source": "spring-show-2026",
            "submission_id": "3f6c2a4e-5b1d-4c1e-9a7f-1d2e3f4a5b6c",
        },
    )

    email: Annotated[str, Field(max_length=320, json_schema_extra={"format": "email"})]
    start: Annotated[Instant, Field(description="The slot's start, ISO 8601 with Z or an offset.")]
    name: Annotated[str | None, Field(max_length=200)] = None
    mobile: Annotated[str | None, Field(max_length=40)] = None
    tz: Annotated[ZoneName, Field(description="The visitor's IANA time zone.")] = None
    type: Annotated[str | None, Field(max_length=40, description="Meeting type id.")] = None
    notes: Annotated[str | None, Field(max_length=2000)] = None
    consent: Annotated[bool | None, Field(description="Marketing consent given here.")] = None
    source: Annotated[str | None, Field(max_length=500)] = None
    page: Annotated[str | None, Field(max_length=2000)] = None
    submission_id: Annotated[
        str | None,
        Field(pattern=ID_PATTERN, description="Client-made id: a retry books once."),
    ] = None
    website: Annotated[str | None, Field(max_length=500, description="Honeypot.")] = None
    elapsed_ms: Annotated[int | None, Field(ge=0)] = None

    @field_validator("email")
    @classmethod
    def _valid_email(cls, value: str) -> str:
        return emails.normalise(value)

    @field_validator(
        "name", "mobile", "tz", "type", "notes", "source", "page", "submission_id", mode="before"
    )
    @classmethod
    def _blank_is_absent(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value


def check_staff(staff: Principal) -> Principal:
    """Staff booking for a customer are the owner or a rep; visitors send no sign-in."""
    if staff.role not in (Role.OWNER, Role.REP):
        raise Forbidden("Your role may not book calls for customers.")
    return staff


def refuse(refusal: slots.Refusal) -> HearthError:
    if refusal is slots.Refusal.BUSY:
        return bookings.SlotTakenError()
    return Invalid({"start": REFUSALS[refusal]})


def check_time(
    rules: slots.Rules,
    meeting: slots.MeetingType,
    start: datetime,
    settings: config.Settings,
    client: Any,
    *,
    notice: bool,
    own: slots.Interval | None = None,
) -> None:
    """400 for a time nobody may book, 409 for one that is taken (here or in Google)."""
    now = datetime.now(UTC)
    end = start + timedelta(minutes=meeting.minutes)
    refusal = slots.check(rules, meeting, start, [], now, notice=notice)
    if refusal is not None:
        raise refuse(refusal)
    margin = timedelta(minutes=rules.buffer_minutes)
    busy = bookings.busy_between(client, start - margin, end + margin, settings.store_timeout_s)
    google, _ = calendar_busy(settings, start - margin, end + margin, rules.time_zone.key)
    busy = [*busy, *google]
    if own is not None:
        busy = slots.subtract(busy, own)
    if slots.check(rules, meeting, start, busy, now, notice=notice) is slots.Refusal.BUSY:
        raise bookings.SlotTakenError()


def book(
    body: BookingRequest, submission_id: str, staff: Principal | None, settings: config.Settings
) -> tuple[str, dict[str, Any], bool]:
    from hearth.store import client as db

    client = db.client()
    timeout = settings.store_timeout_s
    stored, rules, _ = load_rules(client, settings, body.source)
    meeting = meeting_type(stored, body.type)
    key = emails.customer_key(body.email)
    booking_id = bookings.booking_id(submission_id)
    found = bookings.find(client, booking_id, timeout)
    if found is not None:  # a retry: answer with what was booked, even if now past
        existing, _ = found
        # (an address merged into another customer booked for the survivor: same e-mail)
        same_person = key in (existing.get("customerKey"), existing.get("customerEmail"))
        if not same_person or existing.get("start") != body.start:
            raise bookings.IdReusedError()
        return booking_id, existing, False
    customer = bookings.customer(client, key, timeout)
    rep = staff is not None and staff.role is Role.REP
    if rep and (customer is None or customer.get("ownerUid") != staff.uid):
        raise NotFound("You can book calls only for customers assigned to you.")
    check_time(rules, meeting, body.start, settings, client, notice=staff is None)
    by = actor(staff, visitor="public_form")
    source = sources.normalise(body.source or "booking")
    submission = intake.Submission(
        form="booking",
        email=body.email,
        name=body.name,
        mobile=body.mobile,
        message=body.notes,
        consent=body.consent,
        source=source,
        page=body.page,
        answers={"meetingType": meeting.id, "start": booking_view.iso_utc(body.start)},
        submission_id=submission_id,
    )
    outcome = intake.store(client, submission, submission_id, settings, actor=by if staff else None)
    # Routed inline, unlike a form (routed after its answer): the booking copies the
    # customer's owner onto the call just below, so its rep sees the call at once.
    if outcome.pending:
        routing.nudge(settings)
    key = outcome.key or key  # an address merged into another customer books for it
    customer = bookings.customer(client, key, timeout) or {}
    new = bookings.NewBooking(
        id=booking_id,
        customer_key=key,
        email=body.email,
        name=customer.get("name") or body.name,
        owner_uid=customer.get("ownerUid"),
        start=body.start,
        end=body.start + timedelta(minutes=meeting.minutes),
        tz=body.tz or rules.time_zone.key,
        hours_time_zone=rules.time_zone.key,
        meeting=meeting,
        source=source,
        notes=body.notes,
        submission_id=submission_id,
        actor=by,
        video_link=stored.fallback_video_link,
        calendar_connected=settings.google_calendar_id is not None,
    )
    booking, created = bookings.create(client, new, rules.buffer_minutes, timeout)
    if created and settings.google_calendar_id is not None:
        google_calendar.sync_quietly(client, booking_id, settings)
        booking, _ = bookings.get(client, booking_id, timeout)
    return booking_id, booking, created


def actor(staff: Principal | None, visitor: str) -> dict[str, Any]:
    """Who did it, as the booking and the timeline record it: the staff member (with
    their role at the time, since roles change) or the kind of visitor."""
    if staff is None:
        return {"kind": visitor}
    return {
        "kind": "staff",
        "uid": staff.uid,
        "email": staff.email,
        "role": staff.role.value if staff.role else None,
    }
