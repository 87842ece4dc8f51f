"""GET /export?what=timeline on the real emulators: every timeline entry of the customers a
user may take away, one row each, by customer and then oldest first.

The first test makes its entries the way the product does (forms posted to intake,
changes, payments and notes through the admin API); the others write entries with the
server client in the shapes hearth.store.timeline writes, at chosen times. Users are
real Auth emulator accounts with role claims; every export goes through the function.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest

from hearth.customers.timeline_export import COLUMNS
from hearth.rules import emails
from hearth.rules.timestamps import iso
from tests.answers import names_field, refusal
from tests.customers.test_export import TRIGGERS, csv_cells, customer, seed
from tests.outage import store_down

pytestmark = pytest.mark.usefixtures("default_settings")

T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
OWNER = {"role": "owner", "uid": "owner-1"}
STAFF_OWNER = {"kind": "staff", "uid": "owner-1", "email": "owner-1@hearth.test", "role": "owner"}


@pytest.fixture
def exporter(db, users, function_client):
    return function_client("export")


def timeline(exporter: Any, headers: dict[str, str], fmt: str = "csv", **args: str) -> Any:
    return exporter.get(
        "/", query_string={"format": fmt, "what": "timeline", **args}, headers=headers
    )


def rows(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8"), newline="")))


def json_rows(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/json"
    return json.loads(response.get_data())["timeline"]


def add_entries(db: Any, email: str, entries: dict[str, dict[str, Any]]) -> None:
    """Entries on one customer's timeline, by id, 500 to a commit."""
    key = emails.customer_key(email)
    items = list(entries.items())
    for start in range(0, len(items), 500):
        batch = db.batch()
        for entry_id, entry in items[start : start + 500]:
            ref = db.collection("customers").document(key).collection("activity")
            batch.set(ref.document(entry_id), entry)
        batch.commit()


def form(at: datetime, name: str = "contact") -> dict[str, Any]:
    return {"type": "form_submission", "at": at, "form": name, "actor": {"kind": "public_form"}}


def note(at: datetime, text: str) -> dict[str, Any]:
    return {"type": "note", "at": at, "text": text, "actor": STAFF_OWNER, "changes": {}}


# --- what the owner takes away ------------------------------------------------------------------


def test_the_owner_gets_every_customers_timeline_in_order(
    exporter, intake, db, users, function_client
) -> None:
    """Made as in the product: forms sent, then the owner moves Ana on, records her
    payment and notes a call with Ben."""
    admin = function_client("admin")
    owner = users.headers(**OWNER)
    for body in (
        {"form": "contact", "email": "Ana@Example.org", "name": "Ana"},
        {"form": "pricing", "email": "ben@example.org", "name": "Ben"},
        {"form": "contact", "email": "cleo@example.org", "name": "Cleo"},
    ):
        assert intake.post("/", json=body).status_code == 200
    db.collection("customers").document("ana@example.org").update(
        {"ownerUid": "rep-a", "balances.pending": 50000}
    )
    db.collection("customers").document("ben@example.org").update({"ownerUid": "rep-b"})
    ana = f"/customers/{quote('ana@example.org', safe='')}"
    ben = f"/customers/{quote('ben@example.org', safe='')}"
    stored = db.collection("customers").document("ana@example.org").get().to_dict()
    for path, body in (
        (
            ana,
            {
                "expected_updated_at": iso(stored["updatedAt"]),
                "changes": {"stage": "proposal_sent"},
            },
        ),
        (f"{ana}/payments", {"amount": 15000, "payment_id": "payment-0001"}),
        (f"{ben}/notes", {"text": "Called;\nwants a quote.", "note_id": "note-0001"}),
    ):
        call = admin.patch if path == ana else admin.post
        answer = call(path, json=body, headers=owner)
        assert answer.status_code == 200, answer.get_data(as_text=True)

    response = timeline(exporter, owner)
    found = rows(response)

    assert csv_cells(response)[0] == list(COLUMNS)
    assert [(r["customer_email"], r["type"], r["summary"], r["actor"]) for r in found] == [
        ("ana@example.org", "form_submission", "Form contact sent", "public form"),
        ("ana@example.org", "change", "Stage lead → proposal_sent", "owner-1@hearth.test (owner)"),
        (
            "ana@example.org",
            "payment",
            "Payment of 150.00 EUR recorded",
            "owner-1@hearth.test (owner)",
        ),
        ("ben@example.org", "form_submission", "Form pricing sent", "public form"),
        ("ben@example.org", "note", "Called; wants a quote.", "owner-1@hearth.test (owner)"),
        ("cleo@example.org", "form_submission", "Form contact sent", "public form"),
    ]
    ana_times = [datetime.fromisoformat(r["at"]) for r in found[:3]]
    assert ana_times == sorted(ana_times) and all(r["at"].endswith("Z") for r in found)
    assert {r["direction"] for r in found} == {""}
    payment = json.loads(found[2]["details"])
    assert (payment["amount"], payment["currency"]) == (15000, "EUR")
    assert payment["changes"]["balances.paid"] == {"from": 0, "to": 15000}
    submitted = json.loads(found[0]["details"])
    assert submitted["fields"]["name"] == "Ana" and submitted["form"] == "contact"
    assert json.loads(found[4]["details"])["text"] == "Called;\nwants a quote."


