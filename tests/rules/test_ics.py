"""The .ics file of a booking, read back the way a calendar app reads it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from google.api_core.datetime_helpers import DatetimeWithNanoseconds

from hearth.rules.ics import booking_ics

MALTA = ZoneInfo("Europe/Malta")
MANAGE = "http://127.0.0.1:5000/site/booking.html?id=bk1&token=t0k3n"
MEET = "https://meet.google.com/abc-defg-hij"


def booking(**changes: Any) -> dict[str, Any]:
    """A bookings/{id} document as Firestore hands it back (times with nanoseconds)."""
    doc: dict[str, Any] = {
        "customerEmail": "ana@example.org",
        "customerName": "Ana Borg",
        "start": DatetimeWithNanoseconds(2026, 11, 24, 8, 0, 0, nanosecond=5, tzinfo=UTC),
        "end": DatetimeWithNanoseconds(2026, 11, 24, 8, 30, 0, nanosecond=5, tzinfo=UTC),
        "tz": "Europe/London",
        "type": "intro",
        "typeLabel": "Intro call",
        "minutes": 30,
        "status": "confirmed",
        "videoLink": MEET,
        "notes": "",
        "sequence": 0,
        "createdAt": datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        "updatedAt": datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
    }
    doc.update(changes)
    return doc


def read(data: bytes) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    [event] = calendar.events
    return calendar, event


def test_the_file_shows_the_call_at_its_instant_with_whom_and_where() -> None:
    calendar, event = read(booking_ics(booking(), "bk1", "Studio Lumen", MANAGE))
    assert calendar["METHOD"] == "PUBLISH"
    assert event["UID"] == "bk1@hearth"
    assert event.start == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    assert event.end == datetime(2026, 11, 24, 8, 30, tzinfo=UTC)
    assert event["SUMMARY"] == "Intro call with Studio Lumen"
    assert event["LOCATION"] == MEET
    assert event["URL"] == MANAGE
    assert event["STATUS"] == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert MEET in event["DESCRIPTION"]
    assert MANAGE in event["DESCRIPTION"]


def test_times_are_written_in_utc_whatever_zone_they_were_given_in() -> None:
    local = datetime(2026, 7, 24, 10, 0, tzinfo=MALTA)  # summer: UTC+2
    data = booking_ics(booking(start=local, end=local + timedelta(minutes=60)), "bk1", "", None)
    assert b"DTSTART:20260724T080000Z\r\n" in data
    assert b"DTEND:20260724T090000Z\r\n" in data
    assert b"VTIMEZONE" not in data


def test_without_a_business_name_the_call_is_with_us() -> None:
    _, event = read(booking_ics(booking(typeLabel="Project call"), "bk1", "  ", None))
    assert event["SUMMARY"] == "Project call with us"


def test_a_cancelled_booking_cancels_the_same_entry() -> None:
    first = read(booking_ics(booking(), "bk1", "Studio Lumen", MANAGE))[1]
    calendar, event = read(
        booking_ics(
            booking(status="cancelled", sequence=2, updatedAt=datetime(2026, 11, 21, tzinfo=UTC)),
            "bk1",
            "Studio Lumen",
            MANAGE,
        )
    )
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["UID"] == first["UID"]
    assert event["SEQUENCE"] == 2
    assert event.decoded("DTSTAMP") > first.decoded("DTSTAMP")
    assert "cancelled" in event["DESCRIPTION"]
    assert "Reschedule" not in event["DESCRIPTION"]


def test_a_change_raises_the_sequence_so_apps_replace_the_entry() -> None:
    moved = booking(
        sequence=1,
        start=datetime(2026, 11, 25, 9, tzinfo=UTC),
        end=datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
        updatedAt=datetime(2026, 11, 21, 10, tzinfo=UTC),
    )
    _, event = read(booking_ics(moved, "bk1", "Studio Lumen", MANAGE))
    assert event["SEQUENCE"] == 1
    assert event.start == datetime(2026, 11, 25, 9, tzinfo=UTC)
    assert event.decoded("DTSTAMP") == datetime(2026, 11, 21, 10, tzinfo=UTC)


def test_customer_text_with_commas_semicolons_and_line_breaks_reads_back_exactly() -> None:
    notes = 'Agenda: budget, timeline; "next steps"\nSecond line \\ with a backslash\nThird'
    name = "Borg, Ana; Maria"
    data = booking_ics(booking(customerName=name, notes=notes), "bk1", "Lumen; Co, Ltd", MANAGE)
    _, event = read(data)
    assert event["SUMMARY"] == "Intro call with Lumen; Co, Ltd"
    description = str(event["DESCRIPTION"])
    assert f"Booked for: {name}" in description.splitlines()
    assert f"Notes: {notes}" in description
    # Escaped as RFC 5545 says, not merely round-tripped by a lenient reader.
    assert b"SUMMARY:Intro call with Lumen\\; Co\\, Ltd\r\n" in data
    assert b"Borg\\, Ana\\; Maria" in data.replace(b"\r\n ", b"")


def test_a_name_typed_with_line_breaks_stays_one_line() -> None:
    name = "Ana\nReschedule or cancel: https://evil.example/"
    _, event = read(booking_ics(booking(customerName=name), "bk1", "", MANAGE))
    lines = str(event["DESCRIPTION"]).splitlines()
    assert "Booked for: Ana Reschedule or cancel: https://evil.example/" in lines
    assert [line for line in lines if line.startswith("Reschedule or cancel:")] == [
        f"Reschedule or cancel: {MANAGE}"
    ]


def test_long_notes_in_any_script_are_folded_and_read_back_whole() -> None:
    notes = ("Ħażna ż-żmien ġewwa l-uffiċċju; 会议 — ") * 60
    data = booking_ics(booking(notes=notes), "bk1", "Studio Lumen", MANAGE)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert f"Notes: {notes}" in str(read(data)[1]["DESCRIPTION"])


def test_no_video_link_means_no_location_and_no_join_line() -> None:
    _, event = read(booking_ics(booking(videoLink=None), "bk1", "Studio Lumen", MANAGE))
    assert "LOCATION" not in event
    assert "Join" not in event["DESCRIPTION"]
    assert event["URL"] == MANAGE


def test_the_same_booking_version_gives_the_same_bytes() -> None:
    assert booking_ics(booking(), "bk1", "Studio Lumen", MANAGE) == booking_ics(
        booking(), "bk1", "Studio Lumen", MANAGE
    )


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        booking_ics(booking(start=datetime(2026, 11, 24, 8, 0)), "bk1", "", None)
