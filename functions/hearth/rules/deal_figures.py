"""The pipeline reports' one definition: how events fold into figures, and how the
figures of a period become report rows.

Opening a report must read a bounded number of documents whatever the number of
customers, so figures are kept as counters in day and month buckets per owner
(``report_days/{day}_{owner}``, ``report_months/{month}_{owner}``), and each event adds
its increments (:class:`Delta`) once. The incremental consumer and the rebuild both
call :func:`fold`, so they cannot disagree on what an event means; a customer's
:class:`Facts` are what the fold must remember between events (first contact, stages
reached, won, the first call...).

Two kinds of figure, because the questions differ:

- cohort (``sources``): "what became of the leads that came in then"; every later move
  or payment counts in the bucket of the customer's first-contact day and owner;
- activity (``rep``, ``stages``): "what happened then", in the bucket of the event's
  own day and owner.

Pure: the store writes and reads, this module only counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hearth.rules import periods
from hearth.rules.stages import WON_GROUPS, Stage

CREATED = "customer.created"
CHANGED = "stage.changed"
PAID = "payment.recorded"
BOOKED = "booking.created"
CANCELLED = "booking.cancelled"
# Routing (or a hand-over) gave the customer an owner: the first one a customer created
# unassigned gets becomes its cohort owner (_adopt); the event adds no figure itself.
OWNER = "owner.changed"

NONE = "_none"  # the key of "no owner" and of "no source"
TOTAL = "_total"
NO_SOURCE = "No source"
UNASSIGNED = "Unassigned"
TENTH = 8640  # seconds in a tenth of a day
SOURCES, STAGES, REP = "sources", "stages", "rep"
REP_FIGURES = (
    "newLeads",
    "demos",
    "cancelled",
    "wins",
    "revenue",
    "demoCustomers",
    "demoWins",
)
# Wins and revenue again, counted for the customer's cohort owner (the first owner)
# instead of the owner at the win or payment: after a hand-over the rep who brought the
# deal in and the rep who closed it both have a report that credits them.
AT_CREATION = {"wins": "winsAtCreation", "revenue": "revenueAtCreation"}
BY_WIN, BY_CREATION = "win", "creation"


@dataclass(frozen=True)
class Facts:
    """One customer as the reports remember them (``report_customers/{customer}``).

    ``createdDay`` is None for a customer older than the events: no cohort figures.
    ``cohortOwner`` is the owner of the cohort bucket; a customer created unassigned
    is adopted by the first owner a later event records, so a rep's cohort reports
    hold the leads they were given. ``revenue`` is the cohort's paid total so far
    (what an adoption moves).
    """

    createdAt: datetime | None = None  # noqa: N815 (the stored field name)
    createdDay: str | None = None  # noqa: N815 (the stored field name)
    source: str | None = None
    cohortOwner: str | None = None  # noqa: N815 (the stored field name)
    reached: tuple[str, ...] = ()
    wonAt: datetime | None = None  # noqa: N815 (the stored field name)
    lostAt: datetime | None = None  # noqa: N815 (the stored field name)
    stage: str | None = None
    stageSince: datetime | None = None  # noqa: N815 (the stored field name)
    demoDay: str | None = None  # noqa: N815 (the stored field name)
    demoOwner: str | None = None  # noqa: N815 (the stored field name)
    demoWon: bool = False  # noqa: N815 (the stored field name)
    revenue: int = 0

    def document(self) -> dict[str, Any]:
        body = asdict(self)
        body["reached"] = list(self.reached)
        return body

    @classmethod
    def of(cls, stored: Mapping[str, Any] | None) -> Facts | None:
        if stored is None:
            return None
        known = {name: stored.get(name) for name in cls.__dataclass_fields__ if name in stored}
        known["reached"] = tuple(stored.get("reached") or ())
        known["demoWon"] = bool(stored.get("demoWon"))
        known["revenue"] = int(stored.get("revenue") or 0)
        return cls(**known)


@dataclass(frozen=True)
class Delta:
    """Add ``amount`` at ``path`` (e.g. ("sources", "google", "won")) in the day bucket
    of ``day`` and owner ``owner``, and in its month's bucket."""

    day: str
    owner: str | None
    path: tuple[str, ...]
    amount: int


def owner_key(owner: str | None) -> str:
    return owner or NONE


def tenths(seconds: float) -> int:
    """A duration in tenths of a day, the unit of every histogram."""
    return max(0, round(seconds / TENTH))