def test_entries_come_oldest_first_whatever_their_ids(exporter, db, users) -> None:
    seed(db, customer("ana@example.org"))
    add_entries(
        db,
        "ana@example.org",
        {
            "a-last": note(T0 + timedelta(hours=2), "third"),
            "b-first": form(T0),
            "c-second": {
                "type": "email",
                "direction": "in",
                "at": T0 + timedelta(hours=1),
                "from": "ana@example.org",
                "subject": "Re: your quote",
                "summary": "Re: your quote",
                "actor": {"kind": "customer", "channel": "email"},
            },
        },
    )

    found = rows(timeline(exporter, users.headers(**OWNER)))

    assert [(r["at"], r["summary"], r["direction"], r["actor"]) for r in found] == [
        ("2024-05-01T10:00:00Z", "Form contact sent", "", "public form"),
        (
            "2024-05-01T11:00:00Z",
            "E-mail from ana@example.org: Re: your quote",
            "in",
            "the customer (e-mail)",
        ),
        ("2024-05-01T12:00:00Z", "third", "", "owner-1@hearth.test (owner)"),
    ]


def test_a_json_timeline_keeps_each_values_type(exporter, db, users) -> None:
    seed(db, customer("ana@example.org"))
    due = datetime(2024, 5, 3, 8, 0, tzinfo=UTC)
    add_entries(
        db,
        "ana@example.org",
        {
            "task_1": {
                "type": "task",
                "at": T0,
                "taskId": "t1",
                "title": "=Send the proposal",
                "due": due,
                "assignee": "rep-a",
                "rule": None,
                "event": None,
                "actor": STAFF_OWNER,
            }
        },
    )

    response = timeline(exporter, users.headers(**OWNER), "json")

    body = json.loads(response.get_data())
    exported_at = datetime.fromisoformat(body["exported_at"])
    assert abs(datetime.now(UTC) - exported_at) < timedelta(minutes=1)
    assert json_rows(response) == [
        {
            "customer_email": "ana@example.org",
            "at": "2024-05-01T10:00:00Z",
            "type": "task",
            "direction": None,
            # The business's zone (Europe/Malta by default), named; JSON neutralises nothing.
            "summary": "Follow-up set: =Send the proposal, due 2024-05-03 10:00 (Europe/Malta)",
            "actor": STAFF_OWNER,
            "details": {
                "assignee": "rep-a",
                "due": "2024-05-03T08:00:00Z",
                "event": None,
                "rule": None,
                "taskId": "t1",
                "title": "=Send the proposal",
            },
        }
    ]


# --- who may take which ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_rep_gets_only_their_own_customers_entries(exporter, db, users, fmt: str) -> None:
    seed(
        db,
        customer("ana@example.org", ownerUid="rep-a"),
        customer("bea@example.org", ownerUid="rep-a", archived=True),
        customer("ben@example.org", ownerUid="rep-b"),
        customer("cleo@example.org"),
    )
    for email in ("ana@example.org", "bea@example.org", "ben@example.org", "cleo@example.org"):
        add_entries(db, email, {"sub_1": form(T0), "op_1": note(T0 + timedelta(1), email)})

    response = timeline(exporter, users.headers("rep", uid="rep-a"), fmt)

    found = rows(response) if fmt == "csv" else json_rows(response)
    assert [(r["customer_email"], r["summary"]) for r in found] == [
        ("ana@example.org", "Form contact sent"),
        ("ana@example.org", "ana@example.org"),
        ("bea@example.org", "Form contact sent"),
        ("bea@example.org", "bea@example.org"),
    ]


