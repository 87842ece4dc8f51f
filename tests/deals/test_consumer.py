"""The reports consumer on the real emulator: each event folded exactly once, however
the sweep is run (twice, killed halfway, in small batches), and paused by a lease."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hearth import config, deals, tasks
from hearth.rules import deal_figures, periods
from hearth.store import deal_reports
from tests.deals.helpers import (
    MALTA,
    all_events,
    env,
    folded_at_once,
    later,
    lead,
    patch,
    pay,
    stored,
)

__all__ = ["env"]
pytestmark = pytest.mark.usefixtures("env")


@pytest.fixture
def admin(db, users, function_client):
    return function_client("admin")


@pytest.fixture
def seeded(admin, intake, db, users) -> int:
    """Three leads; one moved forward, back and won, and paid: nine events."""
    owner = users.headers("owner")
    for n in range(3):
        lead(intake, f"lead{n}@example.org", source="spring-show")
    key = "lead0@example.org"
    patch(admin, db, owner, key, stage="proposal_sent")
    patch(admin, db, owner, key, stage="lead")
    patch(admin, db, owner, key, stage="deposit_paid")
    pay(admin, db, owner, key, 150_000, "pay-000001")  # the owed change adds no event
    events = all_events(db)
    assert len(events) == 7
    return len(events)


def without_updated(found: dict[Any, dict[str, Any]]) -> dict[Any, dict[str, Any]]:
    return {key: {k: v for k, v in doc.items() if k != "updatedAt"} for key, doc in found.items()}


def test_the_sweep_folds_each_event_once_and_says_how_many(seeded, db) -> None:
    first = tasks.sweep(config.load(), later())
    figures = stored(db)
    second = tasks.sweep(config.load(), later())

    assert (first["reports"], second["reports"]) == (seeded, 0)
    assert stored(db) == figures == folded_at_once(db)
    day = periods.business_day(all_events(db)[0]["at"], MALTA)
    cohort = figures[("report_days", f"{day.isoformat()}__none")]
    assert cohort["sources"]["spring-show"]["leads"] == 3
    assert cohort["sources"]["spring-show"]["revenue"] == 150_000
    assert cohort["sources"]["spring-show"]["reached"] == {
        "lead": 3,
        "proposal_sent": 1,
        "deposit_paid": 1,
    }
    assert cohort["stages"]["lead"]["stays"] == 2  # in lead twice, out of it twice


def test_a_run_that_finds_the_cursor_moved_writes_nothing(seeded, db) -> None:
    """Two sweeps read the same batch; the second to commit sees the cursor moved."""
    batch = all_events(db)
    settings = config.load()
    assert deals.run(settings, later()) == seeded
    before = stored(db)

    plan = deals.consumer.plan(batch, (), settings.time_zone)
    written = deal_reports.commit_batch(db, None, batch, plan, later(), 10)

    assert written is False
    assert stored(db) == before


def test_a_run_killed_halfway_loses_nothing_and_counts_nothing_twice(
    seeded, db, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = config.load()
    real = deal_figures.documents
    calls = {"n": 0}

    def dies_on_the_second_batch(deltas):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("killed")  # inside the transaction, before its commit
        return real(deltas)

    monkeypatch.setattr(deal_figures, "documents", dies_on_the_second_batch)
    with pytest.raises(RuntimeError, match="killed"):
        deals.run(settings, later(), batch_size=3)
    cursor = deal_reports.position(deal_reports.cursor(db, 10))
    assert cursor is not None and cursor["id"] == all_events(db)[2]["id"]  # batch one only
    customers = {key for (collection, key) in stored(db) if collection == "report_customers"}
    assert customers == {f"lead{n}@example.org" for n in range(3)}

    monkeypatch.setattr(deal_figures, "documents", real)
    assert deals.run(settings, later(), batch_size=3) == seeded - 3
    assert without_updated(stored(db)) == folded_at_once(db)


def test_small_batches_across_several_runs_add_up_to_one_fold(seeded, db) -> None:
    settings = config.load()
    handled = [deals.run(settings, later(), batch_size=3, max_batches=1) for _ in range(4)]

    assert handled == [3, 3, 1, 0]
    assert stored(db) == folded_at_once(db)


def test_events_still_settling_wait_for_the_next_run(seeded, db) -> None:
    first = all_events(db)[0]["at"]
    assert deals.run(config.load(), first + timedelta(seconds=1)) == 0
    assert stored(db) == {}


def test_the_rebuilds_lease_pauses_the_consumer(seeded, db) -> None:
    deal_reports.set_lease(db, later() + timedelta(minutes=5), 10)

    assert deals.run(config.load(), later()) == 0
    assert tasks.sweep(config.load(), later())["reports"] == 0
    assert stored(db) == {}

    deal_reports.set_lease(db, None, 10)
    assert deals.run(config.load(), later()) == seeded
