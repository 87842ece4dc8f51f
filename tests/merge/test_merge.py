"""Duplicates and merging on the real emulators, through the admin function: pairs
found and dismissed, a merge that moves everything in one commit, its undo, the alias a
later form follows, the resumable path for a long timeline, and who may."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest

from hearth.store import events as store_events
from hearth.store import merges as store_merges
from hearth.store import timeline
from tests.answers import names_field, refusal
from tests.merge.helpers import admin, call, customer, doc, entries, task, without

__all__ = ["admin"]
pytestmark = pytest.mark.usefixtures("default_settings")
OLD, NEW = "ana.old@example.org", "anna.new@example.org"


def merge(admin: Any, users: Any, merge_id: str = "merge-0001", **body: Any) -> Any:
    body = {"id": merge_id, "survivor": NEW, "other": OLD, **body}
    return admin.post("/merges", json=body, headers=users.headers("owner"))


def merged(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["merge"]


@pytest.fixture
def pair(db, intake) -> None:
    """Ana wrote twice from two addresses: the older record (with a call, a task and a
    note) and a newer one with a different spelling, the same mobile and company."""
    customer(
        intake,
        db,
        OLD,
        name="Ana Borg",
        company="Borg Ltd",
        mobile="+356 7912 3456",
        createdAt=datetime(2025, 1, 5, tzinfo=UTC),
        ownerUid="rep-a",
        stage="proposal_sent",
        balances={"pending": 1000, "paid": 500, "currency": "EUR"},
    )
    customer(
        intake,
        db,
        NEW,
        name="Anna Borg",
        company="BORG LIMITED",
        mobile="79123456",
        ownerUid="rep-b",
        balances={"pending": 200, "paid": 0, "currency": "EUR"},
    )
    call(db, "bk_ana-call-01", OLD, "rep-a")
    task(db, "manual.ana-task-1", OLD, "rep-a")
    customer(intake, db, "carl@example.org", name="Carl Vella", company="Vella")
    customer(intake, db, "carla@example.org", name="Carl Vella", company="Other Co")


def test_pairs_are_found_by_mobile_and_by_name_within_a_company_and_dismissed_pairs_go(
    admin, users, pair
) -> None:
    owner = users.headers("owner")
    listed = admin.get("/duplicates", headers=owner)
    assert listed.status_code == 200, listed.get_data(as_text=True)
    pairs = listed.get_json()["pairs"]
    assert [(p["a"]["key"], p["b"]["key"]) for p in pairs] == [(OLD, NEW)]  # not across companies
    assert pairs[0]["reasons"] == [
        "same mobile +356 7912 3456",
        "very similar names at the same company (Borg Ltd)",
    ]
    assert pairs[0]["a"]["name"] == "Ana Borg" and pairs[0]["b"]["stage"] == "lead"

    dismissed = admin.post(f"/duplicates/{quote(pairs[0]['id'])}/dismiss", headers=owner)
    assert dismissed.status_code == 200, dismissed.get_data(as_text=True)
    assert admin.get("/duplicates", headers=owner).get_json()["pairs"] == []


def test_a_merge_moves_everything_in_one_commit_and_undo_puts_everything_back(
    admin, users, pair, db, intake
) -> None:
    clocks = db.collection("stageClocks")
    clock = {"customer": OLD, "event": "e1", "stage": "proposal_sent", "open": True}
    clocks.document(OLD).set(clock)
    before = {key: doc(db, key) for key in (OLD, NEW)}
    before_entries = {key: entries(db, key) for key in (OLD, NEW)}
    preview = admin.post(
        "/merges/preview", json={"survivor": NEW, "other": OLD}, headers=users.headers("owner")
    ).get_json()
    assert {f["field"]: f["default"] for f in preview["fields"]} == {
        "name": "other",  # the older record's
        "company": "other",
        "stage": "survivor",
        "ownerUid": "survivor",
    }
    assert preview["moves"] == {"entries": 2, "bookings": 1, "tasks": 1, "messages": 0}

    done = merged(merge(admin, users, choices={"stage": "other"}))

    assert (done["state"], done["counts"]["entries"]) == ("done", 2)  # the form and the task
    survivor = doc(db, NEW)
    assert doc(db, OLD) is None
    assert (survivor["name"], survivor["stage"], survivor["ownerUid"]) == (
        "Ana Borg",
        "proposal_sent",
        "rep-b",
    )
    assert survivor["balances"] == {"pending": 1200, "paid": 500, "currency": "EUR"}
    assert survivor["createdAt"] == before[OLD]["createdAt"]
    assert survivor["mergedFrom"] == [OLD]
    moved = entries(db, NEW)
    for entry_id, entry in before_entries[OLD].items():
        assert moved[entry_id] == {**entry, "mergedFrom": OLD}
    assert moved["merge_merge-0001"]["chosen"] == {
        "name": "other",
        "company": "other",
        "stage": "other",
        "ownerUid": "survivor",
    }
    booking = db.collection("bookings").document("bk_ana-call-01").get().to_dict()
    assert (booking["customerKey"], booking["ownerUid"], booking["customerEmail"]) == (
        NEW,
        "rep-b",
        OLD,
    )
    assert (
        db.collection("tasks").document("manual.ana-task-1").get().to_dict()["ownerUid"] == "rep-b"
    )
    # The survivor took the other's stage, and so its stage clock.
    assert clocks.document(NEW).get().to_dict() == {**clock, "customer": NEW}
    assert not clocks.document(OLD).get().exists
    alias = db.collection("aliases").document(OLD).get().to_dict()
    assert (alias["customer"], alias["merge"]) == (NEW, "merge-0001")
    history = store_events.of_customer(db, NEW, 10, survivor["mergedFrom"])
    assert [(e["type"], e["customer"]) for e in history] == [
        ("customer.created", OLD),
        ("customer.created", NEW),
        ("customer.merged", NEW),
    ]
    again = merged(merge(admin, users))  # the same id again: found, nothing twice
    assert again["state"] == "done" and len(entries(db, NEW)) == len(moved)

    db.collection("customers").document(NEW).update({"company": "Borg & Co"})  # edited since
    undone = admin.post("/merges/merge-0001/undo", headers=users.headers("owner"))
    assert undone.status_code == 200, undone.get_data(as_text=True)
    assert undone.get_json()["merge"]["kept"] == ["company"]

    volatile = ("updatedAt",)
    assert without(doc(db, OLD), *volatile) == without(before[OLD], *volatile)
    assert without(doc(db, NEW), *volatile, "company", "search") == without(
        before[NEW], *volatile, "company", "search"
    )
    assert doc(db, NEW)["company"] == "Borg & Co"
    back = entries(db, OLD)
    assert {k: v for k, v in back.items() if k != "unmerge_merge-0001"} == before_entries[OLD]
    assert set(entries(db, NEW)) == {*before_entries[NEW], "merge_merge-0001", "unmerge_merge-0001"}
    booking = db.collection("bookings").document("bk_ana-call-01").get().to_dict()
    assert (booking["customerKey"], booking["ownerUid"]) == (OLD, "rep-a")
    assert db.collection("tasks").document("manual.ana-task-1").get().to_dict()["customer"] == OLD
    assert not db.collection("aliases").document(OLD).get().exists
    assert clocks.document(OLD).get().to_dict() == clock
    assert not clocks.document(NEW).get().exists

    twice = refusal(admin.post("/merges/merge-0001/undo", headers=users.headers("owner")), 409)
    assert "already undone" in twice["message"]


def test_undo_keeps_a_field_edited_since_the_merge_and_says_so(admin, users, pair, db) -> None:
    merged(merge(admin, users))
    db.collection("customers").document(NEW).update({"name": "Ana B. Borg"})
    undone = admin.post("/merges/merge-0001/undo", headers=users.headers("owner")).get_json()
    assert undone["merge"]["kept"] == ["name"]
    assert doc(db, NEW)["name"] == "Ana B. Borg"
    assert entries(db, NEW)["unmerge_merge-0001"]["kept"] == ["name"]


def test_a_later_form_from_the_merged_address_lands_on_the_survivor(
    admin, users, pair, db, intake
) -> None:
    merged(merge(admin, users))
    response = intake.post("/", json={"form": "quote", "email": OLD, "message": "Again"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert doc(db, OLD) is None
    later = [e for e in entries(db, NEW).values() if e.get("form") == "quote"]
    assert len(later) == 1 and later[0]["via"] == OLD
    assert "quote" in doc(db, NEW)["forms"]


def test_balances_in_two_currencies_are_refused_naming_the_field(admin, users, pair, db) -> None:
    db.collection("customers").document(OLD).update({"balances.currency": "GBP"})
    answer = refusal(merge(admin, users), 409)
    assert names_field(answer, "balances.currency")
    assert doc(db, OLD) is not None


def test_reps_and_managers_may_neither_list_nor_merge(admin, users, pair, db) -> None:
    for role in ("rep", "manager"):
        headers = users.headers(role)
        refusal(admin.get("/duplicates", headers=headers), 403)
        body = {"id": "merge-0002", "survivor": NEW, "other": OLD}
        refusal(admin.post("/merges", json=body, headers=headers), 403)
    assert doc(db, OLD) is not None


def test_a_long_timeline_merges_in_steps_and_a_cut_short_merge_continues(
    admin, users, pair, db, monkeypatch
) -> None:
    """460 entries are more than one commit holds: the merge says "moving" while it
    copies, posting the same id again after a failure finishes it, and its undo moves
    them back in steps as well."""
    at = datetime.now(UTC) - timedelta(days=1)
    for start in range(0, 460, 230):
        batch = db.batch()
        for n in range(start, start + 230):
            ref = timeline.entry_ref(db, OLD, f"op_note-{n:04d}")
            batch.create(ref, {"type": "note", "at": at, "text": f"note {n}"})
        batch.commit()
    real = store_merges._commit_steps
    cut = {"calls": 0}

    def cut_after_the_first_batch(client, steps, after, timeout):
        real(client, steps[: store_merges.MAX_WRITES], after, timeout)
        cut["calls"] += 1
        raise ConnectionError("the function was stopped")

    monkeypatch.setattr(store_merges, "_commit_steps", cut_after_the_first_batch)
    assert merge(admin, users).status_code == 500
    moving = db.collection("merges").document("merge-0001").get().to_dict()
    assert moving["state"] == "moving" and moving["moving"]["done"] == store_merges.MAX_WRITES
    assert doc(db, OLD) is not None and "mergedFrom" not in doc(db, NEW)  # nothing half-merged

    monkeypatch.setattr(store_merges, "_commit_steps", real)
    done = merged(merge(admin, users))
    assert done["state"] == "done" and done["counts"]["entries"] == 462
    assert doc(db, OLD) is None and entries(db, OLD) == {}
    assert len([e for e in entries(db, NEW).values() if e.get("mergedFrom") == OLD]) == 462

    undone = admin.post("/merges/merge-0001/undo", headers=users.headers("owner"))  # in steps too
    assert undone.status_code == 200, undone.get_data(as_text=True)
    assert len(entries(db, OLD)) == 463  # its 462 and the unmerged entry
    assert not [e for e in entries(db, NEW).values() if "mergedFrom" in e]
