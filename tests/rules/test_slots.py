"""Bookable times: working hours in Malta, clock changes, visitors abroad, busy time.

Pure functions, so no emulator: every expectation is a time a visitor would see offered
(or not) on the booking page, in UTC and on the wall clock of the business or visitor.
"""

from __future__ import annotations

import time as timer
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from google.api_core.datetime_helpers import DatetimeWithNanoseconds
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.rules.slots import (
    Interval,
    MeetingType,
    Refusal,
    Rules,
    by_day,
    check,
    local_window,
    lock_cells,
    open_slots,
    subtract,
)

MALTA = ZoneInfo("Europe/Malta")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
AUCKLAND = ZoneInfo("Pacific/Auckland")

INTRO = MeetingType("intro", "Intro call", 30)
PROJECT = MeetingType("project", "Project call", 60)
NINE_TO_FIVE = ((9 * 60, 17 * 60),)
WEEKDAYS = dict.fromkeys(range(5), NINE_TO_FIVE)


def at(text: str) -> datetime:
    """An instant from ISO 8601 with its offset ("2026-03-29T01:00:00Z")."""
    return datetime.fromisoformat(text)


def span(start: str, end: str) -> Interval:
    return Interval(at(start), at(end))


def rules(hours: Mapping[int, tuple[tuple[int, int], ...]] = WEEKDAYS, **changes: Any) -> Rules:
    return Rules(
        time_zone=changes.pop("time_zone", MALTA),
        hours=hours,
        types={"intro": INTRO, "project": PROJECT},
        **changes,
    )


def day_slots(
    rule: Rules,
    day: str,
    meeting: MeetingType = INTRO,
    busy: Iterable[Interval] = (),
    now: datetime | None = None,
    **options: bool,
) -> list[Interval]:
    """Slots on one Malta date, asked for a few days before (notice and horizon no bar)."""
    first = date.fromisoformat(day)
    now = now or datetime(first.year, first.month, first.day, tzinfo=UTC) - timedelta(days=5)
    return open_slots(rule, meeting, local_window(first, first, MALTA), busy, now, **options)


def utc(slots: Iterable[Interval]) -> list[str]:
    return [slot.start.astimezone(UTC).strftime("%d %H:%M") for slot in slots]


def wall(slots: Iterable[Interval], tz: ZoneInfo = MALTA) -> list[str]:
    return [slot.start.astimezone(tz).strftime("%H:%M%z") for slot in slots]


def hhmm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


# --- clock changes in Malta ------------------------------------------------------------


@pytest.mark.parametrize(("day", "eve"), [("2026-03-29", "28"), ("2027-03-28", "27")])
def test_a_night_range_holds_five_real_hours_when_the_clocks_spring_forward(
    day: str, eve: str
) -> None:
    slots = day_slots(rules({6: ((0, 360),)}), day)
    same = day[-2:]
    assert utc(slots) == [f"{eve} 23:00", f"{eve} 23:30"] + [
        f"{same} {hour:02d}:{minute:02d}" for hour in range(4) for minute in (0, 30)
    ]
    assert wall(slots) == [
        "00:00+0100",
        "00:30+0100",
        "01:00+0100",
        "01:30+0100",
        "03:00+0200",  # 02:00-03:00 never happens that night
        "03:30+0200",
        "04:00+0200",
        "04:30+0200",
        "05:00+0200",
        "05:30+0200",
    ]
    assert slots[-1].end.astimezone(MALTA).strftime("%H:%M") == "06:00"


def test_a_night_range_holds_seven_real_hours_when_the_clocks_fall_back() -> None:
    slots = day_slots(rules({6: ((0, 360),)}), "2026-10-25")
    assert len(slots) == 14
    assert utc(slots)[0] == "24 22:00" and utc(slots)[-1] == "25 04:30"
    assert wall(slots) == [
        "00:00+0200",
        "00:30+0200",
        "01:00+0200",
        "01:30+0200",
        "02:00+0200",
        "02:30+0200",
        "02:00+0100",  # the same half hours again, an hour later in real time
        "02:30+0100",
        "03:00+0100",
        "03:30+0100",
        "04:00+0100",
        "04:30+0100",
        "05:00+0100",
        "05:30+0100",
    ]


@pytest.mark.parametrize(
    ("day", "first_utc", "last_utc"),
    [
        ("2026-03-22", "22 08:00", "22 15:30"),  # Sunday before: CET
        ("2026-03-29", "29 07:00", "29 14:30"),  # the switch happened at 01:00Z
        ("2026-10-25", "25 08:00", "25 15:30"),  # back to CET at 01:00Z
        ("2027-03-28", "28 07:00", "28 14:30"),
    ],
)
def test_sunday_working_hours_on_a_switch_day_follow_the_wall_clock(
    day: str, first_utc: str, last_utc: str
) -> None:
    slots = day_slots(rules({6: NINE_TO_FIVE}), day)
    assert (utc(slots)[0], utc(slots)[-1], len(slots)) == (first_utc, last_utc, 16)
    assert wall(slots)[0][:5] == "09:00" and wall(slots)[-1][:5] == "16:30"


