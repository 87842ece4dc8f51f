"""The sweep's reports pass: new events folded into the report buckets, a batch at a
time, each batch in one transaction with the cursor (store/deal_reports.py says why).

Runs after the automations in the same sweep, reading the same events in the same
order (store/consumers.py's ``after`` and ``SETTLE``) from its own cursor.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hearth import config
from hearth.rules import deal_figures
from hearth.rules.stages import Stage, stages_of
from hearth.store import client as db
from hearth.store import consumers
from hearth.store import deal_reports as store
from hearth.store import events as domain_events
from hearth.store import pipeline as pipeline_store

BATCH = 100
MAX_BATCHES = 50


def plan(events: list[dict[str, Any]], stages: tuple[Stage, ...], zone: str) -> store.Plan:
    """What one batch writes, given its customers' stored facts (pure)."""

    def apply(
        stored: dict[str, dict[str, Any]],
    ) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str], dict[str, Any]]]:
        facts, deltas = deal_figures.fold_all(stored, events, stages, zone)
        return {key: f.document() for key, f in facts.items()}, deal_figures.documents(deltas)

    return apply


def run(
    settings: config.Settings,
    now: datetime | None = None,
    *,
    batch_size: int = BATCH,
    max_batches: int = MAX_BATCHES,
) -> int:
    """Fold the settled events after the cursor; how many events this run handled."""
    when = now or datetime.now(UTC)
    client, timeout = db.client(), settings.store_timeout_s
    stored = store.cursor(client, timeout)
    if store.paused(stored, when):
        return 0
    stages = stages_of(pipeline_store.read_pipeline(client, timeout))
    start = store.position(stored)
    handled = 0
    for _ in range(max_batches):
        batch = domain_events.after(client, start, when - consumers.SETTLE, batch_size, timeout)
        if not batch:
            break
        written = store.commit_batch(
            client, start, batch, plan(batch, stages, settings.time_zone), when, timeout
        )
        if not written:
            break  # another run folded it first, or a rebuild holds the lease
        start = {"at": batch[-1]["at"], "id": batch[-1]["id"]}
        handled += len(batch)
        if len(batch) < batch_size:
            break
    return handled
