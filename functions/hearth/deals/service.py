"""GET /reports/{name}: who may read which figures, which period, and the reads.

A report opens with a bounded handful of reads whatever the number of customers: the
month buckets of the whole months inside the period and the day buckets of the
partial months at its edges (at most three range queries), the pipeline settings, the
consumer's cursor (how fresh the figures are) and the labels (sources, team) of what
the buckets name. Owner and manager read every owner's buckets; a rep reads only the
buckets of their own uid, the very query firestore.rules allow them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hearth import config
from hearth.deals import table
from hearth.errors import Forbidden, Invalid, NotFound
from hearth.rules import deal_figures as figures
from hearth.rules import periods, timestamps
from hearth.rules.roles import Principal, Role
from hearth.rules.stages import stages_of
from hearth.store import client as db
from hearth.store import deal_reports as store
from hearth.store import pipeline as pipeline_store

NAMES: dict[str, str] = {
    "lead-sources": "Lead source performance",
    "time-in-stage": "Time in stage",
    "reps": "Rep performance",
    "trade-shows": "Trade shows",
}
FORMATS = ("json", "csv")
MAX_DAYS = 366
DEFAULT_DAYS = 30
ALL, OWN = "all", "own"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_may_read(principal: Principal) -> str:
    """The scope the caller reads: everyone's figures, or a rep's own."""
    if principal.role in (Role.OWNER, Role.MANAGER):
        return ALL
    if principal.role is Role.REP:
        return OWN
    role = f"The {principal.role} role" if principal.role else "A user without a role"
    raise Forbidden(
        "Only the owner, managers and reps can see the pipeline reports.",
        {"role": f"{role} may not see the pipeline reports."},
    )


def check_name(name: str) -> str:
    if name not in NAMES:
        allowed = ", ".join(NAMES)
        raise NotFound(
            f"There is no report {name[:60]!r}. Reports: {allowed}.",
            {"name": f"Use one of {allowed}."},
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


def check_by(raw: str | None) -> str:
    """How the reps report counts wins and revenue: at the win (default) or creation."""
    by = figures.BY_WIN if raw is None else raw.strip().lower()
    if by not in (figures.BY_WIN, figures.BY_CREATION):
        raise Invalid(
            {"by": f"Use win or creation, not {(raw or '')[:40]!r}."},
            "Count wins and revenue by win (the owner then) or by creation (the first owner).",
        )
    return by


def _day(raw: str | None, name: str) -> date | None:
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid(
            {name: f"Use a date as YYYY-MM-DD, not {text[:40]!r}."}, "Choose the period's dates."
        ) from None


def check_period(raw_from: str | None, raw_to: str | None, today: date) -> periods.Days:
    """From and to, both included; to defaults to today, from to 29 days before to."""
    last = _day(raw_to, "to") or today
    first = _day(raw_from, "from") or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise Invalid({"from": "The first day cannot be after the last (to)."})
    if (last - first).days + 1 > MAX_DAYS:
        raise Invalid(
            {
                "from": f"A period is at most {MAX_DAYS} days: start on or after "
                f"{(last - timedelta(days=MAX_DAYS - 1)).isoformat()}."
            }
        )
    return periods.Days(first, last)


def whole_months(days: periods.Days) -> list[str]:
    return [
        month
        for month in periods.months(days.first, days.last)
        if periods.month_days(month).first >= days.first
        and periods.month_days(month).last <= days.last
    ]


def read_buckets(
    client: Any, days: periods.Days, principal: Principal, scope: str, timeout: float
) -> list[dict[str, Any]]:
    """The buckets that add up to ``days``: each month whole inside it as one month
    document per owner, the rest as day documents; never a day twice."""
    everyone = scope == ALL
    months = whole_months(days)
    docs: list[dict[str, Any]] = []
    if months:
        docs += store.buckets(
            client, store.MONTHS, months[0], months[-1], principal.uid, timeout, everyone=everyone
        )
    for run in periods.uncovered(days, set(months)):
        docs += store.buckets(
            client,
            store.DAYS,
            run.first.isoformat(),
            run.last.isoformat(),
            principal.uid,
            timeout,
            everyone=everyone,
        )
    return docs


def report(
    name: str,
    principal: Principal,
    settings: config.Settings,
    raw_from: str | None = None,
    raw_to: str | None = None,
    now: datetime | None = None,
    raw_by: str | None = None,
) -> dict[str, Any]:
    """The whole JSON answer of one report over one period (``raw_by``: the reps
    report's win or creation)."""
    scope = check_may_read(principal)
    check_name(name)
    by = check_by(raw_by)
    client, timeout, zone = db.client(), settings.store_timeout_s, settings.time_zone
    days = check_period(raw_from, raw_to, periods.business_day(now or datetime.now(UTC), zone))
    docs = read_buckets(client, days, principal, scope, timeout)
    cursor = store.position(store.cursor(client, timeout))
    answer: dict[str, Any] = {
        "report": name,
        "title": NAMES[name],
        **days.iso(),
        "timeZone": zone,
        "currency": settings.currency,
        "scope": scope,
        "upTo": timestamps.iso(cursor["at"]) if cursor else None,
    }
    if name == "reps":
        answer["by"] = by
        body = _reps(client, docs, days, timeout, by)
    else:
        body = BUILDERS[name](client, docs, days, timeout)
    return {**answer, **body}


def _pipeline(client: Any, timeout: float) -> tuple[Any, ...]:
    return stages_of(pipeline_store.read_pipeline(client, timeout))


def _lead_sources(
    client: Any, docs: list[dict[str, Any]], days: periods.Days, timeout: float
) -> dict[str, Any]:
    merged = figures.merge(doc.get(figures.SOURCES) for doc in docs)
    stage_rows = figures.stage_list(_pipeline(client, timeout), figures.seen_stages(merged, {}))
    labels = store.sources(client, [s for s in merged if s != figures.NONE], timeout)
    rows, totals = figures.lead_sources(merged, stage_rows, labels)
    return {"stages": stage_rows, "rows": rows, "totals": totals}


def _time_in_stage(
    client: Any, docs: list[dict[str, Any]], days: periods.Days, timeout: float
) -> dict[str, Any]:
    merged = figures.merge(doc.get(figures.STAGES) for doc in docs)
    stage_rows = figures.stage_list(_pipeline(client, timeout), merged)
    every = figures.merge(merged.values())
    stays = int(every.get("stays", 0))
    totals = {
        "stage": figures.TOTAL,
        "label": "All stages",
        "group": None,
        "stays": stays,
        "medianDays": figures.median_days(every.get("hist")),
        "averageDays": figures.average_days(int(every.get("tenths", 0)), stays),
    }
    return {
        "stages": stage_rows,
        "rows": figures.time_in_stage(merged, stage_rows),
        "totals": totals,
    }


def _reps(
    client: Any,
    docs: list[dict[str, Any]],
    days: periods.Days,
    timeout: float,
    by: str = figures.BY_WIN,
) -> dict[str, Any]:
    uids = [doc["ownerUid"] for doc in docs if doc.get("ownerUid") and doc.get(figures.REP)]
    rows, totals = figures.reps(docs, store.team(client, uids, timeout), by)
    return {"rows": rows, "totals": totals}


def _trade_shows(
    client: Any, docs: list[dict[str, Any]], days: periods.Days, timeout: float
) -> dict[str, Any]:
    merged = figures.merge(doc.get(figures.SOURCES) for doc in docs)
    rows, totals = figures.trade_shows(
        merged, store.trade_shows(client, timeout), days.first, days.last
    )
    return {"rows": rows, "totals": totals}


BUILDERS = {
    "lead-sources": _lead_sources,
    "time-in-stage": _time_in_stage,
    "reps": _reps,
    "trade-shows": _trade_shows,
}


@dataclass(frozen=True)
class Download:
    body: str
    content_type: str
    filename: str


def report_file(
    name: str,
    principal: Principal,
    settings: config.Settings,
    raw_from: str | None = None,
    raw_to: str | None = None,
    now: datetime | None = None,
    raw_by: str | None = None,
) -> Download:
    """The report as a CSV download named after it and its period (and, for the reps
    counted at creation, saying so)."""
    answer = report(name, principal, settings, raw_from, raw_to, now, raw_by)
    kind = f"{name}-by-creation" if answer.get("by") == figures.BY_CREATION else name
    return Download(
        body=table.csv_of(answer),
        content_type=table.CONTENT_TYPE,
        filename=f"hearth-{kind}-{answer['from']}-{answer['to']}.csv",
    )
