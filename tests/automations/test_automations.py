"""Automations on the real Firestore and Auth emulators: the trade template's rules end
to end (intake, PATCH, /book, the sweep at a chosen time), idempotency (the same event
twice, the sweep twice, a sweep cut short), no rule triggered by a rule's task, the
preview writing nothing, and who may set rules. No mocks.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hearth import automations, config, tasks
from hearth.store import events as domain_events
from tests.answers import names_field, refusal
from tests.bookings.test_book import book, booked, malta, next_weekday
from tests.customers.test_admin_api import seen
from tests.store_counter import StoreCounter

KEY = "ana.borg@example.org"
REP_A = "rep-a"
MALTA = ZoneInfo("Europe/Malta")
LATER = datetime.now(UTC) + timedelta(days=11)  # every event settled, the stale rule due


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No HEARTH_ setting from the shell; no minimum fill time (as the booking tests)."""
    for name in list(os.environ):
        if name.startswith("HEARTH_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HEARTH_MIN_FILL_MS", "0")


@pytest.fixture
def admin(db, users, function_client):
    return function_client("admin")


def trade(admin: Any, users: Any) -> None:
    response = admin.put(
        "/settings/pipeline", json={"template": "trade"}, headers=users.headers("owner")
    )
    assert response.status_code == 200, response.get_data(as_text=True)


def lead(intake: Any, db: Any, email: str = KEY) -> str:
    response = intake.post("/", json={"form": "contact", "email": email, "name": "Ana Borg"})
    assert response.status_code == 200, response.get_data(as_text=True)
    db.collection("customers").document(email).update({"ownerUid": REP_A})
    return email


def move(admin: Any, db: Any, users: Any, stage: str) -> None:
    body = {"expected_updated_at": seen(db), "changes": {"stage": stage}}
    response = admin.patch(f"/customers/{KEY}", json=body, headers=users.headers("owner"))
    assert response.status_code == 200, response.get_data(as_text=True)


def stored_tasks(db: Any) -> dict[str, dict[str, Any]]:
    return {snap.id: snap.to_dict() for snap in db.collection("tasks").stream()}


def all_events(db: Any) -> dict[str, dict[str, Any]]:
    return {snap.id: snap.to_dict() for snap in db.collection("events").stream()}


def of_type(db: Any, kind: str, key: str = KEY) -> list[dict[str, Any]]:
    return [e for e in domain_events.of_customer(db, key, 5) if e["type"] == kind]


def last_friday() -> datetime:
    """15:00 in Malta on the last Friday before today: two business days on is Tuesday."""
    day = datetime.now(MALTA).date() - timedelta(days=1)
    while day.weekday() != 4:
        day -= timedelta(days=1)
    return datetime(day.year, day.month, day.day, 15, tzinfo=MALTA)


# --- the trade template end to end ------------------------------------------------------


def test_the_trade_templates_rules_end_to_end(admin, intake, db, users, function_client):
    trade(admin, users)
    lead(intake, db)
    [created] = of_type(db, "customer.created")
    # The lead came in on a Friday afternoon: its check-in skips the weekend.
    friday = last_friday()
    db.collection("events").document(created["id"]).update({"at": friday})
    move(admin, db, users, "demo_scheduled")
    start = malta(next_weekday(), 10)
    booked(book({"book": function_client("book")}, start))
    move(admin, db, users, "demo_completed")
    [completed] = [e for e in of_type(db, "stage.changed") if e["data"]["to"] == "demo_completed"]
    [call] = of_type(db, "booking.created")

    answer = function_client("sweep").post("/")  # now: the demo's nudge is 3 days away
    assert answer.status_code == 200
    outcome = tasks.sweep(config.load(), LATER)

    found = stored_tasks(db)
    assert set(found) == {
        f"new_lead_check_in.{created['id']}",
        f"demo_reminder.{call['id']}",
        f"demo_nudge.{completed['id']}",
        f"stale_reminder.{completed['id']}",
    }
    due = {task["rule"]: task["due"] for task in found.values()}
    assert due["new_lead_check_in"] == friday + timedelta(days=4)  # Tuesday 15:00 Malta
    assert due["new_lead_check_in"].astimezone(MALTA).weekday() == 1
    assert due["demo_reminder"] == start - timedelta(hours=24)
    assert due["demo_nudge"] == completed["at"] + timedelta(days=3)
    assert due["stale_reminder"] == completed["at"] + timedelta(days=10)
    assert {task["ownerUid"] for task in found.values()} == {REP_A}
    assert {task["customer"] for task in found.values()} == {KEY}
    assert found[f"demo_nudge.{completed['id']}"]["title"] == "Nudge after the demo"
    assert outcome["overdue"] >= 3  # all but possibly the call's reminder are past LATER
    entries = db.collection("customers").document(KEY).collection("activity").stream()
    assert sum(1 for e in entries if e.to_dict()["type"] == "task") == 4