@pytest.mark.parametrize(
    ("role", "extra"),
    [("manager", {}), ("partner", {"segments": ["weddings"]}), (None, {})],
    ids=["manager", "partner", "no-role"],
)
def test_anyone_else_may_not_take_the_timeline(exporter, db, users, role, extra) -> None:
    seed(db, customer("ana@example.org", segment="weddings"))
    add_entries(db, "ana@example.org", {"op_1": note(T0, "private words")})

    response = timeline(exporter, users.headers(role, **extra))

    body = refusal(response, 403)
    assert body["error"] == "forbidden"
    assert "private words" not in response.get_data(as_text=True)


def test_the_consent_filter_keeps_those_customers_timelines(exporter, db, users) -> None:
    seed(
        db,
        customer("yes@example.org", consent={"marketing": True, "at": T0, "submissionId": "s"}),
        customer("no@example.org", consent={"marketing": False, "at": T0, "submissionId": "s"}),
        customer("unasked@example.org"),
    )
    for email in ("yes@example.org", "no@example.org", "unasked@example.org"):
        add_entries(db, email, {"sub_1": form(T0)})
    owner = users.headers(**OWNER)

    given = rows(timeline(exporter, owner, consent="given"))
    not_given = rows(timeline(exporter, owner, consent="not-given"))
    refused = refusal(timeline(exporter, owner, consent="maybe"), 400)

    assert [r["customer_email"] for r in given] == ["yes@example.org"]
    assert [r["customer_email"] for r in not_given] == ["no@example.org", "unasked@example.org"]
    assert names_field(refused, "consent")


# --- the request ------------------------------------------------------------------------------


def test_an_unknown_what_is_refused_by_name_and_customers_stay_the_default(
    exporter, db, users
) -> None:
    seed(db, customer("ana@example.org"))
    add_entries(db, "ana@example.org", {"sub_1": form(T0)})
    owner = users.headers(**OWNER)

    refused = refusal(exporter.get("/?format=csv&what=timelines", headers=owner), 400)
    plain = exporter.get("/?format=csv", headers=owner)
    asked = exporter.get("/?format=csv&what=customers", headers=owner)

    assert names_field(refused, "what")
    assert "'timelines'" in refused["fields"]["what"]
    for response in (plain, asked):
        assert response.status_code == 200
        assert csv_cells(response)[0][0] == "email"
        assert response.headers["Content-Disposition"].startswith(
            'attachment; filename="hearth-customers-'
        )


def test_the_download_is_a_dated_timeline_file_never_cached(exporter, db, users) -> None:
    seed(db, customer("ana@example.org"))
    add_entries(db, "ana@example.org", {"sub_1": form(T0)})
    owner = users.headers(**OWNER)
    days = {f"{datetime.now(UTC):%Y-%m-%d}"}

    as_csv = timeline(exporter, owner)
    as_json = timeline(exporter, owner, "json")
    days.add(f"{datetime.now(UTC):%Y-%m-%d}")

    assert len(rows(as_csv)) == len(json_rows(as_json)) == 1
    for response, extension in ((as_csv, "csv"), (as_json, "json")):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Content-Disposition"] in {
            f'attachment; filename="hearth-timeline-{day}.{extension}"' for day in days
        }


def test_nothing_to_export_is_a_header_row_or_an_empty_list(exporter, db, users) -> None:
    seed(db, customer("cleo@example.org", ownerUid="rep-b"))
    add_entries(db, "cleo@example.org", {"sub_1": form(T0)})
    rep = users.headers("rep", uid="rep-a")

    assert csv_cells(timeline(exporter, rep)) == [list(COLUMNS)]
    assert json_rows(timeline(exporter, rep, "json")) == []


def test_a_store_outage_is_a_503_to_retry_not_an_empty_file(
    exporter, db, users, monkeypatch
) -> None:
    seed(db, customer("ana@example.org"))
    add_entries(db, "ana@example.org", {"sub_1": form(T0)})
    owner = users.headers(**OWNER)

    with store_down(monkeypatch):
        response = timeline(exporter, owner)

    assert refusal(response, 503)["error"] == "store_unavailable"
    assert int(response.headers["Retry-After"]) > 0
    assert len(rows(timeline(exporter, owner))) == 1