@pytest.mark.parametrize(
    ("day", "first_utc"),
    [
        ("2026-03-27", "27 08:00"),  # Friday before spring forward
        ("2026-03-30", "30 07:00"),  # Monday after
        ("2026-10-23", "23 07:00"),  # Friday before fall back
        ("2026-10-26", "26 08:00"),  # Monday after
        ("2027-03-29", "29 07:00"),
    ],
)
def test_nine_o_clock_moves_in_utc_on_the_monday_after_a_switch(day: str, first_utc: str) -> None:
    slots = day_slots(rules(), day)
    assert utc(slots)[0] == first_utc
    assert len(slots) == 16


def test_a_range_boundary_in_the_spring_forward_gap_is_when_the_clocks_resume() -> None:
    sunday = "2026-03-29"
    starts_in_gap = day_slots(rules({6: ((hhmm("02:30"), hhmm("04:00")),)}), sunday)
    assert utc(starts_in_gap) == ["29 01:00", "29 01:30"]
    assert wall(starts_in_gap) == ["03:00+0200", "03:30+0200"]
    ends_in_gap = day_slots(rules({6: ((hhmm("01:00"), hhmm("02:30")),)}), sunday)
    assert utc(ends_in_gap) == ["29 00:00", "29 00:30"]
    assert ends_in_gap[-1].end == at("2026-03-29T01:00:00Z")
    assert day_slots(rules({6: ((hhmm("02:00"), hhmm("03:00")),)}), sunday) == []


def test_an_ambiguous_range_is_the_longer_real_interval() -> None:
    # 02:00-02:30 on the fall-back night: from the first 02:00 to the second 02:30.
    slots = day_slots(rules({6: ((hhmm("02:00"), hhmm("02:30")),)}), "2026-10-25")
    assert utc(slots) == ["25 00:00", "25 00:30", "25 01:00"]
    assert wall(slots) == ["02:00+0200", "02:30+0200", "02:00+0100"]


def test_check_accepts_switch_day_slots_however_their_offset_is_written() -> None:
    night = rules({6: ((0, 360),)})
    spring = at("2026-03-20T00:00:00Z")
    assert check(night, INTRO, at("2026-03-29T03:00:00+02:00"), [], spring) is None
    # "02:30+01:00" never showed on a Maltese clock, but it is a real instant: 03:30 CEST.
    assert check(night, INTRO, at("2026-03-29T02:30:00+01:00"), [], spring) is None
    assert check(night, INTRO, at("2026-03-29T05:30:00+02:00"), [], spring) is None
    # 06:00 is where the range ends, not a start.
    assert check(night, INTRO, at("2026-03-29T06:00:00+02:00"), [], spring) is Refusal.OUTSIDE_HOURS
    autumn = at("2026-10-20T00:00:00Z")
    assert check(night, INTRO, at("2026-10-25T02:30:00+02:00"), [], autumn) is None
    assert check(night, INTRO, at("2026-10-25T02:30:00+01:00"), [], autumn) is None


# --- visitors far away ------------------------------------------------------------------

AROUND_MIDNIGHT = {1: ((0, 60), (23 * 60, 24 * 60))}  # Tuesdays 00:00-01:00 and 23:00-24:00


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        (MALTA, {"23": [], "24": ["00:00", "00:30", "23:00", "23:30"], "25": []}),
        (NEW_YORK, {"23": ["18:00", "18:30"], "24": ["17:00", "17:30"], "25": []}),
        (TOKYO, {"23": [], "24": ["08:00", "08:30"], "25": ["07:00", "07:30"]}),
        (AUCKLAND, {"23": [], "24": ["12:00", "12:30"], "25": ["11:00", "11:30"]}),
    ],
)
def test_the_same_slots_land_on_other_dates_for_visitors_abroad(
    tz: ZoneInfo, expected: dict[str, list[str]]
) -> None:
    first, last = date(2026, 11, 23), date(2026, 11, 25)
    slots = open_slots(
        rules(AROUND_MIDNIGHT),
        INTRO,
        local_window(first, last, tz),
        [],
        at("2026-11-10T00:00:00Z"),
    )
    assert utc(slots) == ["23 23:00", "23 23:30", "24 22:00", "24 22:30"]
    days = by_day(slots, tz, first, last)
    assert {day.strftime("%d"): [w[:5] for w in wall(found, tz)] for day, found in days} == expected
    assert [day for day, _ in days] == [first, first + timedelta(days=1), last]


