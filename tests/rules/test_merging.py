"""The merge plan field by field: the older record's values, gaps filled, choices win,
and undo restores only what still holds the merged value."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from hearth.rules.merging import CurrencyClashError, choosable, defaults, plan, restore

OLD = datetime(2025, 1, 1, tzinfo=UTC)
NEW = datetime(2026, 6, 1, tzinfo=UTC)


def record(email: str, at: datetime, **fields: Any) -> dict[str, Any]:
    return {
        "email": email,
        "name": None,
        "company": None,
        "mobile": None,
        "mobileValid": None,
        "stage": "lead",
        "ownerUid": None,
        "sources": ["direct"],
        "forms": ["contact"],
        "firstSource": "direct",
        "lastSource": "direct",
        "consent": {"marketing": None, "at": None, "submissionId": None},
        "balances": {"pending": 0, "paid": 0, "currency": "EUR"},
        "archived": False,
        "custom": {},
        "createdAt": at,
        "lastContactAt": at,
        **fields,
    }


def test_defaults_take_the_older_records_values_and_fill_gaps_from_the_other() -> None:
    survivor = record("new@x.mt", NEW, name="Anna Borg", stage="proposal_sent", ownerUid="rep-b")
    other = record(
        "old@x.mt",
        OLD,
        name="Ana Borg",
        company="Borg Ltd",
        mobile="+35679123456",
        mobileValid=True,
        stage="lead",
        ownerUid="rep-a",
        sources=["instagram"],
        firstSource="instagram",
        custom={"budget": 500},
    )
    assert choosable(survivor, other) == ["name", "stage", "ownerUid"]
    assert defaults(survivor, other) == {
        "name": "other",
        "stage": "survivor",
        "ownerUid": "survivor",
    }
    merged = plan(survivor, other, "old@x.mt").values
    assert merged["name"] == "Ana Borg"  # the older record's
    assert (merged["company"], merged["mobile"], merged["mobileValid"]) == (
        "Borg Ltd",
        "+35679123456",
        True,
    )
    assert (merged["stage"], merged["ownerUid"]) == ("proposal_sent", "rep-b")
    assert merged["sources"] == ["instagram", "direct"]
    assert (merged["firstSource"], merged["createdAt"], merged["lastContactAt"]) == (
        "instagram",
        OLD,
        NEW,
    )
    assert merged["custom"] == {"budget": 500}
    assert merged["mergedFrom"] == ["old@x.mt"]
    assert "79123456" in merged["search"] and "borg" in merged["search"]


def test_choices_override_and_balances_add_up_consent_is_the_later_answer() -> None:
    survivor = record(
        "a@x.mt",
        OLD,
        name="Ana",
        custom={"size": "L"},
        balances={"pending": 100, "paid": 50, "currency": "EUR"},
        consent={"marketing": True, "at": OLD, "submissionId": "s1"},
        archived=True,
    )
    other = record(
        "b@x.mt",
        NEW,
        name="Ana Borg",
        custom={"size": "M", "colour": "red"},
        balances={"pending": 10, "paid": 5, "currency": "EUR"},
        consent={"marketing": False, "at": NEW, "submissionId": "s2"},
        mergedFrom=["c@x.mt"],
    )
    result = plan(survivor, other, "b@x.mt", {"name": "other", "custom.size": "other"})
    merged = result.values
    assert (merged["name"], merged["custom"]) == ("Ana Borg", {"size": "M", "colour": "red"})
    assert merged["balances"] == {"pending": 110, "paid": 55, "currency": "EUR"}
    assert merged["consent"]["marketing"] is False
    assert merged["archived"] is False  # the other was live
    assert merged["mergedFrom"] == ["b@x.mt", "c@x.mt"]
    assert result.chosen == {"name": "other", "custom.size": "other"}
    assert "stage" not in result.changed and "name" in result.changed


def test_balances_in_two_currencies_are_refused() -> None:
    survivor = record("a@x.mt", OLD, balances={"pending": 1, "paid": 0, "currency": "EUR"})
    other = record("b@x.mt", NEW, balances={"pending": 5, "paid": 0, "currency": "GBP"})
    with pytest.raises(CurrencyClashError, match="EUR and GBP"):
        plan(survivor, other, "b@x.mt")
    empty = record("c@x.mt", NEW, balances={"pending": 0, "paid": 0, "currency": "GBP"})
    assert plan(survivor, empty, "c@x.mt").values["balances"]["currency"] == "EUR"


def test_undo_restores_fields_still_merged_and_keeps_fields_edited_since() -> None:
    before = {"name": "Anna", "company": None, "stage": "lead"}
    applied = {"name": "Ana Borg", "company": "Borg", "stage": "won", "mergedFrom": ["b@x.mt"]}
    now = {"name": "Ana Borg", "company": "Borg Ltd", "stage": "won", "mergedFrom": ["b@x.mt"]}
    restored, removed, kept = restore(before, applied, now)
    assert restored == {"name": "Anna", "stage": "lead"}
    assert removed == ["mergedFrom"]
    assert kept == ["company"]
