"""The owner's custom field types as pure rules: every type's good and bad values, the
settings that cannot work, and a form answer mapped only when it is valid."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from hearth.errors import field_messages
from hearth.rules.custom_fields import (
    FieldSettings,
    check,
    duplicate_keys,
    from_answers,
    model_for,
    shown,
)

SETTINGS = FieldSettings.model_validate(
    {
        "fields": [
            {"key": "notes", "label": "Notes", "type": "text"},
            {"key": "team_size", "label": "Team size", "type": "number"},
            {"key": "launch", "label": "Launch", "type": "date"},
            {"key": "size", "label": "Size", "type": "select", "options": ["Small", "Large"]},
            {
                "key": "products",
                "label": "Products",
                "type": "multi_select",
                "options": ["Logo", "Web", "Print"],
            },
            {"key": "vat", "label": "VAT registered", "type": "yes_no"},
            {"key": "budget", "label": "Budget", "type": "money", "required": True},
        ]
    }
)

GOOD = [
    ("notes", "  Prefers mornings ", "Prefers mornings"),
    ("team_size", 12, 12),
    ("team_size", 2.5, 2.5),
    ("team_size", "40", 40),
    ("launch", "2026-03-31", "2026-03-31"),
    ("size", "Large", "Large"),
    ("products", ["Print", "Logo", "Print"], ["Logo", "Print"]),
    ("products", "Web", ["Web"]),
    ("vat", True, True),
    ("vat", "no", False),
    ("budget", "1500.50", 150050),
    ("budget", 200, 20000),
]
BAD = [
    ("notes", 12, "text"),
    ("notes", "x" * 2001, "2000"),
    ("team_size", "twelve", "not a number"),
    ("team_size", True, "number"),
    ("launch", "31/03/2026", "YYYY-MM-DD"),
    ("launch", "2026-02-30", "not a day"),
    ("size", "Medium", "Small, Large"),
    ("products", ["Logo", "Video"], "'Video' is not an option"),
    ("products", [1], "list of options"),
    ("vat", "maybe", "yes or no"),
    ("budget", "10.005", "at most 2 decimals"),
    ("budget", "lots", "amount"),
    ("budget", None, "required"),
    ("budget", "  ", "required"),
]


@pytest.mark.parametrize(("key", "sent", "stored"), GOOD)
def test_a_good_value_of_each_type_is_stored_as_its_type(key: str, sent: Any, stored: Any) -> None:
    values, errors = check(SETTINGS, {key: sent}, "EUR")
    assert errors == {}
    assert values == {key: stored}
    assert type(values[key]) is type(stored)


@pytest.mark.parametrize(("key", "sent", "says"), BAD)
def test_a_bad_value_of_each_type_is_refused_with_a_sentence(
    key: str, sent: Any, says: str
) -> None:
    values, errors = check(SETTINGS, {key: sent}, "EUR")
    assert values == {}
    assert list(errors) == [key]
    assert says in errors[key]
    assert errors[key].endswith(".")


def test_an_empty_optional_field_is_cleared_and_an_undefined_key_is_left_alone() -> None:
    values, errors = check(SETTINGS, {"size": "", "products": [], "favourite": "blue"}, "EUR")
    assert errors == {}
    assert values == {"size": None, "products": None}


def test_money_follows_the_currencys_decimals() -> None:
    assert check(SETTINGS, {"budget": "1500"}, "JPY") == ({"budget": 1500}, {})
    assert "at most 0 decimals" in check(SETTINGS, {"budget": "1500.5"}, "JPY")[1]["budget"]
    assert str(shown(SETTINGS.by_key()["budget"], 150050, "EUR")) == "1500.50"


def test_the_model_is_built_once_per_settings_content() -> None:
    same = FieldSettings.model_validate(SETTINGS.model_dump())
    assert model_for(same) is model_for(SETTINGS)
    other = FieldSettings.model_validate({"fields": [{"key": "a", "label": "A", "type": "text"}]})
    assert model_for(other) is not model_for(SETTINGS)


@pytest.mark.parametrize(
    ("field", "at", "says"),
    [
        ({"key": "size", "label": "Size", "type": "select"}, "fields.0.options", "option"),
        (
            {"key": "size", "label": "S", "type": "select", "options": []},
            "fields.0.options",
            "option",
        ),
        ({"key": "size", "label": "Size", "type": "colour"}, "fields.0.type", "text, number"),
        ({"key": "Size", "label": "Size", "type": "text"}, "fields.0.key", "pattern"),
        ({"key": "n", "label": "N", "type": "text", "options": ["a"]}, "fields.0.options", "Only"),
        ({"key": "a", "label": "", "type": "text"}, "fields.0.label", "character"),
    ],
)
def test_settings_that_cannot_work_are_refused_naming_the_field(
    field: dict[str, Any], at: str, says: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        FieldSettings.model_validate({"fields": [field]})
    messages = field_messages(raised.value)
    assert at in messages
    assert says in messages[at]


def test_a_key_used_twice_is_named_where_it_repeats() -> None:
    settings = FieldSettings.model_validate(
        {
            "fields": [
                {"key": "size", "label": "Size", "type": "text"},
                {"key": "size", "label": "Size again", "type": "number"},
            ]
        }
    )
    assert list(duplicate_keys(settings)) == ["fields.1.key"]


def test_form_answers_fill_only_defined_fields_with_valid_values() -> None:
    answers = {"budget": "2500", "size": "Medium", "launch": "2026-05-01", "colour": "red"}
    assert from_answers(SETTINGS, answers, "EUR") == {"budget": 250000, "launch": "2026-05-01"}