def test_an_auckland_visitor_s_day_holds_two_malta_working_days() -> None:
    tuesday = date(2026, 11, 24)
    slots = open_slots(
        rules(), INTRO, local_window(tuesday, tuesday, AUCKLAND), [], at("2026-11-10T00:00:00Z")
    )
    [(day, found)] = by_day(slots, AUCKLAND, tuesday, tuesday)
    assert day == tuesday
    local = [slot.start.astimezone(AUCKLAND).strftime("%H:%M") for slot in found]
    # Malta Monday 12:00-16:30 is Auckland's small hours, Malta Tuesday morning its evening.
    assert local == [
        "00:00", "00:30", "01:00", "01:30", "02:00", "02:30", "03:00", "03:30", "04:00", "04:30",
        "21:00", "21:30", "22:00", "22:30", "23:00", "23:30",
    ]  # fmt: skip
    assert {slot.start.astimezone(MALTA).date() for slot in found} == {
        date(2026, 11, 23),
        date(2026, 11, 24),
    }


def test_by_day_lists_every_date_and_puts_slots_in_order() -> None:
    first, last = date(2026, 11, 27), date(2026, 11, 30)  # Friday .. Monday
    slots = open_slots(
        rules(), INTRO, local_window(first, last, MALTA), [], at("2026-11-10T00:00:00Z")
    )
    days = by_day(reversed(slots), MALTA, first, last)
    assert [(day.isoformat(), len(found)) for day, found in days] == [
        ("2026-11-27", 16),
        ("2026-11-28", 0),
        ("2026-11-29", 0),
        ("2026-11-30", 16),
    ]
    assert days[0][1] == sorted(days[0][1])
    # A slot outside the dates asked for is not slipped into the first or last one.
    assert by_day(slots, MALTA, date(2026, 11, 28), date(2026, 11, 29)) == [
        (date(2026, 11, 28), []),
        (date(2026, 11, 29), []),
    ]


@pytest.mark.parametrize(
    ("tz", "day", "hours"),
    [
        (MALTA, date(2026, 11, 24), 24),
        (MALTA, date(2026, 3, 29), 23),
        (MALTA, date(2026, 10, 25), 25),
        (AUCKLAND, date(2026, 9, 27), 23),  # New Zealand springs forward in September
        (NEW_YORK, date(2026, 11, 1), 25),
    ],
)
def test_a_local_day_is_as_long_as_the_clocks_make_it(tz: ZoneInfo, day: date, hours: int) -> None:
    window = local_window(day, day, tz)
    assert window.end - window.start == timedelta(hours=hours)
    assert window.start.astimezone(tz).strftime("%Y-%m-%d %H:%M") == f"{day} 00:00"
    assert window.start.tzinfo is UTC


HAVANA = ZoneInfo("America/Havana")  # changes its clocks at midnight


def test_days_tile_even_where_midnight_is_skipped_or_repeated() -> None:
    spring, autumn = date(2026, 3, 8), date(2026, 11, 1)
    # No 00:00 on 8 March: the day starts when the clocks resume, at 01:00.
    assert local_window(spring, spring, HAVANA).start == at("2026-03-08T01:00:00-04:00")
    # 00:00 twice on 1 November: the day starts at the first one and has 25 hours.
    window = local_window(autumn, autumn, HAVANA)
    assert window.start == at("2026-11-01T00:00:00-04:00")
    assert window.end - window.start == timedelta(hours=25)
    for first in (spring, autumn):
        days = [first + timedelta(days=offset) for offset in range(-2, 3)]
        windows = [local_window(day, day, HAVANA) for day in days]
        assert all(a.end == b.start for a, b in pairwise(windows))
        assert local_window(days[0], days[-1], HAVANA) == Interval(
            windows[0].start, windows[-1].end
        )


def test_a_saturday_worked_until_midnight_runs_through_a_repeated_hour() -> None:
    saturday_evening = rules({5: ((23 * 60, 24 * 60),)}, time_zone=HAVANA)
    now = at("2026-10-25T00:00:00Z")
    sunday = date(2026, 11, 1)
    # Until the second midnight: 23:00, 23:30, then 00:00 and 00:30 before the clocks go back.
    slots = open_slots(saturday_evening, INTRO, local_window(sunday, sunday, HAVANA), [], now)
    assert [slot.start.astimezone(HAVANA).strftime("%d %H:%M%z") for slot in slots] == [
        "01 00:00-0400",
        "01 00:30-0400",
    ]
    for slot in slots:
        assert check(saturday_evening, INTRO, slot.start, [], now) is None
    assert check(saturday_evening, INTRO, at("2026-11-01T00:00:00-05:00"), [], now) == (
        Refusal.OUTSIDE_HOURS
    )


def test_a_window_needs_its_last_date_on_or_after_its_first() -> None:
    with pytest.raises(ValueError, match="before"):
        local_window(date(2026, 11, 24), date(2026, 11, 23), MALTA)


# --- notice and horizon -----------------------------------------------------------------

