"""firestore.rules right after routing, on the real emulator (tests/rules_client.py, as
the rules matrix asks): the moment the router gives a lead to a rep, that rep reads it
(the customer, its `routed` timeline entry, its owner.changed event) and another rep is
refused, by get and by query, with no page in between."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from devstack import emulators
from hearth import config, routing
from hearth.store import routing as routing_store
from tests.routing.helpers import ANA, BEN, CARLA, hold_lease, lead, make_team
from tests.rules_client import RulesClient, User

KEY = "new@example.org"
REP = {uid: User(uid, uid, {"role": "rep"}) for uid in (ANA, BEN, CARLA)}


@pytest.fixture
def rules(firestore_emulator: emulators.Firestore) -> Iterator[RulesClient]:
    firestore_emulator.load_rules()
    yield RulesClient(firestore_emulator.base, firestore_emulator.project)


def routed_to_ben(db: Any, intake: Any) -> None:
    make_team(db)
    routing_store.save_settings(
        db, {"rules": [{"id": "ben", "match": {}, "action": {"rep": BEN}}]}, 10
    )
    hold_lease(db)  # pending until we route: the refusal before is part of the test
    lead(intake, KEY)


def test_right_after_routing_the_rep_reads_the_lead_and_another_rep_is_refused(
    db, intake, rules: RulesClient
) -> None:
    routed_to_ben(db, intake)
    assert rules.get(REP[BEN], f"customers/{KEY}").denied  # nobody's yet

    routing.route_pending(config.load())

    assert rules.get(REP[BEN], f"customers/{KEY}").allowed
    assert rules.get(REP[BEN], f"customers/{KEY}/activity/routed").allowed
    mine = rules.query(REP[BEN], "customers", filters=(("ownerUid", "EQUAL", BEN),))
    assert mine.names() == [f"customers/{KEY}"]
    events = rules.query(REP[BEN], "events", filters=(("ownerUid", "EQUAL", BEN),))
    assert [name.split(".")[1] for name in events.names()] == ["owner"]
    assert rules.get(REP[ANA], f"customers/{KEY}").denied
    assert rules.get(REP[ANA], f"customers/{KEY}/activity/routed").denied
    theirs = rules.query(REP[ANA], "customers", filters=(("ownerUid", "EQUAL", ANA),))
    assert theirs.allowed and theirs.names() == []
    assert rules.query(REP[ANA], "customers").denied


def test_the_round_robins_state_is_the_owners_alone(db, intake, rules: RulesClient) -> None:
    routed_to_ben(db, intake)
    routing.route_pending(config.load())
    db.collection("routing_state").document("team").set({"last": BEN, "counts": {BEN: 1}})

    assert rules.get(User("owner", "owner-1", {"role": "owner"}), "routing_state/team").allowed
    assert rules.get(REP[BEN], "routing_state/team").denied
    assert rules.get(User("m", "manager-1", {"role": "manager"}), "routing_state/team").denied
