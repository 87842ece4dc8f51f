"""An import's new customers are routed as they land, chunk by chunk, with the count on
the job; a second run of the same file routes nothing (issue 17)."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.imports.helpers import admin, csv_bytes, everything, run, send, start
from tests.routing.helpers import ANA, BEN, make_team, routed_entries, saved

__all__ = ["admin"]
pytestmark = pytest.mark.usefixtures("default_settings")
# Three chunks of 25, 25 and 10: each chunk routes its own new customers (the 5,000-row
# run with its progress is bench/imports.py).
ROWS, CHUNK = 60, 25


def test_an_import_is_shared_fairly_by_a_round_robin_and_a_rerun_routes_nothing(
    admin, db, users
) -> None:
    make_team(db)
    saved(admin, users, [{"id": "pair", "match": {}, "action": {"group": [ANA, BEN]}}])
    owner = users.headers("owner")
    data = csv_bytes(
        ["Email", "Name"], [[f"lead-{n:03d}@example.org", f"L {n}"] for n in range(ROWS)]
    )

    job = run(admin, owner, data, size=CHUNK)

    assert (job["counts"]["created"], job["counts"]["routed"]) == (ROWS, ROWS)
    customers = [s.to_dict() for s in db.collection("customers").stream()]
    assert Counter(c["ownerUid"] for c in customers) == {ANA: ROWS // 2, BEN: ROWS // 2}
    assert {c["routing"] for c in customers} == {"done"}
    assert all(len(routed_entries(db, c["email"])) == 1 for c in customers[::7])

    before = everything(db)
    again = send(admin, owner, data, start(admin, owner, data, job["mapping"]), CHUNK)
    assert again["counts"]["routed"] == 0 and again["counts"]["unchanged"] == ROWS
    assert everything(db) == before