MONDAY_NINE = at("2026-11-23T08:00:00Z")  # 09:00 in Malta


def test_visitors_get_four_hours_notice_and_staff_only_need_the_time_not_begun() -> None:
    visitor = day_slots(rules(), "2026-11-23", now=MONDAY_NINE)
    staff = day_slots(rules(), "2026-11-23", now=MONDAY_NINE, notice=False)
    assert utc(visitor)[0] == "23 12:00"  # exactly four hours: allowed
    assert utc(staff)[0] == "23 08:30"  # the 09:00 meeting is starting right now
    assert check(rules(), INTRO, at("2026-11-23T11:30:00Z"), [], MONDAY_NINE) is Refusal.TOO_SOON
    assert check(rules(), INTRO, at("2026-11-23T11:30:00Z"), [], MONDAY_NINE, notice=False) is None


def test_nothing_is_offered_at_or_beyond_the_horizon() -> None:
    rule = rules(horizon_days=60)  # MONDAY_NINE + 60 days = Friday 2027-01-22 08:00Z
    window = local_window(date(2027, 1, 21), date(2027, 1, 22), MALTA)
    slots = open_slots(rule, INTRO, window, [], MONDAY_NINE)
    assert utc(slots)[-1] == "21 15:30"
    assert all(slot.start.date() == date(2027, 1, 21) for slot in slots)
    assert check(rule, INTRO, at("2027-01-22T08:00:00Z"), [], MONDAY_NINE) is Refusal.TOO_FAR
    assert check(rule, INTRO, at("2027-01-21T15:30:00Z"), [], MONDAY_NINE) is None
    longer = open_slots(rules(horizon_days=61), INTRO, window, [], MONDAY_NINE)
    assert utc(longer)[-1] == "22 15:30"


# --- busy time and buffers --------------------------------------------------------------


def test_a_busy_block_blocks_the_buffer_before_and_after_it() -> None:
    busy = [span("2026-11-23T10:00:00Z", "2026-11-23T11:00:00Z")]
    with_buffer = utc(day_slots(rules(buffer_minutes=15), "2026-11-23", busy=busy))
    without = utc(day_slots(rules(buffer_minutes=0), "2026-11-23", busy=busy))
    # 09:30Z ends as the block starts and 11:00Z starts as it ends: blocked only by the buffer.
    assert "23 09:30" not in with_buffer and "23 11:00" not in with_buffer
    assert "23 09:30" in without and "23 11:00" in without
    for inside in ("23 10:00", "23 10:30"):
        assert inside not in with_buffer and inside not in without
    assert "23 09:00" in with_buffer and "23 11:30" in with_buffer


@pytest.mark.parametrize(
    ("block", "slot"),
    [
        (("10:00", "10:20"), "10:30"),  # starts 10 minutes after a block ...
        (("10:40", "11:00"), "10:00"),  # ... or ends 10 minutes before one
    ],
)
def test_the_buffer_is_exactly_buffer_minutes_wide(block: tuple[str, str], slot: str) -> None:
    busy = [span(f"2026-11-23T{block[0]}:00Z", f"2026-11-23T{block[1]}:00Z")]
    assert f"23 {slot}" not in utc(day_slots(rules(buffer_minutes=15), "2026-11-23", busy=busy))
    assert f"23 {slot}" not in utc(day_slots(rules(buffer_minutes=11), "2026-11-23", busy=busy))
    assert f"23 {slot}" in utc(day_slots(rules(buffer_minutes=10), "2026-11-23", busy=busy))


def test_overlapping_unsorted_empty_and_far_away_busy_blocks() -> None:
    messy = [
        span("2026-11-23T13:00:00Z", "2026-11-23T14:00:00Z"),
        span("2026-11-23T10:30:00Z", "2026-11-23T12:00:00Z"),
        span("2026-11-23T13:30:00Z", "2026-11-23T13:45:00Z"),  # inside another
        span("2026-11-23T10:00:00Z", "2026-11-23T11:00:00Z"),
        span("2026-11-23T08:00:00Z", "2026-11-23T08:00:00Z"),  # empty: ignored
        span("2026-12-01T08:00:00Z", "2026-12-01T16:00:00Z"),  # another day
        span("2026-11-23T17:00:00+01:00", "2026-11-23T18:00:00+01:00"),  # in Malta time
    ]
    tidy = [
        span("2026-11-23T10:00:00Z", "2026-11-23T12:00:00Z"),
        span("2026-11-23T13:00:00Z", "2026-11-23T14:00:00Z"),
        span("2026-11-23T16:00:00Z", "2026-11-23T17:00:00Z"),
    ]
    rule = rules(buffer_minutes=0)
    slots = day_slots(rule, "2026-11-23", busy=messy)
    assert slots == day_slots(rule, "2026-11-23", busy=tidy)
    assert utc(slots) == [
        "23 08:00", "23 08:30", "23 09:00", "23 09:30", "23 12:00", "23 12:30",
        "23 14:00", "23 14:30", "23 15:00", "23 15:30",
    ]  # fmt: skip
    assert all(slot.start.tzinfo is UTC for slot in slots)
    now = at("2026-11-18T00:00:00Z")
    assert check(rule, INTRO, at("2026-11-23T08:00:00Z"), messy, now) is None  # the empty one
    assert check(rule, INTRO, at("2026-11-23T11:30:00Z"), messy, now) is Refusal.BUSY


