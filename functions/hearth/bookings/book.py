"""POST /book: a visitor (or staff, for them) books a call.

The person becomes (part of) a customer through the very same upsert as every form, so
a booking fills in a customer exactly like a contact form would; then the slot is
claimed and the booking stored in one batch (bookings.py says how two people can never
hold one time). Google Calendar is told afterwards and never decides whether the
booking stands: a calendar outage leaves the booking confirmed and the event pending.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from flask import Request, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from hearth import config
from hearth.bookings import view as booking_view
from hearth.bookings.availability import calendar_busy, load_rules, meeting_type, settings_broken
from hearth.bookings.settings import Instant, ZoneName
from hearth.calendar import sync as calendar_sync
from hearth.intake import service as intake
from hearth.intake.service import ID_PATTERN, field_errors, store_errors_as_503
from hearth.rules import emails, slots, sources, spam
from hearth.rules.roles import Principal, Role
from hearth.store import bookings
from hearth.web import auth
from hearth.web.http import (
    HttpError,
    check_origin,
    cors_headers,
    error_response,
    json_response,
    method_not_allowed,
    preflight,
    read_body,
)

log = logging.getLogger(__name__)

METHODS = "POST, OPTIONS"
SLOT_TAKEN = "Sorry, that time was just taken. Please pick another."

REFUSALS = {
    slots.Refusal.PAST: "This time has passed: pick a time in the future.",
    slots.Refusal.TOO_SOON: "This time is too soon to book: pick a later time.",
    slots.Refusal.TOO_FAR: "This time is too far ahead to book yet: pick an earlier day.",
    slots.Refusal.OUTSIDE_HOURS: "This is not an open time for this call: pick one of the "
    "times offered.",
}


class BookingRequest(BaseModel):
    """One booking, as the booking widget (or the admin page) sends it."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        title="BookingRequest",
        json_schema_extra={
            "examples": [
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
                }
            ]
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


def handle(request: Request) -> Response:
    settings = config.load()
    cors = cors_headers(request.headers.get("Origin"), settings.allowed_origins, METHODS)
    if request.method == "OPTIONS":
        return preflight(request, cors)
    try:
        if request.method != "POST":
            raise method_not_allowed(request.method, METHODS, "Book with POST.")
        check_origin(request, settings.allowed_origins)
        staff = _staff(request)
        data, _ = read_body(request, settings.max_body_bytes)
        if staff is None and (reason := spam.verdict(data, settings.min_fill_ms)):
            intake.count_spam(reason)
            # Like intake: a bot told "done" moves on; it holds no slot and is stored nowhere.
            return json_response({"ok": True, "booking": None}, 201, cors)
        body = parse(data)
        submission_id = body.submission_id or intake.idempotency_key(request)
        booking_id, booking, created = book(body, submission_id, staff, settings)
        view = booking_view.view(
            booking_id,
            booking,
            settings,
            booking_view.functions_url(request, settings),
            staff=staff is not None,
        )
    except HttpError as error:
        return error_response(error, cors)
    return json_response({"ok": True, "booking": view}, 201 if created else 200, cors)


def parse(data: dict[str, Any]) -> BookingRequest:
    try:
        return BookingRequest.model_validate(data)
    except ValidationError as exc:
        raise HttpError(400, "invalid", "Some fields need attention.", field_errors(exc)) from None


def _staff(request: Request) -> Principal | None:
    """Staff booking for a customer sign in; visitors send no Authorization at all."""
    if not request.headers.get("Authorization"):
        return None
    principal = auth.principal(request)
    if principal.role not in (Role.OWNER, Role.REP):
        raise HttpError(403, "forbidden", "Your role may not book calls for customers.")
    return principal


def slot_taken() -> HttpError:
    return HttpError(
        409, "slot_taken", SLOT_TAKEN, {"start": "Someone booked this time a moment ago."}
    )


def refuse(refusal: slots.Refusal) -> HttpError:
    if refusal is slots.Refusal.BUSY:
        return slot_taken()
    return HttpError(400, "invalid", "Some fields need attention.", {"start": REFUSALS[refusal]})


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
    with store_errors_as_503():
        busy = bookings.busy_between(client, start - margin, end + margin, settings.store_timeout_s)
    google, _ = calendar_busy(settings, start - margin, end + margin, rules.time_zone.key)
    busy = [*busy, *google]
    if own is not None:
        busy = slots.subtract(busy, own)
    if slots.check(rules, meeting, start, busy, now, notice=notice) is slots.Refusal.BUSY:
        raise slot_taken()


def book(
    body: BookingRequest, submission_id: str, staff: Principal | None, settings: config.Settings
) -> tuple[str, dict[str, Any], bool]:
    from hearth.store import client as db

    client = db.client()
    try:
        stored, rules, _ = load_rules(client, settings, body.source)
    except ValueError as exc:
        raise settings_broken(exc) from None
    meeting = meeting_type(stored, body.type)
    key = emails.customer_key(body.email)
    booking_id = bookings.booking_id(submission_id)
    with store_errors_as_503():
        existing, _ = _existing(client, booking_id, settings)
    if existing is not None:  # a retry: answer with what was booked, even if now past
        if existing.get("customerKey") != key or existing.get("start") != body.start:
            raise _id_reused()
        return booking_id, existing, False
    with store_errors_as_503():
        customer = _customer(client, key, settings)
    rep = staff is not None and staff.role is Role.REP
    if rep and (customer is None or customer.get("ownerUid") != staff.uid):
        raise HttpError(404, "not_found", "You can book calls only for customers assigned to you.")
    check_time(rules, meeting, body.start, settings, client, notice=staff is None)
    actor = _actor(staff)
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
    with store_errors_as_503():
        intake.store(client, submission, submission_id, settings, actor=actor if staff else None)
        customer = _customer(client, key, settings) or {}
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
            actor=actor,
            video_link=stored.fallback_video_link,
            calendar_connected=settings.google_calendar_id is not None,
        )
        try:
            booking, created = bookings.create(
                client, new, rules.buffer_minutes, settings.store_timeout_s
            )
        except bookings.SlotTakenError:
            raise slot_taken() from None
        except bookings.IdReusedError:
            raise _id_reused() from None
    if created and settings.google_calendar_id is not None:
        calendar_sync.sync_quietly(client, booking_id, settings)
        with store_errors_as_503():
            booking, _ = bookings.get(client, booking_id, settings.store_timeout_s)
    return booking_id, booking, created


def _existing(
    client: Any, booking_id: str, settings: config.Settings
) -> tuple[dict[str, Any] | None, Any]:
    try:
        return bookings.get(client, booking_id, settings.store_timeout_s)
    except bookings.NotFoundError:
        return None, None


def _customer(client: Any, key: str, settings: config.Settings) -> dict[str, Any] | None:
    from hearth.store.customers import COLLECTION, call_options

    snapshot = (
        client.collection(COLLECTION).document(key).get(**call_options(settings.store_timeout_s))
    )
    return snapshot.to_dict() if snapshot.exists else None


def _actor(staff: Principal | None) -> dict[str, Any]:
    if staff is None:
        return {"kind": "public_form"}
    return {
        "kind": "staff",
        "uid": staff.uid,
        "email": staff.email,
        "role": staff.role.value if staff.role else None,
    }


def _id_reused() -> HttpError:
    return HttpError(
        400,
        "invalid",
        "Some fields need attention.",
        {"submission_id": "This id was already used for a different booking: make a new one."},
    )