def _groups(stages: Sequence[Stage]) -> tuple[frozenset[str], frozenset[str]]:
    won = frozenset(stage.id for stage in stages if stage.group in WON_GROUPS)
    lost = frozenset(stage.id for stage in stages if stage.group == "lost")
    return won, lost


@dataclass
class _Fold:
    facts: Facts
    deltas: list[Delta] = field(default_factory=list)

    def add(self, day: str | None, owner: str | None, path: tuple[str, ...], n: int = 1) -> None:
        if day is not None:
            self.deltas.append(Delta(day, owner, path, n))

    def creation_owner(self, owner: str | None) -> str | None:
        """Whom "at creation" figures credit: the cohort owner; for a customer older
        than the events (no cohort) the owner at the event, the best there is."""
        return self.facts.cohortOwner if self.facts.createdDay is not None else owner

    def cohort(self, *path: str, n: int = 1) -> None:
        facts = self.facts
        if facts.createdDay is not None:
            self.add(facts.createdDay, facts.cohortOwner, (SOURCES, facts.source or NONE, *path), n)

    def cohort_figures(self, sign: int) -> None:
        """Every cohort figure the customer holds, added (1) or taken away (-1)."""
        facts = self.facts
        self.cohort("leads", n=sign)
        for stage in facts.reached:
            self.cohort("reached", stage, n=sign)
        if facts.wonAt is not None and facts.createdAt is not None:
            self.cohort("won", n=sign)
            self.cohort("toWon", str(_tenths_between(facts.createdAt, facts.wonAt)), n=sign)
        if facts.lostAt is not None:
            self.cohort("lost", n=sign)
        if facts.revenue:
            self.cohort("revenue", n=sign * facts.revenue)


def _tenths_between(start: datetime, end: datetime) -> int:
    return tenths((end - start).total_seconds())


def fold(
    facts: Facts | None, event: Mapping[str, Any], stages: Sequence[Stage], zone: str
) -> tuple[Facts | None, list[Delta]]:
    """One event's effect: the customer's facts after it, and the increments it adds.

    ``stages`` are the pipeline's (which are won, which lost), ``zone`` the business
    time zone (which day an instant belongs to). An event without a time is skipped.
    """
    at = event.get("at")
    if not isinstance(at, datetime):
        return facts, []
    kind = event.get("type")
    data = event.get("data") or {}
    owner = event.get("ownerUid") or None
    day = periods.business_day(at, zone).isoformat()
    won, lost = _groups(stages)
    if kind == CREATED:
        if facts is not None and facts.createdDay is not None:
            return facts, []  # created once; a second one cannot happen, and counts nothing
        return _created(facts, at, day, owner, data, won, lost)
    state = _Fold(facts or Facts())
    _adopt(state, owner)
    if kind == CHANGED:
        _changed(state, at, day, owner, data, won, lost)
    elif kind == PAID:
        amount = data.get("amount")
        if isinstance(amount, int) and not isinstance(amount, bool) and amount > 0:
            if state.facts.createdDay is not None:
                state.cohort("revenue", n=amount)
                state.facts = replace(state.facts, revenue=state.facts.revenue + amount)
            state.add(day, owner, (REP, "revenue"), amount)
            state.add(day, state.creation_owner(owner), (REP, "revenueAtCreation"), amount)
    elif kind == BOOKED:
        state.add(day, owner, (REP, "demos"))
        if state.facts.demoDay is None:
            state.facts = replace(state.facts, demoDay=day, demoOwner=owner)
            state.add(day, owner, (REP, "demoCustomers"))
    elif kind == CANCELLED:
        state.add(day, owner, (REP, "cancelled"))
    elif kind == OWNER:
        pass  # only the adoption above
    else:
        return facts, []
    return state.facts, state.deltas


def _created(
    facts: Facts | None,
    at: datetime,
    day: str,
    owner: str | None,
    data: Mapping[str, Any],
    won: frozenset[str],
    lost: frozenset[str],
) -> tuple[Facts, list[Delta]]:
    stage = data.get("stage") if isinstance(data.get("stage"), str) else None
    source = data.get("source") if isinstance(data.get("source"), str) and data["source"] else None
    base = facts or Facts()
    state = _Fold(
        replace(
            base,
            createdAt=at,
            createdDay=day,
            source=source,
            cohortOwner=owner,
            reached=(stage,) if stage else (),
            wonAt=at if stage in won else None,
            lostAt=at if stage in lost else None,
            stage=stage,
            stageSince=at if stage else None,
        )
    )
    state.cohort_figures(1)
    state.add(day, owner, (REP, "newLeads"))
    return state.facts, state.deltas