def test_a_stale_reminder_fires_once_per_stale_stretch(admin, intake, db, users) -> None:
    trade(admin, users)
    lead(intake, db)
    settings = config.load()
    automations.run(settings, LATER)
    automations.run(settings, LATER + timedelta(days=5))
    [created] = of_type(db, "customer.created")
    stale = [t for t in stored_tasks(db).values() if t["rule"] == "stale_reminder"]
    assert [t["event"] for t in stale] == [created["id"]]

    move(admin, db, users, "demo_scheduled")  # the stage moves: a new stretch starts
    automations.run(settings, datetime.now(UTC) + timedelta(days=5))
    assert len([t for t in stored_tasks(db).values() if t["rule"] == "stale_reminder"]) == 1
    automations.run(settings, LATER)
    [moved] = of_type(db, "stage.changed")
    stale = {t["event"] for t in stored_tasks(db).values() if t["rule"] == "stale_reminder"}
    assert stale == {created["id"], moved["id"]}


def test_a_won_customer_is_never_stale(admin, intake, db, users) -> None:
    trade(admin, users)
    lead(intake, db)
    move(admin, db, users, "first_order_placed")
    automations.run(config.load(), LATER + timedelta(days=30))
    rules = {task["rule"] for task in stored_tasks(db).values()}
    assert rules == {"new_lead_check_in"}


# --- idempotency ------------------------------------------------------------------------


def test_the_same_event_twice_makes_one_task(admin, intake, db, users) -> None:
    trade(admin, users)
    lead(intake, db)
    settings = config.load()
    first = automations.run(settings, LATER)
    db.collection("consumers").document("automations").delete()  # the event comes again
    again = automations.run(settings, LATER)

    assert (first["tasks"], first["stale"]) == (1, 1)  # check-in and stale reminder
    assert (again["tasks"], again["stale"]) == (0, 0)
    assert again["events"] == first["events"] == 1
    assert len(stored_tasks(db)) == 2


def test_the_sweep_twice_makes_nothing_twice(admin, intake, db, users, function_client) -> None:
    trade(admin, users)
    lead(intake, db)
    lead(intake, db, "joe@example.org")
    first = tasks.sweep(config.load(), LATER)
    made = stored_tasks(db)
    second = tasks.sweep(config.load(), LATER)

    assert (first["tasks"], first["stale"]) == (2, 2)
    assert (second["events"], second["tasks"], second["stale"], second["overdue"]) == (0, 0, 0, 0)
    assert stored_tasks(db) == made


def test_a_sweep_killed_halfway_is_finished_by_the_next(admin, intake, db, users) -> None:
    trade(admin, users)
    for n in range(5):
        lead(intake, db, f"lead{n}@example.org")
    settings = config.load()
    # The first run stops after one batch of two events (killed there).
    cut = automations.run(settings, LATER, batch_size=2, max_batches=1)
    assert cut["events"] == 2 and len(stored_tasks(db)) == 2 + cut["stale"]
    # Killed between its tasks and its cursor: the next batch repeats, and dedups.
    cursor = db.collection("consumers").document("automations").get().to_dict()
    automations.run(settings, LATER, batch_size=2, max_batches=1)
    db.collection("consumers").document("automations").set(cursor)
    rest = automations.run(settings, LATER, batch_size=2)

    found = stored_tasks(db)
    checks = sorted(t["customer"] for t in found.values() if t["rule"] == "new_lead_check_in")
    stale = sorted(t["customer"] for t in found.values() if t["rule"] == "stale_reminder")
    assert checks == stale == [f"lead{n}@example.org" for n in range(5)]
    assert rest["events"] == 3 + 2 - 2  # from the restored cursor: the last three
    assert automations.run(settings, LATER) == {"events": 0, "tasks": 0, "stale": 0}


