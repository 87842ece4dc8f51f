"""The owner's pipeline settings and sources through the admin API, on the real
Firestore and Auth emulators: templates, renaming and reordering that keep every id,
refused removals that say how many customers are in the way, and who may do any of it.

Customers are made the way real ones are, by posting to the intake function.
"""

from __future__ import annotations

from typing import Any

import pytest

from hearth.rules.emails import customer_key
from tests.answers import names_field, refusal
from tests.outage import store_down
from tests.studio import STUDIO

pytestmark = pytest.mark.usefixtures("default_settings")


@pytest.fixture
def admin(db, users, function_client):
    return function_client("admin")


@pytest.fixture
def owner(users) -> dict[str, str]:
    return users.headers("owner", uid="the-owner")


def stages_body(rows: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {"stages": [{"id": i, "label": label, "group": group} for i, label, group in rows]}


def stored_pipeline(db: Any) -> dict[str, Any]:
    snapshot = db.collection("settings").document("pipeline").get()
    assert snapshot.exists
    return snapshot.to_dict()


def customer_in(intake: Any, db: Any, email: str, stage: str, source: str = "site") -> str:
    response = intake.post("/", json={"form": "contact", "email": email, "source": source})
    assert response.status_code == 200, response.get_data(as_text=True)
    key = customer_key(email)
    db.collection("customers").document(key).update({"stage": stage})
    return key


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


# --- stages ---------------------------------------------------------------------------------


def test_the_owner_switches_to_the_trade_template_and_customers_move_in_it(
    admin, intake, db, owner
) -> None:
    answer = ok(admin.put("/settings/pipeline", json={"template": "trade"}, headers=owner))

    assert [s["id"] for s in answer["pipeline"]["stages"]] == [
        "new",
        "demo_scheduled",
        "demo_completed",
        "first_request_submitted",
        "first_order_placed",
        "active_customer",
    ]
    document = stored_pipeline(db)
    assert document["template"] == "trade"
    assert [s["order"] for s in document["stages"]] == list(range(6))
    assert document["updatedBy"]["uid"] == "the-owner"

    # A new lead starts in the trade pipeline's first stage and moves along it.
    response = intake.post("/", json={"form": "contact", "email": "tess@example.org"})
    assert response.status_code == 200
    key = customer_key("tess@example.org")
    customer = db.collection("customers").document(key).get().to_dict()
    assert customer["stage"] == "new"
    from hearth.rules.timestamps import iso

    moved = admin.patch(
        f"/customers/{key}",
        json={
            "expected_updated_at": iso(customer["updatedAt"]),
            "changes": {"stage": "demo_scheduled"},
        },
        headers=owner,
    )
    assert ok(moved)["customer"]["stage"] == "demo_scheduled"


def test_renaming_and_reordering_keep_every_id_and_every_customer(admin, intake, db, owner) -> None:
    key = customer_in(intake, db, "ana@example.org", "proposal_sent")
    rows = [STUDIO[1], STUDIO[0], *STUDIO[2:]]
    rows[0] = ("proposal_sent", "Quote sent", "active")

    answer = ok(admin.put("/settings/pipeline", json=stages_body(rows), headers=owner))

    assert [(s["id"], s["label"]) for s in answer["pipeline"]["stages"]][:2] == [
        ("proposal_sent", "Quote sent"),
        ("lead", "Lead"),
    ]
    document = stored_pipeline(db)
    assert document["template"] == "studio"
    assert document["stages"][0] == {
        "id": "proposal_sent",
        "label": "Quote sent",
        "group": "active",
        "order": 0,
    }
    assert db.collection("customers").document(key).get().to_dict()["stage"] == "proposal_sent"


def test_removing_a_stage_customers_are_in_is_409_naming_how_many(admin, intake, db, owner) -> None:
    for n in range(3):
        customer_in(intake, db, f"waiting{n}@example.org", "waiting_production")
    customer_in(intake, db, "done@example.org", "delivered")
    before = db.collection("settings").document("pipeline").get().exists

    without = [row for row in STUDIO if row[0] not in ("waiting_production", "delivered")]
    answer = refusal(admin.put("/settings/pipeline", json=stages_body(without), headers=owner), 409)

    assert answer["error"] == "stage_in_use"
    assert answer["fields"]["stages"] == (
        "3 customers are in “Waiting production”: move them first. "
        "1 customer is in “Delivered”: move them first."
    )
    assert db.collection("settings").document("pipeline").get().exists == before


def test_removing_an_empty_stage_and_adding_a_lost_one_is_saved(admin, intake, db, owner) -> None:
    customer_in(intake, db, "ana@example.org", "lead")
    rows = [row for row in STUDIO if row[0] != "waiting_production"] + [("lost", "Lost", "lost")]

    ok(admin.put("/settings/pipeline", json=stages_body(rows), headers=owner))

    assert [s["id"] for s in stored_pipeline(db)["stages"]][-2:] == ["delivered", "lost"]


def test_switching_template_is_refused_while_customers_are_in_a_stage_it_drops(
    admin, intake, db, owner
) -> None:
    customer_in(intake, db, "ana@example.org", "lead")
    customer_in(intake, db, "ben@example.org", "lead")

    answer = refusal(
        admin.put("/settings/pipeline", json={"template": "trade"}, headers=owner), 409
    )

    assert answer["fields"]["stages"] == "2 customers are in “Lead”: move them first."
    assert not db.collection("settings").document("pipeline").get().exists


def test_an_old_document_with_the_delivered_group_is_read_as_won(admin, db, owner) -> None:
    db.collection("settings").document("pipeline").set(
        {"stages": [{"id": "lead", "label": "Lead", "group": "lead"},
                    {"id": "delivered", "label": "Delivered", "group": "delivered"}]}
    )  # fmt: skip

    # Keeping both stages (in a new order) is not a removal; the answer says "won".
    rows = [("delivered", "Delivered", "won"), ("lead", "Lead", "lead")]
    answer = ok(admin.put("/settings/pipeline", json=stages_body(rows), headers=owner))

    assert answer["pipeline"]["stages"][0]["group"] == "won"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "template"),
        ({"template": "trade", "stages": [{"id": "a", "label": "A", "group": "lead"}]}, "template"),
        ({"template": "retail"}, "template"),
        ({"stages": []}, "stages"),
        ({"stages": [{"id": "Deposit Paid", "label": "A", "group": "lead"}]}, "stages.0.id"),
        ({"stages": [{"id": "a", "label": "", "group": "lead"}]}, "stages.0.label"),
        ({"stages": [{"id": "a", "label": "A", "group": "delivered"}]}, "stages.0.group"),
        (
            {"stages": [{"id": "a", "label": "A", "group": "lead"},
                        {"id": "a", "label": "Again", "group": "won"}]},
            "stages.1.id",
        ),
        (
            {"stages": [{"id": f"s{n}", "label": "S", "group": "lead"} for n in range(31)]},
            "stages",
        ),
    ],
    ids=["nothing", "both", "unknown-template", "no-stages", "bad-id", "no-label",
         "old-group", "duplicate-id", "too-many"],
)  # fmt: skip
def test_bad_stages_are_400_naming_the_field_and_nothing_is_saved(
    admin, db, owner, body, field
) -> None:
    answer = refusal(admin.put("/settings/pipeline", json=body, headers=owner), 400)

    assert names_field(answer, field), answer
    assert not db.collection("settings").document("pipeline").get().exists


