"""The figures of one period, from roll-up documents, customer rows and today's calls.

No I/O: service.py reads, this adds up. Roll-ups are summed whatever their shard (a
live day's eight shards and a closed day's ``_all`` document are the same kind of
thing), and a counter that is missing or not a whole number counts as 0, so a
half-written or hand-edited document can make a figure low but never break the page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from hearth.rules import money, periods
from hearth.rules.periods import Period
from hearth.rules.sources import DIRECT

COUNTERS = ("pageviews", "visitors", "leads")
MAPS = ("pages", "sources", "mediums", "campaigns", "events", "wizardSteps", "forms")
TOP = 20  # rows kept of the long-tailed lists: pages, sources, mediums, campaigns
WIZARD_START, WIZARD_COMPLETE = "wizard_start", "wizard_complete"
CONFIRMED = "confirmed"


def number(value: object) -> int:
    """A stored counter as a count: whole and not negative, else 0."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return 0


@dataclass
class Tally:
    """The sum of any number of roll-up documents."""

    counters: Counter[str] = field(default_factory=Counter)
    maps: dict[str, Counter[str]] = field(default_factory=lambda: {n: Counter() for n in MAPS})

    def add(self, doc: Mapping[str, Any]) -> None:
        for name in COUNTERS:
            self.counters[name] += number(doc.get(name))
        for name in MAPS:
            values = doc.get(name)
            if isinstance(values, Mapping):
                for key, value in values.items():
                    self.maps[name][str(key)] += number(value)

    def forms(self) -> int:
        return sum(self.maps["forms"].values())

    def wizard_rate(self) -> float | None:
        events = self.maps["events"]
        return periods.ratio(events[WIZARD_COMPLETE], events[WIZARD_START])


def tally(docs: Iterable[Mapping[str, Any]]) -> Tally:
    total = Tally()
    for doc in docs:
        total.add(doc)
    return total


def ranked(counts: Mapping[str, int], key: str, value: str, limit: int | None = None) -> list:
    """Largest first, ties by name; rows of 0 are left out (nothing happened there)."""
    rows = sorted(((name, n) for name, n in counts.items() if n), key=lambda r: (-r[1], r[0]))
    return [{key: name, value: n} for name, n in rows[:limit]]


def figure(value: int | float | None, previous: int | float | None) -> dict[str, Any]:
    return {"value": value, "previous": previous, "change": periods.change(value, previous)}