def _adopt(state: _Fold, owner: str | None) -> None:
    """A customer created unassigned joins the cohort of the first owner seen later:
    their figures so far move from the "no owner" bucket to that owner's."""
    facts = state.facts
    if facts.createdDay is None or facts.cohortOwner is not None or owner is None:
        return
    state.cohort_figures(-1)
    state.facts = replace(facts, cohortOwner=owner)
    state.cohort_figures(1)


def _changed(
    state: _Fold,
    at: datetime,
    day: str,
    owner: str | None,
    data: Mapping[str, Any],
    won: frozenset[str],
    lost: frozenset[str],
) -> None:
    to = data.get("to")
    if not isinstance(to, str) or not to:
        return
    facts = state.facts
    leaving = facts.stage or (data.get("from") if isinstance(data.get("from"), str) else None)
    if leaving == to:
        return  # a move to where the customer already is changes nothing
    if leaving is not None and facts.stageSince is not None:
        stay = _tenths_between(facts.stageSince, at)
        state.add(day, owner, (STAGES, leaving, "stays"))
        state.add(day, owner, (STAGES, leaving, "tenths"), stay)
        state.add(day, owner, (STAGES, leaving, "hist", str(stay)))
    reached = facts.reached
    if to not in reached:
        reached = (*reached, to)
        state.cohort("reached", to)
    won_at, lost_at, demo_won = facts.wonAt, facts.lostAt, facts.demoWon
    if to in won and won_at is None:
        won_at = at
        if facts.createdAt is not None:
            state.cohort("won")
            state.cohort("toWon", str(_tenths_between(facts.createdAt, at)))
        state.add(day, owner, (REP, "wins"))
        state.add(day, state.creation_owner(owner), (REP, "winsAtCreation"))
        if facts.demoDay is not None and not demo_won:
            demo_won = True
            state.add(facts.demoDay, facts.demoOwner, (REP, "demoWins"))
    if to in lost and lost_at is None:
        lost_at = at
        state.cohort("lost")
    state.facts = replace(
        facts,
        reached=reached,
        wonAt=won_at,
        lostAt=lost_at,
        demoWon=demo_won,
        stage=to,
        stageSince=at,
    )


# --- buckets -------------------------------------------------------------------------------

DAYS, MONTHS = "report_days", "report_months"


def bucket_id(key: str, owner: str | None) -> str:
    """``2026-12-06_rep-a`` / ``2026-12_rep-a``; ``_none`` for no owner."""
    return f"{key}_{owner_key(owner)}"


def documents(deltas: Iterable[Delta]) -> dict[tuple[str, str], dict[str, Any]]:
    """The bucket documents the deltas add up to, keyed by (collection, id): the day's
    and the month's of each. Counters are nested maps (never dotted paths: a source id
    may hold a dot); the store writes them as increments, the rebuild as they are."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for delta in deltas:
        for collection, field_name, key in (
            (DAYS, "day", delta.day),
            (MONTHS, "month", delta.day[:7]),
        ):
            doc = found.setdefault(
                (collection, bucket_id(key, delta.owner)),
                {field_name: key, "ownerUid": delta.owner},
            )
            _add_at(doc, delta.path, delta.amount)
    return found


def _add_at(doc: dict[str, Any], path: tuple[str, ...], amount: int) -> None:
    node = doc
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = node.get(path[-1], 0) + amount


def merge(maps: Iterable[Mapping[str, Any] | None]) -> dict[str, Any]:
    """Nested counter maps added up: the figures of several buckets as one."""
    total: dict[str, Any] = {}
    for one in maps:
        _merge_into(total, one or {})
    return total


def _merge_into(total: dict[str, Any], more: Mapping[str, Any]) -> None:
    for key, value in more.items():
        if isinstance(value, Mapping):
            _merge_into(total.setdefault(key, {}), value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            total[key] = total.get(key, 0) + value


# --- readers: buckets into report rows ----------------------------------------------------


def _half_up(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def median_days(hist: Mapping[str, int] | None) -> float | None:
    """The median of a histogram of tenths, in days (1 decimal, rounded half up): the
    middle value, or the mean of the two middle ones for an even count."""
    values = sorted((int(key), int(n)) for key, n in (hist or {}).items() if int(n) > 0)
    count = sum(n for _, n in values)
    if not count:
        return None
    wanted = [(count - 1) // 2, count // 2]
    picked: list[int] = []
    seen = 0
    for value, n in values:
        while wanted and wanted[0] < seen + n:
            picked.append(value)
            wanted.pop(0)
        seen += n
    return _half_up(Decimal(sum(picked)) / Decimal(len(picked)) / Decimal(10))


def average_days(total_tenths: int, count: int) -> float | None:
    if not count:
        return None
    return _half_up(Decimal(total_tenths) / Decimal(count) / Decimal(10))


def stage_list(stages: Sequence[Stage], seen: Iterable[str]) -> list[dict[str, Any]]:
    """The pipeline's stages in order, then ids found only in history (label = id)."""
    known = [{"id": s.id, "label": s.label, "group": s.group} for s in stages]
    ids = {s.id for s in stages}
    extra = sorted({stage for stage in seen if stage not in ids})
    return known + [{"id": stage, "label": stage, "group": None} for stage in extra]


