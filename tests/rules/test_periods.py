"""Report periods: the business days each covers, the period before it, and changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from hearth.rules import periods
from hearth.rules.periods import Days

MALTA = "Europe/Malta"
TODAY = date(2026, 12, 6)


def test_today_is_one_day_and_the_previous_period_is_yesterday() -> None:
    period = periods.period("today", TODAY)

    assert period.current == Days(TODAY, TODAY)
    assert period.previous == Days(date(2026, 12, 5), date(2026, 12, 5))
    assert period.granularity == "day"
    assert period.label == "Today"


@pytest.mark.parametrize(
    ("name", "first", "previous"),
    [
        ("7d", date(2026, 11, 30), Days(date(2026, 11, 23), date(2026, 11, 29))),
        ("30d", date(2026, 11, 7), Days(date(2026, 10, 8), date(2026, 11, 6))),
    ],
)
def test_day_periods_are_the_last_n_days_with_today_and_the_n_days_before(
    name: str, first: date, previous: Days
) -> None:
    period = periods.period(name, TODAY)

    assert period.current == Days(first, TODAY)
    assert period.previous == previous
    assert len(period.current.days()) == len(period.previous.days()) == int(name[:-1])
    assert period.current.iso() == {"from": first.isoformat(), "to": "2026-12-06"}


def test_twelve_months_are_calendar_months_with_the_current_one_so_far() -> None:
    period = periods.period("12m", TODAY)

    assert period.current == Days(date(2026, 1, 1), TODAY)
    assert period.previous == Days(date(2025, 1, 1), date(2025, 12, 31))
    assert period.granularity == "month"
    assert periods.buckets(period.current, "month") == [f"2026-{m:02d}" for m in range(1, 13)]


def test_twelve_months_cross_a_year_boundary() -> None:
    period = periods.period("12m", date(2026, 3, 31))

    assert period.current == Days(date(2025, 4, 1), date(2026, 3, 31))
    assert period.previous == Days(date(2024, 4, 1), date(2025, 3, 31))
    assert periods.buckets(period.current, "month")[0] == "2025-04"
    assert periods.buckets(period.current, "month")[-1] == "2026-03"
    assert len(periods.buckets(period.current, "month")) == 12


def test_a_day_series_has_every_day_including_a_leap_day() -> None:
    days = periods.period("7d", date(2028, 3, 2)).current

    assert periods.buckets(days, "day") == [
        "2028-02-25",
        "2028-02-26",
        "2028-02-27",
        "2028-02-28",
        "2028-02-29",
        "2028-03-01",
        "2028-03-02",
    ]


def test_a_day_counts_towards_its_month() -> None:
    assert periods.bucket("2026-12-06", "month") == "2026-12"
    assert periods.bucket("2026-12-06", "day") == "2026-12-06"


def test_twelve_months_may_read_eleven_closed_months_and_the_previous_twelve() -> None:
    period = periods.period("12m", TODAY)

    closed = periods.closed_months(period.current, TODAY)
    assert closed == [f"2026-{month:02d}" for month in range(1, 12)]
    assert periods.closed_months(period.previous, TODAY) == [
        f"2025-{month:02d}" for month in range(1, 13)
    ]
    # The last day of a month: that month is still being counted until tomorrow.
    assert (
        periods.closed_months(Days(date(2026, 11, 1), date(2026, 11, 30)), date(2026, 11, 30)) == []
    )
    assert periods.closed_months(Days(date(2026, 1, 2), date(2026, 3, 5)), TODAY) == ["2026-02"]
    assert periods.month_days("2024-02") == Days(date(2024, 2, 1), date(2024, 2, 29))


def test_the_days_left_to_read_are_the_fewest_runs_outside_the_folded_months() -> None:
    period = periods.period("12m", TODAY)
    folded = {f"2026-{month:02d}" for month in (1, 2, 4, 5, 6, 7, 8, 9, 10, 11)}

    assert periods.uncovered(period.current, folded) == [
        Days(date(2026, 3, 1), date(2026, 3, 31)),
        Days(date(2026, 12, 1), TODAY),
    ]
    assert periods.uncovered(period.current, set()) == [period.current]
    assert periods.uncovered(period.previous, {f"2025-{m:02d}" for m in range(1, 13)}) == []


def test_an_unknown_period_is_not_one() -> None:
    assert not periods.is_period("90d")
    with pytest.raises(ValueError):
        periods.period("90d", TODAY)


# --- business days and their instants ------------------------------------------------------------


def test_the_business_day_is_malta_s_not_utc_s() -> None:
    late_utc = datetime(2026, 12, 5, 23, 30, tzinfo=UTC)  # 00:30 on the 6th in Malta

    assert periods.business_day(late_utc, MALTA) == date(2026, 12, 6)
    assert periods.business_day(late_utc, "UTC") == date(2026, 12, 5)


@pytest.mark.parametrize(
    ("day", "hours"),
    [
        (date(2026, 3, 29), 23),  # summer time starts at 02:00
        (date(2026, 10, 25), 25),  # and ends at 03:00
        (date(2026, 7, 1), 24),
    ],
)
def test_day_boundaries_are_local_midnights_across_summer_time(day: date, hours: int) -> None:
    start, end = periods.bounds(Days(day, day), MALTA)

    assert end - start == timedelta(hours=hours)
    assert periods.business_day(start, MALTA) == day
    assert periods.business_day(end - timedelta(microseconds=1), MALTA) == day
    assert periods.business_day(end, MALTA) == day + timedelta(days=1)


def test_a_week_across_the_clock_change_has_one_hour_less() -> None:
    week = periods.period("7d", date(2026, 3, 31)).current
    start, end = periods.bounds(week, MALTA)

    assert start == datetime(2026, 3, 24, 23, 0, tzinfo=UTC)  # CET midnight
    assert end == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)  # CEST midnight
    assert end - start == timedelta(days=7, hours=-1)


# --- ratios and changes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "previous", "expected"),
    [
        (1234, 1000, 0.234),
        (12, 10, 0.2),
        (20, 25, -0.2),
        (0, 25, -1.0),
        (400, 0, None),  # growth from nothing has no percentage
        (0, 0, None),
        (None, 0.25, None),  # a rate that could not be computed
        (0.3, None, None),
        (1, 3, -0.6667),  # rounded to four places for people
    ],
)
def test_change_is_relative_to_the_previous_value(value, previous, expected) -> None:
    assert periods.change(value, previous) == expected


def test_a_ratio_without_a_whole_is_unknown_not_zero() -> None:
    assert periods.ratio(5, 100) == 0.05
    assert periods.ratio(0, 100) == 0.0
    assert periods.ratio(3, 0) is None
