"""The rebuild agrees with the incremental figures, document for document, and --write
changes no report; a stored figure that drifted is named, and --write mends it."""

from __future__ import annotations

import io
from typing import Any

import pytest

from hearth import config, deals
from hearth.deals import rebuild
from hearth.rules.roles import Principal, Role
from hearth.store import deal_reports
from tests.deals.helpers import later, stored
from tests.deals.test_reports_api import PERIOD, admin, env, seeded

__all__ = ["admin", "env", "seeded"]
pytestmark = pytest.mark.usefixtures("env")
OWNER = Principal("owner-1", Role.OWNER)
NAMES = ("lead-sources", "time-in-stage", "reps", "trade-shows")


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = rebuild.main(list(args), out)
    return code, out.getvalue()


def every_report() -> dict[str, Any]:
    settings = config.load()
    return {
        name: deals.report(name, OWNER, settings, PERIOD["from"], PERIOD["to"]) for name in NAMES
    }


def refold_in_batches_of_three(db: Any) -> list[int]:
    """The seeded figures again, from nothing, three events per sweep."""
    for collection in deal_reports.COLLECTIONS:
        for snapshot in db.collection(collection).stream():
            snapshot.reference.delete()
    db.collection("consumers").document("reports").delete()
    handled = []
    while True:
        handled.append(deals.run(config.load(), later(), batch_size=3, max_batches=1))
        if handled[-1] == 0:
            return handled


def test_small_incremental_batches_agree_with_the_rebuild_and_write_changes_nothing(
    seeded, db
) -> None:
    assert refold_in_batches_of_three(db) == [3, 3, 3, 2, 0]
    figures, reports = stored(db), every_report()

    code, printed = run()
    assert code == 0, printed
    assert printed.strip() == f"reports agree: 11 events, {len(figures)} documents"

    code, printed = run("--write")
    assert code == 0, printed
    assert "reports rebuilt: 11 events" in printed
    assert stored(db) == figures
    assert every_report() == reports
    assert deal_reports.cursor(db, 10).get("pausedUntil") is None  # the lease let go
    assert deals.run(config.load(), later()) == 0  # the cursor is where it was


def test_a_figure_that_drifted_is_named_and_write_mends_it(seeded, db) -> None:
    figures = stored(db)
    [(collection, bucket)] = [
        key
        for key, doc in figures.items()
        if key[0] == "report_days" and doc.get("rep", {}).get("demoWins")
    ]
    db.collection(collection).document(bucket).update({"rep.demoWins": 5})
    db.collection("report_days").document("1999-01-01__none").set({"day": "1999-01-01"})

    code, printed = run()
    assert code == 1
    assert f"{collection}/{bucket} rep: stored" in printed
    assert "'demoWins': 5" in printed and "'demoWins': 1" in printed
    assert "report_days/1999-01-01__none: stored but made by no event" in printed

    assert run("--write")[0] == 0
    assert stored(db) == figures
    assert run()[0] == 0


def test_with_nothing_folded_yet_there_is_nothing_to_compare(db, env) -> None:
    assert run() == (0, "the reports have folded no event yet: nothing to compare\n")
