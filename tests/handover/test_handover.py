"""POST /admin/team/{uid}/handover on the real emulators: a departed rep's open customers
move, with their open tasks, future calls, a timeline entry and an owner.changed event
each; in pages, stoppable, and never moving a customer twice."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tests.answers import names_field, refusal
from tests.handover.helpers import (
    ANA,
    BEN,
    CARLA,
    admin,
    call,
    customer,
    handover_entries,
    member,
    owner_events,
    owner_of,
    task,
)

__all__ = ["admin"]
pytestmark = pytest.mark.usefixtures("default_settings")
KEYS = [f"c{n}@example.org" for n in range(5)]


@pytest.fixture
def ana_left(db, intake) -> list[str]:
    """Ana disabled with five open customers (one archived besides), Ben and Carla active."""
    member(db, ANA, disabled=True)
    member(db, BEN)
    member(db, CARLA)
    for key in KEYS:
        customer(intake, db, key, ANA)
    customer(intake, db, "archived@example.org", ANA, archived=True)
    customer(intake, db, "bens@example.org", BEN)
    return KEYS


def hand_over(admin: Any, users: Any, uid: str = ANA, **body: Any) -> Any:
    body = {"mode": "rep", "to": BEN, "job_id": "job-0000001", **body}
    return admin.post(f"/team/{uid}/handover", json=body, headers=users.headers("owner"))


def job_of(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["job"]


def test_to_one_rep_every_open_customer_moves_with_its_open_tasks_and_future_calls(
    admin, ana_left, db, users
) -> None:
    first = KEYS[0]
    task(db, "task-open-ana", first, ANA)
    task(db, "task-done-ana", first, ANA, done=True)
    task(db, "task-open-owner", first, "the-owner")
    call(db, "bk-future", first, ANA, days=3)
    call(db, "bk-past", first, ANA, days=-3)

    job = job_of(hand_over(admin, users))

    assert (job["state"], job["moved"], job["total"], job["from"], job["to"]) == (
        "done",
        5,
        5,
        ANA,
        BEN,
    )
    assert [owner_of(db, key) for key in KEYS] == [BEN] * 5
    assert owner_of(db, "archived@example.org") == ANA  # archived: not an open customer
    tasks = {t.id: t.to_dict()["ownerUid"] for t in db.collection("tasks").stream()}
    assert tasks == {
        "task-open-ana": BEN,
        "task-done-ana": ANA,  # done: history, stays as it was
        "task-open-owner": "the-owner",  # not Ana's
    }
    calls = {b.id: b.to_dict()["ownerUid"] for b in db.collection("bookings").stream()}
    assert calls == {"bk-future": BEN, "bk-past": ANA}
    [entry] = handover_entries(db, first)
    assert entry["text"] == "Handed over from Ana Borg (left the team) to Ben Vella"
    assert (entry["from"], entry["to"]) == (
        {"uid": ANA, "name": "Ana Borg"},
        {"uid": BEN, "name": "Ben Vella"},
    )
    [event] = owner_events(db, first)
    assert event["ownerUid"] == BEN
    assert event["data"] == {"from": ANA, "to": BEN, "reason": "hand-over"}
    assert len(owner_events(db)) == 5


def test_stopped_after_the_first_page_and_run_again_moves_each_customer_once(
    admin, ana_left, db, users
) -> None:
    page = job_of(hand_over(admin, users, batch_size=2))
    assert (page["state"], page["moved"], page["total"]) == ("running", 2, 5)

    stop = admin.post(f"/team/{ANA}/handover/job-0000001/stop", headers=users.headers("owner"))
    assert job_of(stop)["state"] == "stopped"
    assert sorted(owner_of(db, key) for key in KEYS) == [ANA, ANA, ANA, BEN, BEN]

    resumed = job_of(hand_over(admin, users))
    assert (resumed["state"], resumed["moved"], resumed["total"]) == ("done", 5, 5)
    again = job_of(hand_over(admin, users))  # a rerun of a finished job moves nothing
    assert (again["state"], again["moved"]) == ("done", 5)
    for key in KEYS:
        assert owner_of(db, key) == BEN
        assert len(handover_entries(db, key)) == 1
        assert len(owner_events(db, key)) == 1


def test_two_runs_at_once_never_move_a_customer_twice(admin, ana_left, db, users) -> None:
    headers = users.headers("owner")
    answers: list[Any] = []

    def run(job_id: str, to: str) -> None:
        body = {"mode": "rep", "to": to, "job_id": job_id}
        answers.append(admin.post(f"/team/{ANA}/handover", json=body, headers=headers))

    threads = [
        threading.Thread(target=run, args=("job-to-ben-1", BEN)),
        threading.Thread(target=run, args=("job-to-carla", CARLA)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(job_of(answer)["moved"] for answer in answers) == 5
    for key in KEYS:
        assert owner_of(db, key) in (BEN, CARLA)
        assert len(handover_entries(db, key)) == 1
        [event] = owner_events(db, key)
        assert event["data"]["to"] == owner_of(db, key)


def test_an_active_rep_cannot_be_handed_over(admin, ana_left, db, users) -> None:
    answer = refusal(hand_over(admin, users, uid=BEN, to=CARLA), 409)

    assert names_field(answer, "uid")
    assert "Ben Vella" in answer["message"]
    assert owner_of(db, "bens@example.org") == BEN
    assert db.collection("handovers").get() == []


def test_a_rep_whose_role_changed_can_be_handed_over(admin, ana_left, db, users) -> None:
    member(db, CARLA, role="manager")
    db.collection("customers").document(KEYS[0]).update({"ownerUid": CARLA})

    job = job_of(hand_over(admin, users, uid=CARLA, job_id="job-carla-1"))

    assert (job["moved"], owner_of(db, KEYS[0])) == (1, BEN)
    [entry] = handover_entries(db, KEYS[0])
    assert entry["text"] == "Handed over from Carla Zammit (no longer a rep) to Ben Vella"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"to": None}, "to"),
        ({"to": ANA}, "to"),  # the rep who left
        ({"to": "nobody-at-all"}, "to"),
        ({"to": "the-manager"}, "to"),
        ({"mode": "by-mood"}, "mode"),
        ({"job_id": "short"}, "job_id"),
        ({"batch_size": 201}, "batch_size"),
    ],
)
def test_a_bad_target_or_body_is_a_400_naming_it(admin, ana_left, db, users, body, field) -> None:
    member(db, "the-manager", role="manager")

    assert names_field(refusal(hand_over(admin, users, **body), 400), field)
    assert owner_of(db, KEYS[0]) == ANA


def test_a_job_id_reused_for_another_hand_over_is_a_409(admin, ana_left, db, users) -> None:
    job_of(hand_over(admin, users, batch_size=1))

    answer = refusal(hand_over(admin, users, to=CARLA), 409)
    assert names_field(answer, "job_id")


@pytest.mark.parametrize(("role", "extra"), [("rep", {"uid": BEN}), ("manager", {})])
def test_only_the_owner_hands_over_or_stops(admin, ana_left, db, users, role, extra) -> None:
    headers = users.headers(role, **extra)
    body = {"mode": "rep", "to": BEN, "job_id": "job-0000001"}

    assert refusal(admin.post(f"/team/{ANA}/handover", json=body, headers=headers), 403)
    stop = admin.post(f"/team/{ANA}/handover/job-0000001/stop", headers=headers)
    assert refusal(stop, 403)
    assert owner_of(db, KEYS[0]) == ANA


def test_stopping_an_unknown_job_is_a_404_naming_it(admin, ana_left, users) -> None:
    stop = admin.post(f"/team/{ANA}/handover/job-unknown-1/stop", headers=users.headers("owner"))

    assert names_field(refusal(stop, 404), "job_id")


def test_by_the_rules_the_leaving_rep_is_skipped_and_the_round_robin_moves_on(
    admin, db, intake, users
) -> None:
    for uid in (ANA, BEN, CARLA):
        member(db, uid)
    for key in KEYS:  # before the rules: no round robin has moved yet
        customer(intake, db, key, ANA)
    rules = {
        "rules": [
            {"id": "everyone", "match": {}, "action": {"group": [ANA, BEN, CARLA]}, "enabled": True}
        ],
        "fallback": None,
    }
    saved = admin.put("/settings/routing", json=rules, headers=users.headers("owner"))
    assert saved.status_code == 200, saved.get_data(as_text=True)
    member(db, ANA, disabled=True)

    job = job_of(hand_over(admin, users, mode="rules", to=None))

    assert (job["state"], job["moved"], job["mode"]) == ("done", 5, "rules")
    owners = [owner_of(db, key) for key in KEYS]
    assert sorted(owners) == [BEN, BEN, BEN, CARLA, CARLA]  # Ana skipped, turn by turn
    for key, owner in zip(KEYS, owners, strict=True):
        [entry] = handover_entries(db, key)
        name = "Ben Vella" if owner == BEN else "Carla Zammit"
        assert entry["text"] == (
            f"Handed over from Ana Borg (left the team) to {name} by the routing rules"
        )
        assert entry["rule"] == "everyone"
        [event] = owner_events(db, key)
        assert event["data"] == {
            "from": ANA,
            "to": owner,
            "reason": "hand-over",
            "rule": "everyone",
        }
    pointer = db.collection("routing_state").document("everyone").get().to_dict()
    assert pointer["counts"] == {BEN: 3, CARLA: 2}


def test_by_the_rules_with_nobody_left_the_customers_go_to_the_owner(
    admin, ana_left, db, users
) -> None:
    job = job_of(hand_over(admin, users, mode="rules", to=None))  # no routing rules at all

    assert job["moved"] == 5
    assert [owner_of(db, key) for key in KEYS] == [None] * 5
    [entry] = handover_entries(db, KEYS[0])
    assert entry["text"].endswith("to the owner (unassigned) by the routing rules")
