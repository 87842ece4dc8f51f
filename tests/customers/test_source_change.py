"""Where a customer came from is changed by the owner only, and only to a source of the
owner's list: reports credit it, so a typo must not invent a source."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.rules.timestamps import iso
from tests.answers import names_field, refusal
from tests.customers.test_admin_api import KEY, REP_A, make_customer, stored, timeline, url

pytestmark = pytest.mark.usefixtures("default_settings")


@pytest.fixture
def admin(db, users, function_client):
    return function_client("admin")


def change_source(admin: Any, db: Any, headers: dict[str, str], source: str) -> Any:
    body = {"expected_updated_at": iso(stored(db)["updatedAt"]), "changes": {"source": source}}
    return admin.patch(url(), json=body, headers=headers)


def test_the_owner_credits_a_customer_to_a_trade_show(admin, intake, db, users) -> None:
    make_customer(intake, db)
    db.collection("sources").document("spring-show").set(
        {"id": "spring-show", "label": "Spring show", "kind": "trade_show"}
    )

    response = change_source(admin, db, users.headers("owner"), "spring-show")

    assert response.status_code == 200, response.get_data(as_text=True)
    assert stored(db)["firstSource"] == "spring-show"
    [entry] = timeline(db)
    assert entry["changes"]["firstSource"] == {"from": "direct", "to": "spring-show"}


def test_an_unknown_source_is_400_naming_changes_source(admin, intake, db, users) -> None:
    make_customer(intake, db)
    before = stored(db)

    answer = refusal(change_source(admin, db, users.headers("owner"), "spring-shwo"), 400)

    assert names_field(answer, "changes.source")
    assert stored(db) == before


def test_a_rep_may_not_change_where_their_customer_came_from(admin, intake, db, users) -> None:
    make_customer(intake, db, owner_uid=REP_A)
    db.collection("sources").document("spring-show").set({"label": "Spring show"})
    before = stored(db)

    answer = refusal(change_source(admin, db, users.headers("rep", uid=REP_A), "spring-show"), 403)

    assert names_field(answer, "changes.source")
    assert stored(db, KEY) == before