@pytest.mark.parametrize(
    ("role", "extra", "status"),
    [
        ("manager", {}, 403),
        ("rep", {"uid": "rep-a"}, 403),
        ("partner", {"segments": ["weddings"]}, 403),
        (None, {"uid": "nobody"}, 403),
    ],
)
def test_only_the_owner_changes_stages_and_sources(admin, db, users, role, extra, status) -> None:
    headers = users.headers(role, **extra)

    refusal(admin.put("/settings/pipeline", json={"template": "trade"}, headers=headers), status)
    refusal(
        admin.put("/sources/fair", json={"label": "Fair", "kind": "trade_show"}, headers=headers),
        status,
    )
    refusal(admin.delete("/sources/site", headers=headers), status)

    assert not db.collection("settings").document("pipeline").get().exists
    assert not db.collection("sources").document("fair").get().exists


def test_without_a_token_it_is_401(admin, db) -> None:
    refusal(admin.put("/settings/pipeline", json={"template": "trade"}), 401)


# --- sources --------------------------------------------------------------------------------


def test_the_owner_adds_a_trade_show_then_renames_it_keeping_when_it_was_made(
    admin, db, owner
) -> None:
    show = {
        "label": "Spring show",
        "kind": "trade_show",
        "startsOn": "2026-03-12",
        "endsOn": "2026-03-14",
        "place": "MFCC, Ta' Qali",
        "timeZone": "Europe/Malta",
    }
    first = ok(admin.put("/sources/spring-show-2026", json=show, headers=owner))["source"]
    assert first["id"] == "spring-show-2026"
    assert first["place"] == "MFCC, Ta' Qali"

    again = ok(
        admin.put(
            "/sources/spring-show-2026",
            json={**show, "label": "Spring fair", "place": None},
            headers=owner,
        )
    )["source"]

    stored = db.collection("sources").document("spring-show-2026").get().to_dict()
    assert stored["label"] == "Spring fair"
    assert "place" not in stored
    assert again["createdAt"] == first["createdAt"]
    assert again["updatedAt"] >= first["updatedAt"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "trade_show"}, "label"),
        ({"label": "X", "kind": "billboard"}, "kind"),
        ({"label": "X", "kind": "trade_show", "startsOn": "12/03/2026"}, "startsOn"),
        ({"label": "X", "kind": "trade_show", "startsOn": "2026-02-30"}, "startsOn"),
        (
            {"label": "X", "kind": "trade_show", "startsOn": "2026-03-14", "endsOn": "2026-03-12"},
            "endsOn",
        ),
        ({"label": "X", "kind": "trade_show", "timeZone": "Atlantis"}, "timeZone"),
    ],
    ids=["no-label", "unknown-kind", "not-iso-date", "no-such-day", "ends-before", "bad-zone"],
)
def test_a_bad_source_is_400_naming_the_field(admin, db, owner, body, field) -> None:
    answer = refusal(admin.put("/sources/fair", json=body, headers=owner), 400)

    assert names_field(answer, field), answer
    assert not db.collection("sources").document("fair").get().exists