def test_busy_times_as_firestore_returns_them_block_like_any_other() -> None:
    stored = [
        Interval(
            DatetimeWithNanoseconds(2026, 11, 23, 10, 0, nanosecond=1, tzinfo=UTC),
            DatetimeWithNanoseconds(2026, 11, 23, 10, 30, tzinfo=UTC),
        )
    ]
    slots = utc(day_slots(rules(buffer_minutes=0), "2026-11-23", busy=stored))
    assert "23 10:00" not in slots and "23 09:30" in slots and "23 10:30" in slots


def test_a_longer_meeting_needs_a_longer_gap_and_must_end_by_closing_time() -> None:
    busy = [span("2026-11-23T10:00:00Z", "2026-11-23T10:30:00Z")]
    rule = rules(buffer_minutes=0)
    intro = utc(day_slots(rule, "2026-11-23", INTRO, busy))
    project = utc(day_slots(rule, "2026-11-23", PROJECT, busy))
    assert "23 09:30" in intro and "23 09:30" not in project
    assert "23 09:00" in project
    assert intro[-1] == "23 15:30" and project[-1] == "23 15:00"  # 16:30 and 16:00 in Malta
    assert all(
        slot.end - slot.start == timedelta(minutes=60)
        for slot in day_slots(rule, "2026-11-23", PROJECT)
    )
    monday = at("2026-11-10T00:00:00Z")
    assert check(rule, PROJECT, at("2026-11-23T15:30:00Z"), [], monday) is Refusal.OUTSIDE_HOURS
    assert check(rule, INTRO, at("2026-11-23T15:30:00Z"), [], monday) is None


def test_a_lunch_break_splits_the_day() -> None:
    lunch = rules({0: ((hhmm("09:00"), hhmm("12:00")), (hhmm("13:00"), hhmm("17:00")))})
    assert [w[:5] for w in wall(day_slots(lunch, "2026-11-23"))] == [
        "09:00", "09:30", "10:00", "10:30", "11:00", "11:30",
        "13:00", "13:30", "14:00", "14:30", "15:00", "15:30", "16:00", "16:30",
    ]  # fmt: skip
    project = [w[:5] for w in wall(day_slots(lunch, "2026-11-23", PROJECT))]
    assert "11:00" in project and "11:30" not in project and "12:00" not in project
    now = at("2026-11-10T00:00:00Z")
    assert check(lunch, PROJECT, at("2026-11-23T11:30:00+01:00"), [], now) is Refusal.OUTSIDE_HOURS


def test_slots_count_from_the_range_start_not_the_hour() -> None:
    quarter_past = rules({0: ((hhmm("09:15"), hhmm("11:00")),)})
    assert [w[:5] for w in wall(day_slots(quarter_past, "2026-11-23"))] == [
        "09:15",
        "09:45",
        "10:15",
    ]


# --- check() ----------------------------------------------------------------------------

NOW = at("2026-11-20T08:00:00Z")  # Friday 09:00 in Malta
BUSY = [span("2026-11-20T08:00:00Z", "2026-11-20T16:00:00Z"),  # all Friday
        span("2026-11-23T12:00:00Z", "2026-11-23T13:00:00Z")]  # fmt: skip


