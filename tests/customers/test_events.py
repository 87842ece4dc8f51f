"""Domain events for customers on the real emulators: customer created (intake), stage
changed and payment recorded (the admin API), each in the commit of its change.

What a user would notice: every change has exactly one event, a refused or repeated
change none, and the recorded stage moves are the history reports are read from,
backward moves and skipped stages as they happened.
"""

from __future__ import annotations

from typing import Any

import pytest

from hearth.rules.history import Interval, intervals
from hearth.store import events as domain_events
from tests.answers import names_field, refusal
from tests.customers.test_admin_api import KEY, REP_A, make_customer, ok, seen, stored, url
from tests.store_counter import StoreCounter

pytestmark = pytest.mark.usefixtures("default_settings")


@pytest.fixture
def admin(db, users, function_client):
    return function_client("admin")


def events(db: Any, key: str = KEY, kind: str | None = None) -> list[dict[str, Any]]:
    found = domain_events.of_customer(db, key, 5)
    return [event for event in found if kind is None or event["type"] == kind]


def activity(db: Any, key: str = KEY) -> dict[str, dict[str, Any]]:
    entries = db.collection("customers").document(key).collection("activity").stream()
    return {entry.id: entry.to_dict() for entry in entries}


def move(admin: Any, db: Any, headers: dict[str, str], stage: str, **extra: Any) -> Any:
    body = {"expected_updated_at": seen(db), "changes": {"stage": stage}, **extra}
    return admin.patch(url(), json=body, headers=headers)


# --- customer.created ----------------------------------------------------------------------


