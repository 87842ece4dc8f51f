"""Follow-up tasks on the real Firestore and Auth emulators: who may add and finish
them, that each lands once with its timeline entry, and the sweep.

Customers are made by posting to intake, then assigned with the server client as the
owner would; tokens are real ID tokens from the Auth emulator. No mocks.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from google.cloud.firestore import FieldFilter

from hearth import config, tasks
from hearth.store import tasks as store_tasks
from tests.answers import names_field, refusal

KEY = "ana.borg@example.org"
OTHER = "ben.vella@example.org"
REP_A = "rep-a"
REP_B = "rep-b"
DUE = "2030-05-04T09:00:00Z"

pytestmark = pytest.mark.usefixtures("default_settings")


@pytest.fixture
def admin(db, users, function_client):
    return function_client("admin")


def make_customer(intake: Any, db: Any, email: str = KEY, owner_uid: str | None = REP_A) -> str:
    response = intake.post("/", json={"form": "contact", "email": email, "name": "Ana Borg"})
    assert response.status_code == 200, response.get_data(as_text=True)
    db.collection("customers").document(email).update({"ownerUid": owner_uid})
    return email


def stored_tasks(db: Any) -> dict[str, dict[str, Any]]:
    return {snap.id: snap.to_dict() for snap in db.collection("tasks").stream()}


def entries(db: Any, key: str = KEY, kind: str | None = None) -> list[dict[str, Any]]:
    found = [
        e.to_dict()
        for e in db.collection("customers").document(key).collection("activity").stream()
    ]
    return [
        e for e in found if e["type"] != "form_submission" and (kind is None or e["type"] == kind)
    ]


def add(admin: Any, headers: dict[str, str], **body: Any) -> Any:
    return admin.post(
        "/tasks",
        json={"customer": KEY, "title": "Send the proposal", "due": DUE, **body},
        headers=headers,
    )


def put_task(db: Any, task_id: str, *, due: datetime, owner_uid: str = REP_A, done: bool = False):
    """A task as the store writes one (through its own create), due when asked."""
    task = store_tasks.new_task(
        customer=KEY, customer_name="Ana Borg", owner_uid=owner_uid, title=task_id, due=due
    )
    task["done"] = done
    store_tasks.create(db, task_id, task, None, timeout=10)


# --- adding -------------------------------------------------------------------------------


def test_the_owner_adds_a_follow_up_for_the_customers_rep_with_its_timeline_entry(
    admin, intake, db, users
) -> None:
    make_customer(intake, db)
    response = add(admin, users.headers("owner", uid="the-owner"), task_id="task-0001")

    assert response.status_code == 201, response.get_data(as_text=True)
    answer = response.get_json()
    assert answer["outcome"] == "applied"
    task = answer["task"]
    assert (task["id"], task["customer"], task["title"]) == (
        "manual.task-0001",
        KEY,
        "Send the proposal",
    )
    assert task["due"] == "2030-05-04T09:00:00.000000Z"
    [stored] = stored_tasks(db).values()
    assert stored["ownerUid"] == REP_A  # the customer's rep is the assignee
    assert stored["customerName"] == "Ana Borg"
    assert (stored["done"], stored["overdue"], stored["doneAt"]) == (False, False, None)
    [entry] = entries(db)
    assert entry["type"] == "task"
    assert (entry["taskId"], entry["title"], entry["assignee"]) == (
        "manual.task-0001",
        "Send the proposal",
        REP_A,
    )
    assert entry["actor"]["uid"] == "the-owner"


def test_a_retried_add_makes_one_task_and_one_entry(admin, intake, db, users) -> None:
    make_customer(intake, db)
    headers = users.headers("rep", uid=REP_A)
    first = add(admin, headers, task_id="task-0002")
    again = add(admin, headers, task_id="task-0002")

    assert first.status_code == 201
    assert again.status_code == 200 and again.get_json()["outcome"] == "duplicate"
    assert len(stored_tasks(db)) == 1
    assert len(entries(db, kind="task")) == 1
    other = add(admin, headers, task_id="task-0002", title="Something else")
    assert names_field(refusal(other, 400), "task_id")


def test_an_unassigned_customers_task_is_the_creators(admin, intake, db, users) -> None:
    make_customer(intake, db, owner_uid=None)
    add(admin, users.headers("owner", uid="the-owner"))
    [task] = stored_tasks(db).values()
    assert task["ownerUid"] == "the-owner"


@pytest.mark.parametrize(
    ("role", "extra", "status"),
    [
        ("rep", {"uid": REP_B}, 404),  # another rep's customer: not theirs to see
        ("manager", {}, 403),
        ("partner", {"segments": ["weddings"]}, 403),
        (None, {}, 403),
    ],
)
def test_who_may_not_add_a_task(admin, intake, db, users, role, extra, status) -> None:
    make_customer(intake, db)
    refusal(add(admin, users.headers(role, **extra)), status)
    assert stored_tasks(db) == {}
    assert entries(db) == []


def test_without_a_token_it_is_401(admin, intake, db) -> None:
    make_customer(intake, db)
    refusal(add(admin, {}), 401)
    assert stored_tasks(db) == {}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"due": "tomorrow"}, "due"),
        ({"due": "2030-05-04T09:00:00"}, "due"),  # no zone: which 9 o'clock?
        ({"customer": ""}, "customer"),
        ({"task_id": "short"}, "task_id"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_400_naming_the_field(admin, intake, db, users, body, field) -> None:
    make_customer(intake, db)
    assert names_field(refusal(add(admin, users.headers("owner"), **body), 400), field)
    assert stored_tasks(db) == {}


def test_an_unknown_customer_is_404_naming_it(admin, db, users) -> None:
    answer = refusal(add(admin, users.headers("owner"), customer=OTHER), 404)
    assert names_field(answer, "customer")


# --- done ---------------------------------------------------------------------------------


def done(admin: Any, task_id: str, headers: dict[str, str]) -> Any:
    return admin.post(f"/tasks/{task_id}/done", json={}, headers=headers)


def test_the_assigned_rep_finishes_a_task_once(admin, intake, db, users) -> None:
    make_customer(intake, db)
    rep = users.headers("rep", uid=REP_A)
    task_id = add(admin, rep, task_id="task-0003").get_json()["task"]["id"]

    first = done(admin, task_id, rep)
    assert first.status_code == 200, first.get_data(as_text=True)
    assert first.get_json()["outcome"] == "applied"
    stored = stored_tasks(db)[task_id]
    assert stored["done"] is True
    assert stored["doneBy"] == {"uid": REP_A, "role": "rep"}
    finished_at = stored["doneAt"]

    again = done(admin, task_id, rep)
    assert again.status_code == 200 and again.get_json()["outcome"] == "duplicate"
    assert stored_tasks(db)[task_id]["doneAt"] == finished_at
    [entry] = entries(db, kind="task_done")
    assert (entry["taskId"], entry["title"], entry["actor"]["uid"]) == (
        task_id,
        "Send the proposal",
        REP_A,
    )


def test_the_owner_finishes_any_task(admin, intake, db, users) -> None:
    make_customer(intake, db)
    task_id = add(admin, users.headers("rep", uid=REP_A)).get_json()["task"]["id"]
    assert done(admin, task_id, users.headers("owner")).status_code == 200
    assert stored_tasks(db)[task_id]["done"] is True


@pytest.mark.parametrize(("role", "extra"), [("rep", {"uid": REP_B}), ("manager", {})])
def test_another_rep_or_a_manager_may_not_finish_a_task(admin, intake, db, users, role, extra):
    make_customer(intake, db)
    task_id = add(admin, users.headers("rep", uid=REP_A)).get_json()["task"]["id"]
    refusal(done(admin, task_id, users.headers(role, **extra)), 403)
    assert stored_tasks(db)[task_id]["done"] is False
    assert entries(db, kind="task_done") == []


def test_an_unknown_task_is_404_and_a_bad_path_404_and_get_405(admin, db, users) -> None:
    owner = users.headers("owner")
    assert refusal(done(admin, "manual.nothing-here", owner), 404)["error"] == "not_found"
    assert refusal(admin.post("/tasks/x/undo", json={}, headers=owner), 404)
    assert refusal(admin.post("/tasks/a/b/done", json={}, headers=owner), 404)
    wrong = admin.get("/tasks", headers=owner)
    refusal(wrong, 405)
    assert wrong.headers["Allow"] == "POST, OPTIONS"


# --- automations' tasks -------------------------------------------------------------------


def test_create_for_the_same_rule_and_event_twice_makes_one_task(intake, db) -> None:
    make_customer(intake, db)
    due = datetime(2030, 5, 6, 9, tzinfo=UTC)
    made = [
        store_tasks.create_for(
            db,
            "new-lead-check-in",
            "sub_abc.created",
            customer=KEY,
            customer_name="Ana Borg",
            owner_uid=REP_A,
            title="Check in",
            due=due,
            timeout=10,
        )
        for _ in range(2)
    ]

    assert [created for _, created in made] == [True, False]
    assert list(stored_tasks(db)) == ["new-lead-check-in.sub_abc.created"]
    task = stored_tasks(db)["new-lead-check-in.sub_abc.created"]
    assert (task["rule"], task["event"]) == ("new-lead-check-in", "sub_abc.created")
    [entry] = entries(db, kind="task")
    assert entry["actor"] == {"kind": "automation", "rule": "new-lead-check-in"}


# --- the sweep ----------------------------------------------------------------------------


def overdue_ids(db: Any) -> set[str]:
    query = db.collection("tasks").where(filter=FieldFilter("overdue", "==", True))
    return {snap.id for snap in query.stream()}


def test_the_sweep_marks_overdue_tasks_once_and_a_second_run_changes_nothing(
    function_client, intake, db
) -> None:
    make_customer(intake, db)
    now = datetime.now(UTC)
    put_task(db, "late-1", due=now - timedelta(hours=2))
    put_task(db, "late-2", due=now - timedelta(minutes=1))
    put_task(db, "finished", due=now - timedelta(hours=2), done=True)
    put_task(db, "later", due=now + timedelta(hours=1))
    sweep = function_client("sweep")

    first = sweep.post("/")
    assert first.status_code == 200 and first.get_json()["overdue"] == 2
    assert overdue_ids(db) == {"late-1", "late-2"}
    times = {task_id: snap.update_time for task_id, snap in _snapshots(db).items()}

    second = sweep.post("/")
    assert second.get_json()["overdue"] == 0
    assert {task_id: snap.update_time for task_id, snap in _snapshots(db).items()} == times
    assert sweep.delete("/").status_code == 405


def _snapshots(db: Any) -> dict[str, Any]:
    return {snap.id: snap for snap in db.collection("tasks").stream()}


def test_a_sweep_cut_short_is_finished_by_the_next(intake, db) -> None:
    make_customer(intake, db)
    now = datetime.now(UTC)
    for n in range(5):
        put_task(db, f"late-{n}", due=now - timedelta(minutes=10 + n))

    cut = store_tasks.mark_overdue(db, now, timeout=10, batch_size=2, max_batches=1)
    assert cut == 2
    assert len(overdue_ids(db)) == 2

    assert tasks.sweep(config.load(), now)["overdue"] == 3
    assert overdue_ids(db) == {f"late-{n}" for n in range(5)}
    assert tasks.sweep(config.load(), now)["overdue"] == 0


def test_a_task_done_is_never_marked_overdue(admin, intake, db, users) -> None:
    make_customer(intake, db)
    rep = users.headers("rep", uid=REP_A)
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    task_id = add(admin, rep, due=past).get_json()["task"]["id"]
    assert done(admin, task_id, rep).status_code == 200
    assert tasks.sweep(config.load())["overdue"] == 0
    assert overdue_ids(db) == set()


def test_make_devs_minute_loop_runs_the_sweep(intake, db, capsys) -> None:
    from devstack.google_calendar import _sweep

    make_customer(intake, db)
    put_task(db, "late", due=datetime.now(UTC) - timedelta(minutes=5))
    _sweep()
    assert overdue_ids(db) == {"late"}
    assert "Sweep: {'overdue': 1," in capsys.readouterr().out