@pytest.mark.parametrize(
    ("start", "refusal"),
    [
        ("2026-11-20T08:00:00Z", Refusal.PAST),  # now: also busy and too soon
        ("2026-11-19T23:00:00Z", Refusal.PAST),  # earlier, outside hours too
        ("2026-11-20T10:00:00Z", Refusal.TOO_SOON),  # busy too
        ("2026-11-20T10:15:00Z", Refusal.TOO_SOON),  # off the grid too
        ("2027-01-19T20:00:00Z", Refusal.TOO_FAR),  # outside hours too
        ("2027-01-19T08:00:00Z", Refusal.TOO_FAR),  # a working Tuesday, past 60 days
        ("2026-11-21T09:00:00Z", Refusal.OUTSIDE_HOURS),  # Saturday
        ("2026-11-23T07:00:00Z", Refusal.OUTSIDE_HOURS),  # 08:00 in Malta
        ("2026-11-23T08:10:00Z", Refusal.OUTSIDE_HOURS),  # not on the half hour
        ("2026-11-23T08:00:30Z", Refusal.OUTSIDE_HOURS),  # thirty seconds off
        ("2026-11-23T16:00:00Z", Refusal.OUTSIDE_HOURS),  # 17:00, closing time
        ("2026-11-23T11:30:00Z", Refusal.BUSY),  # ends as the busy block starts: buffer
        ("2026-11-23T12:00:00Z", Refusal.BUSY),
        ("2026-11-23T11:00:00Z", None),
        ("2026-11-23T13:00:00Z", Refusal.BUSY),  # starts as the busy block ends: buffer
        ("2026-11-23T13:15:00Z", Refusal.OUTSIDE_HOURS),  # clear of the buffer, off the grid
        ("2026-11-23T13:30:00Z", None),
        ("2026-11-23T08:00:00Z", None),
        ("2026-11-23T09:00:00+01:00", None),  # the same instant written in Malta time
        ("2026-11-23T03:00:00-05:00", None),  # ... and in New York time
        ("2026-11-23T17:00:00+09:00", None),  # ... and in Tokyo time
    ],
)
def test_check_gives_the_first_refusal_in_order(start: str, refusal: Refusal | None) -> None:
    assert check(rules(), INTRO, at(start), BUSY, NOW) is refusal


def test_too_soon_is_said_before_too_far() -> None:
    # Only odd settings make both true: three days' notice but a horizon of one day.
    odd = rules(min_notice_minutes=3 * 1440, horizon_days=1)
    assert check(odd, INTRO, at("2026-11-22T08:00:00Z"), [], NOW) is Refusal.TOO_SOON


def test_a_refusal_reads_as_the_words_the_api_sends() -> None:
    assert [str(refusal) for refusal in Refusal] == [
        "past",
        "too_soon",
        "too_far",
        "outside_hours",
        "busy",
    ]


# --- reschedule and locks ---------------------------------------------------------------


def test_subtract_frees_only_the_booking_being_moved() -> None:
    busy = [
        span("2026-11-23T10:00:00Z", "2026-11-23T12:00:00Z"),
        span("2026-11-23T14:00:00Z", "2026-11-23T15:00:00Z"),
    ]
    own = span("2026-11-23T10:30:00Z", "2026-11-23T11:00:00Z")
    assert subtract(busy, own) == [
        span("2026-11-23T10:00:00Z", "2026-11-23T10:30:00Z"),
        span("2026-11-23T11:00:00Z", "2026-11-23T12:00:00Z"),
        span("2026-11-23T14:00:00Z", "2026-11-23T15:00:00Z"),
    ]
    assert subtract(busy, span("2026-11-23T09:00:00Z", "2026-11-23T13:00:00Z")) == busy[1:]
    assert subtract(busy, span("2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z")) == busy


def test_a_booking_can_move_half_an_hour_later_once_it_no_longer_blocks_itself() -> None:
    booking = span("2026-11-23T10:00:00Z", "2026-11-23T10:30:00Z")
    busy = [booking, span("2026-11-23T14:00:00Z", "2026-11-23T15:00:00Z")]
    assert "23 10:30" not in utc(day_slots(rules(), "2026-11-23", busy=busy))
    freed = utc(day_slots(rules(), "2026-11-23", busy=subtract(busy, booking)))
    assert "23 10:00" in freed and "23 10:30" in freed
    assert "23 13:30" not in freed  # the other meeting still blocks


def test_a_half_hour_meeting_with_its_buffer_locks_nine_five_minute_cells() -> None:
    cells = lock_cells(at("2026-11-23T10:00:00Z"), at("2026-11-23T10:30:00Z"), 15)
    assert [cell.strftime("%H:%M") for cell in cells] == [
        "10:00", "10:05", "10:10", "10:15", "10:20", "10:25", "10:30", "10:35", "10:40",
    ]  # fmt: skip
    assert all(cell.tzinfo is UTC for cell in cells)
    in_malta = lock_cells(at("2026-11-23T11:00:00+01:00"), at("2026-11-23T11:30:00+01:00"), 15)
    assert in_malta == cells


def test_bookings_that_respect_the_buffer_share_no_lock_and_those_that_do_not_share_one() -> None:
    first = set(lock_cells(at("2026-11-23T10:00:00Z"), at("2026-11-23T10:30:00Z"), 15))
    after = set(lock_cells(at("2026-11-23T10:45:00Z"), at("2026-11-23T11:15:00Z"), 15))
    too_close = set(lock_cells(at("2026-11-23T10:40:00Z"), at("2026-11-23T11:10:00Z"), 15))
    before_too_close = set(lock_cells(at("2026-11-23T09:20:00Z"), at("2026-11-23T09:50:00Z"), 15))
    assert first.isdisjoint(after)
    assert first & too_close == {at("2026-11-23T10:40:00Z")}
    assert first & before_too_close == {at("2026-11-23T10:00:00Z")}


