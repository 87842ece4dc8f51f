"""PUT /admin/team/{uid}/away on the real emulators: the owner marks any rep away, a rep
only themselves, and the dates land in team/{uid}.away where routing reads them."""

from __future__ import annotations

import pytest

from tests.answers import names_field, refusal
from tests.handover.helpers import ANA, BEN, admin, member

__all__ = ["admin"]
pytestmark = pytest.mark.usefixtures("default_settings")


@pytest.fixture
def team(db) -> None:
    member(db, ANA)
    member(db, BEN)
    member(db, "the-manager", role="manager")


def away_of(db, uid: str):
    return db.collection("team").document(uid).get().to_dict().get("away")


def test_the_owner_marks_a_rep_away_and_clears_it(admin, team, db, users) -> None:
    owner = users.headers("owner")
    response = admin.put(
        f"/team/{BEN}/away", json={"from": "2030-12-01", "until": "2030-12-12"}, headers=owner
    )

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {
        "uid": BEN,
        "away": {"from": "2030-12-01", "until": "2030-12-12"},
    }
    assert away_of(db, BEN) == {"from": "2030-12-01", "until": "2030-12-12"}
    assert db.collection("team").document(BEN).get().to_dict()["displayName"] == "Ben Vella"

    cleared = admin.put(f"/team/{BEN}/away", json={"from": None, "until": None}, headers=owner)
    assert cleared.get_json() == {"uid": BEN, "away": None}
    assert away_of(db, BEN) is None


def test_a_rep_marks_themselves_away_but_not_another_rep(admin, team, db, users) -> None:
    ana = users.headers("rep", uid=ANA)

    mine = admin.put(f"/team/{ANA}/away", json={"until": "2030-08-31"}, headers=ana)
    assert mine.status_code == 200, mine.get_data(as_text=True)
    assert away_of(db, ANA) == {"from": None, "until": "2030-08-31"}

    theirs = admin.put(f"/team/{BEN}/away", json={"until": "2030-08-31"}, headers=ana)
    assert names_field(refusal(theirs, 403), "uid")
    assert away_of(db, BEN) is None


@pytest.mark.parametrize(("role", "extra"), [("manager", {}), ("partner", {"segments": ["w"]})])
def test_a_manager_or_partner_marks_nobody_away(admin, team, db, users, role, extra) -> None:
    response = admin.put(
        f"/team/{BEN}/away", json={"until": "2030-08-31"}, headers=users.headers(role, **extra)
    )

    assert refusal(response, 403)
    assert away_of(db, BEN) is None


@pytest.mark.parametrize(
    ("uid", "body", "status", "field"),
    [
        (BEN, {"from": "2030-12-12", "until": "2030-12-01"}, 400, "until"),
        (BEN, {"from": "12/01/2030"}, 400, "from"),
        (BEN, {"until": "2030-12-01", "note": "x"}, 400, "note"),
        ("the-manager", {"until": "2030-12-01"}, 400, "uid"),
        ("nobody-here", {"until": "2030-12-01"}, 404, "uid"),
    ],
)
def test_a_bad_date_or_someone_who_is_no_rep_is_refused_naming_it(
    admin, team, db, users, uid, body, status, field
) -> None:
    response = admin.put(f"/team/{uid}/away", json=body, headers=users.headers("owner"))

    assert names_field(refusal(response, status), field)


def test_rewriting_an_entry_from_auth_keeps_the_away_dates(admin, team, db, users) -> None:
    from hearth.store import team as team_store

    admin.put(f"/team/{ANA}/away", json={"until": "2030-08-31"}, headers=users.headers("owner"))
    team_store.record(
        ANA, {"uid": ANA, "email": "ana@x.test", "role": "rep", "disabled": False}, 10
    )

    assert away_of(db, ANA) == {"from": None, "until": "2030-08-31"}


def test_only_put_is_answered(admin, team, users) -> None:
    response = admin.post(f"/team/{ANA}/away", json={}, headers=users.headers("owner"))
    assert refusal(response, 405)["error"] == "method_not_allowed"
