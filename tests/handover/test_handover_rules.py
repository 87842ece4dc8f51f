"""firestore.rules right after a hand-over, on the real emulator (tests/rules_client.py,
as the rules matrix asks): the moment a departed rep's customer moves, the previous rep
is refused it by get and by query, and the new rep reads it, its timeline entry, its
open task and its owner.changed event."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devstack import emulators
from tests.handover.helpers import ANA, BEN, admin, customer, member, task
from tests.rules_client import RulesClient, User

__all__ = ["admin"]
pytestmark = pytest.mark.usefixtures("default_settings")
KEY = "moving@example.org"
REP = {uid: User(uid, uid, {"role": "rep"}) for uid in (ANA, BEN)}


@pytest.fixture
def rules(firestore_emulator: emulators.Firestore) -> Iterator[RulesClient]:
    firestore_emulator.load_rules()
    yield RulesClient(firestore_emulator.base, firestore_emulator.project)


def test_right_after_a_hand_over_the_previous_rep_is_refused_and_the_new_rep_reads(
    admin, db, intake, users, rules: RulesClient
) -> None:
    member(db, ANA)
    member(db, BEN)
    customer(intake, db, KEY, ANA)
    task(db, "task-moving-1", KEY, ANA)
    assert rules.get(REP[ANA], f"customers/{KEY}").allowed  # hers until the hand-over
    assert rules.get(REP[BEN], f"customers/{KEY}").denied
    member(db, ANA, disabled=True)

    body = {"mode": "rep", "to": BEN, "job_id": "job-rules-01"}
    moved = admin.post(f"/team/{ANA}/handover", json=body, headers=users.headers("owner"))
    assert moved.status_code == 200, moved.get_data(as_text=True)

    mine = ("ownerUid", "EQUAL", ANA)
    assert rules.get(REP[ANA], f"customers/{KEY}").denied
    assert rules.get(REP[ANA], f"customers/{KEY}/activity/handover_job-rules-01").denied
    assert rules.get(REP[ANA], "tasks/task-moving-1").denied
    theirs = rules.query(REP[ANA], "customers", filters=(mine,))
    assert theirs.allowed and theirs.names() == []
    assert rules.query(REP[ANA], "tasks", filters=(mine,)).names() == []

    bens = ("ownerUid", "EQUAL", BEN)
    assert rules.get(REP[BEN], f"customers/{KEY}").allowed
    assert rules.get(REP[BEN], f"customers/{KEY}/activity/handover_job-rules-01").allowed
    assert rules.get(REP[BEN], "tasks/task-moving-1").allowed
    assert rules.query(REP[BEN], "customers", filters=(bens,)).names() == [f"customers/{KEY}"]
    events = rules.query(REP[BEN], "events", filters=(bens,)).names()
    assert [name.split(".")[-2] for name in events] == ["owner"]


def test_the_job_is_the_owners_alone(admin, db, intake, users, rules: RulesClient) -> None:
    member(db, ANA, disabled=True)
    member(db, BEN)
    body = {"mode": "rep", "to": BEN, "job_id": "job-rules-02"}
    admin.post(f"/team/{ANA}/handover", json=body, headers=users.headers("owner"))

    owner = User("owner", "owner-1", {"role": "owner"})
    assert rules.get(owner, "handovers/job-rules-02").allowed
    for who in (*REP.values(), User("manager", "manager-1", {"role": "manager"})):
        assert rules.get(who, "handovers/job-rules-02").denied