def series(period: Period, docs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One point per day (or month) of the period, zeros where nothing was recorded.
    A month roll-up (``month``, no ``day``) is a point of a monthly series."""
    points = {point: Counter() for point in periods.buckets(period.current, period.granularity)}
    for doc in docs:
        day, month = doc.get("day"), doc.get("month")
        point = periods.bucket(day, period.granularity) if isinstance(day, str) else None
        if point is None and period.granularity == periods.MONTH and isinstance(month, str):
            point = month
        if point in points:
            for name in COUNTERS:
                points[point][name] += number(doc.get(name))
    return [
        {"date": point, **{name: counts[name] for name in COUNTERS}}
        for point, counts in points.items()
    ]


def wizard(total: Tally) -> dict[str, Any]:
    events = total.maps["events"]
    steps = sorted(
        (int(step), n) for step, n in total.maps["wizardSteps"].items() if step.isdigit() and n
    )
    return {
        "started": events[WIZARD_START],
        "steps": [{"step": step, "count": n} for step, n in steps],
        "completed": events[WIZARD_COMPLETE],
        "rate": total.wizard_rate(),
    }


# --- source to money ----------------------------------------------------------------------------


def first_source(customer: Mapping[str, Any]) -> str:
    """The customer's first source as intake stored it (already folded); none is direct."""
    source = customer.get("firstSource")
    return source if isinstance(source, str) and source else DIRECT


def paid(customer: Mapping[str, Any]) -> int:
    balances = customer.get("balances")
    value = balances.get("paid") if isinstance(balances, Mapping) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


@dataclass(frozen=True)
class SourceRow:
    source: str
    visitors: int
    leads: int
    won: int
    revenue: int  # minor units

    def view(self, currency: str) -> dict[str, Any]:
        return {
            "source": self.source,
            "visitors": self.visitors,
            "leads": self.leads,
            "won": self.won,
            "revenue": str(money.amount(self.revenue, currency)),
            "visitorToLead": periods.ratio(self.leads, self.visitors),
            "leadToWon": periods.ratio(self.won, self.leads),
        }


def source_to_money(
    visitors: Mapping[str, int],
    customers: Iterable[Mapping[str, Any]],
    won_stages: frozenset[str],
) -> list[SourceRow]:
    """Per source: its visitors, the customers it brought (archived ones too: they were
    leads all the same), how many of them are won now, and what they have paid.

    Every source with visitors or with leads has a row, so a source that only brings
    people by word of mouth ("direct", a fair's slug) is shown next to the paid ones.
    Sorted by revenue, then leads, then visitors, largest first; ties by name.
    """
    leads: Counter[str] = Counter()
    won: Counter[str] = Counter()
    revenue: Counter[str] = Counter()
    for customer in customers:
        source = first_source(customer)
        leads[source] += 1
        won[source] += customer.get("stage") in won_stages
        revenue[source] += paid(customer)
    names = {name for name, n in visitors.items() if n} | set(leads)
    rows = [
        SourceRow(name, visitors.get(name, 0), leads[name], won[name], revenue[name])
        for name in names
    ]
    return sorted(rows, key=lambda r: (-r.revenue, -r.leads, -r.visitors, r.source))


# --- today's calls -------------------------------------------------------------------------------


def calls_today(bookings: Iterable[Mapping[str, Any]], zone: str) -> dict[str, Any]:
    """Today's confirmed calls, earliest first, in the business time zone."""
    local = ZoneInfo(zone)
    spans = sorted(
        (booking["start"], booking["end"])
        for booking in bookings
        if booking.get("status") == CONFIRMED
        and isinstance(booking.get("start"), datetime)
        and isinstance(booking.get("end"), datetime)
    )
    return {
        "count": len(spans),
        "calls": [
            {
                "start": start.astimezone(local).isoformat(timespec="seconds"),
                "end": end.astimezone(local).isoformat(timespec="seconds"),
            }
            for start, end in spans
        ],
    }


# --- the whole answer ----------------------------------------------------------------------------


def report(
    period: Period,
    *,
    zone: str,
    currency: str,
    current: list[Mapping[str, Any]],
    previous: list[Mapping[str, Any]],
    customers: list[Mapping[str, Any]],
    won_stages: frozenset[str],
    bookings: list[Mapping[str, Any]],
) -> dict[str, Any]:
    """The answer of GET /analytics (docs/analytics.md), from what the store returned."""
    now, before = tally(current), tally(previous)
    sources = now.maps["sources"]
    return {
        "period": period.name,
        "label": period.label,
        "timeZone": zone,
        "currency": currency,
        "range": period.current.iso(),
        "previousRange": period.previous.iso(),
        "granularity": period.granularity,
        "totals": {
            "pageviews": figure(now.counters["pageviews"], before.counters["pageviews"]),
            "visitors": figure(now.counters["visitors"], before.counters["visitors"]),
            "leads": figure(now.counters["leads"], before.counters["leads"]),
            "formSubmissions": figure(now.forms(), before.forms()),
            "wizardCompletion": figure(now.wizard_rate(), before.wizard_rate()),
        },
        "series": series(period, current),
        "wizard": wizard(now),
        "forms": ranked(now.maps["forms"], "form", "submissions"),
        "topPages": ranked(now.maps["pages"], "path", "pageviews", TOP),
        "sources": ranked(sources, "source", "visitors", TOP),
        "mediums": ranked(now.maps["mediums"], "medium", "visitors", TOP),
        "campaigns": ranked(now.maps["campaigns"], "campaign", "visitors", TOP),
        "sourceToMoney": [
            row.view(currency) for row in source_to_money(sources, customers, won_stages)
        ],
        "callsToday": calls_today(bookings, zone),
    }
