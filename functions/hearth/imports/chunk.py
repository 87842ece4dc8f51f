"""One chunk of an import's rows: each through the intake rules and the one upsert
every door uses, then the chunk's new customers routed and the result recorded once.

Reads are per chunk, not per row: the existing customers, this run's timeline entries
of the rows (a chunk cut short and sent again counts each row as it was done the first
time) and the suppressions, each in one round trip. Rows of different customers run in
a few threads at once; rows of one customer run in file order, so the second row with
an address fills from the first's result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from hearth import config, fields, routing
from hearth.rules import imports as rules
from hearth.rules import suppression
from hearth.store import customers, suppressions
from hearth.store import imports as store

THREADS = 8
FORM = "import"


@dataclass(frozen=True)
class Job:
    """What a chunk needs to know of its job."""

    id: str
    run: int
    file: str
    source: str
    mapping: list[str]
    total: int


@dataclass
class Result:
    """What a chunk did: the job's counters move by ``counts`` in the chunk's one commit,
    ``pending`` are the customers it made that wait for the router."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(store.COUNTS, 0))
    problems: list[dict[str, Any]] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)

    def problem(self, line: int, email: str, reason: str, count: str) -> None:
        self.counts[count] += 1
        self.problems.append({"line": line, "email": email, "reason": reason})


def read(
    client: Any, job: Job, first: int, rows: Sequence[Sequence[str]], settings: config.Settings
) -> list[rules.Row | rules.Problem]:
    """Every row through the rules, with the custom fields as defined now (one read)."""
    definitions = fields.load_settings(client, settings.store_timeout_s)
    return [
        rules.read_row(
            first + offset,
            cells,
            job.mapping,
            definitions=definitions,
            region=settings.phone_region,
            currency=settings.currency,
        )
        for offset, cells in enumerate(rows)
    ]


def suppressed(client: Any, rows: list[rules.Row], settings: config.Settings) -> set[int]:
    """The lines of people erased on request: one read for the chunk."""
    keys_of = {
        row.line: suppression.keys(
            settings.privacy_secret, row.key, row.mobile.e164 if row.mobile else None
        )
        for row in rows
    }
    found = suppressions.found(
        client, [key for keys in keys_of.values() for key in keys], settings.store_timeout_s
    )
    return {line for line, keys in keys_of.items() if found.intersection(keys)}


def incoming(job: Job, row: rules.Row, at: datetime) -> customers.Incoming:
    """The row as the upsert takes a submission, marked as no contact (see Incoming)."""
    return customers.Incoming(
        email=row.email,
        form=FORM,
        source=row.source or job.source,
        at=at,
        submission_id=f"{job.id}_{row.line}",
        name=row.name,
        company=row.company,
        mobile=row.mobile,
        consent=row.consent,
        custom=row.custom,
        contact=False,
    )


def entry(job: Job, row: rules.Row, at: datetime, actor: Mapping[str, Any]) -> dict[str, Any]:
    """The timeline's record of what the file said, so a filled value can be traced."""
    return store.imported(
        at=at,
        job=job.id,
        line=row.line,
        file=job.file,
        source=row.source or job.source,
        fields={
            "email": row.email,
            "name": row.name,
            "company": row.company,
            "mobile": row.mobile.typed if row.mobile else None,
            **{f"custom.{key}": value for key, value in row.custom.items()},
        },
        consent=row.consent,
        actor=actor,
    )


def process(
    client: Any,
    job: Job,
    first: int,
    rows: Sequence[Sequence[str]],
    actor: Mapping[str, Any],
    settings: config.Settings,
) -> Result:
    """Import the rows (lines ``first``...) and route the customers they made."""
    timeout = settings.store_timeout_s
    result = Result()
    read_rows = read(client, job, first, rows, settings)
    good = [row for row in read_rows if isinstance(row, rules.Row)]
    for bad in read_rows:
        if isinstance(bad, rules.Problem):
            result.problem(bad.line, bad.email, bad.reason, "errors")
    erased = suppressed(client, good, settings)
    todo = [row for row in good if row.line not in erased]
    for row in good:
        if row.line in erased:
            result.problem(row.line, row.email, rules.ERASED, "skipped")
    existing, entries = store.customers_and_entries(
        client,
        [row.key for row in todo],
        [(row.key, store.entry_id(job.id, job.run, row.line)) for row in todo],
        timeout,
    )
    by_key: dict[str, list[rules.Row]] = {}
    for row in todo:
        by_key.setdefault(row.key, []).append(row)

    def one_customer(group: list[rules.Row]) -> list[tuple[str, str, bool]]:
        done = []
        for index, row in enumerate(group):
            done.append(
                one_row(client, job, row, existing if index == 0 else {}, entries, actor, settings)
            )
        return done

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for outcomes in pool.map(one_customer, by_key.values()):
            for key, count, pending in outcomes:
                result.counts[count] += 1
                if pending:
                    result.pending.append(key)
    if result.pending:
        routing.nudge(settings)
        result.counts["routed"] = len(result.pending) - store.still_pending(
            client, result.pending, timeout
        )
    return result


def one_row(
    client: Any,
    job: Job,
    row: rules.Row,
    existing: Mapping[str, Mapping[str, Any]],
    entries: Mapping[str, Mapping[str, Any]],
    actor: Mapping[str, Any],
    settings: config.Settings,
) -> tuple[str, str, bool]:
    """(customer key, what the row did, whether it made a customer for the router)."""
    entry_id = store.entry_id(job.id, job.run, row.line)
    done_before = entries.get(entry_id)
    if done_before is not None:  # this run did this row already (a chunk sent again)
        return row.key, "created" if done_before.get("customerCreated") else "filled", False
    at = datetime.now(UTC)
    arriving = incoming(job, row, at)
    stored = existing.get(row.key)
    if stored is not None and not customers.merge(stored, arriving).updates:
        return row.key, "unchanged", False  # nothing to fill: no write, not even a read
    outcome = customers.upsert(
        client,
        row.key,
        arriving,
        entry(job, row, at, actor),
        currency=settings.currency,
        timeout=settings.store_timeout_s,
        entry_id=entry_id,
    )
    if outcome.created:
        return row.key, "created", outcome.pending
    if outcome.unchanged:
        return row.key, "unchanged", False
    return row.key, "filled", False
