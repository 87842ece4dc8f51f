"""Automation rules, pure: business days over weekends, hours, before the call, matching."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from hearth.rules.automations import (
    AutomationSettings,
    Rule,
    add_business_days,
    defaults,
    due,
    matches,
    stale_since,
)

MALTA = ZoneInfo("Europe/Malta")


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=MALTA).astimezone(UTC)


def rule(**changes: object) -> Rule:
    body = {"id": "r", "on": "customer.created", "offset": {"hours": 1}, "title": "Call"}
    return Rule.model_validate({**body, **changes})


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (local(2030, 5, 3, 15), 2, local(2030, 5, 7, 15)),  # Friday -> Tuesday
        (local(2030, 5, 4, 10), 2, local(2030, 5, 7, 10)),  # Saturday -> Tuesday
        (local(2030, 5, 5, 10), 1, local(2030, 5, 6, 10)),  # Sunday -> Monday
        (local(2030, 5, 6, 9), 5, local(2030, 5, 13, 9)),  # a whole week
        (local(2030, 5, 4, 10), 0, local(2030, 5, 6, 10)),  # none, on a weekend: Monday
        # Friday 23:30 in Malta (21:30 UTC) plus one business day is Monday 23:30.
        (local(2030, 5, 3, 23, 30), 1, local(2030, 5, 6, 23, 30)),
    ],
)
def test_business_days_skip_weekends_in_the_business_zone(start, days, expected) -> None:
    assert add_business_days(start, days, "Europe/Malta") == expected


def test_a_business_day_is_counted_in_the_business_zone_not_utc() -> None:
    # Friday 15:30 UTC is Saturday 00:30 in Tokyo: one business day on is Monday 00:30
    # there, which is Sunday 15:30 UTC; counted in UTC it would be Monday 15:30.
    friday_utc = datetime(2030, 5, 3, 15, 30, tzinfo=UTC)
    assert add_business_days(friday_utc, 1, "Asia/Tokyo") == datetime(
        2030, 5, 5, 15, 30, tzinfo=UTC
    )
    assert add_business_days(friday_utc, 1, "UTC") == datetime(2030, 5, 6, 15, 30, tzinfo=UTC)


def test_offsets_in_hours_days_and_before_the_call() -> None:
    at = datetime(2030, 5, 3, 15, tzinfo=UTC)
    start = datetime(2030, 5, 8, 10, tzinfo=UTC)
    booked = {"type": "booking.created", "at": at, "data": {"start": start}}
    assert due(rule(offset={"hours": 5}), {"at": at}, "UTC") == datetime(2030, 5, 3, 20, tzinfo=UTC)
    assert due(rule(offset={"days": 3}), {"at": at}, "UTC") == datetime(2030, 5, 6, 15, tzinfo=UTC)
    before = rule(on="booking.created", offset={"beforeCallHours": 24})
    assert due(before, booked, "UTC") == datetime(2030, 5, 7, 10, tzinfo=UTC)
    assert stale_since(rule(on="stale", offset={"days": 10}), at, "UTC") == datetime(
        2030, 5, 13, 15, tzinfo=UTC
    )


def test_matching_by_type_stage_source_kind_and_enabled() -> None:
    moved = {"type": "stage.changed", "data": {"from": "new", "to": "demo_completed"}}
    assert matches(rule(on="stage.changed", stage="demo_completed"), moved, "demo_completed", None)
    assert not matches(rule(on="stage.changed", stage="new"), moved, "demo_completed", None)
    assert not matches(rule(on="customer.created"), moved, "demo_completed", None)
    assert not matches(rule(on="stage.changed", enabled=False), moved, "demo_completed", None)
    show = rule(on="stage.changed", sourceKind="trade_show")
    assert matches(show, moved, "demo_completed", "trade_show")
    assert not matches(show, moved, "demo_completed", "referral")
    reminder = rule(on="booking.created", offset={"beforeCallHours": 24})
    assert not matches(reminder, {"type": "booking.created", "data": {}}, None, None)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"offset": {"hours": 1, "days": 2}}, "offset"),
        ({"offset": {}}, "offset"),
        ({"offset": {"businessDays": -1}}, "offset.businessDays"),
        ({"id": "Has Spaces"}, "id"),
        ({"id": "with.dot"}, "id"),
        ({"on": "task.created"}, "on"),
        ({"title": ""}, "title"),
        ({"stage": "Not A Slug"}, "stage"),
        ({"sourceKind": "billboard"}, "sourceKind"),
    ],
)
def test_a_bad_rule_names_its_field(changes, field) -> None:
    with pytest.raises(ValidationError) as caught:
        rule(**changes)
    paths = {".".join(str(part) for part in error["loc"]) for error in caught.value.errors()}
    assert any(path == field or path.startswith(f"{field}.") for path in paths), paths


def test_the_trade_template_has_its_four_defaults_and_studio_none() -> None:
    trade = defaults("trade")
    assert [(r.id, r.on) for r in trade] == [
        ("new_lead_check_in", "customer.created"),
        ("demo_reminder", "booking.created"),
        ("demo_nudge", "stage.changed"),
        ("stale_reminder", "stale"),
    ]
    assert defaults("studio") == ()
    AutomationSettings(rules=list(trade))
