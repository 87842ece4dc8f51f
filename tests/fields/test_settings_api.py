"""PUT /admin/settings/fields on the real emulators: only the owner defines custom fields,
and settings that could not work are refused naming the field, with nothing stored."""

from __future__ import annotations

from typing import Any

import pytest

from tests.answers import refusal

pytestmark = pytest.mark.usefixtures("default_settings")

PATH = "/settings/fields"
FIELDS = [
    {"key": "budget", "label": "Budget", "type": "money", "required": True},
    {"key": "size", "label": "Size", "type": "select", "options": ["Small", "Large"]},
    {"key": "launch", "label": "Launch", "type": "date"},
]


@pytest.fixture
def admin(db, users, function_client):
    return function_client("admin")


def stored(db: Any) -> dict[str, Any] | None:
    snapshot = db.collection("settings").document("fields").get()
    return snapshot.to_dict() if snapshot.exists else None


def test_the_owner_saves_the_fields_in_order(admin, db, users) -> None:
    response = admin.put(PATH, json={"fields": FIELDS}, headers=users.headers("owner"))

    assert response.status_code == 200, response.get_data(as_text=True)
    saved = stored(db)
    assert [field["key"] for field in saved["fields"]] == ["budget", "size", "launch"]
    assert saved["fields"][0]["required"] is True
    assert saved["fields"][1]["options"] == ["Small", "Large"]
    assert saved["updatedBy"]["uid"]
    assert response.get_json()["settings"]["fields"][2] == {
        "key": "launch",
        "label": "Launch",
        "type": "date",
        "required": False,
    }


@pytest.mark.parametrize("role", ["manager", "rep", "partner"])
def test_anyone_but_the_owner_is_refused_and_nothing_is_stored(admin, db, users, role) -> None:
    refusal(admin.put(PATH, json={"fields": FIELDS}, headers=users.headers(role)), 403)
    assert stored(db) is None


def test_without_a_sign_in_it_is_401(admin, db) -> None:
    refusal(admin.put(PATH, json={"fields": FIELDS}), 401)


@pytest.mark.parametrize(
    ("fields", "named", "says"),
    [
        (
            [FIELDS[0], {"key": "budget", "label": "Budget 2", "type": "number"}],
            "fields.1.key",
            "already has the key 'budget'",
        ),
        ([{"key": "size", "label": "Size", "type": "select"}], "fields.0.options", "option"),
        ([{"key": "mood", "label": "Mood", "type": "emoji"}], "fields.0.type", "not a field type"),
        ([{"key": "2nd", "label": "Second", "type": "text"}], "fields.0.key", "pattern"),
    ],
)
def test_settings_that_cannot_work_are_400_naming_the_field(
    admin, db, users, fields, named, says
) -> None:
    answer = refusal(admin.put(PATH, json={"fields": fields}, headers=users.headers("owner")), 400)
    assert named in answer["fields"]
    assert says in answer["fields"][named]
    assert stored(db) is None


def test_only_put_is_a_settings_change(admin, users) -> None:
    response = admin.get(PATH, headers=users.headers("owner"))
    assert refusal(response, 405)["fields"] == {"method": "GET is not allowed."}
    assert "PUT" in response.headers["Allow"]
