"""Report periods: which business days a period covers, and how two periods compare.

A studio thinks in its own days: "today" in Malta starts at Malta's midnight, not UTC's,
and a day that loses an hour to summer time is still one day. So every period is a run
of business days (dates in the business time zone), and instants only appear at the
edge, where a day becomes the UTC instants a timestamp query needs. Pure: the reports
domain reads the store; this module only counts days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY, MONTH = "day", "month"
DEFAULT = "30d"
# The periods a report may ask for, with what a person reads above the figures.
LABELS: dict[str, str] = {
    "today": "Today",
    "7d": "Last 7 days",
    "30d": "Last 30 days",
    "12m": "Last 12 months",
}
DAYS = {"today": 1, "7d": 7, "30d": 30}
MONTHS = 12
# Ratios and changes are for people: four decimals are a tenth of a percent and stop
# 0.30000000000000004 from reaching a chart label.
PLACES = 4


@dataclass(frozen=True)
class Days:
    """Business days ``first`` to ``last``, both included."""

    first: date
    last: date

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    def iso(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


@dataclass(frozen=True)
class Period:
    name: str
    label: str
    current: Days
    previous: Days
    granularity: str  # DAY or MONTH: what one point of the series covers


def is_period(name: str) -> bool:
    return name in LABELS


def period(name: str, today: date) -> Period:
    """The period ``name`` ending with ``today`` (included), and the one just before it.

    Day periods are the last N days and the N days before those; "12m" is the last 12
    calendar months, the current one so far included, and the 12 whole months before.
    """
    if name == "12m":
        first = add_months(today.replace(day=1), -(MONTHS - 1))
        before = Days(add_months(first, -MONTHS), first - timedelta(days=1))
        return Period(name, LABELS[name], Days(first, today), before, MONTH)
    if name not in DAYS:
        raise ValueError(f"{name!r} is not a period")
    length = timedelta(days=DAYS[name])
    first = today - length + timedelta(days=1)
    before = Days(first - length, first - timedelta(days=1))
    return Period(name, LABELS[name], Days(first, today), before, DAY)


def add_months(day: date, months: int) -> date:
    """The first of a month ``months`` away from ``day``'s month (``day`` is a first)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_key(day: date) -> str:
    """The month a day belongs to, as roll-ups name it: "2026-12"."""
    return day.isoformat()[:7]


def month_days(month: str) -> Days:
    """Every day of the month "2026-12"."""
    first = date.fromisoformat(f"{month}-01")
    return Days(first, add_months(first, 1) - timedelta(days=1))


def months(first: date, last: date) -> list[str]:
    """The months from ``first``'s to ``last``'s, both included, in order."""
    keys: list[str] = []
    month = first.replace(day=1)
    while month <= last:
        keys.append(month_key(month))
        month = add_months(month, 1)
    return keys


def closed_months(days: Days, today: date) -> list[str]:
    """The months wholly inside ``days`` that ended before ``today``: those a monthly
    roll-up may stand for (the current month is still being counted)."""
    return [
        month
        for month in months(days.first, days.last)
        if month_days(month).first >= days.first
        and month_days(month).last <= min(days.last, today - timedelta(days=1))
    ]


def uncovered(days: Days, covered: set[str]) -> list[Days]:
    """The runs of ``days`` outside the ``covered`` months, each as long as it can be,
    so the days still to read take as few range queries as possible."""
    runs: list[Days] = []
    for day in days.days():
        if month_key(day) in covered:
            continue
        if runs and runs[-1].last == day - timedelta(days=1):
            runs[-1] = Days(runs[-1].first, day)
        else:
            runs.append(Days(day, day))
    return runs


def bucket(day: str, granularity: str) -> str:
    """The series point a day ("2026-12-06") counts towards: itself, or "2026-12"."""
    return day[:7] if granularity == MONTH else day


def buckets(days: Days, granularity: str) -> list[str]:
    """Every point of the series, in order, so a chart has no gap where nothing happened."""
    points: list[str] = []
    for day in days.days():
        point = bucket(day.isoformat(), granularity)
        if not points or points[-1] != point:
            points.append(point)
    return points


def business_day(moment: datetime, zone: str) -> date:
    """The date it is in the business time zone at ``moment``."""
    return moment.astimezone(ZoneInfo(zone)).date()


def day_start(day: date, zone: str) -> datetime:
    """The UTC instant the business day begins (its local midnight).

    Computed per day rather than by adding 24 hours: the day summer time starts has 23
    hours and the day it ends 25, and a boundary off by an hour moves a lead made just
    after midnight into the wrong day.
    """
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def bounds(days: Days, zone: str) -> tuple[datetime, datetime]:
    """[start, end) in UTC covering the business days, for a timestamp range query."""
    return day_start(days.first, zone), day_start(days.last + timedelta(days=1), zone)


def ratio(part: int | float, whole: int | float) -> float | None:
    """part / whole, or None when there is no whole: "no visitors" is not "0 %"."""
    if not whole:
        return None
    return round(part / whole, PLACES)


def change(value: int | float | None, previous: int | float | None) -> float | None:
    """(value - previous) / previous; None when either is unknown or previous is 0,
    since growth from nothing has no percentage."""
    if value is None or previous is None or not previous:
        return None
    return round((value - previous) / previous, PLACES)