def test_lock_cells_round_an_odd_time_outwards() -> None:
    cells = lock_cells(at("2026-11-23T10:02:00Z"), at("2026-11-23T10:32:00Z"), 15)
    assert (cells[0], cells[-1], len(cells)) == (
        at("2026-11-23T10:00:00Z"),
        at("2026-11-23T10:45:00Z"),
        10,
    )
    assert len(lock_cells(at("2026-11-23T10:00:00Z"), at("2026-11-23T10:30:00Z"), 15, 1)) == 45


# --- refused input ----------------------------------------------------------------------

NAIVE = datetime(2026, 11, 23, 10, 0)
WINDOW = local_window(date(2026, 11, 23), date(2026, 11, 23), MALTA)
AWARE = at("2026-11-23T10:00:00Z")


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: open_slots(rules(), INTRO, WINDOW, [], NAIVE), "now"),
        (lambda: open_slots(rules(), INTRO, Interval(NAIVE, AWARE), [], AWARE), "window.start"),
        (
            lambda: open_slots(rules(), INTRO, WINDOW, [span("2026-11-23T10:00:00Z", "2026-11-23T11:00:00Z"), Interval(AWARE, NAIVE)], AWARE),
            r"busy\[1\].end",
        ),
        (lambda: check(rules(), INTRO, NAIVE, [], AWARE), "start"),
        (lambda: check(rules(), INTRO, AWARE, [], NAIVE), "now"),
        (lambda: check(rules(), INTRO, AWARE + timedelta(days=3), [Interval(NAIVE, AWARE)], AWARE), r"busy\[0\].start"),
        (lambda: subtract([], Interval(AWARE, NAIVE)), "own.end"),
        (lambda: by_day([Interval(NAIVE, AWARE)], MALTA, date(2026, 11, 23), date(2026, 11, 23)), r"slots\[0\].start"),
        (lambda: lock_cells(NAIVE, AWARE, 15), "start"),
        (lambda: lock_cells(AWARE, NAIVE, 15), "end"),
    ],
)  # fmt: skip
def test_a_naive_time_is_refused_by_name(call: Callable[[], object], argument: str) -> None:
    with pytest.raises(ValueError, match=rf"^{argument} must be timezone-aware"):
        call()


@pytest.mark.parametrize(
    "hours",
    [{0: ((600, 540),)}, {0: ((540, 540),)}, {0: ((-30, 540),)}, {0: ((540, 1441),)}, {7: NINE_TO_FIVE}],
)  # fmt: skip
def test_working_hours_that_cannot_be_meant_are_refused(hours: dict[int, Any]) -> None:
    with pytest.raises(ValueError):
        rules(hours)


def test_a_step_of_zero_and_a_meeting_of_no_length_are_refused() -> None:
    with pytest.raises(ValueError, match="step_minutes"):
        rules(step_minutes=0)
    with pytest.raises(ValueError, match="at least a minute"):
        MeetingType("none", "Nothing", 0)


def test_a_lock_needs_a_meeting_that_ends_after_it_starts() -> None:
    with pytest.raises(ValueError, match="after start"):
        lock_cells(AWARE, AWARE, 15)


# --- speed ------------------------------------------------------------------------------


def test_sixty_two_days_against_five_hundred_busy_blocks_is_quick() -> None:
    now = at("2026-03-01T00:00:00Z")
    window = local_window(date(2026, 3, 1), date(2026, 5, 1), MALTA)
    # 500 blocks of 0-119 minutes spread over the window, unsorted, some overlapping.
    starts = [window.start + timedelta(minutes=(index * 173) % (62 * 1440)) for index in range(500)]
    busy = [
        Interval(start, start + timedelta(minutes=(index * 7) % 120))
        for index, start in enumerate(starts)
    ]
    best = float("inf")
    for _ in range(5):
        began = timer.perf_counter()
        slots = open_slots(rules(min_notice_minutes=0), INTRO, window, busy, now)
        best = min(best, timer.perf_counter() - began)
    assert slots and len(slots) < 44 * 16  # busy time took some of the 44 working days
    assert best < 0.05


# --- properties -------------------------------------------------------------------------

ZONES = [MALTA, NEW_YORK, AUCKLAND, TOKYO]
SWITCH_DAYS = [
    date(2026, 3, 29),
    date(2026, 10, 25),
    date(2027, 3, 28),
    date(2026, 3, 8),  # New York springs forward
    date(2026, 11, 1),  # and falls back
    date(2026, 9, 27),  # Auckland springs forward
    date(2026, 4, 5),  # and falls back
    date(2026, 11, 24),  # no switch
]


