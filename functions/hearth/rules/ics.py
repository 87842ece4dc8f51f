"""One booking as a calendar file (.ics, RFC 5545) the customer adds to any calendar app.

It is the customer's copy for when no Google invitation reached them (no calendar
connected, or a calendar app of their own), so it carries everything they need:
the time, where to join, and how to move or cancel. Written by the ``icalendar``
library rather than by hand because customer-typed text (a name with a comma, notes
with a semicolon or a line break) must be escaped and long lines folded exactly as
RFC 5545 says, or calendar apps cut the text short or refuse the file.

The UID stays the same for the life of the booking and SEQUENCE grows with each
change, so importing a newer file updates the entry instead of adding a second one.
Times are written in UTC: the app shows them in the reader's own zone, and no
VTIMEZONE block (which apps read inconsistently) is needed. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import icalendar

PRODID = "-//Hearth//Bookings//EN"


def booking_ics(
    booking: Mapping[str, Any], booking_id: str, business_name: str, manage_url: str | None
) -> bytes:
    """The calendar file of a booking (the Firestore bookings/{id} document).

    A cancelled booking gives a file that marks the entry cancelled (METHOD:CANCEL,
    STATUS:CANCELLED) with the same UID, so apps that imported it can strike it out.
    """
    cancelled = booking.get("status") == "cancelled"
    calendar = icalendar.Calendar.new(
        prodid=PRODID,
        method="CANCEL" if cancelled else "PUBLISH",
        subcomponents=[_event(booking, booking_id, business_name, manage_url, cancelled)],
    )
    # The library gives the file itself a random UID; the same booking version should
    # give the same bytes, and the event's UID is the one apps match on.
    calendar.pop("UID", None)
    return calendar.to_ical()


def summary(booking: Mapping[str, Any], business_name: str) -> str:
    """What the entry is called in the customer's calendar: whom the call is with."""
    label = booking.get("typeLabel") or "Call"
    return f"{label} with {business_name.strip() or 'us'}"


def description(booking: Mapping[str, Any], manage_url: str | None) -> str:
    """The entry's notes: where to join, what was booked, and how to change it."""
    lines: list[str] = []
    if booking.get("videoLink"):
        lines.append(f"Join the video call: {booking['videoLink']}")
    if booking.get("status") == "cancelled":
        lines.append("This call was cancelled.")
    # A name is one line: one typed with line breaks must not pass for lines of ours.
    name = " ".join(str(booking.get("customerName") or booking.get("customerEmail") or "").split())
    if name:
        lines.append(f"Booked for: {name}")
    if booking.get("notes"):
        lines.append(f"Notes: {booking['notes']}")
    if manage_url and booking.get("status") != "cancelled":
        lines.append(f"Reschedule or cancel: {manage_url}")
    return "\n".join(lines)


def _event(
    booking: Mapping[str, Any],
    booking_id: str,
    business_name: str,
    manage_url: str | None,
    cancelled: bool,
) -> icalendar.Event:
    video = booking.get("videoLink") or None
    return icalendar.Event.new(
        uid=f"{booking_id}@hearth",
        start=_utc(booking["start"]),
        end=_utc(booking["end"]),
        stamp=_stamp(booking),
        sequence=int(booking.get("sequence") or 0),
        status="CANCELLED" if cancelled else "CONFIRMED",
        summary=summary(booking, business_name),
        description=description(booking, manage_url),
        location=video,
        url=manage_url or video,
    )


def _stamp(booking: Mapping[str, Any]) -> datetime:
    """When this version of the booking was written: the same file for the same
    version (cacheable, comparable), and newer for every change."""
    for key in ("updatedAt", "createdAt"):
        value = booking.get(key)
        if isinstance(value, datetime) and value.tzinfo is not None:
            return _utc(value)
    return _utc(datetime.now(UTC))


def _utc(instant: datetime) -> datetime:
    """A plain UTC datetime to the second: Firestore hands back a subclass with
    nanoseconds, and calendar files have no fractions of a second."""
    if instant.tzinfo is None:
        raise ValueError("Booking times must carry a time zone.")
    moment = instant.astimezone(UTC)
    return datetime(
        moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second, tzinfo=UTC
    )
