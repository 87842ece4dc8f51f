"""The owner's booking rules: when calls can be booked, how long they last, what link.

Kept in Firestore (settings/booking) so they can change without a deploy, with every
field optional: a studio that never touches them gets weekday office hours in the
business time zone, a 30-minute intro call and a 60-minute project call. Booking links
(bookingLinks/{source}) may keep their hours in another zone, for a trade show abroad.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from hearth.errors import Misconfigured
from hearth.rules.slots import MeetingType, Rules
from hearth.rules.urls import origin_of
from hearth.store import bookings as store

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Ranges are "HH:MM-HH:MM" strings: Firestore cannot store a list inside a list.
OFFICE_HOURS = ["09:00-17:00"]
RANGE = re.compile(
    r"^(?P<start>(?:[01]\d|2[0-3]):[0-5]\d)-(?P<end>(?:[01]\d|2[0-3]):[0-5]\d|24:00)$"
)
TYPE_ID = r"^[a-z0-9][a-z0-9_-]{0,39}$"


def zone(name: str) -> ZoneInfo:
    """An IANA zone by name; ValueError (for a 400) on anything else, including paths."""
    found = _find_zone(name)
    if found is None:
        raise ValueError(f"{name!r} is not a time zone name such as Europe/Malta.")
    return found


def _find_zone(name: str) -> ZoneInfo | None:
    if not name or len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _stored_zone(value: str | None) -> str | None:
    if value is not None:
        zone(value)
    return value


def _asked_zone(value: str | None) -> str | None:
    if value:
        zone(value)
    return value or None


# Calls happen in this century and the next: a date outside is a typo or a probe, and
# refusing it here keeps date arithmetic (a zone's offset, a window's days) far from
# the ends of Python's calendar, where it overflows.
FIRST_YEAR, LAST_YEAR = 2000, 2199
OUT_OF_RANGE = f"Give a date between the years {FIRST_YEAR} and {LAST_YEAR}."


def _aware_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("Give the time with Z or an offset, e.g. 2026-11-24T09:00:00Z.")
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(OUT_OF_RANGE)
    return value.astimezone(UTC)


def _plausible_day(value: date | None) -> date | None:
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(OUT_OF_RANGE)
    return value


# Checked when the request or document is read, so a typo is a 400 naming its field
# rather than a failure later: a stored zone must be real; a zone a visitor sends may
# be left blank (theirs is then the hours' zone).
StoredZone = Annotated[str | None, AfterValidator(_stored_zone)]
# (Its length limit comes first: the validator may turn blank into None.)
ZoneName = Annotated[str | None, Field(max_length=64), AfterValidator(_asked_zone)]
# A moment as a client sends it: with Z or an offset (a bare local time is ambiguous).
Instant = Annotated[datetime, AfterValidator(_aware_utc)]
# A day a visitor asks about, within the same years.
PlausibleDay = Annotated[date | None, AfterValidator(_plausible_day)]


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _range(text: str) -> tuple[int, int]:
    """ "09:00-17:00" as minutes from midnight; "24:00" may end a day."""
    match = RANGE.match(text.replace(" ", ""))
    if not match:
        raise ValueError(f"{text!r} is not a range such as 09:00-17:00.")
    return _minutes(match["start"]), _minutes(match["end"])


# Slots are claimed in five-minute cells (store/bookings.py): times on that grid are exact.
FiveMinutes = Annotated[int, Field(multiple_of=5)]


def _check_range(text: str) -> str:
    """One "HH:MM-HH:MM" range, refused with the reason a person can act on."""
    start, end = _range(text)
    if end <= start:
        raise ValueError(f"{text} ends before it starts.")
    if start % 5 or end % 5:
        raise ValueError(f"{text} must start and end on a multiple of 5 minutes.")
    return text


# Errors point at the very range (hours.tue.0), so a form can show them beside it.
HoursRange = Annotated[str, AfterValidator(_check_range)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class TypeSettings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    label: Annotated[str, Field(min_length=1, max_length=80)]
    minutes: Annotated[FiveMinutes, Field(ge=5, le=480)]  # a working day at most


class BookingSettings(BaseModel):
    """settings/booking as the owner may write it; anything left out takes the default."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    time_zone: StoredZone = Field(default=None, alias="timeZone")
    hours: dict[Weekday, list[HoursRange]] = Field(
        default_factory=lambda: {
            day: list(OFFICE_HOURS) if day in WEEKDAYS[:5] else [] for day in WEEKDAYS
        }
    )
    types: dict[str, TypeSettings] = Field(
        default_factory=lambda: {
            "intro": TypeSettings(label="Intro call", minutes=30),
            "project": TypeSettings(label="Project call", minutes=60),
        },
        min_length=1,
    )
    default_type: str | None = Field(default=None, alias="defaultType")
    step_minutes: Annotated[FiveMinutes, Field(ge=5, le=240)] = Field(
        default=30, alias="stepMinutes"
    )
    buffer_minutes: Annotated[FiveMinutes, Field(ge=0, le=240)] = Field(
        default=15, alias="bufferMinutes"
    )
    min_notice_minutes: Annotated[int, Field(ge=0, le=60 * 24 * 30)] = Field(
        default=240, alias="minNoticeMinutes"
    )
    horizon_days: Annotated[int, Field(ge=1, le=366)] = Field(default=60, alias="horizonDays")
    fallback_video_link: str | None = Field(default=None, alias="fallbackVideoLink")

    @field_validator("fallback_video_link")
    @classmethod
    def _web_link(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if origin_of(value.strip()) is None or len(value) > 500:
            raise ValueError("Use a web address starting with https://, e.g. a Meet or Zoom room.")
        return value.strip()

    @field_validator("types")
    @classmethod
    def _valid_type_ids(cls, value: dict[str, TypeSettings]) -> dict[str, TypeSettings]:
        for type_id in value:
            if not re.match(TYPE_ID, type_id):
                raise ValueError(f"{type_id!r}: use lowercase letters, digits, - or _.")
        return value

    def meeting_types(self) -> dict[str, MeetingType]:
        return {
            type_id: MeetingType(id=type_id, label=spec.label, minutes=spec.minutes)
            for type_id, spec in self.types.items()
        }

    def default_type_id(self) -> str:
        if self.default_type in self.types:
            return self.default_type
        return next(iter(self.types))

    def rules(self, business_zone: str, link_zone: str | None = None) -> Rules:
        """The slot rules, with hours kept in the link's zone, else the owner's, else the
        business's. Stored zones were checked when read; the business's comes from
        HEARTH_TIME_ZONE, and a typo there is the owner's to fix like one in settings."""
        time_zone = _find_zone(link_zone or self.time_zone or business_zone)
        if time_zone is None:
            raise BrokenSettingsError(f"HEARTH_TIME_ZONE {business_zone!r} is not a time zone.")
        return Rules(
            time_zone=time_zone,
            hours={
                WEEKDAYS.index(day): tuple(_range(text) for text in ranges)
                for day, ranges in self.hours.items()
            },
            types=self.meeting_types(),
            step_minutes=self.step_minutes,
            buffer_minutes=self.buffer_minutes,
            min_notice_minutes=self.min_notice_minutes,
            horizon_days=self.horizon_days,
        )


class BookingLink(BaseModel):
    """bookingLinks/{source}: a link's own label and the zone its hours are kept in."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    label: Annotated[str | None, Field(max_length=80)] = None
    time_zone: StoredZone = Field(default=None, alias="timeZone")


class BrokenSettingsError(Misconfigured, ValueError):
    """The stored settings/booking does not validate: the owner must fix it.

    A visitor is told only that booking is unavailable; what is wrong, field by field,
    is the message (``str``) the log carries. Still a ValueError: it is bad data.
    """

    def __init__(self, detail: str) -> None:
        super().__init__(
            "Booking is not available right now: the owner's booking settings need fixing."
        )
        self.detail = detail

    def __str__(self) -> str:
        return self.detail


def parse(data: dict[str, Any] | None) -> BookingSettings:
    """Settings from the stored document; a broken document is an owner's typo, so it is
    reported (BrokenSettingsError with the fields) rather than silently replaced by defaults."""
    try:
        return BookingSettings.model_validate(data or {})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in exc.errors()
        )
        raise BrokenSettingsError(f"settings/booking is not valid: {problems}") from None


def load(client: Any, timeout: float) -> BookingSettings:
    return parse(store.settings_document(client, timeout))


def load_link(client: Any, source: str | None, timeout: float) -> BookingLink | None:
    """A booking link's own settings; an unknown or unreadable link is no link (the
    visitor still books, in the owner's hours)."""
    if not source or source == "booking":  # the site's own widget, not a booking link
        return None
    document = store.link_document(client, source, timeout)
    if document is None:
        return None
    try:
        return BookingLink.model_validate(document)
    except ValidationError:
        return None