def test_a_source_customers_came_from_cannot_be_deleted(admin, intake, db, owner) -> None:
    customer_in(intake, db, "ana@example.org", "lead", source="spring-show-2026")
    customer_in(intake, db, "ben@example.org", "lead", source="spring-show-2026")
    ok(
        admin.put(
            "/sources/spring-show-2026",
            json={"label": "Spring show", "kind": "trade_show"},
            headers=owner,
        )
    )

    answer = refusal(admin.delete("/sources/spring-show-2026", headers=owner), 409)

    assert answer["error"] == "source_in_use"
    assert answer["fields"]["source"] == (
        "2 customers came from “Spring show”: give them another source first."
    )
    assert db.collection("sources").document("spring-show-2026").get().exists


def test_a_source_nobody_came_from_is_deleted(admin, db, owner) -> None:
    ok(admin.put("/sources/fair", json={"label": "Fair", "kind": "trade_show"}, headers=owner))

    assert ok(admin.delete("/sources/fair", headers=owner)) == {"deleted": "fair"}
    assert not db.collection("sources").document("fair").get().exists


def test_routes_are_404_for_a_bad_slug_and_405_for_a_wrong_method(admin, db, owner) -> None:
    assert refusal(admin.put("/sources/Not A Slug", json={}, headers=owner), 404)
    assert refusal(admin.put("/sources/a/b", json={}, headers=owner), 404)
    wrong = refusal(admin.post("/settings/pipeline", json={}, headers=owner), 405)
    assert "PUT" in wrong["message"]
    refusal(admin.patch("/sources/fair", json={}, headers=owner), 405)
    # The admin prefix, as a proxy that keeps it sends it, is understood too.
    ok(admin.put("/admin/sources/fair", json={"label": "Fair", "kind": "referral"}, headers=owner))


def test_another_site_is_refused_and_nothing_is_saved(admin, db, owner) -> None:
    response = admin.put(
        "/sources/fair",
        json={"label": "Fair", "kind": "trade_show"},
        headers={**owner, "Origin": "https://evil.example"},
    )

    assert refusal(response, 403)["error"] == "origin_not_allowed"
    assert not db.collection("sources").document("fair").get().exists


def test_a_store_outage_is_a_quick_503_and_saving_again_works(
    admin, db, owner, monkeypatch
) -> None:
    with store_down(monkeypatch):
        down = admin.put("/settings/pipeline", json={"template": "trade"}, headers=owner)

    assert refusal(down, 503)["error"] == "store_unavailable"
    assert int(down.headers["Retry-After"]) > 0
    ok(admin.put("/settings/pipeline", json={"template": "trade"}, headers=owner))
    assert stored_pipeline(db)["template"] == "trade"