def test_a_new_customer_from_a_form_is_one_created_event_with_its_first_stage(intake, db) -> None:
    response = intake.post(
        "/",
        json={
            "form": "contact",
            "email": KEY,
            "source": "spring-show",
            "submission_id": "sub-first-0001",
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    customer = stored(db)

    (event,) = events(db)
    assert event == {
        "id": event["id"],
        "type": "customer.created",
        "customer": KEY,
        "at": customer["createdAt"],
        "by": None,  # a visitor, not staff
        "ownerUid": None,
        "data": {"stage": "lead", "source": customer["firstSource"]},
    }
    assert event["id"].startswith("sub_sub-first-0001.created.")
    assert db.collection("events").document(event["id"]).get().exists


def test_a_replayed_submission_or_a_returning_customer_adds_no_created_event(intake, db) -> None:
    first = {"form": "contact", "email": KEY, "submission_id": "sub-replay-0001"}
    for body in (first, first, {**first, "submission_id": "sub-later-0002", "name": "Ana"}):
        assert intake.post("/", json=body).status_code == 200

    assert [event["type"] for event in events(db)] == ["customer.created"]
    assert len(activity(db)) == 2  # both submissions are on the timeline, once each


def test_the_same_submission_id_from_two_addresses_makes_two_customers_and_two_events(
    intake, db
) -> None:
    """A submission id is unique per customer, not overall: the event id keeps apart
    what the timeline keeps apart."""
    for email in (KEY, "joe@example.org"):
        body = {"form": "contact", "email": email, "submission_id": "sub-shared-0001"}
        assert intake.post("/", json=body).status_code == 200

    assert len(events(db, KEY)) == len(events(db, "joe@example.org")) == 1
    assert len(list(db.collection("events").stream())) == 2


def test_a_new_submission_costs_one_write_more_and_a_repeat_none(intake, db) -> None:
    counter = StoreCounter()
    counter.attach(db)
    assert (
        intake.post("/", json={"form": "contact", "email": "warm@example.org"}).status_code == 200
    )

    with counter.per(1) as new:
        assert intake.post("/", json={"form": "contact", "email": KEY}).status_code == 200
    with counter.per(1) as repeat:
        assert intake.post("/", json={"form": "contact", "email": KEY}).status_code == 200

    # The source, the pipeline, the routing settings, the address's alias (a merged
    # address lands on its survivor) and its suppression (a person erased before) read
    # first (one round trip); the customer, its
    # timeline entry and customer.created in one commit, plus the day's analytics shard
    # (no routing rules: nothing to route, so no more); a returning customer is read
    # too, and has no event.
    assert new == {"reads": 5, "writes": 4}
    assert repeat == {"reads": 6, "writes": 3}


# --- stage.changed -------------------------------------------------------------------------


def test_a_stage_change_is_one_event_in_the_commit_of_the_change(admin, intake, db, users) -> None:
    make_customer(intake, db)
    headers = users.headers("owner", uid="the-owner")

    answer = ok(move(admin, db, headers, "proposal_sent", request_id="move-0001"))

    (event,) = events(db, kind="stage.changed")
    (entry,) = [e for e in activity(db).values() if e["type"] == "change"]
    assert event == {
        "id": event["id"],
        "type": "stage.changed",
        "customer": KEY,
        "at": entry["at"],  # the same commit: the same server time
        "by": {"uid": "the-owner", "role": "owner"},
        "ownerUid": REP_A,
        "data": {"from": "lead", "to": "proposal_sent"},
    }
    assert event["at"] == stored(db)["updatedAt"]
    assert event["id"].startswith("op_move-0001.stage.")
    assert answer["customer"]["stage"] == "proposal_sent"


def test_a_retried_stage_change_adds_no_second_event(admin, intake, db, users) -> None:
    make_customer(intake, db)
    headers = users.headers("owner")
    body = {"expected_updated_at": seen(db), "changes": {"stage": "proposal_sent"}}
    body["request_id"] = "move-retry-0001"

    assert ok(admin.patch(url(), json=body, headers=headers))["outcome"] == "applied"
    assert ok(admin.patch(url(), json=body, headers=headers))["outcome"] == "duplicate"

    assert len(events(db, kind="stage.changed")) == 1


def test_refused_conflicting_or_empty_stage_changes_write_no_event(
    admin, intake, db, users
) -> None:
    make_customer(intake, db)
    owner = users.headers("owner")
    stale = seen(db)
    renamed = {"expected_updated_at": stale, "changes": {"name": "Ana B"}}
    ok(admin.patch(url(), json=renamed, headers=owner))  # someone else was first

    late = {"expected_updated_at": stale, "changes": {"stage": "proposal_sent"}}
    conflict = admin.patch(url(), json=late, headers=owner)
    assert conflict.status_code == 409
    assert names_field(refusal(move(admin, db, owner, "no_such_stage"), 400), "changes.stage")
    manager = move(admin, db, users.headers("manager"), "proposal_sent")
    assert manager.status_code == 403
    assert ok(move(admin, db, owner, "lead"))["outcome"] == "unchanged"

    assert events(db, kind="stage.changed") == []
    assert stored(db)["stage"] == "lead"


def test_backward_moves_and_skipped_stages_are_recorded_as_they_are(
    admin, intake, db, users
) -> None:
    make_customer(intake, db)
    rep = users.headers("rep", uid=REP_A)
    for stage in ("proposal_signed", "proposal_sent", "in_production", "lead"):
        ok(move(admin, db, rep, stage))

    recorded = events(db)
    moves = [event["data"] for event in recorded if event["type"] == "stage.changed"]
    assert moves == [
        {"from": "lead", "to": "proposal_signed"},  # proposal_sent skipped
        {"from": "proposal_signed", "to": "proposal_sent"},  # back
        {"from": "proposal_sent", "to": "in_production"},  # two skipped
        {"from": "in_production", "to": "lead"},  # all the way back
    ]
    assert {event["by"]["role"] for event in recorded[1:]} == {"rep"}
    stays = intervals(recorded)
    assert [stay.stage for stay in stays] == [
        "lead",
        "proposal_signed",
        "proposal_sent",
        "in_production",
        "lead",
    ]
    assert stays[-1] == Interval("lead", recorded[-1]["at"], None)
    assert all(stay.entered <= stay.left for stay in stays[:-1])


def test_a_stage_change_with_a_new_owner_is_owned_by_the_new_owner(
    admin, intake, db, users
) -> None:
    """ownerUid is who owns the customer once the change lands: the rep it was given to
    sees the move that came with it."""
    make_customer(intake, db, owner_uid=None)
    body = {
        "expected_updated_at": seen(db),
        "changes": {"stage": "proposal_sent", "ownerUid": "rep-b"},
    }
    ok(admin.patch(url(), json=body, headers=users.headers("owner")))

    (event,) = events(db, kind="stage.changed")
    assert event["ownerUid"] == "rep-b"


# --- payment.recorded ----------------------------------------------------------------------


def test_a_payment_is_one_event_with_the_paid_total_and_a_retry_adds_none(
    admin, intake, db, users
) -> None:
    make_customer(intake, db, pending=10000)
    headers = users.headers("owner", uid="the-owner")
    first = {"amount": 2500, "payment_id": "pay-ev-0001"}
    ok(admin.post(url(action="payments"), json=first, headers=headers))
    ok(admin.post(url(action="payments"), json=first, headers=headers))  # resent
    second = {"amount": 500, "payment_id": "pay-ev-0002"}
    ok(admin.post(url(action="payments"), json=second, headers=headers))

    paid = events(db, kind="payment.recorded")
    assert [event["data"] for event in paid] == [
        {"amount": 2500, "currency": "EUR", "paidTotal": 2500},
        {"amount": 500, "currency": "EUR", "paidTotal": 3000},
    ]
    assert paid[0]["by"] == {"uid": "the-owner", "role": "owner"}
    assert paid[0]["ownerUid"] == REP_A
    assert paid[0]["id"].startswith("op_pay-ev-0001.payment.")


def test_an_overpayment_or_owed_change_records_no_payment_event(admin, intake, db, users) -> None:
    make_customer(intake, db, pending=1000)
    headers = users.headers("owner")
    over = admin.post(
        url(action="payments"), json={"amount": 5000, "payment_id": "pay-over-01"}, headers=headers
    )
    assert names_field(refusal(over, 400), "amount")
    owed = {"pending": 9000, "expected_updated_at": seen(db)}
    ok(admin.put(url(action="owed"), json=owed, headers=headers))

    assert [event["type"] for event in events(db)] == ["customer.created"]