def test_a_rules_task_triggers_no_rule(admin, intake, db, users) -> None:
    """A rule on every event type: its tasks add no event, so nothing follows them."""
    owner = users.headers("owner")
    rules = [
        {"id": f"every{n}", "on": kind, "offset": {"hours": 0}, "title": "Again?"}
        for n, kind in enumerate(
            ["customer.created", "stage.changed", "payment.recorded", "booking.cancelled"]
        )
    ]
    response = admin.put("/settings/automations", json={"rules": rules}, headers=owner)
    assert response.status_code == 200, response.get_data(as_text=True)
    lead(intake, db)
    before = all_events(db)
    settings = config.load()
    assert automations.run(settings, LATER)["tasks"] == 1
    assert all_events(db) == before
    assert automations.run(settings, LATER) == {"events": 0, "tasks": 0, "stale": 0}
    assert len(stored_tasks(db)) == 1


# --- settings and preview ---------------------------------------------------------------


def test_saved_rules_replace_the_templates_defaults(admin, intake, db, users) -> None:
    trade(admin, users)
    body = {
        "rules": [
            {
                "id": "welcome",
                "on": "customer.created",
                "offset": {"hours": 2},
                "title": "Say hello",
            }
        ]
    }
    response = admin.put("/settings/automations", json=body, headers=users.headers("owner"))
    assert response.status_code == 200
    assert response.get_json()["settings"]["rules"][0]["enabled"] is True
    lead(intake, db)
    automations.run(config.load(), LATER)
    [task] = stored_tasks(db).values()
    [created] = of_type(db, "customer.created")
    assert (task["rule"], task["due"]) == ("welcome", created["at"] + timedelta(hours=2))


def test_the_preview_shows_what_would_be_made_and_writes_nothing(admin, intake, db, users) -> None:
    trade(admin, users)
    lead(intake, db)
    owner = users.headers("owner")
    body = {
        "rules": [
            {"id": "check", "on": "customer.created", "offset": {"businessDays": 1}, "title": "Hi"},
            {"id": "nudge", "on": "stage.changed", "offset": {"days": 3}, "title": "Nudge"},
        ]
    }
    counter = StoreCounter()
    counter.attach(db)
    with counter.per(1) as cost:
        response = admin.post("/settings/automations/preview", json=body, headers=owner)
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    [created] = of_type(db, "customer.created")
    assert [(t["id"], t["customer"], t["title"]) for t in answer["tasks"]] == [
        (f"check.{created['id']}", KEY, "Hi")
    ]
    assert answer["events"] == 1
    assert cost["writes"] == 0
    assert stored_tasks(db) == {}
    assert db.collection("settings").document("automations").get().exists is False


def test_the_preview_leaves_out_events_older_than_30_days(admin, intake, db, users) -> None:
    lead(intake, db)
    [created] = of_type(db, "customer.created")
    old = datetime.now(UTC) - timedelta(days=31)
    db.collection("events").document(created["id"]).update({"at": old})
    body = {"rules": [{"id": "c", "on": "customer.created", "offset": {"hours": 1}, "title": "x"}]}
    response = admin.post(
        "/settings/automations/preview", json=body, headers=users.headers("owner")
    )
    assert response.get_json()["tasks"] == []