@st.composite
def working_hours(draw: st.DrawFn) -> dict[int, tuple[tuple[int, int], ...]]:
    hours: dict[int, tuple[tuple[int, int], ...]] = {}
    for weekday in range(7):
        edges = sorted(draw(st.sets(st.integers(0, 96).map(lambda q: q * 15), max_size=6)))
        hours[weekday] = tuple(zip(edges[::2], edges[1::2], strict=False))
    return hours


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    rule = Rules(
        time_zone=draw(st.sampled_from(ZONES)),
        hours=draw(working_hours()),
        types={},
        step_minutes=draw(st.sampled_from([5, 15, 20, 30, 45, 60])),
        buffer_minutes=draw(st.sampled_from([0, 5, 15, 30])),
        min_notice_minutes=draw(st.sampled_from([0, 60, 240])),
        horizon_days=draw(st.sampled_from([1, 3, 60])),
    )
    meeting = MeetingType("m", "Meeting", draw(st.sampled_from([15, 30, 45, 60, 90])))
    first = draw(st.sampled_from(SWITCH_DAYS)) + timedelta(days=draw(st.integers(-2, 1)))
    window = local_window(
        first, first + timedelta(days=draw(st.integers(0, 2))), draw(st.sampled_from(ZONES))
    )
    minute = timedelta(minutes=1)
    now = window.start + draw(st.integers(-3 * 1440, 1440)) * minute
    busy = [
        Interval(start, start + draw(st.integers(0, 240)) * minute)
        for start in draw(
            st.lists(
                st.integers(-1440, 4 * 1440).map(lambda m: window.start + m * minute), max_size=15
            )
        )
    ]
    probes = draw(
        st.lists(st.integers(0, 3 * 288).map(lambda k: window.start + 5 * k * minute), max_size=20)
    )
    return {"rule": rule, "meeting": meeting, "window": window, "now": now, "busy": busy,
            "probes": probes, "notice": draw(st.booleans())}  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_open_slots_and_check_agree_and_no_slot_touches_busy_time(case: dict[str, Any]) -> None:
    rule, meeting, window, now, busy, notice = (
        case["rule"], case["meeting"], case["window"], case["now"], case["busy"], case["notice"]
    )  # fmt: skip
    slots = open_slots(rule, meeting, window, busy, now, notice=notice)
    starts = [slot.start for slot in slots]
    assert starts == sorted(set(starts))
    buffer = timedelta(minutes=rule.buffer_minutes)
    for slot in slots:
        assert window.start <= slot.start < window.end
        assert slot.end - slot.start == timedelta(minutes=meeting.minutes)
        assert check(rule, meeting, slot.start, busy, now, notice=notice) is None
        for block in busy:
            if block.start < block.end:
                assert block.end <= slot.start - buffer or block.start >= slot.end + buffer
    offered = set(starts)
    for probe in case["probes"]:
        if window.start <= probe < window.end:
            assert (check(rule, meeting, probe, busy, now, notice=notice) is None) == (
                probe in offered
            )


@settings(max_examples=300, deadline=None)
@given(
    first_start=st.integers(0, 2000),
    first_cells=st.integers(1, 24),
    offset=st.integers(-60, 60),
    second_cells=st.integers(1, 24),
    buffer_cells=st.integers(0, 12),
)
def test_lock_cells_collide_exactly_when_bookings_are_closer_than_the_buffer(
    first_start: int, first_cells: int, offset: int, second_cells: int, buffer_cells: int
) -> None:
    cell = timedelta(minutes=5)
    base = at("2026-11-23T00:00:00Z")
    a = Interval(base + first_start * cell, base + (first_start + first_cells) * cell)
    b_start = a.start + offset * cell
    b = Interval(b_start, b_start + second_cells * cell)
    buffer = buffer_cells * cell
    apart = b.start >= a.end + buffer or a.start >= b.end + buffer
    a_cells = set(lock_cells(a.start, a.end, buffer_cells * 5))
    b_cells = set(lock_cells(b.start, b.end, buffer_cells * 5))
    assert a_cells.isdisjoint(b_cells) == apart


@settings(max_examples=200, deadline=None)
@given(
    blocks=st.lists(st.tuples(st.integers(0, 200), st.integers(0, 60)), max_size=8),
    own=st.tuples(st.integers(0, 200), st.integers(1, 60)),
    probes=st.lists(st.integers(-10, 270), max_size=30),
)
def test_subtract_keeps_exactly_the_busy_minutes_outside_the_booking(
    blocks: list[tuple[int, int]], own: tuple[int, int], probes: list[int]
) -> None:
    base = at("2026-11-23T00:00:00Z")
    minute = timedelta(minutes=1)

    def interval(start: int, length: int) -> Interval:
        return Interval(base + start * minute, base + (start + length) * minute)

    busy = [interval(*block) for block in blocks]
    mine = interval(*own)
    left = subtract(busy, mine)
    for probe in (base + p * minute for p in probes):
        inside = any(b.start <= probe < b.end for b in busy) and not mine.start <= probe < mine.end
        assert any(piece.start <= probe < piece.end for piece in left) == inside
