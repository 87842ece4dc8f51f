"""Typed custom fields through the admin PATCH, on the real emulators: each type's good
value stored as its type, a bad one refused naming ``changes.custom.<key>`` with nothing
written, a required field never cleared, and keys the owner never defined kept free-form."""

from __future__ import annotations

from typing import Any

import pytest

from tests.answers import refusal
from tests.customers.test_admin_api import make_customer, ok, seen, stored, timeline, unchanged, url

pytestmark = pytest.mark.usefixtures("default_settings")

FIELDS = [
    {"key": "notes", "label": "Notes", "type": "text"},
    {"key": "team_size", "label": "Team size", "type": "number"},
    {"key": "launch", "label": "Launch", "type": "date"},
    {"key": "size", "label": "Size", "type": "select", "options": ["Small", "Large"]},
    {"key": "products", "label": "Products", "type": "multi_select", "options": ["Logo", "Web"]},
    {"key": "vat", "label": "VAT registered", "type": "yes_no"},
    {"key": "budget", "label": "Budget", "type": "money", "required": True},
]


@pytest.fixture
def admin(db, users, function_client):
    return function_client("admin")


@pytest.fixture
def defined(admin, db, users) -> dict[str, str]:
    """Owner headers, with the fields defined through the settings API."""
    headers = users.headers("owner")
    response = admin.put("/settings/fields", json={"fields": FIELDS}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return headers


def patch(admin: Any, db: Any, headers: dict[str, str], custom: dict[str, Any]) -> Any:
    return admin.patch(
        url(),
        json={"expected_updated_at": seen(db), "changes": {"custom": custom}},
        headers=headers,
    )


@pytest.mark.parametrize(
    ("key", "sent", "kept"),
    [
        ("notes", "Call after 5", "Call after 5"),
        ("team_size", 14, 14),
        ("launch", "2026-09-01", "2026-09-01"),
        ("size", "Large", "Large"),
        ("products", ["Web", "Logo"], ["Logo", "Web"]),
        ("vat", False, False),
        ("budget", "1500.50", 150050),
    ],
)
def test_a_good_value_of_each_type_is_stored_as_its_type(
    admin, intake, db, users, defined, key, sent, kept
) -> None:
    make_customer(intake, db)

    answer = ok(patch(admin, db, defined, {key: sent}))

    assert stored(db)["custom"][key] == kept
    assert answer["customer"]["custom"][key] == kept
    assert timeline(db)[-1]["changes"][f"custom.{key}"]["to"] == kept


@pytest.mark.parametrize(
    ("key", "sent", "says"),
    [
        ("notes", ["a", "b"], "text"),
        ("team_size", "a dozen", "not a number"),
        ("launch", "1 Sept", "YYYY-MM-DD"),
        ("size", "Huge", "Choose one of: Small, Large."),
        ("products", ["Print"], "'Print' is not an option"),
        ("vat", "perhaps", "yes or no"),
        ("budget", "12.345", "at most 2 decimals"),
    ],
)
def test_a_bad_value_of_each_type_is_400_naming_it_and_nothing_is_written(
    admin, intake, db, users, defined, key, sent, says
) -> None:
    make_customer(intake, db)

    with unchanged(db):
        answer = refusal(patch(admin, db, defined, {key: sent, "free": "fine"}), 400)

    assert list(answer["fields"]) == [f"changes.custom.{key}"]
    assert says in answer["fields"][f"changes.custom.{key}"]


def test_a_required_field_cannot_be_cleared_but_an_optional_one_can(
    admin, intake, db, users, defined
) -> None:
    make_customer(intake, db)
    ok(patch(admin, db, defined, {"budget": "900", "size": "Small"}))

    for cleared in (None, ""):
        with unchanged(db):
            answer = refusal(patch(admin, db, defined, {"budget": cleared}), 400)
        assert "Budget is required" in answer["fields"]["changes.custom.budget"]

    ok(patch(admin, db, defined, {"size": None}))
    assert stored(db)["custom"] == {"budget": 90000}


def test_money_is_kept_in_the_customers_own_currency(admin, intake, db, users, defined) -> None:
    make_customer(intake, db)
    db.collection("customers").document("ana.borg@example.org").update({"balances.currency": "JPY"})

    ok(patch(admin, db, defined, {"budget": "120000"}))
    assert stored(db)["custom"]["budget"] == 120000
    answer = refusal(patch(admin, db, defined, {"budget": "10.5"}), 400)
    assert "JPY amounts have at most 0 decimals" in answer["fields"]["changes.custom.budget"]


def test_keys_the_owner_never_defined_stay_free_form(admin, intake, db, users, defined) -> None:
    make_customer(intake, db, owner_uid="rep-a")

    ok(patch(admin, db, users.headers("rep", uid="rep-a"), {"favourite colour": "teal", "n": 3}))

    assert stored(db)["custom"] == {"favourite colour": "teal", "n": 3}


def test_without_settings_every_key_is_free_form_as_before(admin, intake, db, users) -> None:
    make_customer(intake, db)

    ok(patch(admin, db, users.headers("owner"), {"budget": "a lot", "size": 3}))

    assert stored(db)["custom"] == {"budget": "a lot", "size": 3}