def source_label(source: str, sources: Mapping[str, Mapping[str, Any]]) -> str:
    if source == NONE:
        return NO_SOURCE
    label = (sources.get(source) or {}).get("label")
    return label if isinstance(label, str) and label else source


def _source_row(
    source: str, label: str, kind: str | None, figures: Mapping[str, Any], stage_ids: list[str]
) -> dict[str, Any]:
    reached = figures.get("reached") or {}
    leads, won = int(figures.get("leads", 0)), int(figures.get("won", 0))
    return {
        "source": source,
        "label": label,
        "kind": kind,
        "leads": leads,
        "reached": {stage: int(reached.get(stage, 0)) for stage in stage_ids},
        "won": won,
        "lost": int(figures.get("lost", 0)),
        "conversion": periods.ratio(won, leads),
        "revenue": int(figures.get("revenue", 0)),
        "medianDaysToWon": median_days(figures.get("toWon")),
    }


def seen_stages(sources: Mapping[str, Any], stays: Mapping[str, Any]) -> set[str]:
    found = set(stays)
    for figures in sources.values():
        found |= set((figures or {}).get("reached") or {})
    return found


def lead_sources(
    merged_sources: Mapping[str, Any],
    stage_rows: list[dict[str, Any]],
    sources: Mapping[str, Mapping[str, Any]],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Per source: leads, reached per stage, won, lost, conversion, revenue, median days
    to won; sorted by revenue, won, leads (most first), then source; and the total."""
    ids = [stage["id"] for stage in stage_rows]
    rows = [
        _source_row(
            source,
            source_label(source, sources),
            (sources.get(source) or {}).get("kind"),
            figures or {},
            ids,
        )
        for source, figures in merged_sources.items()
    ]
    rows.sort(key=lambda r: (-r["revenue"], -r["won"], -r["leads"], r["source"]))
    totals = _source_row(TOTAL, "Total", None, merge(merged_sources.values()), ids)
    return rows, totals


def time_in_stage(
    merged_stages: Mapping[str, Any], stage_rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Per stage in pipeline order: completed stays, median and average days."""
    rows = []
    for stage in stage_rows:
        figures = merged_stages.get(stage["id"]) or {}
        stays = int(figures.get("stays", 0))
        rows.append(
            {
                "stage": stage["id"],
                "label": stage["label"],
                "group": stage["group"],
                "stays": stays,
                "medianDays": median_days(figures.get("hist")),
                "averageDays": average_days(int(figures.get("tenths", 0)), stays),
            }
        )
    return rows


def _rep_row(uid: str | None, name: str, figures: Mapping[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"uid": uid, "name": name}
    for figure in REP_FIGURES:
        row[figure] = int(figures.get(figure, 0))
    row["demoToClose"] = periods.ratio(row["demoWins"], row["demoCustomers"])
    return {key: row[key] for key in _REP_ORDER}


_REP_ORDER = (
    "uid",
    "name",
    "newLeads",
    "demos",
    "cancelled",
    "wins",
    "demoCustomers",
    "demoWins",
    "demoToClose",
    "revenue",
)


def person_name(uid: str | None, team: Mapping[str, Mapping[str, Any]]) -> str:
    if uid is None:
        return UNASSIGNED
    entry = team.get(uid) or {}
    for key in ("displayName", "email"):
        if isinstance(entry.get(key), str) and entry[key].strip():
            return entry[key].strip()
    return uid


def rep_figures(figures: Mapping[str, Any], by: str) -> dict[str, Any]:
    """A bucket's rep figures as the report counts them: wins and revenue at the win
    (``by="win"``, the owner when it happened) or at creation (the cohort owner's)."""
    kept = {key: value for key, value in figures.items() if key not in AT_CREATION.values()}
    if by != BY_CREATION:
        return kept
    for figure, at_creation in AT_CREATION.items():
        kept.pop(figure, None)
        if at_creation in figures:
            kept[figure] = figures[at_creation]
    return kept


def reps(
    buckets: Iterable[Mapping[str, Any]],
    team: Mapping[str, Mapping[str, Any]],
    by: str = BY_WIN,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Per owner (Unassigned for none): activity figures, wins and revenue counted
    ``by`` win or creation; revenue, then wins first. An owner with nothing counted
    that way has no row."""
    by_owner: dict[str | None, list[Mapping[str, Any]]] = {}
    for doc in buckets:
        counted = rep_figures(doc.get(REP) or {}, by)
        if counted:
            by_owner.setdefault(doc.get("ownerUid"), []).append(counted)
    rows = [_rep_row(uid, person_name(uid, team), merge(found)) for uid, found in by_owner.items()]
    rows.sort(key=lambda r: (-r["revenue"], -r["wins"], r["name"], r["uid"] or ""))
    everyone = merge(found for docs in by_owner.values() for found in docs)
    return rows, _rep_row(TOTAL, "Total", everyone)


def ranks(values: Sequence[int]) -> list[int]:
    """Competition ranking, most first: 300, 300, 100 -> 1, 1, 3."""
    return [1 + sum(1 for other in values if other > value) for value in values]


def _overlaps(show: Mapping[str, Any], first: date, last: date) -> bool:
    starts, ends = show.get("startsOn"), show.get("endsOn") or show.get("startsOn")
    if not isinstance(starts, str) or not isinstance(ends, str):
        return False
    return starts <= last.isoformat() and ends >= first.isoformat()


def trade_shows(
    merged_sources: Mapping[str, Any],
    shows: Mapping[str, Mapping[str, Any]],
    first: date,
    last: date,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every trade show held in the period or with leads from it, ranked by revenue and
    by wins (ties share a rank), from the period's cohort figures."""
    picked = [
        source
        for source, show in shows.items()
        if _overlaps(show, first, last) or int((merged_sources.get(source) or {}).get("leads", 0))
    ]
    rows = []
    for source in picked:
        show, figures = shows[source], merged_sources.get(source) or {}
        rows.append(
            {
                "source": source,
                "label": source_label(source, shows),
                "place": show.get("place"),
                "startsOn": show.get("startsOn"),
                "endsOn": show.get("endsOn"),
                "leads": int(figures.get("leads", 0)),
                "won": int(figures.get("won", 0)),
                "revenue": int(figures.get("revenue", 0)),
            }
        )
    for row, rank in zip(rows, ranks([r["revenue"] for r in rows]), strict=True):
        row["revenueRank"] = rank
    for row, rank in zip(rows, ranks([r["won"] for r in rows]), strict=True):
        row["winsRank"] = rank
    rows.sort(key=lambda r: (r["revenueRank"], r["winsRank"], r["label"], r["source"]))
    totals = {
        "source": TOTAL,
        "label": "Total",
        "place": None,
        "startsOn": None,
        "endsOn": None,
        "leads": sum(r["leads"] for r in rows),
        "won": sum(r["won"] for r in rows),
        "revenue": sum(r["revenue"] for r in rows),
        "revenueRank": None,
        "winsRank": None,
    }
    return rows, totals


def fold_all(
    stored: Mapping[str, Mapping[str, Any]],
    events: Iterable[Mapping[str, Any]],
    stages: Sequence[Stage],
    zone: str,
) -> tuple[dict[str, Facts], list[Delta]]:
    """Events in order over the customers' stored facts: the facts of every customer
    they touched, and every increment. The consumer's batch and the rebuild alike."""
    facts: dict[str, Facts | None] = {key: Facts.of(doc) for key, doc in stored.items()}
    touched: dict[str, Facts] = {}
    deltas: list[Delta] = []
    for event in events:
        key = event.get("customer")
        if not isinstance(key, str) or not key:
            continue
        after, found = fold(facts.get(key), event, stages, zone)
        deltas += found
        if after is not None:
            facts[key] = touched[key] = after
    return touched, deltas
