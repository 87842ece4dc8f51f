"""Reports keep history across a hand-over: GET /reports/reps counts wins and revenue
for the owner at the win (``by=win``, the default) or for the rep who had the customer
first (``by=creation``), with every figure worked out by hand; the rebuild agrees."""

from __future__ import annotations

import io
from typing import Any

import pytest

from hearth import config, tasks
from hearth.deals import rebuild
from tests.answers import names_field, refusal
from tests.deals.helpers import env, later, lead, patch, pay
from tests.handover.helpers import ANA, BEN, member

__all__ = ["env"]
pytestmark = pytest.mark.usefixtures("env")
C1, C2 = "c1@example.org", "c2@example.org"


@pytest.fixture
def handed_over(db, users, intake, function_client) -> None:
    """c1 is Ana's (she moved it first), c2 Ben's; Ana leaves and c1 is handed to Ben,
    who then wins both: c1 paying 1,000.00 and c2 500.00."""
    admin, owner = function_client("admin"), users.headers("owner")
    member(db, ANA)
    member(db, BEN)
    for key, rep in ((C1, ANA), (C2, BEN)):
        lead(intake, key)
        patch(admin, db, owner, key, ownerUid=rep)
        patch(admin, db, owner, key, stage="proposal_sent")  # the cohort owner: first seen
    member(db, ANA, disabled=True)
    body = {"mode": "rep", "to": BEN, "job_id": "job-ana-leaves"}
    moved = admin.post(f"/team/{ANA}/handover", json=body, headers=owner)
    assert moved.status_code == 200, moved.get_data(as_text=True)
    assert moved.get_json()["job"]["moved"] == 1
    for key, amount in ((C1, 100_000), (C2, 50_000)):
        patch(admin, db, owner, key, stage="deposit_paid")
        pay(admin, db, owner, key, amount, f"pay-{key[:2]}-0001")
    assert (
        tasks.sweep(config.load(), later())["reports"] == 9
    )  # 2 created, 2 + 2 moves, 1 hand-over, 2 payments


def rows(reports: Any, headers: dict[str, str], **query: str) -> list[tuple[Any, ...]]:
    response = reports.get("/reports/reps", query_string=query, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["by"] == query.get("by", "win")
    return [(r["uid"], r["newLeads"], r["wins"], r["revenue"]) for r in body["rows"]]


def test_by_win_credits_the_rep_who_closed_and_by_creation_the_rep_who_had_it_first(
    handed_over, function_client, users
) -> None:
    reports, owner = function_client("reports"), users.headers("owner")

    # At the win: Ben closed both. Both leads came in unassigned (newLeads).
    assert rows(reports, owner) == [(BEN, 0, 2, 150_000), (None, 2, 0, 0)]
    assert rows(reports, owner, by="win") == rows(reports, owner)
    # At creation: c1 was Ana's first, c2 Ben's.
    assert rows(reports, owner, by="creation") == [
        (ANA, 0, 1, 100_000),
        (BEN, 0, 1, 50_000),
        (None, 2, 0, 0),
    ]
    ben = users.headers("rep", uid=BEN)
    assert rows(reports, ben, by="creation") == [(BEN, 0, 1, 50_000)]


def test_the_rebuild_agrees_after_a_hand_over(handed_over) -> None:
    out = io.StringIO()
    assert rebuild.main([], out) == 0, out.getvalue()
    assert out.getvalue().startswith("reports agree: 9 events")


def test_the_csv_by_creation_says_so_in_its_name(handed_over, function_client, users) -> None:
    query = {"by": "creation", "format": "csv"}
    response = function_client("reports").get(
        "/reports/reps", query_string=query, headers=users.headers("owner")
    )

    assert response.status_code == 200, response.get_data(as_text=True)
    assert 'filename="hearth-reps-by-creation-' in response.headers["Content-Disposition"]
    assert "Ana Borg,0,0,0,1,0,0,,1000.00,EUR" in response.get_data(as_text=True)


def test_another_by_is_a_400_naming_it(db, users, function_client) -> None:
    response = function_client("reports").get(
        "/reports/reps", query_string={"by": "close"}, headers=users.headers("owner")
    )

    assert names_field(refusal(response, 400), "by")
