"""Looking up, cancelling, moving or downloading one booked call.

Two kinds of caller, one set of rules: the customer, holding the signed link from
their confirmation (no account needed), and staff signed in to the admin page (the
owner for any call, a rep for their own customers' calls). Anyone else is told there is
no such booking, so ids reveal nothing. Every change goes on the customer's timeline
and then to Google Calendar, like a new booking. (The routes are hearth.web.bookings'.)
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from hearth import calendar as google_calendar
from hearth import config
from hearth.bookings.availability import load_rules
from hearth.bookings.book import actor, check_time
from hearth.bookings.settings import Instant, ZoneName
from hearth.errors import Conflict
from hearth.rules import ics, signed_links, slots
from hearth.rules.roles import Principal, Role
from hearth.store import bookings


class CancelRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    token: Annotated[str | None, Field(max_length=100)] = None
    reason: Annotated[str | None, Field(max_length=500)] = None


class RescheduleRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    token: Annotated[str | None, Field(max_length=100)] = None
    start: Instant
    tz: ZoneName = None


def authorised(
    booking_id: str, token: Any, staff: Principal | None, settings: config.Settings
) -> dict[str, Any]:
    """The booking, if this caller may touch it; the same 404 whatever the reason not."""
    from hearth.store import client as db

    link_ok = isinstance(token, str) and signed_links.valid(settings.link_secret, booking_id, token)
    if not link_ok and staff is None:
        raise bookings.NotFoundError()
    booking, _ = bookings.get(db.client(), booking_id, settings.store_timeout_s)
    if link_ok or staff is None:
        return booking
    if staff.role is Role.OWNER:
        return booking
    if staff.role is Role.REP and booking.get("ownerUid") == staff.uid:
        return booking
    raise bookings.NotFoundError()


def cancel(
    booking_id: str, body: CancelRequest, staff: Principal | None, settings: config.Settings
) -> dict[str, Any]:
    from hearth.store import client as db

    client = db.client()
    booking, changed = bookings.cancel(
        client,
        booking_id,
        actor(staff, visitor="signed_link"),
        body.reason,
        settings.google_calendar_id is not None,
        settings.store_timeout_s,
    )
    return _after_change(client, booking_id, booking, changed, settings)


def reschedule(
    booking_id: str,
    booking: dict[str, Any],
    body: RescheduleRequest,
    staff: Principal | None,
    settings: config.Settings,
) -> dict[str, Any]:
    from hearth.store import client as db

    if booking.get("status") == bookings.CANCELLED:
        raise bookings.CancelledError()
    client = db.client()
    _, rules, _ = load_rules(client, settings, booking.get("source"))
    meeting = slots.MeetingType(
        id=booking["type"], label=booking.get("typeLabel") or "", minutes=booking["minutes"]
    )
    if body.start != booking["start"]:
        own = slots.Interval(booking["start"], booking["end"])
        rules = _with_type(rules, meeting)
        check_time(rules, meeting, body.start, settings, client, notice=staff is None, own=own)
    booking, changed = bookings.reschedule(
        client,
        booking_id,
        body.start,
        body.start + timedelta(minutes=meeting.minutes),
        body.tz,
        rules.buffer_minutes,
        actor(staff, visitor="signed_link"),
        settings.google_calendar_id is not None,
        settings.store_timeout_s,
    )
    return _after_change(client, booking_id, booking, changed, settings)


def _with_type(rules: slots.Rules, meeting: slots.MeetingType) -> slots.Rules:
    """The rules still know a booking's type even if the owner has since removed it."""
    return replace(rules, types={**rules.types, meeting.id: meeting})


def _after_change(
    client: Any,
    booking_id: str,
    booking: dict[str, Any],
    changed: bool,
    settings: config.Settings,
) -> dict[str, Any]:
    if changed and (booking.get("calendar") or {}).get("state") == "pending":
        google_calendar.sync_quietly(client, booking_id, settings)
        booking, _ = bookings.get(client, booking_id, settings.store_timeout_s)
    return booking


def sync_again(
    booking_id: str, staff: Principal | None, settings: config.Settings
) -> dict[str, Any]:
    """The owner's "try again" for a call Google refused or missed: the scheduled sync
    gives up after many failures, a person who fixed the cause need not wait for it."""
    from hearth.store import client as db

    if staff is None:
        raise bookings.NotFoundError()
    if settings.google_calendar_id is None:
        raise Conflict(
            "No Google Calendar is connected: there is nothing to sync.", code="no_calendar"
        )
    client = db.client()
    bookings.retry_calendar(client, booking_id, settings.store_timeout_s)
    return _after_change(client, booking_id, {"calendar": {"state": "pending"}}, True, settings)


def ics_file(
    booking_id: str, booking: dict[str, Any], settings: config.Settings
) -> tuple[str, str]:
    """(the call as an .ics calendar file, a file name a person recognises)."""
    manage = signed_links.manage_url(settings.site_url, settings.link_secret, booking_id)
    body = ics.booking_ics(booking, booking_id, settings.business_name, manage)
    day = booking["start"].astimezone(UTC).strftime("%Y-%m-%d")
    return body, f"call-{day}.ics"
