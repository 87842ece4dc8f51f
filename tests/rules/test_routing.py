"""The routing matcher, pure: conditions, the round robin from a pointer, who is
available today (away, disabled, not a rep, handing over), the fallback, and a batch
planned in order against the pointers the earlier leads moved."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hearth.rules.routing import (
    NO_RULES,
    Lead,
    Pointer,
    RoutingMatch,
    RoutingSettings,
    choose,
    country_of,
    matches,
    plan,
)

TODAY = date(2026, 12, 7)


def rep(name: str, **more: Any) -> dict[str, Any]:
    return {"displayName": name, "role": "rep", "disabled": False, **more}


TEAM = {"ana": rep("Ana"), "ben": rep("Ben"), "carla": rep("Carla")}


def lead(**changes: Any) -> Lead:
    values: dict[str, Any] = {
        "source": "google",
        "source_kind": "inbound",
        "forms": ("contact",),
        "country": "MT",
        "custom": {},
    }
    values.update(changes)
    return Lead(**values)


def settings(*rules: dict[str, Any], fallback: Any = None) -> RoutingSettings:
    return RoutingSettings.model_validate({"rules": list(rules), "fallback": fallback})


def test_every_given_condition_must_hold_and_none_given_matches_all() -> None:
    both = RoutingMatch(source="google", form="quote")
    assert not matches(both, lead())
    assert matches(both, lead(forms=("contact", "quote")))
    assert matches(RoutingMatch(), lead())
    assert matches(
        RoutingMatch.model_validate({"field": {"key": "n", "value": 3}}), lead(custom={"n": 3})
    )
    assert not matches(RoutingMatch.model_validate({"field": {"key": "n", "value": 3}}), lead())


def test_the_country_is_the_mobiles_region_and_nothing_for_an_untrusted_number() -> None:
    assert country_of("+4915123456789") == "DE"
    assert country_of("+35679123456") == "MT"
    assert country_of("7912 3456") is None
    assert country_of(None) is None


def test_the_round_robin_goes_on_after_the_pointer_and_wraps() -> None:
    rules = settings({"id": "team", "action": {"group": ["ana", "ben", "carla"]}})
    pointers = {"team": Pointer("carla", {"carla": 4})}

    choices, moved = plan(rules, [lead()] * 4, TEAM, pointers, TODAY)

    assert [c.uid for c in choices] == ["ana", "ben", "carla", "ana"]
    assert moved["team"] == Pointer("ana", {"carla": 5, "ana": 2, "ben": 1})
    assert choices[0].reason == "Round robin among Ana, Ben, Carla: Ana"


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        (rep("Ben", away={"from": "2026-12-01", "until": "2026-12-12"}), "Ben is away until 12 Dec"),
        (rep("Ben", away={"from": None, "until": "2026-12-07"}), "Ben is away until 7 Dec"),
        (rep("Ben", away={"from": "2026-12-07", "until": None}), "Ben is away"),
        (rep("Ben", disabled=True), "Ben is not an active rep"),
        ({"displayName": "Ben", "role": "manager"}, "Ben is not an active rep"),
    ],
)  # fmt: skip
def test_a_rep_who_cannot_take_leads_today_is_skipped_with_the_reason(entry, why) -> None:
    rules = settings({"id": "team", "action": {"group": ["ben", "carla"]}})

    choice = choose(rules, lead(), {**TEAM, "ben": entry}, {}, TODAY)

    assert choice.uid == "carla"
    assert choice.reason == f"{why}; Round robin among Ben, Carla: Carla"


@pytest.mark.parametrize(
    "away", [{"from": "2026-12-08", "until": None}, {"from": None, "until": "2026-12-06"}, {}]
)
def test_an_absence_not_covering_today_does_not_skip(away) -> None:
    rules = settings({"id": "ben", "action": {"rep": "ben"}})

    assert choose(rules, lead(), {**TEAM, "ben": rep("Ben", away=away)}, {}, TODAY).uid == "ben"


def test_a_rule_with_nobody_available_falls_through_then_the_fallback_then_nobody() -> None:
    gone = {**TEAM, "ben": rep("Ben", disabled=True), "carla": rep("Carla", disabled=True)}
    rules = settings(
        {"id": "pair", "label": "Pair", "action": {"group": ["ben", "carla"]}},
        fallback={"rep": "ana"},
    )
    assert choose(rules, lead(), gone, {}, TODAY).rule == "fallback"
    gone_too = {**gone, "ana": rep("Ana", away={"from": "2026-12-01", "until": None})}

    choice = choose(rules, lead(), gone_too, {}, TODAY)

    assert (choice.uid, choice.rule) == (None, None)
    assert choice.reason.endswith("rule “fallback” has nobody available; left unassigned")


def test_the_hand_over_excludes_the_leaving_rep() -> None:
    rules = settings({"id": "team", "action": {"group": ["ana", "ben"]}})

    choice = choose(rules, lead(), TEAM, {"team": Pointer("ben")}, TODAY, exclude="ana")

    assert choice.uid == "ben"
    assert choice.reason.startswith("Ana is handing over")


def test_no_settings_route_nobody() -> None:
    assert choose(None, lead(), TEAM, {}, TODAY).reason == NO_RULES
    assert choose(settings(), lead(), TEAM, {}, TODAY).uid is None