# --- formula injection ------------------------------------------------------------------------


def test_a_formula_anywhere_in_an_entry_arrives_as_text(exporter, db, users) -> None:
    hostile = "=cmd|' /C calc'!A0"
    seed(db, customer("eve@example.org"))
    add_entries(
        db,
        "eve@example.org",
        {
            "op_1": note(T0, hostile),
            "op_2": {
                "type": "=HYPERLINK(1)",
                "at": T0 + timedelta(1),
                "direction": "+out",
                "actor": {"kind": "staff", "uid": "x", "email": "@evil", "role": None},
            },
            "sub_1": form(T0 + timedelta(2), "-form"),
        },
    )

    response = timeline(exporter, users.headers(**OWNER))
    found = rows(response)

    assert found[0]["summary"] == "'" + hostile
    assert json.loads(found[0]["details"])["text"] == hostile  # the cell is JSON, kept whole
    assert (found[1]["type"], found[1]["direction"], found[1]["actor"]) == (
        "'=HYPERLINK(1)",
        "'+out",
        "'@evil",
    )
    assert found[1]["summary"] == "'=hyperlink(1)"
    assert found[2]["summary"] == "Form -form sent"
    for cell in (cell for line in csv_cells(response) for cell in line):
        assert not cell.startswith(TRIGGERS), cell
        assert not cell.lstrip().startswith(TRIGGERS), cell


# --- long timelines -----------------------------------------------------------------------------

MANY = 1205  # two full pages of 500 and a part page, on one customer


def test_a_long_timeline_streams_every_entry_once_from_one_instant(exporter, db, users) -> None:
    """Sent in pieces while it is read; an entry added mid-download is not in the file."""
    seed(db, customer("ana@example.org"), customer("ben@example.org"))
    add_entries(
        db,
        "ana@example.org",
        {f"op_{MANY - i:05d}": note(T0 + timedelta(minutes=i), f"note {i}") for i in range(MANY)},
    )
    add_entries(db, "ben@example.org", {"sub_1": form(T0)})

    response = exporter.get(
        "/",
        query_string={"format": "csv", "what": "timeline"},
        headers=users.headers(**OWNER),
        buffered=False,
    )
    assert response.status_code == 200
    assert "Content-Length" not in response.headers
    pieces = iter(response.response)
    first = next(pieces)
    add_entries(db, "ben@example.org", {"op_late": note(T0 + timedelta(days=9), "added meanwhile")})
    seed(db, customer("cleo@example.org"))
    add_entries(db, "cleo@example.org", {"sub_1": form(T0)})
    rest = list(pieces)
    response.close()

    assert rest, "the body came in a single piece"
    text = (first + b"".join(rest)).decode("utf-8")
    found = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["summary"] for r in found] == [
        *(f"note {i}" for i in range(MANY)),
        "Form contact sent",
    ]
    assert "added meanwhile" not in text
    assert "cleo@example.org" not in text


CUSTOMERS = 520  # a full page of customers and a part page, far more than are read ahead


def test_many_customers_come_in_order_each_with_all_their_entries(exporter, db, users) -> None:
    people = [f"person{i:04d}@example.org" for i in range(CUSTOMERS)]
    seed(
        db,
        *(customer(email, ownerUid="rep-a" if i % 2 else None) for i, email in enumerate(people)),
    )
    for start in range(0, CUSTOMERS, 250):
        batch = db.batch()
        for i in range(start, min(start + 250, CUSTOMERS)):
            entries = db.collection("customers").document(people[i]).collection("activity")
            batch.set(entries.document("z"), form(T0 + timedelta(minutes=i)))
            batch.set(entries.document("a"), note(T0 + timedelta(minutes=i, seconds=30), str(i)))
        batch.commit()

    owner_rows = rows(timeline(exporter, users.headers(**OWNER)))
    rep_rows = json_rows(timeline(exporter, users.headers("rep", uid="rep-a"), "json"))

    expected = [(email, kind) for email in people for kind in ("form_submission", "note")]
    assert [(r["customer_email"], r["type"]) for r in owner_rows] == expected
    assert [r["summary"] for r in owner_rows[1::2]] == [str(i) for i in range(CUSTOMERS)]
    assert [(r["customer_email"], r["type"]) for r in rep_rows] == [
        (email, kind) for email, kind in expected if int(email[6:10]) % 2
    ]
