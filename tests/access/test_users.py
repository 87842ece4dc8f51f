"""The users command on the real Auth and Firestore emulators: roles land in the token.

Every command goes through `main(argv)` as a person would type it (and, twice, as a
real `python -m hearth.access.users` process); what it did is checked the way the rest of
Hearth will see it: a password sign-in on the Auth emulator, the ID token verified by
hearth.auth.principal, and the team/{uid} entry the admin page reads.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest
import requests
from firebase_admin import auth
from flask import Request

from devstack import emulators, seed, team
from hearth.access import firebase
from hearth.access import users as hearth_users
from hearth.errors import HearthError
from hearth.rules import roles
from hearth.web import auth as hearth_auth
from tests.conftest import ROOT

PASSWORD = "long enough secret"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = hearth_users.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def principal_of(token: str) -> roles.Principal:
    request = Request.from_values(headers={"Authorization": f"Bearer {token}"})
    return hearth_auth.principal(request)


def refused(token: str) -> HearthError:
    with pytest.raises(HearthError) as caught:
        principal_of(token)
    return caught.value


def sign_in(auth_emulator, email: str, password: str) -> requests.Response:
    return requests.post(
        f"http://{auth_emulator.address}/identitytoolkit.googleapis.com/v1/"
        "accounts:signInWithPassword?key=demo-key",
        json={"email": email, "password": password, "returnSecureToken": True},
        timeout=10,
    )


def token_of(auth_emulator, email: str, password: str = PASSWORD) -> str:
    response = sign_in(auth_emulator, email, password)
    assert response.status_code == 200, response.text
    return response.json()["idToken"]


def team_entry(db, uid: str) -> dict | None:
    return db.collection("team").document(uid).get().to_dict()


def uid_of(email: str) -> str:
    return auth.get_user_by_email(email, app=firebase.app()).uid


def no_such_user(email: str) -> bool:
    try:
        auth.get_user_by_email(email, app=firebase.app())
    except auth.UserNotFoundError:
        return True
    return False


def command(*argv: str) -> subprocess.CompletedProcess[str]:
    """A real `python -m hearth.access.users` in functions/, as `make users` runs it."""
    return subprocess.run(
        [sys.executable, "-m", "hearth.access.users", *argv],
        cwd=ROOT / "functions",
        env={**os.environ, "PYTHONPATH": str(ROOT / "functions")},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_add_gives_a_rep_their_role_in_the_token_and_a_team_entry(users, db, auth_emulator, capsys):
    code, out, err = run(
        capsys, "add", " Ana@Studio.test ", "--role", "rep", "--password", PASSWORD, "--name", "Ana"
    )

    assert (code, err) == (0, "")
    uid = uid_of("ana@studio.test")
    assert out == f"Added ana@studio.test (uid {uid}) as rep.\n"
    caller = principal_of(token_of(auth_emulator, "ana@studio.test"))
    assert (caller.uid, caller.role, caller.segments) == (uid, roles.Role.REP, ())
    entry = team_entry(db, uid)
    assert entry is not None
    assert isinstance(entry.pop("updatedAt"), datetime)
    assert entry == {
        "uid": uid,
        "email": "ana@studio.test",
        "displayName": "Ana",
        "role": "rep",
        "segments": [],
        "disabled": False,
    }


def test_add_without_a_password_prints_a_working_one_once(users, auth_emulator, capsys):
    code, out, _ = run(capsys, "add", "owner@studio.test", "--role", "owner")

    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    label, _, password = lines[1].partition(": ")
    assert label.startswith("Password (shown only this once")
    assert len(password) >= 16
    caller = principal_of(token_of(auth_emulator, "owner@studio.test", password))
    assert caller.role is roles.Role.OWNER
    other = run(capsys, "add", "other@studio.test", "--role", "owner")[1]
    assert password not in other  # a new one for every user


def test_a_partner_carries_their_segments_into_the_token(users, db, auth_emulator, capsys):
    code, out, _ = run(
        capsys,
        "add",
        "pat@partner.test",
        "--role",
        "partner",
        "--segments",
        "wholesale, trade-fairs,wholesale",
        "--password",
        PASSWORD,
    )

    assert code == 0
    assert "as partner of wholesale, trade-fairs." in out
    caller = principal_of(token_of(auth_emulator, "pat@partner.test"))
    assert caller.role is roles.Role.PARTNER
    assert caller.segments == ("wholesale", "trade-fairs")
    assert roles.can_read_customer(caller, {"segment": "trade-fairs"})
    assert not roles.can_read_customer(caller, {"segment": "hospitality"})
    assert team_entry(db, caller.uid)["segments"] == ["wholesale", "trade-fairs"]


def test_a_partner_without_segments_is_refused_and_nobody_is_added(users, capsys):
    code, out, err = run(capsys, "add", "pat@partner.test", "--role", "partner")

    assert (code, out) == (1, "")
    assert "A partner needs at least one segment (--segments" in err
    assert no_such_user("pat@partner.test")


@pytest.mark.parametrize(
    ("role", "segments", "message"),
    [
        ("rep", "wholesale", "Only a partner has segments"),
        ("partner", "Whole Sale", "Segment 'Whole Sale' is not a segment name"),
        ("partner", "wholesale,-retail", "Segment '-retail' is not a segment name"),
        ("partner", "x" * 41, "at most 40 characters"),
    ],
)
def test_wrong_segments_are_refused(users, capsys, role, segments, message):
    code, _, err = run(capsys, "add", "a@studio.test", "--role", role, "--segments", segments)

    assert code == 1
    assert message in err
    assert no_such_user("a@studio.test")


def test_an_unknown_role_exits_1_naming_the_roles_without_a_traceback(users, capsys):
    code, out, err = run(capsys, "add", "a@studio.test", "--role", "admin")

    assert (code, out) == (1, "")
    assert err == "Error: Unknown role 'admin': choose one of owner, manager, rep, partner.\n"
    assert no_such_user("a@studio.test")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add", "not-an-address", "--role", "rep"], "not a valid e-mail address"),
        (["add", "a@studio.test", "--role", "rep", "--password", "short"], "at least 8"),
        (["add", "a@studio.test"], "the following arguments are required: --role"),
        (["promote", "a@studio.test"], "invalid choice: 'promote'"),
    ],
)
def test_other_mistakes_exit_1_with_a_message(users, capsys, argv, message):
    code, _, err = run(capsys, *argv)

    assert code == 1
    assert message in err
    assert "Traceback" not in err


def test_adding_an_existing_address_points_to_set_role(users, capsys):
    assert run(capsys, "add", "ana@studio.test", "--role", "rep")[0] == 0

    code, _, err = run(capsys, "add", "ANA@studio.test", "--role", "owner")

    assert code == 1
    assert "ana@studio.test has an account already" in err
    assert "set-role ana@studio.test" in err
    app = firebase.app()
    assert auth.get_user(uid_of("ana@studio.test"), app=app).custom_claims == {"role": "rep"}


def test_set_role_changes_token_and_team_entry_and_ends_old_sessions(
    users, db, auth_emulator, capsys
):
    run(capsys, "add", "ana@studio.test", "--role", "rep", "--password", PASSWORD)
    before = token_of(auth_emulator, "ana@studio.test")
    assert principal_of(before).role is roles.Role.REP
    time.sleep(1.05)  # revocation counts in whole seconds since the token's sign-in

    code, out, _ = run(
        capsys, "set-role", "ana@studio.test", "--role", "partner", "--segments", "wholesale"
    )

    assert code == 0
    assert out.startswith("ana@studio.test is now partner of wholesale. Their sessions were ended")
    assert refused(before).status == 401
    after = principal_of(token_of(auth_emulator, "ana@studio.test"))
    assert (after.role, after.segments) == (roles.Role.PARTNER, ("wholesale",))
    entry = team_entry(db, after.uid)
    assert (entry["role"], entry["segments"]) == ("partner", ["wholesale"])


def test_set_role_to_owner_drops_a_partners_segments_and_keeps_other_claims(
    users, auth_emulator, capsys
):
    run(capsys, "add", "pat@partner.test", "--role", "partner", "--segments", "wholesale")
    uid = uid_of("pat@partner.test")
    app = firebase.app()
    claims = auth.get_user(uid, app=app).custom_claims
    auth.set_custom_user_claims(uid, {**claims, "beta": True}, app=app)

    assert run(capsys, "set-role", "pat@partner.test", "--role", "owner")[0] == 0

    assert auth.get_user(uid, app=app).custom_claims == {"role": "owner", "beta": True}
    code, out, _ = run(capsys, "set-role", "pat@partner.test", "--role", "Owner")
    assert (code, out) == (0, "pat@partner.test was owner already; nothing changed.\n")


def test_set_role_of_an_unknown_address_exits_1(users, capsys):
    code, out, err = run(capsys, "set-role", "nobody@studio.test", "--role", "rep")

    assert (code, out) == (1, "")
    assert err.startswith("Error: No user has the e-mail nobody@studio.test")


def test_list_shows_every_user_with_role_segments_and_status(users, capsys):
    run(capsys, "add", "owner@studio.test", "--role", "owner")
    run(capsys, "add", "pat@partner.test", "--role", "partner", "--segments", "wholesale,retail")
    run(capsys, "add", "rep@studio.test", "--role", "rep")
    run(capsys, "disable", "rep@studio.test")

    code, out, _ = run(capsys, "list")

    assert code == 0
    rows = [line.split() for line in out.splitlines()]
    assert rows[0] == ["EMAIL", "UID", "ROLE", "SEGMENTS", "DISABLED"]
    assert rows[1:4] == [
        ["owner@studio.test", uid_of("owner@studio.test"), "owner", "-", "no"],
        ["pat@partner.test", uid_of("pat@partner.test"), "partner", "wholesale,retail", "no"],
        ["rep@studio.test", uid_of("rep@studio.test"), "rep", "-", "yes"],
    ]
    assert rows[4][0] == "(3"
    assert "Auth emulator" in out.splitlines()[4]


def test_list_as_a_real_command(users, capsys):
    run(capsys, "add", "owner@studio.test", "--role", "owner", "--name", "Lea")

    finished = command("list")

    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.splitlines()[0].split() == [
        "EMAIL",
        "UID",
        "ROLE",
        "SEGMENTS",
        "DISABLED",
    ]
    assert finished.stdout.splitlines()[1].split()[0::2] == ["owner@studio.test", "owner", "no"]


def test_a_mistake_in_a_real_command_is_one_line_and_exit_1(users):
    finished = command("disable", "nobody@studio.test")

    assert finished.returncode == 1
    assert finished.stdout == ""
    assert finished.stderr.startswith("Error: No user has the e-mail nobody@studio.test")
    assert len(finished.stderr.splitlines()) == 1


def test_disable_refuses_the_current_token_at_once_and_enable_lets_them_back(
    users, db, auth_emulator, capsys
):
    run(capsys, "add", "rep@studio.test", "--role", "rep", "--password", PASSWORD)
    token = token_of(auth_emulator, "rep@studio.test")
    assert principal_of(token).role is roles.Role.REP
    time.sleep(1.05)  # revocation counts in whole seconds since the token's sign-in

    code, out, _ = run(capsys, "disable", "rep@studio.test")

    assert code == 0
    assert out.startswith("Disabled rep@studio.test: signed out everywhere")
    assert refused(token).status == 401
    assert "USER_DISABLED" in sign_in(auth_emulator, "rep@studio.test", PASSWORD).text
    uid = uid_of("rep@studio.test")
    assert team_entry(db, uid)["disabled"] is True

    assert run(capsys, "enable", "rep@studio.test")[0] == 0
    assert team_entry(db, uid)["disabled"] is False
    assert refused(token).status == 401  # the old session stays ended
    assert principal_of(token_of(auth_emulator, "rep@studio.test")).role is roles.Role.REP


def test_a_failed_directory_write_still_shows_the_password_and_the_repair(
    users, db, auth_emulator, capsys, monkeypatch
):
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", f"127.0.0.1:{emulators.free_port()}")
    monkeypatch.setattr(hearth_users, "STORE_TIMEOUT_S", 2.0)  # nothing listens there

    code, out, err = run(capsys, "add", "ana@studio.test", "--role", "rep")

    assert code == 1
    password = out.splitlines()[1].partition(": ")[2]
    uid = uid_of("ana@studio.test")
    assert err.startswith(f"Error: ana@studio.test was changed in Auth, but team/{uid} was not")
    assert "set-role ana@studio.test --role" in err
    monkeypatch.undo()
    assert principal_of(token_of(auth_emulator, "ana@studio.test", password)).uid == uid
    assert run(capsys, "set-role", "ana@studio.test", "--role", "rep")[0] == 0
    assert team_entry(db, uid)["role"] == "rep"


@pytest.mark.parametrize(
    ("env", "project", "message"),
    [
        ({"FIREBASE_AUTH_EMULATOR_HOST": "127.0.0.1:9099"}, "demo-hearth", "but FIRESTORE_"),
        ({"FIRESTORE_EMULATOR_HOST": "127.0.0.1:8080"}, "my-studio", "but FIREBASE_AUTH_"),
        ({}, "demo-hearth", "exists only on the emulators"),
    ],
)
def test_a_half_local_half_real_setup_is_refused_before_anything_happens(env, project, message):
    with pytest.raises(hearth_users.UsersError, match=message):
        hearth_users.target(env, project)


def test_the_real_project_is_named_when_no_emulator_is_set():
    assert hearth_users.target({}, "studio-lumen-prod") == "project studio-lumen-prod"


TODAY = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)


def test_demo_team_signs_in_and_each_role_sees_its_share_of_the_sample(users, db, auth_emulator):
    seed.seed(db, today=TODAY, echo=lambda _line: None)
    lines: list[str] = []

    demo = team.ensure(sample_staff=True, echo=lines.append)

    assert lines == ["Demo users created: owner, manager, rep, rep, partner."]
    customers = [doc.to_dict() for doc in db.collection("customers").stream()]
    seen: dict[str, list[str]] = {}
    for member in demo:
        caller = principal_of(token_of(auth_emulator, member.email, team.DEMO_PASSWORD))
        assert (caller.uid, caller.role, caller.segments) == (
            member.uid,
            member.role,
            member.segments,
        )
        entry = team_entry(db, member.uid)
        assert (entry["email"], entry["displayName"], entry["role"]) == (
            member.email,
            member.name,
            member.role.value,
        )
        seen[member.uid] = [c["email"] for c in customers if roles.can_read_customer(caller, c)]

    assert len(seen[team.OWNER.uid]) == len(customers)
    assert seen[team.MANAGER.uid] == []
    rep_a, rep_b = set(seen[team.REP_A.uid]), set(seen[team.REP_B.uid])
    assert rep_a and rep_b and not rep_a & rep_b
    assert len(rep_a | rep_b) < len(customers)  # some customers are nobody's yet
    wholesale = {c["email"] for c in customers if c["segment"] == "wholesale"}
    assert set(seen[team.PARTNER.uid]) == wholesale
    assert len(wholesale) >= 3


def test_demo_team_prints_how_to_sign_in():
    lines = team.sign_in_lines(team.wanted(sample_staff=True))

    assert lines[0].split() == [
        "Sign",
        "in",
        "as",
        "owner@studio-lumen.test",
        "/",
        "hearth-demo",
        "(owner)",
    ]
    assert lines[-1].split()[-5:] == ["/", "hearth-demo", "(partner", "of", "wholesale)"]
    assert len(lines) == 5
    assert len({line.index(" / ") for line in lines}) == 1  # passwords line up


def test_demo_team_leaves_existing_users_as_they_are(users, db, auth_emulator, capsys):
    first: list[str] = []
    assert team.ensure(sample_staff=False, echo=first.append) == [team.OWNER]
    assert first == ["Demo users created: owner."]
    run(capsys, "set-role", team.OWNER.email, "--role", "manager")
    db.collection("team").document(team.OWNER.uid).delete()
    again: list[str] = []

    team.ensure(sample_staff=True, echo=again.append)

    assert again == ["Demo users created: manager, rep, rep, partner."]
    owner = principal_of(token_of(auth_emulator, team.OWNER.email, team.DEMO_PASSWORD))
    assert owner.role is roles.Role.MANAGER  # changed on purpose: not reset
    assert team_entry(db, team.OWNER.uid)["role"] == "manager"  # directory rewritten
    assert len(list(auth.list_users(app=firebase.app()).iterate_all())) == 5
