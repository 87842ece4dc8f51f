"""Recompute every pipeline report from the events: ``python -m hearth.deals.rebuild``.

Folds every event from the first, in the consumers' order, with the same pure fold
as the sweep (rules/deal_figures.py), up to the consumer's cursor, so the figures it
makes are what the incremental ones must be, document for document.

    python -m hearth.deals.rebuild            compare; print each difference (exit 1)
    python -m hearth.deals.rebuild --write    replace the stored figures with the fold

``--write`` is for after a stage changed group (which stages are won or lost is read
at fold time) or after a repair. It holds a lease on ``consumers/reports`` so that the
sweep's reports pass writes nothing meanwhile, replaces every report document, puts
the cursor at the last event folded and lets go of the lease. ``make reports-rebuild
[WRITE=1] [PROJECT=<id>]`` runs it against the local stack or a real project.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

from hearth import config
from hearth.rules import deal_figures
from hearth.rules.stages import stages_of
from hearth.store import client as db
from hearth.store import consumers
from hearth.store import deal_reports as store
from hearth.store import events as domain_events
from hearth.store import pipeline as pipeline_store

PAGE = 500
LEASE = timedelta(minutes=15)
Docs = dict[tuple[str, str], dict[str, Any]]


def recompute(
    client: Any, settings: config.Settings, upto: Mapping[str, Any] | None, now: datetime
) -> tuple[Docs, int, dict[str, Any] | None]:
    """Every report document the events up to ``upto`` (the cursor; without one, every
    settled event) add up to; how many events; the last one's {at, id}."""
    timeout = settings.store_timeout_s
    stages = stages_of(pipeline_store.read_pipeline(client, timeout))
    until = upto["at"] if upto else now - consumers.SETTLE
    limit = (upto["at"], upto["id"]) if upto else None
    facts: dict[str, Any] = {}
    deltas: list[deal_figures.Delta] = []
    position: dict[str, Any] | None = None
    count = 0
    while True:
        page = domain_events.after(client, position, until, PAGE, timeout)
        page = [e for e in page if limit is None or (e["at"], e["id"]) <= limit]
        if not page:
            break
        touched, found = deal_figures.fold_all(facts, page, stages, settings.time_zone)
        facts.update({key: f.document() for key, f in touched.items()})
        deltas += found
        count += len(page)
        position = {"at": page[-1]["at"], "id": page[-1]["id"]}
        if len(page) < PAGE:
            break
    wanted: Docs = dict(deal_figures.documents(deltas))
    wanted.update({(store.CUSTOMERS, key): doc for key, doc in facts.items()})
    return wanted, count, position


def differences(stored: Docs, wanted: Docs) -> list[str]:
    """One line per document that is missing, extra or different (field by field)."""
    lines = []
    for key in sorted(set(stored) | set(wanted)):
        name = f"{key[0]}/{key[1]}"
        if key not in stored:
            lines.append(f"{name}: missing (the events make {wanted[key]!r})")
        elif key not in wanted:
            lines.append(f"{name}: stored but made by no event ({stored[key]!r})")
        elif stored[key] != wanted[key]:
            for field in sorted(set(stored[key]) | set(wanted[key])):
                mine, theirs = stored[key].get(field), wanted[key].get(field)
                if mine != theirs:
                    lines.append(f"{name} {field}: stored {mine!r}, the events make {theirs!r}")
    return lines


def compare(settings: config.Settings, out: TextIO, now: datetime) -> int:
    client, timeout = db.client(), settings.store_timeout_s
    upto = store.position(store.cursor(client, timeout))
    if upto is None:
        print("the reports have folded no event yet: nothing to compare", file=out)
        return 0
    wanted, count, _ = recompute(client, settings, upto, now)
    found = differences(store.everything(client, timeout), wanted)
    for line in found:
        print(line, file=out)
    if found:
        print(f"reports DIFFER: {len(found)} differences over {count} events", file=out)
        return 1
    print(f"reports agree: {count} events, {len(wanted)} documents", file=out)
    return 0


def write(settings: config.Settings, out: TextIO, now: datetime) -> int:
    client, timeout = db.client(), settings.store_timeout_s
    store.set_lease(client, now + LEASE, timeout)
    try:
        upto = store.position(store.cursor(client, timeout))
        wanted, count, last = recompute(client, settings, upto, now)
        print(f"folded {count} events into {len(wanted)} documents; writing…", file=out)

        def progress(done: int, total: int) -> None:
            print(f"  {done}/{total} writes", file=out)

        store.replace_all(client, wanted, last, timeout, progress)
    finally:
        store.set_lease(client, None, timeout)
    print(f"reports rebuilt: {count} events, {len(wanted)} documents", file=out)
    return 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m hearth.deals.rebuild",
        description="Recompute the pipeline reports from every event and compare "
        "with the stored figures (or replace them with --write).",
    )
    parser.add_argument(
        "--write", action="store_true", help="replace the stored figures with the recomputed ones"
    )
    args = parser.parse_args(argv)
    settings, now, stream = config.load(), datetime.now(UTC), out or sys.stdout
    return write(settings, stream, now) if args.write else compare(settings, stream, now)


if __name__ == "__main__":
    raise SystemExit(main())
