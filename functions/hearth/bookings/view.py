"""A booking as the person who booked it (and the admin page) reads it in JSON.

One shape for every answer about a booking (booked, looked up, cancelled, moved), so
the confirmation, the manage page and the admin page never disagree about a call.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from hearth import config
from hearth.bookings.settings import zone
from hearth.rules import signed_links

# What the public is told about the calendar copy: "failed" is the owner's problem.
PUBLIC_CALENDAR_STATE = {"synced": "synced", "pending": "pending", "failed": "pending"}


class MeetingTypeView(BaseModel):
    id: str | None
    label: str | None
    minutes: int | None


class CustomerView(BaseModel):
    email: str | None
    name: str | None


class BookingView(BaseModel):
    """A booked call as every answer about it shows it."""

    id: str
    status: str = Field(description="confirmed or cancelled")
    type: MeetingTypeView
    start: str = Field(description="UTC, ISO 8601 with Z")
    end: str
    tz: str = Field(description="The visitor's time zone")
    local: str = Field(description="The start in the visitor's zone, with its offset")
    customer: CustomerView
    videoLink: str | None  # noqa: N815 (the JSON name)
    calendar: str = Field(description="synced, pending (Google not told yet) or off")
    calendarError: str | None = Field(  # noqa: N815 (the JSON name)
        default=None, description="Staff only: why Google refused or could not be reached"
    )
    source: str | None
    notes: str | None
    manageUrl: str = Field(description="Signed link to cancel or reschedule")  # noqa: N815
    icsUrl: str = Field(description="Signed link to the .ics file")  # noqa: N815


class BookingAnswer(BaseModel):
    ok: bool = True
    booking: BookingView | None = Field(description="None only for an answer to a bot")


class ManagedBooking(BaseModel):
    booking: BookingView


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_local(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).isoformat(timespec="seconds")


def visitor_zone(booking: Mapping[str, Any]) -> ZoneInfo:
    for name in (booking.get("tz"), booking.get("hoursTimeZone")):
        try:
            return zone(name or "")
        except ValueError:
            continue
    return ZoneInfo("UTC")


def view(
    booking_id: str,
    booking: Mapping[str, Any],
    settings: config.Settings,
    base_url: str,
    *,
    staff: bool = False,
) -> dict[str, Any]:
    """``staff``: the admin page, which is also told when Google refused the call."""
    tz = visitor_zone(booking)
    state = (booking.get("calendar") or {}).get("state", "off")
    shown = {
        "id": booking_id,
        "status": booking.get("status"),
        "type": {
            "id": booking.get("type"),
            "label": booking.get("typeLabel"),
            "minutes": booking.get("minutes"),
        },
        "start": iso_utc(booking["start"]),
        "end": iso_utc(booking["end"]),
        "tz": tz.key,
        "local": iso_local(booking["start"], tz),
        "customer": {"email": booking.get("customerEmail"), "name": booking.get("customerName")},
        "videoLink": booking.get("videoLink"),
        "calendar": state if staff else PUBLIC_CALENDAR_STATE.get(state, "off"),
        "calendarError": (booking.get("calendar") or {}).get("lastError") if staff else None,
        "source": booking.get("source"),
        "notes": booking.get("notes"),
        "manageUrl": signed_links.manage_url(settings.site_url, settings.link_secret, booking_id),
        "icsUrl": signed_links.ics_url(base_url, settings.link_secret, booking_id),
    }
    return BookingView.model_validate(shown).model_dump()
