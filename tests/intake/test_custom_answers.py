"""A form answer whose key is a defined custom field fills that field, on the real
emulator: only while the customer has none, only when valid; otherwise it stays in the
submission's answers on the timeline, and the visitor is never refused for it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.intake.test_intake import accepted, customer, send, timeline

pytestmark = pytest.mark.usefixtures("default_settings")


@pytest.fixture
def defined(db) -> None:
    db.collection("settings").document("fields").set(
        {
            "fields": [
                {"key": "budget", "label": "Budget", "type": "money", "required": True},
                {"key": "size", "label": "Size", "type": "select", "options": ["Small", "Large"]},
                {"key": "launch", "label": "Launch", "type": "date", "required": False},
            ]
        }
    )


def answers_on_timeline(db: Any) -> list[dict[str, Any]]:
    return [entry.get("answers") for entry in timeline(db)]


def test_a_new_customer_gets_the_valid_answers_as_fields(intake, db, defined) -> None:
    accepted(
        send(intake, answers={"budget": "2500", "size": "Huge", "launch": "2026-06-01", "x": "y"})
    )

    assert customer(db)["custom"] == {"budget": 250000, "launch": "2026-06-01"}
    assert answers_on_timeline(db) == [
        {"budget": "2500", "size": "Huge", "launch": "2026-06-01", "x": "y"}
    ]


def test_a_later_form_fills_only_what_is_missing_never_overwrites(intake, db, defined) -> None:
    accepted(send(intake, answers={"budget": "2500"}))
    accepted(send(intake, answers={"budget": "9999", "size": "Large", "launch": "not a date"}))

    assert customer(db)["custom"] == {"budget": 250000, "size": "Large"}
    assert answers_on_timeline(db)[-1]["budget"] == "9999"


def test_a_field_staff_filled_is_kept_against_a_form(intake, db, defined) -> None:
    accepted(send(intake))
    db.collection("customers").document("ana.borg@example.org").update({"custom.size": "Small"})

    accepted(send(intake, answers={"size": "Large"}))

    assert customer(db)["custom"] == {"size": "Small"}


def test_without_settings_answers_stay_answers(intake, db) -> None:
    accepted(send(intake, answers={"budget": "2500"}))

    assert customer(db)["custom"] == {}


def test_money_fills_only_a_customer_whose_balances_are_in_the_business_currency(
    intake, db, defined
) -> None:
    accepted(send(intake))
    db.collection("customers").document("ana.borg@example.org").update({"balances.currency": "JPY"})

    accepted(send(intake, answers={"budget": "2500", "size": "Small"}))

    assert customer(db)["custom"] == {"size": "Small"}
    assert answers_on_timeline(db)[-1]["budget"] == "2500"
