"""GET /analytics: who may see the figures, which period, and the reads behind them.

The reads are a fixed handful whatever the traffic: range queries over the roll-ups
(the period, then the previous one with only its totals; by month for 12 months), the period's new
customers, today's calls and the pipeline's stages. What they hold is added up by
figures.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from hearth import config
from hearth.errors import Forbidden, Invalid
from hearth.reports import figures, table
from hearth.rules import periods
from hearth.rules.roles import Principal, can_read_reports
from hearth.rules.stages import won_stage_ids
from hearth.store import client as db
from hearth.store import reports as store

FORMATS = ("json", "csv")


def check_may_read(principal: Principal) -> None:
    if not can_read_reports(principal):
        raise Forbidden(
            "Only the owner and managers can see the analytics.",
            {
                "role": f"The {principal.role} role may not see the analytics."
                if principal.role
                else "A user without a role may not see the analytics."
            },
        )


def check_period(raw: str | None) -> str:
    name = periods.DEFAULT if raw is None else raw.strip().lower()
    if not periods.is_period(name):
        allowed = ", ".join(periods.LABELS)
        raise Invalid(
            {"period": f"Use one of {allowed}, not {raw[:40]!r}." if raw else f"Use {allowed}."},
            f"Choose a period: {allowed}.",
        )
    return name


def check_format(raw: str | None) -> str:
    kind = "json" if raw is None else raw.strip().lower()
    if kind not in FORMATS:
        raise Invalid(
            {"format": f"Use json or csv, not {(raw or '')[:40]!r}."},
            "Choose a format: json or csv.",
        )
    return kind


def roll_ups(
    client: Any,
    period: periods.Period,
    days: periods.Days,
    today: date,
    timeout: float,
    fields: tuple[str, ...] | None = None,
) -> list[dict[str, Any]]:
    """The roll-ups that add up to ``days``: for a monthly period, one document per
    closed month the rollover has folded, and the days of the rest (the current month,
    and any closed month not folded yet: dearer then, never wrong). A month is read
    one way or the other, never both, so nothing is counted twice. Day periods read
    days: their series is by day."""
    closed = periods.closed_months(days, today) if period.granularity == periods.MONTH else []
    docs = store.month_roll_ups(client, closed[0], closed[-1], timeout, fields) if closed else []
    folded = {doc.get("month") for doc in docs} & set(closed)
    for run in periods.uncovered(days, folded) if folded else [days]:
        docs += store.roll_ups(client, run.first.isoformat(), run.last.isoformat(), timeout, fields)
    return docs


def analytics(name: str, settings: config.Settings, now: datetime | None = None) -> dict[str, Any]:
    """The whole answer for the period ``name`` ending today (business time)."""
    client, timeout, zone = db.client(), settings.store_timeout_s, settings.time_zone
    day = periods.business_day(now or datetime.now(UTC), zone)
    period = periods.period(name, day)
    current = roll_ups(client, period, period.current, day, timeout)
    previous = roll_ups(client, period, period.previous, day, timeout, fields=store.TOTAL_FIELDS)
    start, end = periods.bounds(period.current, zone)
    customers = store.customers_created(client, start, end, timeout)
    won = won_stage_ids(store.pipeline(client, timeout))
    calls_from, calls_to = periods.bounds(periods.Days(day, day), zone)
    bookings = store.calls_starting(client, calls_from, calls_to, timeout)
    return figures.report(
        period,
        zone=zone,
        currency=settings.currency,
        current=current,
        previous=previous,
        customers=customers,
        won_stages=won,
        bookings=bookings,
    )


@dataclass(frozen=True)
class Download:
    body: str
    content_type: str
    filename: str


def source_to_money_file(
    name: str, settings: config.Settings, now: datetime | None = None
) -> Download:
    """The period's source-to-money table as a CSV download, named after period and day."""
    client, timeout, zone = db.client(), settings.store_timeout_s, settings.time_zone
    day = periods.business_day(now or datetime.now(UTC), zone)
    period = periods.period(name, day)
    days = roll_ups(client, period, period.current, day, timeout, fields=("day", "sources"))
    start, end = periods.bounds(period.current, zone)
    customers = store.customers_created(client, start, end, timeout)
    won = won_stage_ids(store.pipeline(client, timeout))
    visitors = figures.tally(days).maps["sources"]
    rows = figures.source_to_money(visitors, customers, won)
    return Download(
        body=table.source_to_money_csv(rows, settings.currency),
        content_type=table.CONTENT_TYPE,
        filename=f"hearth-source-to-money-{name}-{day.isoformat()}.csv",
    )
