"""GET /availability: the times a visitor may book, shown in their own time zone.

Free means inside the owner's working hours, far enough ahead, not too far ahead, and
clear (with the buffer) of every confirmed call and of whatever Google Calendar says
the owner is busy with. When the calendar cannot be reached the local answer is still
given, flagged, rather than no answer: `book` checks again before it commits.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hearth import calendar as google_calendar
from hearth import config
from hearth.bookings import settings as booking_settings
from hearth.bookings.settings import BookingLink, BookingSettings, PlausibleDay, ZoneName, zone
from hearth.bookings.view import iso_local, iso_utc
from hearth.errors import Invalid
from hearth.rules import slots, sources
from hearth.store import bookings

log = logging.getLogger(__name__)

DEFAULT_DAYS = 14
MAX_DAYS = 62


class AvailabilityQuery(BaseModel):
    """The query string: every parameter optional."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, str_strip_whitespace=True)

    type: Annotated[str | None, Field(max_length=40, description="Meeting type id.")] = None
    tz: Annotated[ZoneName, Field(description="The visitor's IANA time zone.")] = None
    from_: Annotated[
        PlausibleDay, Field(alias="from", description="First day, in the visitor's zone.")
    ] = None
    to: Annotated[PlausibleDay, Field(description="Last day (inclusive).")] = None
    source: Annotated[
        str | None, Field(max_length=500, description="The booking link's source.")
    ] = None

    @field_validator("type", "source", "from_", "to", mode="before")
    @classmethod
    def _blank_is_absent(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value


class Slot(BaseModel):
    start: str
    end: str
    local: str
    time: str


class Day(BaseModel):
    date: date
    slots: list[Slot]


class MeetingTypeOut(BaseModel):
    id: str
    label: str
    minutes: int


class LinkOut(BaseModel):
    source: str
    label: str | None


class Availability(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    time_zone: str = Field(alias="timeZone", description="The zone working hours are kept in.")
    visitor_time_zone: str = Field(alias="visitorTimeZone")
    type: MeetingTypeOut
    types: list[MeetingTypeOut]
    link: LinkOut | None = Field(
        default=None, description="The booking link asked for, when the owner named it."
    )
    calendar_checked: bool = Field(
        alias="calendarChecked",
        description="False when Google Calendar is connected but could not be asked.",
    )
    days: list[Day]


def meeting_type(rules: BookingSettings, type_id: str | None) -> slots.MeetingType:
    types = rules.meeting_types()
    chosen = type_id or rules.default_type_id()
    if chosen not in types:
        raise Invalid({"type": f"Unknown meeting type {chosen!r}: choose {', '.join(types)}."})
    return types[chosen]


def load_rules(
    client: Any, settings: config.Settings, source: str | None
) -> tuple[BookingSettings, slots.Rules, BookingLink | None]:
    """The owner's settings, the slot rules for this link (its own zone, if any), and
    the link itself. Broken stored settings are BrokenSettingsError: the owner's to fix."""
    stored = booking_settings.load(client, settings.store_timeout_s)
    link = booking_settings.load_link(
        client, sources.normalise(source) if source else None, settings.store_timeout_s
    )
    return stored, stored.rules(settings.time_zone, link.time_zone if link else None), link


def calendar_busy(
    settings: config.Settings, start: datetime, end: datetime, zone_name: str
) -> tuple[list[slots.Interval], bool]:
    """(busy times, whether the calendar answered); no calendar connected is an answer."""
    try:
        calendar = google_calendar.connect(settings)
        if calendar is None:
            return [], True
        return [slots.Interval(a, b) for a, b in calendar.busy(start, end, zone_name)], True
    except google_calendar.CalendarUnavailable as exc:
        log.warning("free/busy unavailable, answering from bookings only: %s", exc)
        return [], False


def answer(
    query: AvailabilityQuery, settings: config.Settings, now: datetime, *, notice: bool = True
) -> dict[str, Any]:
    """The free times asked for; ``notice`` is False for staff, who may book at short
    notice (as /book lets them)."""
    from hearth.store import client as db

    client = db.client()
    stored, rules, link = load_rules(client, settings, query.source)
    meeting = meeting_type(stored, query.type)
    visitor = zone(query.tz) if query.tz else rules.time_zone
    first = query.from_ or now.astimezone(visitor).date()
    last = query.to or first + timedelta(days=DEFAULT_DAYS - 1)
    if last < first:
        raise Invalid({"to": "Must not be before from."})
    if (last - first).days >= MAX_DAYS:
        raise Invalid({"to": f"Ask for at most {MAX_DAYS} days at a time."})
    window = slots.local_window(first, last, visitor)
    margin = timedelta(minutes=rules.buffer_minutes)
    busy = bookings.busy_between(
        client, window.start - margin, window.end + margin, settings.store_timeout_s
    )
    google, checked = calendar_busy(
        settings, window.start - margin, window.end + margin, rules.time_zone.key
    )
    free = slots.open_slots(rules, meeting, window, [*busy, *google], now, notice=notice)
    return Availability(
        time_zone=rules.time_zone.key,
        visitor_time_zone=visitor.key,
        type=MeetingTypeOut(id=meeting.id, label=meeting.label, minutes=meeting.minutes),
        types=[
            MeetingTypeOut(id=t.id, label=t.label, minutes=t.minutes)
            for t in stored.meeting_types().values()
        ],
        calendar_checked=checked,
        link=LinkOut(source=sources.normalise(query.source), label=link.label)
        if link and query.source
        else None,
        days=[
            Day(
                date=day,
                slots=[
                    Slot(
                        start=iso_utc(slot.start),
                        end=iso_utc(slot.end),
                        local=iso_local(slot.start, visitor),
                        time=slot.start.astimezone(visitor).strftime("%H:%M"),
                    )
                    for slot in day_slots
                ],
            )
            for day, day_slots in slots.by_day(free, visitor, first, last)
        ],
    ).model_dump(mode="json", by_alias=True)