@pytest.mark.parametrize(
    ("role", "extra"), [("rep", {"uid": REP_A}), ("manager", {}), ("partner", {"segments": ["w"]})]
)
@pytest.mark.parametrize("path", ["/settings/automations", "/settings/automations/preview"])
def test_only_the_owner_sets_or_previews_rules(admin, db, users, role, extra, path) -> None:
    body = {"rules": []}
    method = admin.put if path.endswith("automations") else admin.post
    refusal(method(path, json=body, headers=users.headers(role, **extra)), 403)
    assert db.collection("settings").document("automations").get().exists is False


def test_without_a_token_it_is_401_and_a_wrong_method_405(admin, db, users) -> None:
    refusal(admin.put("/settings/automations", json={"rules": []}), 401)
    refusal(admin.get("/settings/automations", headers=users.headers("owner")), 405)
    refusal(admin.put("/settings/automations/preview", headers=users.headers("owner")), 405)


GOOD = {"id": "ok", "on": "customer.created", "offset": {"hours": 1}, "title": "Call"}


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ([{**GOOD, "offset": {"hours": 1, "days": 1}}], "rules.0.offset"),
        ([{**GOOD, "id": "Bad Id"}], "rules.0.id"),
        ([GOOD, GOOD], "rules.1.id"),
        ([{**GOOD, "on": "task.created"}], "rules.0.on"),
        ([{**GOOD, "offset": {"beforeCallHours": 24}}], "rules.0"),
        ([{**GOOD, "title": ""}], "rules.0.title"),
        ([{**GOOD, "colour": "red"}], "rules.0.colour"),
        ("nope", "rules"),
    ],
)
@pytest.mark.parametrize("path", ["/settings/automations", "/settings/automations/preview"])
def test_a_bad_rule_is_400_naming_the_field(admin, db, users, rules, field, path) -> None:
    method = admin.put if path.endswith("automations") else admin.post
    response = method(path, json={"rules": rules}, headers=users.headers("owner"))
    assert names_field(refusal(response, 400), field)
    assert db.collection("settings").document("automations").get().exists is False


def test_a_customers_reply_closes_the_check_in_and_can_make_a_task(
    admin, intake, db, users, function_client, monkeypatch
) -> None:
    """A check-in marked "done on reply" needs no doing once the customer has written:
    their e-mail closes it (and only it), and a rule on message.received asks for an
    answer."""
    body = {
        "rules": [
            {"id": "check-in", "on": "customer.created", "offset": {"businessDays": 2},
             "title": "Check in", "doneOnReply": True},
            {"id": "call", "on": "customer.created", "offset": {"days": 5}, "title": "Call"},
            {"id": "answer", "on": "message.received", "offset": {"hours": 2},
             "title": "Answer the customer"},
        ]
    }  # fmt: skip
    response = admin.put("/settings/automations", json=body, headers=users.headers("owner"))
    assert response.status_code == 200, response.get_data(as_text=True)
    lead(intake, db)
    automations.run(config.load(), LATER)
    assert {t["rule"]: t["done"] for t in stored_tasks(db).values()} == {
        "check-in": False,
        "call": False,
    }

    monkeypatch.setenv("HEARTH_EMAIL_INBOUND_SECRET", "inbound")
    mail = {"from": f"Ana <{KEY}>", "subject": "Yes please", "message_id": "<r-1@x.org>"}
    sent = function_client("email_inbound").post(
        "/", json=mail, headers={"X-Hearth-Secret": "inbound"}
    )
    assert sent.status_code == 200, sent.get_data(as_text=True)
    automations.run(config.load(), LATER + timedelta(minutes=1))

    tasks_now = {t["rule"]: t for t in stored_tasks(db).values()}
    assert tasks_now["check-in"]["done"] is True
    assert tasks_now["check-in"]["doneBy"] == {"kind": "automation", "reason": "reply"}
    assert tasks_now["call"]["done"] is False
    assert tasks_now["answer"]["title"] == "Answer the customer"
    entries = db.collection("customers").document(KEY).collection("activity").stream()
    done = [e.to_dict() for e in entries if e.to_dict()["type"] == "task_done"]
    assert [d["actor"]["reason"] for d in done] == ["the customer replied"]

    automations.run(config.load(), LATER + timedelta(minutes=2))
    assert len(stored_tasks(db)) == 3
