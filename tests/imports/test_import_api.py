"""Importing customer files through the admin API on the real emulators: rows upserted
with the intake rules, bad rows reported by line, the same file twice changing nothing,
Hearth's own export read back unchanged, HubSpot's and Pipedrive's exports mapped, a
stopped import resumed, erased people skipped, and only the owner importing."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from hearth import config
from hearth.rules import suppression
from hearth.store import suppressions
from tests.answers import names_field, refusal
from tests.imports.helpers import (
    FIXTURES,
    admin,
    csv_bytes,
    everything,
    job_id,
    ok,
    preview,
    run,
    send,
    start,
)

__all__ = ["admin"]
pytestmark = pytest.mark.usefixtures("default_settings")
HEADERS = ["E-mail", "First Name", "Last Name", "Organization", "Mobile", "Budget", "Consent"]


@pytest.fixture
def fields(db) -> None:
    db.collection("settings").document("fields").set(
        {"fields": [{"key": "budget", "label": "Budget", "type": "money"}]}
    )


def rows(count: int) -> list[list[str]]:
    made = [
        [f"person-{n:04d}@example.org", f"First{n}", f"Last{n}", f"Co {n % 7}", "", "", ""]
        for n in range(count)
    ]
    made[8] = ["not an address", "Bad", "Row", "", "", "", ""]  # line 10
    made[18] = ["", "No", "Mail", "", "", "", ""]  # line 20
    made[28][5] = "lots"  # line 30: not an amount
    made[38][0] = "=cmd|' /C calc'!A0"  # line 40: a formula for a spreadsheet
    made[48] = ["Known@Example.org", "Known", "P.", "Known Ltd", "7912 3456", "1500.50", "yes"]
    made[58] = ["person-0001@example.org", "Other", "Name", "", "7912 3457", "", ""]  # again
    return made


def test_a_file_in_chunks_reports_bad_rows_by_line_and_a_second_import_changes_nothing(
    admin, db, users, intake, fields
) -> None:
    owner = users.headers("owner")
    ok_intake = intake.post(
        "/", json={"form": "contact", "email": "known@example.org", "name": "Known Person"}
    )
    assert ok_intake.status_code == 200
    data = csv_bytes(HEADERS, rows(130))

    shown = preview(admin, owner, data)
    assert shown["format"] is None
    assert shown["mapping"] == [
        "email",
        "first_name",
        "last_name",
        "company",
        "mobile",
        "custom.budget",
        "consent",
    ]
    by_line = {row["line"]: row for row in shown["rows"]}
    assert by_line[2]["action"] == "create" and by_line[2]["fills"]["name"] == "First0 Last0"
    assert by_line[10]["action"] == "error" and "not a valid e-mail" in by_line[10]["reason"]
    assert by_line[20] == {**by_line[20], "action": "error", "reason": "no e-mail address"}

    job = run(admin, owner, data, size=50)

    assert job["state"] == "done" and job["nextLine"] == 132
    counts = job["counts"]
    assert (counts["created"], counts["filled"], counts["errors"], counts["skipped"]) == (
        124,
        2,
        4,
        0,
    )  # 130 rows: 4 bad, the known customer and person-0001's second row fill
    known = db.collection("customers").document("known@example.org").get().to_dict()
    assert known["name"] == "Known Person"  # never overwritten
    assert known["company"] == "Known Ltd" and known["mobile"] == "+35679123456"
    assert known["custom"] == {"budget": 150050} and known["consent"]["marketing"] is True
    assert known["forms"] == ["contact"] and known["lastSource"] == "direct"  # not a contact
    entry = (
        db.collection("customers")
        .document("known@example.org")
        .collection("activity")
        .document(f"imp_{job['id']}_50")
        .get()
        .to_dict()
    )
    assert entry["type"] == "import" and entry["line"] == 50 and entry["customerCreated"] is False
    assert entry["conflicts"] == {"name": {"stored": "Known Person", "submitted": "Known P."}}
    again = db.collection("customers").document("person-0001@example.org").get().to_dict()
    assert (again["name"], again["mobile"]) == (
        "First1 Last1",
        "+35679123457",
    )  # filled from line 60
    created = db.collection("customers").document("person-0000@example.org").get().to_dict()
    assert created["firstSource"] == "import" and created["stage"] == "lead"
    assert created["forms"] == ["import"]
    events = [e.to_dict() for e in db.collection("events").stream()]
    assert sum(e["type"] == "customer.created" for e in events) == 125  # with intake's one

    report = admin.get(f"/imports/{job['id']}/report?format=csv", headers=owner)
    assert report.status_code == 200 and "attachment" in report.headers["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(report.get_data(as_text=True))))
    assert lines[0] == ["line", "email", "reason"]
    assert [line[0] for line in lines[1:]] == ["10", "20", "30", "40"]
    assert lines[3][1] == "person-0028@example.org" and lines[3][2].startswith("custom.budget")
    assert lines[4][1] == "'=cmd|' /C calc'!A0"  # neutralised: a spreadsheet shows it as text

    before = everything(db)
    again_job = start(admin, owner, data, job["mapping"])
    assert again_job["run"] == 2 and again_job["nextLine"] == 2  # import again
    done = send(admin, owner, data, again_job, size=50)
    assert done["counts"] == {
        "created": 0,
        "filled": 0,
        "unchanged": 126,
        "skipped": 0,
        "errors": 4,
        "routed": 0,
    }
    assert everything(db) == before
    rerun = admin.get(f"/imports/{job['id']}/report?format=csv", headers=owner)
    assert [line[0] for line in csv.reader(io.StringIO(rerun.get_data(as_text=True)))][1:] == [
        "10",
        "20",
        "30",
        "40",
    ]  # the second run's problems, each once


def test_hearth_s_own_export_read_back_changes_nothing(
    admin, db, users, intake, fields, function_client
) -> None:
    owner = users.headers("owner")
    for n, extra in enumerate(
        [
            {"name": "Ana Borg", "company": "=Borg", "mobile": "+356 7912 3456", "consent": True},
            {"name": "Ben", "answers": {"budget": "99.90"}, "consent": False},
            {"mobile": "not a number"},
            {},
        ]
    ):
        sent = intake.post("/", json={"form": "contact", "email": f"rt{n}@example.org", **extra})
        assert sent.status_code == 200, sent.get_data(as_text=True)
    export = function_client("export").get("/?format=csv", headers=owner)
    assert export.status_code == 200
    data = export.get_data()

    shown = preview(admin, owner, data)
    assert shown["format"] == "hearth"
    assert {row["action"] for row in shown["rows"]} == {"unchanged"}
    before = everything(db)
    job = run(admin, owner, data)

    assert job["counts"]["unchanged"] == 4 and job["counts"]["errors"] == 0
    assert everything(db) == before


@pytest.mark.parametrize(
    ("fixture", "kind", "expected", "errors"),
    [
        (
            "hubspot-contacts.csv",
            "hubspot",
            {
                "ana.borg@example.org": ("Ana Borg", "Borg Studio", "+35679123456"),
                "ben.vella@example.org": ("Ben Vella", "Vella & Sons, Ltd", None),
                "carla@example.org": ("Carla", None, "+447911123456"),
            },
            0,
        ),
        (
            "pipedrive-people.csv",
            "pipedrive",
            {
                "dario@farrugia.example": ("Dario Farrugia", "Farrugia Ltd", "+35679876543"),
                "elena.home@example.org": ("Elena Grech", None, None),
            },
            1,  # "No Mail": a person without any e-mail
        ),
        # The shared samples (tests/fixtures/imports/README.md): HubSpot's default view
        # with added columns, the mobile taken from "Mobile Phone Number" (never the
        # landline); Pipedrive's quoted columns, the first e-mail of Work, Home, Other.
        (
            "hubspot_contacts.csv",
            "hubspot",
            {
                "clara.vassallo@example.com": ("Clara Vassallo", "Vassallo Studio", "+35679123456"),
                "henry.ashford@example.org": ("Henry Ashford", None, None),
                "giorgia.conti@example.net": ("Giorgia Conti", "Conti Architetti", "+393123456789"),
                "daniel.reyes@example.com": ("Daniel Reyes", None, None),
                "marija.borg@example.org": ("Marija Borg", None, "+35699123456"),
            },
            0,
        ),
        (
            "pipedrive_people.csv",
            "pipedrive",
            {
                "elise.mercer@example.com": ("Elise Mercer", "Mercer Print Shop", "+35679120101"),
                "tomasz.nowak@example.net": ("Tomasz Nowak", "Nowak Logistics", None),
                "aoife.byrne@example.org": ("Aoife Byrne", None, "+353850123456"),
                "samuel.okoye@example.com": ("Samuel Okoye", "Okoye Foods", None),
                "lea.fenech@example.org": ("Lea Fenech", "Fenech Dental", "+35699127788"),
            },
            0,
        ),
    ],
)
def test_hubspot_and_pipedrive_exports_map_as_they_come(
    admin, db, users, fixture: str, kind: str, expected: dict[str, Any], errors: int
) -> None:
    owner = users.headers("owner")
    data = (FIXTURES / fixture).read_bytes()
    shown = preview(admin, owner, data, source="old-crm")
    assert shown["format"] == kind and shown["remembered"] is False
    job = run(admin, owner, data, source="old-crm")

    found = {
        s.id: (s.get("name"), s.get("company"), s.get("mobile"))
        for s in db.collection("customers").stream()
    }
    assert found == expected
    assert job["counts"]["created"] == len(expected)
    assert job["counts"]["errors"] == errors
    assert db.collection("sources").document("old-crm").get().exists
    assert preview(admin, owner, data, source="old-crm")["remembered"] is True


def test_an_import_stopped_halfway_resumes_and_a_chunk_sent_twice_counts_once(
    admin, db, users
) -> None:
    owner = users.headers("owner")
    # A notes column makes each chunk of 50 rows far larger than the usual 64 KB body.
    notes = "x" * 1500
    data = csv_bytes(
        ["Email", "Name", "Notes"], [[f"r{n}@example.org", f"R {n}", notes] for n in range(120)]
    )
    mapping = ["email", "name", "ignore"]
    first = send(admin, owner, data, start(admin, owner, data, mapping), size=50, chunks=1)
    assert (first["state"], first["nextLine"], first["counts"]["created"]) == ("running", 52, 50)

    repeated = ok(
        admin.post(
            f"/imports/{first['id']}/rows",
            json={"first": 2, "rows": [[f"r{n}@example.org", f"R {n}", notes] for n in range(50)]},
            headers=owner,
        )
    )
    assert repeated["repeated"] is True and repeated["job"]["counts"]["created"] == 50

    resumed = start(admin, owner, data, mapping)  # the page opened again: same file, same job
    assert resumed["nextLine"] == 52 and resumed["run"] == 1
    done = send(admin, owner, data, resumed, size=50)
    assert done["state"] == "done"
    assert done["counts"]["created"] == 120 and done["counts"]["unchanged"] == 0
    assert len(list(db.collection("customers").stream())) == 120


def test_a_person_erased_on_request_is_not_imported_again(admin, db, users) -> None:
    secret = config.load().privacy_secret
    batch = db.batch()
    key = suppression.key(secret, suppression.EMAIL, "gone@example.org")
    suppressions.put(batch, db, key, at=__import__("datetime").datetime(2026, 1, 1), erasure="e1")
    batch.commit()
    owner = users.headers("owner")
    data = csv_bytes(
        ["Email", "Name"],
        [["Gone@Example.org", ""], ["kept@example.org", ""], ["KEPT@example.org", "K"]],
    )

    # The third row is the second's person: it fills the customer the second makes.
    assert [r["action"] for r in preview(admin, owner, data)["rows"]] == ["skip", "create", "fill"]
    job = run(admin, owner, data)

    assert [job["counts"][name] for name in ("skipped", "created", "filled")] == [1, 1, 1]
    assert not db.collection("customers").document("gone@example.org").get().exists
    report = admin.get(f"/imports/{job['id']}/report", headers=owner).get_data(as_text=True)
    assert "2,gone@example.org,erased on request: not re-imported" in report


def test_only_the_owner_imports_and_a_mapping_naming_an_unknown_field_is_refused(
    admin, db, users
) -> None:
    data = csv_bytes(["Email", "Shoe size"], [["a@example.org", "42"]])
    job = job_id(data)
    for role in ("rep", "manager"):
        headers = users.headers(role)
        calls = [
            admin.post("/imports/preview", json={"headers": ["Email"]}, headers=headers),
            admin.post("/imports", json={}, headers=headers),
            admin.post(f"/imports/{job}/rows", json={"first": 2, "rows": [["x"]]}, headers=headers),
            admin.get(f"/imports/{job}", headers=headers),
            admin.get(f"/imports/{job}/report", headers=headers),
        ]
        for response in calls:
            assert names_field(refusal(response, 403), "role")
    refused = admin.post(
        "/imports/preview",
        json={"headers": ["Email", "Shoe size"], "mapping": ["email", "custom.shoe"]},
        headers=users.headers("owner"),
    )
    answer = refusal(refused, 400)
    assert names_field(answer, "mapping.1") and "Shoe size" in answer["fields"]["mapping.1"]
    owner = users.headers("owner")
    refusal(admin.get(f"/imports/{job}", headers=owner), 404)  # never started
    refusal(
        admin.post(f"/imports/{job}/rows", json={"first": 2, "rows": [["a"]]}, headers=owner), 404
    )
    refusal(admin.get("/imports/not-a-job", headers=owner), 404)
    refusal(admin.delete(f"/imports/{job}", headers=owner), 405)
    assert db.collection("imports").get() == []
