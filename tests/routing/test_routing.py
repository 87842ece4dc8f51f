"""Lead routing on the real emulators: each match kind and the fallback through the
real intake function, away reps skipped and saying so, a group all away falling
through, a 60-lead burst shared exactly 20/20/20 (by the nudge, and by the sweep
alone), a hand assignment never re-routed, the preview equal to what routing then
does, the refusals of PUT /admin/settings/routing, and the new-lead task going to the
routed rep. No mocks.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hearth import automations, config, routing
from tests.answers import names_field, refusal
from tests.routing.helpers import (
    ANA,
    BEN,
    CARLA,
    burst,
    customer,
    hold_lease,
    lead,
    make_team,
    owner_events,
    owners,
    routed_entries,
    save_rules,
    saved,
)

GROUP = {"group": [ANA, BEN, CARLA]}
LATER = datetime.now(UTC) + timedelta(days=11)


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("HEARTH_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HEARTH_MIN_FILL_MS", "0")


@pytest.fixture
def admin(db, users, function_client):
    make_team(db)
    return function_client("admin")


def today() -> str:
    return datetime.now(ZoneInfo(config.load().time_zone)).date().isoformat()


def in_days(days: int) -> str:
    return (
        datetime.now(ZoneInfo(config.load().time_zone)).date() + timedelta(days=days)
    ).isoformat()


def define_fields(db: Any) -> None:
    db.collection("settings").document("fields").set(
        {
            "fields": [
                {"key": "size", "label": "Size", "type": "select", "options": ["Small", "Large"]},
                {
                    "key": "topics",
                    "label": "Topics",
                    "type": "multi_select",
                    "options": ["logo", "web"],
                },
            ]
        }
    )


def source(admin: Any, users: Any, source_id: str, kind: str) -> None:
    response = admin.put(
        f"/sources/{source_id}",
        json={"label": source_id.title(), "kind": kind},
        headers=users.headers("owner"),
    )
    assert response.status_code == 200, response.get_data(as_text=True)


# (match, what a matching lead sends, what a lead that does not match sends)
KINDS = {
    "source": ({"source": "spring-show"}, {"source": "spring-show"}, {"source": "google"}),
    "sourceKind": ({"sourceKind": "trade_show"}, {"source": "spring-show"}, {"source": "google"}),
    "form": ({"form": "quote"}, {"form": "quote"}, {"form": "contact"}),
    "country": ({"country": "DE"}, {"mobile": "+49 1512 3456789"}, {"mobile": "7912 3456"}),
    "field": (
        {"field": {"key": "size", "value": "Large"}},
        {"answers": {"size": "Large"}},
        {"answers": {"size": "Small"}},
    ),
    "multi_select": (
        {"field": {"key": "topics", "value": "web"}},
        {"answers": {"topics": ["logo", "web"]}},
        {"answers": {"topics": ["logo"]}},
    ),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_match_kind_routes_its_leads_and_the_rest_go_to_the_fallback(
    admin, intake, db, users, kind
) -> None:
    match, matching, other = KINDS[kind]
    source(admin, users, "spring-show", "trade_show")
    define_fields(db)
    saved(admin, users, [{"id": "special", "match": match, "action": {"rep": BEN}}], {"rep": CARLA})

    lead(intake, "match@example.org", **matching)
    lead(intake, "other@example.org", **other)

    matched, fell = customer(db, "match@example.org"), customer(db, "other@example.org")
    assert (matched["ownerUid"], matched["routing"], matched["routedBy"]["rule"]) == (
        BEN,
        "done",
        "special",
    )
    assert (fell["ownerUid"], fell["routedBy"]["rule"]) == (CARLA, "fallback")
    assert matched["assignedAt"] is not None
    assert [e["text"] for e in routed_entries(db, "match@example.org")] == ["Ben"]
    events = {e["customer"]: e for e in owner_events(db)}
    assert events["match@example.org"]["ownerUid"] == BEN
    assert events["match@example.org"]["data"]["from"] is None


def test_the_first_enabled_matching_rule_wins(admin, intake, db, users) -> None:
    rules = [
        {"id": "off", "match": {}, "action": {"rep": CARLA}, "enabled": False},
        {"id": "quotes", "match": {"form": "quote"}, "action": {"rep": BEN}},
        {"id": "all", "match": {}, "action": {"rep": ANA}},
    ]
    saved(admin, users, rules)

    lead(intake, "q@example.org", form="quote")
    lead(intake, "c@example.org", form="contact")

    assert owners(db) == {"q@example.org": BEN, "c@example.org": ANA}


def test_without_rules_customers_stay_unassigned_as_before(intake, db) -> None:
    lead(intake, "a@example.org")

    stored = customer(db, "a@example.org")
    assert stored["ownerUid"] is None
    assert stored["routedBy"] == {"rule": None, "reason": "no routing rules"}
    assert routed_entries(db, "a@example.org") == [] and owner_events(db) == []


def test_an_away_rep_is_skipped_and_the_timeline_says_so(admin, intake, db, users) -> None:
    saved(admin, users, [{"id": "team", "match": {}, "action": GROUP}])
    until = in_days(3)
    make_team(db, away={BEN: {"from": None, "until": until}})

    for n in range(4):
        lead(intake, f"l{n}@example.org")

    assert [owners(db)[f"l{n}@example.org"] for n in range(4)] == [ANA, CARLA, ANA, CARLA]
    day = datetime.fromisoformat(until)
    text = routed_entries(db, "l1@example.org")[0]["text"]
    assert f"Ben is away until {day.day} {day.strftime('%b')}" in text
    assert text.endswith("Round robin among Ana, Ben, Carla: Carla")


def test_an_absence_that_ended_or_is_still_to_come_does_not_skip(admin, intake, db, users) -> None:
    saved(admin, users, [{"id": "ben", "match": {}, "action": {"rep": BEN}}], {"rep": ANA})
    make_team(db, away={BEN: {"from": in_days(2), "until": in_days(9)}})
    lead(intake, "a@example.org")
    make_team(db, away={BEN: {"from": in_days(-9), "until": in_days(-1)}})
    lead(intake, "b@example.org")

    assert owners(db) == {"a@example.org": BEN, "b@example.org": BEN}


def test_a_group_all_away_falls_through_and_an_all_away_fallback_leaves_it_unassigned(
    admin, intake, db, users
) -> None:
    rules = [
        {
            "id": "pair",
            "label": "Pair",
            "match": {"form": "quote"},
            "action": {"group": [BEN, CARLA]},
        },
        {"id": "ana", "match": {"form": "quote"}, "action": {"rep": ANA}},
    ]
    saved(admin, users, rules, {"rep": BEN})
    away = {"from": today(), "until": None}
    make_team(db, away={BEN: away, CARLA: away})

    lead(intake, "quote@example.org", form="quote")
    lead(intake, "other@example.org", form="contact")

    quote, other = customer(db, "quote@example.org"), customer(db, "other@example.org")
    assert (quote["ownerUid"], quote["routedBy"]["rule"]) == (ANA, "ana")
    assert "rule “Pair” has nobody available" in quote["routedBy"]["reason"]
    assert other["ownerUid"] is None and other["routing"] == "done"
    assert other["routedBy"]["reason"].endswith("left unassigned")
    assert [e["ownerUid"] for e in routed_entries(db, "other@example.org")] == [None]


def assert_shared_evenly(db: Any, keys: list[str]) -> None:
    found = owners(db)
    assert sorted(found) == sorted(keys)  # none lost
    assert Counter(found.values()) == {ANA: 20, BEN: 20, CARLA: 20}  # none unassigned
    events = owner_events(db)
    assert sorted(e["customer"] for e in events) == sorted(keys)  # none assigned twice
    assert all(len(routed_entries(db, key)) == 1 for key in keys)
    assert all(customer(db, key)["routing"] == "done" for key in keys)
    state = db.collection("routing_state").document("team").get().to_dict()
    assert state["counts"] == {ANA: 20, BEN: 20, CARLA: 20}


def test_a_60_lead_burst_is_shared_20_20_20_when_the_requests_return(
    admin, intake, db, users
) -> None:
    saved(admin, users, [{"id": "team", "match": {}, "action": GROUP}])

    keys = burst(intake, 60)

    assert_shared_evenly(db, keys)
    assert not db.collection("routing_state").document("_lease").get().exists


def test_a_burst_the_nudge_cannot_route_is_shared_20_20_20_by_the_sweep(
    admin, intake, db, users, function_client
) -> None:
    saved(admin, users, [{"id": "team", "match": {}, "action": GROUP}])
    hold_lease(db)

    keys = burst(intake, 60)
    assert set(owners(db).values()) == {None}
    answer = function_client("sweep").post("/")

    assert answer.status_code == 200 and answer.get_json()["routed"] == 60
    assert_shared_evenly(db, keys)


def test_a_customer_assigned_by_hand_before_routing_is_never_rerouted(
    admin, intake, db, users, function_client
) -> None:
    saved(admin, users, [{"id": "team", "match": {}, "action": GROUP}])
    hold_lease(db)
    lead(intake, "hand@example.org")
    db.collection("customers").document("hand@example.org").update({"ownerUid": CARLA})

    function_client("sweep").post("/")
    function_client("sweep").post("/")

    stored = customer(db, "hand@example.org")
    assert (stored["ownerUid"], stored["routing"]) == (CARLA, "manual")
    assert routed_entries(db, "hand@example.org") == [] and owner_events(db) == []
    assert not db.collection("routing_state").document("team").get().exists


def test_the_preview_shows_what_routing_then_does_and_writes_nothing(
    admin, intake, db, users, function_client
) -> None:
    source(admin, users, "spring-show", "trade_show")
    rules = [
        {"id": "show", "match": {"sourceKind": "trade_show"}, "action": {"group": [BEN, CARLA]}},
        {"id": "team", "match": {}, "action": GROUP},
    ]
    saved(admin, users, rules)
    saved_pointer = {"last": BEN, "counts": {BEN: 1}}
    db.collection("routing_state").document("team").set(saved_pointer)
    make_team(db, away={CARLA: {"from": today(), "until": in_days(1)}})
    hold_lease(db)
    for n in range(7):
        lead(intake, f"p{n}@example.org", source="spring-show" if n % 3 == 0 else "google")
    db.collection("customers").document("p6@example.org").update({"ownerUid": ANA})

    response = admin.post(
        "/settings/routing/preview", json={"rules": rules}, headers=users.headers("owner")
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    preview = {row["customer"]: row for row in response.get_json()["leads"]}
    assert db.collection("routing_state").document("team").get().to_dict() == saved_pointer
    assert set(owners(db).values()) == {None, ANA}

    function_client("sweep").post("/")

    for n in range(6):
        key = f"p{n}@example.org"
        stored = customer(db, key)
        assert (stored["ownerUid"], stored["routedBy"]["rule"], stored["routedBy"]["reason"]) == (
            preview[key]["ownerUid"],
            preview[key]["rule"],
            preview[key]["reason"],
        )
    assert preview["p0@example.org"]["ownerUid"] == BEN  # Carla away: the show's pair is Ben
    assert preview["p1@example.org"]["ownerUid"] == ANA  # after Ben, Carla away: Ana


@pytest.mark.parametrize(
    ("rules", "fallback", "field"),
    [
        ([{"id": "a", "match": {"source": "nowhere"}, "action": {"rep": ANA}}], None, "rules.0.match.source"),
        ([{"id": "a", "match": {}, "action": {"rep": "nobody"}}], None, "rules.0.action.rep"),
        ([{"id": "a", "match": {}, "action": {"group": [ANA, "mia"]}}], None, "rules.0.action.group.1"),
        ([], {"group": [BEN, "ghost"]}, "fallback.group.1"),
        (
            [{"id": "a", "match": {"field": {"key": "budget", "value": "x"}}, "action": {"rep": ANA}}],
            None,
            "rules.0.match.field.key",
        ),
        ([{"id": "a", "action": {"rep": ANA}}, {"id": "a", "action": {"rep": BEN}}], None, "rules.1.id"),
        ([{"id": "Not a slug", "action": {"rep": ANA}}], None, "rules.0.id"),
        ([{"id": "a", "action": {"rep": ANA, "group": [BEN]}}], None, "rules.0.action"),
        ([{"id": "a", "match": {"sourceKind": "billboard"}, "action": {"rep": ANA}}], None, "rules.0.match.sourceKind"),
    ],
)  # fmt: skip
def test_a_rule_naming_something_unknown_is_refused_naming_the_field(
    admin, db, users, rules, fallback, field
) -> None:
    answer = refusal(save_rules(admin, users, rules, fallback), 400)

    assert names_field(answer, field), answer
    assert not db.collection("settings").document("routing").get().exists


@pytest.mark.parametrize("path", ["/settings/routing", "/settings/routing/preview"])
@pytest.mark.parametrize("role", ["manager", "rep"])
def test_only_the_owner_sets_or_previews_rules(admin, users, role, path) -> None:
    method = admin.put if path.endswith("routing") else admin.post
    response = method(path, json={"rules": []}, headers=users.headers(role))

    refusal(response, 403)


def test_the_new_lead_task_goes_to_the_routed_rep_and_waits_for_routing(
    admin, intake, db, users, function_client
) -> None:
    response = admin.put(
        "/settings/pipeline", json={"template": "trade"}, headers=users.headers("owner")
    )
    assert response.status_code == 200
    saved(admin, users, [{"id": "ben", "match": {}, "action": {"rep": BEN}}])
    hold_lease(db)
    lead(intake, "new@example.org")

    early = automations.run(config.load(), LATER)
    assert early["tasks"] == 0  # still pending: the event waits for the next run
    routing.route_pending(config.load())
    automations.run(config.load(), LATER)

    made = [t.to_dict() for t in db.collection("tasks").stream()]
    new_lead = [t["ownerUid"] for t in made if t["rule"] == "new_lead_check_in"]
    assert new_lead == [BEN]
