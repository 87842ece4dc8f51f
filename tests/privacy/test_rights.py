"""A person's rights on the real Firestore and Auth emulators, with Google Calendar as
the local fake: their data handed over (JSON and a readable page), their erasure
leaving nothing that names them, the suppression intake honours, and requests with
their deadline.

Customers are made the way real ones are, by posting to intake (and booking through the
book function); what no door makes yet (a message, an alias, report facts) is written
with the server client, as the module that will own it would.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from google.cloud.firestore import FieldFilter

from devstack.fake_calendar import FakeCalendar
from hearth import config, privacy
from hearth.rules import suppression
from hearth.rules.roles import Principal, Role
from tests.answers import names_field, refusal

KEY = "ana.borg@example.org"
MOBILE = "+356 7912 3456"
E164 = "+35679123456"
REP_A, REP_B = "rep-a", "rep-b"
MALTA = ZoneInfo("Europe/Malta")


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No HEARTH_ setting from the developer's shell; no minimum fill time."""
    import os

    for name in list(os.environ):
        if name.startswith("HEARTH_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HEARTH_MIN_FILL_MS", "0")


@pytest.fixture(scope="module")
def fake_calendar() -> Iterator[FakeCalendar]:
    with FakeCalendar() as fake:
        yield fake


@pytest.fixture
def calendar(
    env: None, fake_calendar: FakeCalendar, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> FakeCalendar:
    fake_calendar.reset()
    for name, value in fake_calendar.dev_env(tmp_path, calendar_id="studio@example.org").items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HEARTH_GOOGLE_TIMEOUT_S", "3")
    return fake_calendar


@pytest.fixture
def fns(env: None, db: Any, users: Any, function_client: Any) -> dict[str, Any]:
    return {name: function_client(name) for name in ("intake", "admin", "book")}


def submit(fns: dict[str, Any], email: str = KEY, **fields: Any) -> None:
    body = {"form": "contact", "email": email, "name": "Ana Borg", **fields}
    response = fns["intake"].post("/", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)


def make_customer(fns: dict[str, Any], db: Any, email: str = KEY, owner: str = REP_A) -> str:
    submit(fns, email, mobile=MOBILE, consent=True, company="Lumen <b>Ltd</b>")
    submit(fns, email, form="pricing", consent=False, message="Call me after 5")
    db.collection("customers").document(email).update({"ownerUid": owner})
    return email


def book(fns: dict[str, Any], email: str = KEY) -> dict[str, Any]:
    day = datetime.now(MALTA).date() + timedelta(days=3)
    while day.weekday() != 1:
        day += timedelta(days=1)
    start = datetime(day.year, day.month, day.day, 10, tzinfo=MALTA).astimezone(UTC)
    response = fns["book"].post(
        "/",
        json={
            "email": email,
            "name": "Ana Borg",
            "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tz": "Europe/Malta",
            "type": "intro",
            "consent": True,
            "submission_id": uuid.uuid4().hex,
            "elapsed_ms": 5000,
        },
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["booking"]


def add_task(fns: dict[str, Any], users: Any, key: str = KEY) -> str:
    task_id = f"task-{uuid.uuid4().hex[:8]}"
    response = fns["admin"].post(
        "/tasks",
        json={
            "customer": key,
            "title": "Send the proposal",
            "due": "2030-05-04T09:00:00Z",
            "task_id": task_id,
        },
        headers=users.headers("owner"),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return task_id


def personal_data(fns: dict[str, Any], headers: dict[str, str], key: str = KEY, kind: str = "json"):
    return fns["admin"].get(
        f"/admin/customers/{quote(key, safe='')}/personal-data",
        query_string={"format": kind},
        headers=headers,
    )


def erase(fns: dict[str, Any], headers: dict[str, str], key: str = KEY, **body: Any) -> Any:
    return fns["admin"].post(
        f"/admin/customers/{quote(key, safe='')}/erase",
        json={"confirm": key, **body},
        headers=headers,
    )


def activity(db: Any, key: str = KEY) -> dict[str, dict[str, Any]]:
    entries = db.collection("customers").document(key).collection("activity").stream()
    return {entry.id: entry.to_dict() for entry in entries}


def every_document(db: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every document of the database, subcollections included, with its path."""

    def walk(collections: Any) -> Iterator[tuple[str, dict[str, Any]]]:
        for collection in collections:
            for ref in collection.list_documents():
                snapshot = ref.get()
                if snapshot.exists:
                    yield ref.path, snapshot.to_dict() or {}
                yield from walk(ref.collections())

    yield from walk(db.collections())


# --- export -------------------------------------------------------------------------------


def test_the_export_holds_every_field_entry_call_task_message_and_consent(
    fns, calendar, db, users
) -> None:
    make_customer(fns, db)
    booking = book(fns)
    task_id = add_task(fns, users)
    db.collection("messages").document("msg-1").set(
        {"customer": KEY, "text": "Hello", "at": datetime(2026, 5, 1, tzinfo=UTC)}
    )
    response = personal_data(fns, users.headers("owner"))

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="hearth-ana.borg@example.org.json"'
    )
    data = json.loads(response.get_data(as_text=True))
    stored = db.collection("customers").document(KEY).get().to_dict()
    assert set(data["customer"]) == set(stored) - {"search"}
    assert data["customer"]["company"] == "Lumen <b>Ltd</b>"
    assert data["customer"]["createdAt"].endswith("Z")
    assert {entry["id"] for entry in data["timeline"]} == set(activity(db))
    assert [b["id"] for b in data["bookings"]] == [booking["id"]]
    assert [t["id"] for t in data["tasks"]] == [s.id for s in db.collection("tasks").stream()]
    assert [t["title"] for t in data["tasks"]] == ["Send the proposal"] and task_id
    assert [m["text"] for m in data["messages"]] == ["Hello"]
    # Newest first: the booking's yes, the pricing form's no, the contact form's yes.
    assert [(c["marketing"], c["form"]) for c in data["consentHistory"]] == [
        (True, "booking"),
        (False, "pricing"),
        (True, "contact"),
    ]
    assert [e["type"] for e in data["stageHistory"]][:2] == ["customer.created", "booking.created"]


def test_the_readable_copy_escapes_what_a_person_typed(fns, db, users) -> None:
    submit(fns, name='<img src=x onerror="alert(1)">', message="<script>alert(2)</script>")
    response = personal_data(fns, users.headers("owner"), kind="html")

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Content-Disposition"].endswith(
        'filename="hearth-ana.borg@example.org.html"'
    )
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page and "<title>" in page
    assert "<img" not in page and "<script" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("role", "extra", "status"),
    [
        ("rep", {"uid": REP_A}, 200),
        ("rep", {"uid": REP_B}, 403),
        ("manager", {}, 403),
        ("partner", {"segments": ["weddings"]}, 403),
    ],
)
def test_who_may_export_a_person(fns, db, users, role, extra, status) -> None:
    make_customer(fns, db)
    response = personal_data(fns, users.headers(role, **extra))
    if status == 200:
        assert response.status_code == 200
    else:
        refusal(response, status)


def test_an_unknown_person_is_404_and_a_bad_format_400(fns, db, users) -> None:
    owner = users.headers("owner")
    refusal(personal_data(fns, owner, key="nobody@example.org"), 404)
    make_customer(fns, db)
    assert names_field(refusal(personal_data(fns, owner, kind="pdf"), 400), "format")


# --- erasure ------------------------------------------------------------------------------


def test_only_the_owner_erases_and_only_with_the_address_typed(fns, db, users) -> None:
    make_customer(fns, db)
    refusal(erase(fns, users.headers("rep", uid=REP_A)), 403)
    refusal(erase(fns, users.headers("manager")), 403)
    wrong = erase(fns, users.headers("owner"), confirm="ana@example.org")
    assert names_field(refusal(wrong, 400), "confirm")
    assert db.collection("customers").document(KEY).get().exists


def test_erasure_leaves_nothing_that_names_the_person(fns, calendar, db, users) -> None:
    make_customer(fns, db)
    booking = book(fns)
    add_task(fns, users)
    db.collection("messages").document("msg-1").set({"customer": KEY, "text": "Hi Ana"})
    # An old address of hers, merged into this record through the merge (an alias, a
    # merge record holding copies of both), and a pair the owner said were two people.
    submit(fns, "ana@old.example.org")
    merged = fns["admin"].post(
        "/admin/merges",
        json={"id": "merge-0001", "survivor": KEY, "other": "ana@old.example.org"},
        headers=users.headers("owner"),
    )
    assert merged.status_code == 200, merged.get_data(as_text=True)
    pair = quote(" ".join(sorted([KEY, "zed@example.org"])), safe="")
    dismissed = fns["admin"].post(
        f"/admin/duplicates/{pair}/dismiss", headers=users.headers("owner")
    )
    assert dismissed.status_code == 200, dismissed.get_data(as_text=True)
    db.collection("stageClocks").document(KEY).set({"customer": KEY, "stage": "lead"})
    db.collection("report_customers").document(KEY).set({"stage": "lead"})
    events_before = len(
        list(
            db.collection("events")
            .where(filter=FieldFilter("customer", "in", [KEY, "ana@old.example.org"]))
            .stream()
        )
    )
    (event,) = calendar.events
    assert event["status"] == "confirmed"
    request = fns["admin"].post(
        "/admin/privacy/requests",
        json={"id": "request-0001", "kind": "erasure", "customer": KEY},
        headers=users.headers("owner"),
    )
    assert request.status_code == 200, request.get_data(as_text=True)

    response = erase(fns, users.headers("owner"), id="erase-0001", request="request-0001")

    assert response.status_code == 200, response.get_data(as_text=True)
    receipt = response.get_json()["erasure"]
    assert receipt["state"] == "done" and receipt["hint"] == "a•••@e•••.org"
    assert receipt["counts"]["bookings"] == 1 and receipt["counts"]["calendarEvents"] == 1
    assert receipt["counts"]["tasks"] == 1 and receipt["counts"]["messages"] == 1
    assert receipt["counts"]["aliases"] == 1 and receipt["counts"]["timeline"] >= 5
    assert receipt["counts"]["merges"] == 1 and receipt["counts"]["dismissals"] == 1
    assert receipt["counts"]["events"] == events_before + 1  # + booking.cancelled
    assert receipt["problems"] == [] and receipt["by"]["uid"]
    assert receipt["suppressed"] == 3  # the e-mail, the mobile and the merged address
    # Google Calendar's copy is gone (Google keeps a deleted event as "cancelled").
    assert [e["status"] for e in calendar.events] == ["cancelled"]
    assert not db.collection("bookings").document(booking["id"]).get().exists
    for day in db.collection("busyDays").stream():
        assert booking["id"] not in (day.to_dict().get("calls") or {})
    assert list(db.collection("slotLocks").stream()) == []
    assert list(db.collection("tasks").stream()) == []
    assert (
        list(db.collection("events").where(filter=FieldFilter("customer", "==", KEY)).stream())
        == []
    )
    pseudonym = db.collection("erasures").document(receipt["id"]).get().get("pseudonym")
    renamed = list(
        db.collection("events").where(filter=FieldFilter("customer", "==", pseudonym)).stream()
    )
    assert len(renamed) == events_before + 1
    # Nothing left anywhere holds the address, the name, the mobile or the message.
    for path, document in every_document(db):
        text = json.dumps(document, default=str)
        for trace in ("ana.borg", "Ana Borg", "7912", "Hi Ana", "Call me after 5", "ana@old"):
            assert trace not in text and trace not in path, (path, trace)
    secret = config.load().privacy_secret
    expected = {
        *suppression.keys(secret, KEY, E164),
        *suppression.keys(secret, "ana@old.example.org", None),
    }
    assert {s.id for s in db.collection("suppressions").stream()} == expected
    done = db.collection("privacyRequests").document("request-0001").get().to_dict()
    assert done["state"] == "done" and done["customer"] is None
    assert done["erasure"] == receipt["id"]


def test_an_erasure_stopped_after_the_calls_finishes_when_asked_again(
    fns, calendar, db, users
) -> None:
    make_customer(fns, db)
    book(fns)
    owner = Principal(uid="owner-1", role=Role.OWNER, email="owner@hearth.test")
    body = privacy.EraseRequest(confirm=KEY, id="erase-0002")
    stopped = privacy.erase(owner, KEY, body, config.load(), steps=("bookings",))
    assert stopped["state"] == "erasing" and stopped["counts"]["bookings"] == 1
    assert db.collection("customers").document(KEY).get().exists

    response = erase(fns, users.headers("owner"), id="erase-0002")

    receipt = response.get_json()["erasure"]
    assert receipt["state"] == "done" and receipt["id"] == stopped["id"]
    assert receipt["counts"]["bookings"] == 1 and receipt["counts"]["calendarEvents"] == 1
    assert not db.collection("customers").document(KEY).get().exists
    assert activity(db) == {}
    again = erase(fns, users.headers("owner"), id="erase-0002")
    assert again.get_json()["erasure"] == receipt


def test_a_calendar_that_fails_does_not_block_the_erasure(fns, calendar, db, users) -> None:
    make_customer(fns, db)
    book(fns)
    calendar.set_down(True)
    receipt = erase(fns, users.headers("owner")).get_json()["erasure"]
    assert receipt["state"] == "done" and receipt["counts"]["calendarEvents"] == 0
    (problem,) = receipt["problems"]
    assert problem.startswith("calendar event could not be deleted: ")


# --- suppression in intake ----------------------------------------------------------------


def test_a_suppressed_person_comes_back_with_a_note_and_only_consent_lifts_it(
    fns, db, users
) -> None:
    make_customer(fns, db)
    assert erase(fns, users.headers("owner")).status_code == 200
    held = {s.id for s in db.collection("suppressions").stream()}
    assert len(held) == 2

    submit(fns, form="newsletter")  # no consent given
    (entry,) = activity(db).values()
    assert entry["customerCreated"] is True and entry["erasedBefore"]["at"]
    assert {s.id for s in db.collection("suppressions").stream()} == held

    submit(fns, form="contact", mobile=MOBILE, consent=True)
    assert list(db.collection("suppressions").stream()) == []


# --- requests -----------------------------------------------------------------------------


def test_a_request_is_due_in_30_days_and_closed_once(fns, db, users) -> None:
    owner = users.headers("owner")
    body = {"id": "request-0002", "kind": "access", "received": "2026-11-20", "note": "By post"}
    created = fns["admin"].post("/admin/privacy/requests", json=body, headers=owner)
    assert created.status_code == 200, created.get_data(as_text=True)
    request = created.get_json()["request"]
    assert request["state"] == "open" and request["due"] == "2026-12-20T12:00:00Z"
    refusal(
        fns["admin"].post(
            "/admin/privacy/requests", json=body, headers=users.headers("rep", uid=REP_A)
        ),
        403,
    )
    bad = fns["admin"].post(
        "/admin/privacy/requests", json={**body, "kind": "other"}, headers=owner
    )
    assert names_field(refusal(bad, 400), "kind")

    done = fns["admin"].post("/admin/privacy/requests/request-0002/done", headers=owner)
    assert done.get_json()["request"]["state"] == "done"
    refusal(fns["admin"].post("/admin/privacy/requests/request-9999/done", headers=owner), 404)
