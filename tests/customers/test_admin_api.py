"""The admin write API on the real Firestore and Auth emulators: who may change what,
and every change lands on the timeline exactly once.

Customers are made the way real ones are, by posting to the intake function; ownership
and segment are then set with the server client, as the owner would in the product.
Tokens are real ID tokens from password sign-ins on the Auth emulator. No mocks.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import pytest

from hearth.rules import search
from hearth.rules.timestamps import iso
from tests.answers import names_field, refusal
from tests.outage import store_down

KEY = "ana.borg@example.org"
ADMIN_PAGE = "http://127.0.0.1:5000"
ELSEWHERE = "https://evil.example"
REP_A = "rep-a"
REP_B = "rep-b"


# Each test states the settings it depends on; a developer's shell must not leak in.
pytestmark = pytest.mark.usefixtures("default_settings")


@pytest.fixture
def admin(db, users, function_client):
    return function_client("admin")


# --- helpers --------------------------------------------------------------------------------


def make_customer(
    intake: Any,
    db: Any,
    email: str = KEY,
    *,
    name: str = "Ana Borg",
    mobile: str | None = None,
    owner_uid: str | None = REP_A,
    segment: str | None = "weddings",
    pending: int = 0,
    archived: bool = False,
) -> str:
    """A customer as a form makes one, then assigned as the owner would; returns its key."""
    from google.cloud.firestore import SERVER_TIMESTAMP

    from hearth.rules.emails import customer_key

    body: dict[str, Any] = {"form": "contact", "email": email, "name": name}
    if mobile:
        body["mobile"] = mobile
    response = intake.post("/", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    key = customer_key(email)
    db.collection("customers").document(key).update(
        {
            "ownerUid": owner_uid,
            "segment": segment,
            "balances.pending": pending,
            "archived": archived,
            "updatedAt": SERVER_TIMESTAMP,
        }
    )
    return key


def stored(db: Any, key: str = KEY) -> dict[str, Any]:
    snapshot = db.collection("customers").document(key).get()
    assert snapshot.exists, f"no customer {key}"
    return snapshot.to_dict()


def timeline(db: Any, key: str = KEY) -> list[dict[str, Any]]:
    """Entries added by staff (type other than form_submission), oldest first."""
    entries = db.collection("customers").document(key).collection("activity").stream()
    staff = [e.to_dict() for e in entries if e.to_dict()["type"] != "form_submission"]
    return sorted(staff, key=lambda entry: entry["at"])


def seen(db: Any, key: str = KEY) -> str:
    """The updatedAt a client was shown, as the API writes it."""
    return iso(stored(db, key)["updatedAt"])


def url(key: str = KEY, action: str = "") -> str:
    path = f"/customers/{quote(key, safe='')}"
    return f"{path}/{action}" if action else path


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


@contextmanager
def unchanged(db: Any, key: str = KEY) -> Iterator[None]:
    """Assert the block leaves the customer and its timeline exactly as they were."""
    before = stored(db, key)
    entries = len(timeline(db, key))
    yield
    assert stored(db, key) == before
    assert len(timeline(db, key)) == entries


# --- every operation x every role ----------------------------------------------------------

ROLES: dict[str, tuple[str | None, dict[str, Any]]] = {
    "owner": ("owner", {"uid": "the-owner"}),
    "manager": ("manager", {}),
    "rep owning it": ("rep", {"uid": REP_A}),
    "rep not owning it": ("rep", {"uid": REP_B}),
    "partner of its segment": ("partner", {"uid": "partner-w", "segments": ["weddings"]}),
    "signed in without a role": (None, {"uid": "nobody"}),
}
EXPECTED = {
    "owner": 200,
    "manager": 403,
    "rep owning it": 200,
    "rep not owning it": 404,
    "partner of its segment": 403,
    "signed in without a role": 403,
    "no token": 401,
}


def _patch(db: Any) -> tuple[str, str, dict[str, Any]]:
    return "PATCH", url(), {"expected_updated_at": seen(db), "changes": {"stage": "proposal_sent"}}


def _owed(db: Any) -> tuple[str, str, dict[str, Any]]:
    return "PUT", url(action="owed"), {"pending": 200000, "expected_updated_at": seen(db)}


def _pay(db: Any) -> tuple[str, str, dict[str, Any]]:
    return "POST", url(action="payments"), {"amount": 50050, "payment_id": "payment-0001"}


def _archive(db: Any) -> tuple[str, str, dict[str, Any]]:
    return "POST", url(action="archive"), {}


def _unarchive(db: Any) -> tuple[str, str, dict[str, Any]]:
    return "POST", url(action="unarchive"), {}


def _note(db: Any) -> tuple[str, str, dict[str, Any]]:
    return "POST", url(action="notes"), {"text": "Called; wants a quote.", "note_id": "note-0001"}


# operation: (request maker, what must be true of the stored customer after a 200, entry type)
OPERATIONS: dict[str, tuple[Callable[[Any], tuple[str, str, dict[str, Any]]], Any, str]] = {
    "change fields": (_patch, lambda c: c["stage"] == "proposal_sent", "change"),
    "set owed": (_owed, lambda c: c["balances"]["pending"] == 200000, "owed"),
    "record payment": (
        _pay,
        lambda c: c["balances"] == {"pending": 99950, "paid": 50050, "currency": "EUR"},
        "payment",
    ),
    "archive": (_archive, lambda c: c["archived"] is True, "archive"),
    "unarchive": (_unarchive, lambda c: c["archived"] is False, "unarchive"),
    "add note": (_note, lambda c: True, "note"),
}


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_every_operation_by_every_role(admin, intake, db, users, operation, role) -> None:
    make_customer(intake, db, pending=150000, archived=operation == "unarchive")
    maker, effect, kind = OPERATIONS[operation]
    headers = {}
    if role != "no token":
        claim, extra = ROLES[role]
        headers = users.headers(claim, **extra)
    method, path, body = maker(db)
    before = stored(db)

    response = admin.open(path, method=method, json=body, headers=headers)

    status = EXPECTED[role]
    if status != 200:
        refusal(response, status)
        assert stored(db) == before
        assert timeline(db) == []
        return
    answer = ok(response)
    after = stored(db)
    assert effect(after)
    assert after["updatedAt"] > before["updatedAt"]
    assert answer["customer"]["updatedAt"] == iso(after["updatedAt"])
    [entry] = timeline(db)
    assert entry["type"] == kind
    claim, extra = ROLES[role]
    assert entry["actor"]["role"] == claim
    assert entry["actor"]["uid"] == extra["uid"]


def test_a_forged_token_is_401_and_nothing_changes(admin, intake, db) -> None:
    make_customer(intake, db)
    with unchanged(db):
        response = admin.patch(
            url(),
            json={"expected_updated_at": seen(db), "changes": {"name": "Mallory"}},
            headers={"Authorization": "Bearer not-a-real-token"},
        )
        assert refusal(response, 401)["error"] == "unauthenticated"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_rep_asking_about_another_reps_customer_learns_nothing_about_it(
    admin, intake, db, users
) -> None:
    make_customer(intake, db, owner_uid=REP_A)
    headers = users.headers("rep", uid=REP_B)
    body = {"text": "Probing.", "note_id": "probe-0001"}

    theirs = admin.post(url(action="notes"), json=body, headers=headers)
    missing = admin.post(url("nobody@example.org", "notes"), json=body, headers=headers)

    assert refusal(theirs, 404) == refusal(missing, 404)
    assert timeline(db) == []


def test_an_unknown_customer_is_404_for_the_owner(admin, db, users) -> None:
    response = admin.patch(
        url("nobody@example.org"),
        json={"expected_updated_at": "2024-05-01T10:00:00Z", "changes": {"name": "X"}},
        headers=users.headers("owner"),
    )

    assert refusal(response, 404)["error"] == "not_found"
    assert not db.collection("customers").document("nobody@example.org").get().exists


# --- optimistic concurrency --------------------------------------------------------------


def test_a_change_from_a_stale_view_is_409_with_the_current_values_and_nothing_written(
    admin, intake, db, users
) -> None:
    make_customer(intake, db, name="Ana Borg")
    owner = users.headers("owner")
    rep = users.headers("rep", uid=REP_A)
    opened = seen(db)  # both open the customer
    ok(
        admin.patch(
            url(), json={"expected_updated_at": opened, "changes": {"name": "Ana B."}}, headers=rep
        )
    )
    current = stored(db)

    with unchanged(db):
        response = admin.patch(
            url(),
            json={
                "expected_updated_at": opened,
                "changes": {"name": "Anna Borg", "stage": "delivered"},
            },
            headers=owner,
        )
        answer = refusal(response, 409)

    assert answer["error"] == "conflict"
    assert answer["current"]["name"] == "Ana B."
    assert answer["current"]["stage"] == "lead"
    assert answer["current"]["updatedAt"] == iso(current["updatedAt"])
    assert answer["current"]["key"] == KEY
    # With the time it was just given, the same change goes through.
    retry = {
        "expected_updated_at": answer["current"]["updatedAt"],
        "changes": {"name": "Anna Borg"},
    }
    assert ok(admin.patch(url(), json=retry, headers=owner))["customer"]["name"] == "Anna Borg"


def test_a_new_form_submission_since_the_view_also_makes_a_change_409(
    admin, intake, db, users
) -> None:
    make_customer(intake, db)
    opened = seen(db)
    assert intake.post("/", json={"form": "pricing", "email": KEY}).status_code == 200

    with unchanged(db):
        response = admin.put(
            url(action="owed"),
            json={"pending": 1000, "expected_updated_at": opened},
            headers=users.headers("owner"),
        )
        assert refusal(response, 409)["current"]["forms"] == ["contact", "pricing"]


def test_two_changes_from_the_same_view_at_once_one_wins_the_others_get_409(
    admin, intake, db, users
) -> None:
    make_customer(intake, db)
    headers = users.headers("owner")
    opened = seen(db)
    names = [f"Name {n}" for n in range(6)]
    start = threading.Barrier(len(names))

    def change(name: str) -> Any:
        start.wait()
        return admin.patch(
            url(), json={"expected_updated_at": opened, "changes": {"name": name}}, headers=headers
        )

    with ThreadPoolExecutor(len(names)) as pool:
        responses = list(pool.map(change, names))

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * (len(names) - 1)
    [winner] = [r.get_json()["customer"]["name"] for r in responses if r.status_code == 200]
    assert stored(db)["name"] == winner
    [entry] = timeline(db)
    assert entry["changes"]["name"] == {"from": "Ana Borg", "to": winner}


def test_the_admin_pages_millisecond_time_and_a_zone_offset_are_the_same_instant(
    admin, intake, db, users
) -> None:
    from datetime import timedelta, timezone

    make_customer(intake, db)
    headers = users.headers("owner")
    at = stored(db)["updatedAt"]
    as_js_date = at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"
    ok(
        admin.patch(
            url(),
            json={"expected_updated_at": as_js_date, "changes": {"name": "A"}},
            headers=headers,
        )
    )

    at = stored(db)["updatedAt"]
    malta = at.astimezone(timezone(timedelta(hours=2))).isoformat()
    ok(
        admin.patch(
            url(), json={"expected_updated_at": malta, "changes": {"name": "B"}}, headers=headers
        )
    )

    assert [e["changes"]["name"]["to"] for e in timeline(db)] == ["A", "B"]


def test_a_retried_change_is_done_once_even_though_its_view_is_now_stale(
    admin, intake, db, users
) -> None:
    make_customer(intake, db)
    headers = users.headers("owner")
    body = {
        "expected_updated_at": seen(db),
        "changes": {"stage": "proposal_sent"},
        "request_id": "change-retry-0001",
    }

    first = ok(admin.patch(url(), json=body, headers=headers))
    again = ok(admin.patch(url(), json=body, headers=headers))

    assert first["outcome"] == "applied"
    assert again["outcome"] == "duplicate"
    assert again["customer"] == first["customer"]
    [entry] = timeline(db)
    assert entry["requestId"] == "change-retry-0001"


def test_an_id_reused_for_a_different_request_is_refused_not_passed_off_as_done(
    admin, intake, db, users
) -> None:
    make_customer(intake, db, pending=150000)
    headers = users.headers("owner")
    ok(
        admin.post(
            url(action="payments"),
            json={"amount": 100, "payment_id": "pay-reuse-01"},
            headers=headers,
        )
    )

    with unchanged(db):
        response = admin.post(
            url(action="payments"),
            json={"amount": 900, "payment_id": "pay-reuse-01"},
            headers=headers,
        )
        assert names_field(refusal(response, 400), "payment_id")


def test_a_change_that_changes_nothing_writes_nothing(admin, intake, db, users) -> None:
    make_customer(intake, db, name="Ana Borg")

    with unchanged(db):
        response = admin.patch(
            url(),
            json={
                "expected_updated_at": seen(db),
                "changes": {"name": "  Ana Borg ", "stage": "lead"},
            },
            headers=users.headers("owner"),
        )
        assert ok(response)["outcome"] == "unchanged"


# --- archive -----------------------------------------------------------------------------


def test_archive_and_unarchive_flip_a_flag_never_delete_and_are_on_the_timeline(
    admin, intake, db, users
) -> None:
    make_customer(intake, db, name="Ana Borg", pending=5000)
    headers = users.headers("owner")
    kept = {k: v for k, v in stored(db).items() if k not in ("archived", "updatedAt")}

    archived = ok(admin.post(url(action="archive"), headers=headers))
    assert archived["customer"]["archived"] is True
    assert stored(db)["archived"] is True
    assert {k: v for k, v in stored(db).items() if k not in ("archived", "updatedAt")} == kept

    with unchanged(db):
        assert (
            ok(admin.post(url(action="archive"), json={}, headers=headers))["outcome"]
            == "unchanged"
        )

    ok(admin.post(url(action="unarchive"), json={"request_id": "bring-back-01"}, headers=headers))
    assert stored(db)["archived"] is False
    assert {k: v for k, v in stored(db).items() if k not in ("archived", "updatedAt")} == kept
    entries = timeline(db)
    assert [(e["type"], e["changes"]) for e in entries] == [
        ("archive", {"archived": {"from": False, "to": True}}),
        ("unarchive", {"archived": {"from": True, "to": False}}),
    ]
    assert entries[1]["requestId"] == "bring-back-01"
    # The form history is still there too.
    activity = db.collection("customers").document(KEY).collection("activity").stream()
    assert len(list(activity)) == 3


# --- money -------------------------------------------------------------------------------


def pay(admin: Any, headers: dict[str, str], amount: Any, payment_id: str, **extra: Any) -> Any:
    body = {"amount": amount, "payment_id": payment_id, **extra}
    return admin.post(url(action="payments"), json=body, headers=headers)


def test_a_payment_moves_exact_cents_from_pending_to_paid(admin, intake, db, users) -> None:
    make_customer(intake, db, pending=150000)

    answer = ok(pay(admin, users.headers("owner"), 50050, "deposit-0001", note="Bank transfer"))

    assert stored(db)["balances"] == {"pending": 99950, "paid": 50050, "currency": "EUR"}
    assert answer["customer"]["balances"] == {"pending": 99950, "paid": 50050, "currency": "EUR"}
    [entry] = timeline(db)
    assert entry["type"] == "payment"
    assert entry["amount"] == 50050
    assert entry["currency"] == "EUR"
    assert entry["note"] == "Bank transfer"
    assert entry["paymentId"] == "deposit-0001"
    assert entry["changes"] == {
        "balances.pending": {"from": 150000, "to": 99950},
        "balances.paid": {"from": 0, "to": 50050},
    }


def test_a_retried_payment_counts_once(admin, intake, db, users) -> None:
    make_customer(intake, db, pending=150000)
    headers = users.headers("owner")

    first = ok(pay(admin, headers, 50050, "deposit-0001"))
    again = ok(pay(admin, headers, 50050, "deposit-0001"))

    assert (first["outcome"], again["outcome"]) == ("applied", "duplicate")
    assert stored(db)["balances"] == {"pending": 99950, "paid": 50050, "currency": "EUR"}
    assert len(timeline(db)) == 1


def test_different_payments_at_once_all_count(admin, intake, db, users) -> None:
    make_customer(intake, db, pending=150000)
    headers = users.headers("owner")
    ids = [f"instalment-{n:04d}" for n in range(5)]
    start = threading.Barrier(len(ids))

    def send(payment_id: str) -> Any:
        start.wait()
        return pay(admin, headers, 10000, payment_id)

    with ThreadPoolExecutor(len(ids)) as pool:
        statuses = [r.status_code for r in pool.map(send, ids)]

    assert statuses == [200] * len(ids)
    assert stored(db)["balances"] == {"pending": 100000, "paid": 50000, "currency": "EUR"}
    assert sorted(e["paymentId"] for e in timeline(db)) == ids


def test_paying_more_than_is_pending_is_refused_naming_amount(admin, intake, db, users) -> None:
    make_customer(intake, db, pending=99950)

    with unchanged(db):
        answer = refusal(pay(admin, users.headers("owner"), 99951, "too-much-0001"), 400)

    assert names_field(answer, "amount")
    assert "99950" in answer["fields"]["amount"]


def test_setting_what_is_owed_keeps_what_was_paid(admin, intake, db, users) -> None:
    make_customer(intake, db, pending=150000)
    headers = users.headers("owner")
    ok(pay(admin, headers, 50050, "deposit-0001"))

    answer = ok(
        admin.put(
            url(action="owed"),
            json={"pending": 250000, "expected_updated_at": seen(db), "request_id": "owed-0001"},
            headers=headers,
        )
    )

    assert answer["customer"]["balances"] == {"pending": 250000, "paid": 50050, "currency": "EUR"}
    assert stored(db)["balances"] == {"pending": 250000, "paid": 50050, "currency": "EUR"}
    owed = timeline(db)[-1]
    assert owed["type"] == "owed"
    assert owed["changes"] == {"balances.pending": {"from": 99950, "to": 250000}}


# --- notes -------------------------------------------------------------------------------


def test_a_note_is_on_the_timeline_once_and_moves_updated_at(admin, intake, db, users) -> None:
    make_customer(intake, db)
    headers = users.headers("rep", uid=REP_A)
    before = stored(db)
    body = {"text": "  Prefers WhatsApp.\nCall after 5.  ", "note_id": "note-0001"}

    first = ok(admin.post(url(action="notes"), json=body, headers=headers))
    again = ok(admin.post(url(action="notes"), json=body, headers=headers))

    assert (first["outcome"], again["outcome"]) == ("applied", "duplicate")
    after = stored(db)
    assert after["updatedAt"] > before["updatedAt"]
    assert {k: v for k, v in after.items() if k != "updatedAt"} == {
        k: v for k, v in before.items() if k != "updatedAt"
    }
    [entry] = timeline(db)
    assert entry["type"] == "note"
    assert entry["text"] == "Prefers WhatsApp.\nCall after 5."
    assert entry["noteId"] == "note-0001"
    assert entry["actor"] == {
        "kind": "staff",
        "uid": REP_A,
        "email": f"{REP_A}@hearth.test",
        "role": "rep",
    }


# --- fields ------------------------------------------------------------------------------


def test_a_rep_cannot_reassign_a_customer_but_the_owner_can(admin, intake, db, users) -> None:
    make_customer(intake, db, owner_uid=REP_A)
    rep_a = users.headers("rep", uid=REP_A)
    rep_b = users.headers("rep", uid=REP_B)

    with unchanged(db):
        answer = refusal(
            admin.patch(
                url(),
                json={"expected_updated_at": seen(db), "changes": {"ownerUid": REP_B, "name": "X"}},
                headers=rep_a,
            ),
            403,
        )
    assert list(answer["fields"]) == ["changes.ownerUid"]

    ok(
        admin.patch(
            url(),
            json={"expected_updated_at": seen(db), "changes": {"ownerUid": REP_B}},
            headers=users.headers("owner"),
        )
    )
    assert stored(db)["ownerUid"] == REP_B
    assert timeline(db)[-1]["changes"] == {"ownerUid": {"from": REP_A, "to": REP_B}}
    # The customer now belongs to rep B: A no longer sees it, B may change it.
    note = {"text": "Hello.", "note_id": "handover-01"}
    refusal(admin.post(url(action="notes"), json=note, headers=rep_a), 404)
    ok(admin.post(url(action="notes"), json=note, headers=rep_b))


def test_only_the_owner_may_move_a_customer_into_a_partners_segment(
    admin, intake, db, users
) -> None:
    make_customer(intake, db, owner_uid=REP_A, segment=None)

    with unchanged(db):
        answer = refusal(
            admin.patch(
                url(),
                json={"expected_updated_at": seen(db), "changes": {"segment": "weddings"}},
                headers=users.headers("rep", uid=REP_A),
            ),
            403,
        )
    assert list(answer["fields"]) == ["changes.segment"]

    ok(
        admin.patch(
            url(),
            json={"expected_updated_at": seen(db), "changes": {"segment": "weddings"}},
            headers=users.headers("owner"),
        )
    )
    assert stored(db)["segment"] == "weddings"


def test_a_stage_outside_the_pipeline_is_refused_naming_changes_stage(
    admin, intake, db, users
) -> None:
    make_customer(intake, db)
    headers = users.headers("owner")

    with unchanged(db):
        answer = refusal(
            admin.patch(
                url(),
                json={"expected_updated_at": seen(db), "changes": {"stage": "won"}},
                headers=headers,
            ),
            400,
        )
    assert list(answer["fields"]) == ["changes.stage"]
    assert "proposal_sent" in answer["fields"]["changes.stage"]


def test_the_owners_own_pipeline_decides_which_stages_exist(admin, intake, db, users) -> None:
    make_customer(intake, db)
    headers = users.headers("owner")
    db.collection("settings").document("pipeline").set(
        {
            "stages": [
                {"id": "enquiry", "label": "Enquiry", "group": "lead"},
                {"id": "shoot_booked", "label": "Shoot booked", "group": "production"},
            ]
        }
    )

    ok(
        admin.patch(
            url(),
            json={"expected_updated_at": seen(db), "changes": {"stage": "shoot_booked"}},
            headers=headers,
        )
    )
    assert stored(db)["stage"] == "shoot_booked"
    refused = admin.patch(
        url(),
        json={"expected_updated_at": seen(db), "changes": {"stage": "delivered"}},
        headers=headers,
    )
    assert names_field(refusal(refused, 400), "changes.stage")


@pytest.mark.parametrize(
    ("typed", "kept", "valid"),
    [
        ("7912 3456", "+35679123456", True),
        ("0044 7400 123456", "+447400123456", True),
        ("call me", "call me", False),
        ("", None, None),
    ],
)
def test_a_mobile_is_kept_like_intake_keeps_it(
    admin, intake, db, users, typed, kept, valid
) -> None:
    make_customer(intake, db, mobile="+356 9912 3456")

    ok(
        admin.patch(
            url(),
            json={"expected_updated_at": seen(db), "changes": {"mobile": typed}},
            headers=users.headers("owner"),
        )
    )

    record = stored(db)
    assert (record["mobile"], record["mobileValid"]) == (kept, valid)
    assert ("99123456" in record["search"]) is False
    if valid:
        assert search.query_token(typed) in record["search"]


def test_search_follows_a_renamed_customer(admin, intake, db, users) -> None:
    make_customer(intake, db, name="Ana Borg")
    assert "borg" in stored(db)["search"]

    ok(
        admin.patch(
            url(),
            json={
                "expected_updated_at": seen(db),
                "changes": {"name": "Ana Camilleri", "company": "Lumen"},
            },
            headers=users.headers("owner"),
        )
    )

    tokens = stored(db)["search"]
    assert "borg" not in tokens
    assert {"camilleri", "lumen", "ana", KEY} <= set(tokens)


def test_the_timeline_says_who_changed_what_from_what_to_what(admin, intake, db, users) -> None:
    make_customer(intake, db, owner_uid=REP_A, segment=None)
    headers = users.headers("rep", uid=REP_A)
    ok(
        admin.patch(
            url(),
            json={
                "expected_updated_at": seen(db),
                "changes": {"custom": {"budget": 2000, "venue": "Mdina", "rush": False}},
            },
            headers=headers,
        )
    )

    answer = ok(
        admin.patch(
            url(),
            json={
                "expected_updated_at": seen(db),
                "changes": {
                    "name": "",
                    "company": "Lumen Studio",
                    "stage": "proposal_sent",
                    "currency": "gbp",
                    "custom": {"budget": 2500, "venue": None, "rush": False, "guests": 120},
                },
                "request_id": "edit-0001",
            },
            headers=headers,
        )
    )

    record = stored(db)
    assert record["name"] is None
    assert record["company"] == "Lumen Studio"
    assert record["stage"] == "proposal_sent"
    assert record["custom"] == {"budget": 2500, "rush": False, "guests": 120}
    assert record["balances"]["currency"] == "GBP"
    entry = timeline(db)[-1]
    assert entry["type"] == "change"
    assert entry["actor"] == {
        "kind": "staff",
        "uid": REP_A,
        "email": f"{REP_A}@hearth.test",
        "role": "rep",
    }
    assert entry["at"] == record["updatedAt"]
    assert entry["requestId"] == "edit-0001"
    assert entry["changes"] == {
        "name": {"from": "Ana Borg", "to": None},
        "company": {"from": None, "to": "Lumen Studio"},
        "stage": {"from": "lead", "to": "proposal_sent"},
        "balances.currency": {"from": "EUR", "to": "GBP"},
        "custom.budget": {"from": 2000, "to": 2500},
        "custom.venue": {"from": "Mdina", "to": None},
        "custom.guests": {"from": None, "to": 120},
    }
    assert "search" not in answer["customer"]


def test_answers_carry_times_as_iso_8601(admin, intake, db, users) -> None:
    make_customer(intake, db)

    customer = ok(admin.post(url(action="archive"), headers=users.headers("owner")))["customer"]

    record = stored(db)
    for name in ("createdAt", "updatedAt", "lastContactAt"):
        assert customer[name] == iso(record[name])
        assert customer[name].endswith("Z") and "T" in customer[name]


def test_a_key_with_an_escaped_slash_and_the_admin_prefix_are_understood(
    admin, intake, db, users
) -> None:
    key = make_customer(intake, db, "a/b@example.org")
    assert key == "a%2Fb@example.org"

    response = admin.post(
        "/admin" + url(key, "notes"),
        json={"text": "Slash in the address.", "note_id": "slash-0001"},
        headers=users.headers("owner"),
    )

    assert ok(response)["customer"]["email"] == "a/b@example.org"
    assert timeline(db, key)[0]["text"] == "Slash in the address."


# --- bad input ---------------------------------------------------------------------------

LONG = "x" * 201
# (case, method, action, body or a callable of the current updatedAt, field named)
BAD_INPUT: list[tuple[str, str, str, Any, str]] = [
    ("no expected_updated_at", "PATCH", "", {"changes": {"name": "A"}}, "expected_updated_at"),
    (
        "time in words",
        "PATCH",
        "",
        lambda t: {"expected_updated_at": "yesterday", "changes": {"name": "A"}},
        "expected_updated_at",
    ),
    (
        "time without a zone",
        "PATCH",
        "",
        lambda t: {"expected_updated_at": t.rstrip("Z"), "changes": {"name": "A"}},
        "expected_updated_at",
    ),
    ("no changes", "PATCH", "", lambda t: {"expected_updated_at": t, "changes": {}}, "changes"),
    (
        "the email is the key",
        "PATCH",
        "",
        lambda t: {"expected_updated_at": t, "changes": {"email": "x@y.z"}},
        "changes.email",
    ),
    (
        "name too long",
        "PATCH",
        "",
        lambda t: {"expected_updated_at": t, "changes": {"name": LONG}},
        "changes.name",
    ),
    (
        "stage null",
        "PATCH",
        "",
        lambda t: {"expected_updated_at": t, "changes": {"stage": None}},
        "changes.stage",
    ),
    (
        "currency in words",
        "PATCH",
        "",
        lambda t: {"expected_updated_at": t, "changes": {"currency": "euro"}},
        "changes.currency",
    ),
    (
        "reserved custom key",
        "PATCH",
        "",
        lambda t: {"expected_updated_at": t, "changes": {"custom": {"__name__": 1}}},
        "changes.custom",
    ),
    (
        "custom value a map",
        "PATCH",
        "",
        lambda t: {"expected_updated_at": t, "changes": {"custom": {"a": {"b": 1}}}},
        "changes.custom.a",
    ),
    (
        "custom not a map",
        "PATCH",
        "",
        lambda t: {"expected_updated_at": t, "changes": {"custom": ["a"]}},
        "changes.custom",
    ),
    (
        "short request_id",
        "PATCH",
        "",
        lambda t: {"expected_updated_at": t, "changes": {"name": "A"}, "request_id": "abc"},
        "request_id",
    ),
    (
        "unknown top-level field",
        "PATCH",
        "",
        lambda t: {"expected_updated_at": t, "changes": {"name": "A"}, "force": True},
        "force",
    ),
    (
        "negative owed",
        "PUT",
        "owed",
        lambda t: {"pending": -1, "expected_updated_at": t},
        "pending",
    ),
    (
        "owed with a fraction",
        "PUT",
        "owed",
        lambda t: {"pending": 100.5, "expected_updated_at": t},
        "pending",
    ),
    (
        "owed as text",
        "PUT",
        "owed",
        lambda t: {"pending": "100", "expected_updated_at": t},
        "pending",
    ),
    (
        "owed beyond exact integers",
        "PUT",
        "owed",
        lambda t: {"pending": 2**53, "expected_updated_at": t},
        "pending",
    ),
    ("zero payment", "POST", "payments", {"amount": 0, "payment_id": "payment-0001"}, "amount"),
    (
        "payment as a boolean",
        "POST",
        "payments",
        {"amount": True, "payment_id": "payment-0001"},
        "amount",
    ),
    (
        "payment as float cents",
        "POST",
        "payments",
        {"amount": 100.0, "payment_id": "payment-0001"},
        "amount",
    ),
    ("payment without an id", "POST", "payments", {"amount": 100}, "payment_id"),
    ("blank note", "POST", "notes", {"text": "   ", "note_id": "note-0001"}, "text"),
    ("note too long", "POST", "notes", {"text": "x" * 5001, "note_id": "note-0001"}, "text"),
    ("note without an id", "POST", "notes", {"text": "Hi"}, "note_id"),
    ("archive with an unknown field", "POST", "archive", {"hard_delete": True}, "hard_delete"),
    ("body is a list", "POST", "notes", ["text"], "body"),
]


@pytest.mark.parametrize(
    ("method", "action", "body", "field"),
    [case[1:] for case in BAD_INPUT],
    ids=[case[0] for case in BAD_INPUT],
)
def test_bad_input_is_400_naming_the_field_and_changes_nothing(
    admin, intake, db, users, method, action, body, field
) -> None:
    make_customer(intake, db, pending=150000)
    data = body(seen(db)) if callable(body) else body

    with unchanged(db):
        response = admin.open(
            url(action=action), method=method, json=data, headers=users.headers("owner")
        )
        answer = refusal(response, 400)

    assert answer["error"] in ("invalid", "invalid_json")
    assert names_field(answer, field), answer


def test_broken_json_is_400_naming_the_body(admin, intake, db, users) -> None:
    make_customer(intake, db)
    with unchanged(db):
        response = admin.post(
            url(action="notes"),
            data=b'{"text": "Hi", "note_id": ',
            content_type="application/json",
            headers=users.headers("owner"),
        )
        assert names_field(refusal(response, 400), "body")


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ({"text": "Hi", "note_id": "note-0001"}, "application/x-www-form-urlencoded"),
        ("text=Hi", "text/plain"),
        (b"text=Hi", None),  # no Content-Type at all
    ],
)
def test_anything_but_json_is_415(admin, intake, db, users, data, content_type) -> None:
    make_customer(intake, db)
    headers = users.headers("owner")
    with unchanged(db):
        response = admin.post(
            url(action="notes"), data=data, content_type=content_type, headers=headers
        )
        assert refusal(response, 415)["error"] == "unsupported_media_type"


def test_a_body_over_64_kb_is_413(admin, intake, db, users) -> None:
    make_customer(intake, db)
    with unchanged(db):
        response = admin.post(
            url(action="notes"),
            json={"text": "x" * (65 * 1024), "note_id": "note-0001"},
            headers=users.headers("owner"),
        )
        assert refusal(response, 413)["error"] == "payload_too_large"


@pytest.mark.parametrize(
    ("method", "action", "allow"),
    [
        ("GET", "", "PATCH, OPTIONS"),
        ("DELETE", "", "PATCH, OPTIONS"),
        ("POST", "", "PATCH, OPTIONS"),
        ("POST", "owed", "PUT, OPTIONS"),
        ("GET", "payments", "POST, OPTIONS"),
        ("PUT", "archive", "POST, OPTIONS"),
    ],
)
def test_a_wrong_method_is_405_saying_which_is_right(
    admin, intake, db, users, method, action, allow
) -> None:
    make_customer(intake, db)
    with unchanged(db):
        response = admin.open(
            url(action=action), method=method, json={}, headers=users.headers("owner")
        )
        refusal(response, 405)
        assert response.headers["Allow"] == allow


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/customers",
        f"/customers/{KEY}/refunds",
        f"/customers/{KEY}/notes/extra",
        "/customers/..",
        "/other/x",
    ],
)
def test_an_unknown_route_is_404(admin, db, users, path) -> None:
    response = admin.post(path, json={}, headers=users.headers("owner"))
    assert refusal(response, 404)["error"] == "not_found"


# --- CORS ----------------------------------------------------------------------------------


def test_the_admin_page_may_call_from_an_allowed_origin(admin, intake, db, users) -> None:
    make_customer(intake, db)

    preflight = admin.options(
        url(),
        headers={
            "Origin": ADMIN_PAGE,
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == ADMIN_PAGE
    assert "PATCH" in preflight.headers["Access-Control-Allow-Methods"]
    assert "PUT" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]

    response = admin.post(
        url(action="archive"), headers={**users.headers("owner"), "Origin": ADMIN_PAGE}
    )
    ok(response)
    assert response.headers["Access-Control-Allow-Origin"] == ADMIN_PAGE


def test_another_site_is_refused_before_and_at_the_call(admin, intake, db, users) -> None:
    make_customer(intake, db)

    preflight = admin.options(
        url(), headers={"Origin": ELSEWHERE, "Access-Control-Request-Method": "PATCH"}
    )
    assert refusal(preflight, 403)["error"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in preflight.headers

    with unchanged(db):
        response = admin.post(
            url(action="archive"), headers={**users.headers("owner"), "Origin": ELSEWHERE}
        )
        assert refusal(response, 403)["error"] == "origin_not_allowed"


# --- store outage --------------------------------------------------------------------------


def test_a_store_outage_is_a_quick_503_and_the_retry_counts_once(
    admin, intake, db, users, monkeypatch
) -> None:
    make_customer(intake, db, pending=150000)
    headers = users.headers("owner")

    with store_down(monkeypatch):
        started = time.monotonic()
        down = pay(admin, headers, 50050, "outage-0001")
        waited = time.monotonic() - started

    assert refusal(down, 503)["error"] == "store_unavailable"
    assert int(down.headers["Retry-After"]) > 0
    assert waited < 5
    assert stored(db)["balances"]["paid"] == 0

    ok(pay(admin, headers, 50050, "outage-0001"))
    ok(pay(admin, headers, 50050, "outage-0001"))
    assert stored(db)["balances"] == {"pending": 99950, "paid": 50050, "currency": "EUR"}
