"""Signing in to the admin API: real Auth emulator tokens, and what happens when they fail."""

from __future__ import annotations

import pytest
from firebase_admin import auth as firebase_auth

from devstack import emulators
from hearth.access import firebase


@pytest.fixture
def admin(function_client):
    return function_client("admin")


def archive(admin, headers):
    return admin.post("/customers/nobody%40example.org/archive", headers=headers)


def test_no_token_is_asked_to_sign_in(admin, users):
    response = archive(admin, {})

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization" in response.get_json()["fields"]


def test_a_forged_token_is_refused(admin, users):
    response = archive(admin, {"Authorization": "Bearer not.a.token"})

    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthenticated"


def test_a_disabled_users_token_stops_working_at_once(admin, users):
    headers = users.headers("owner", uid="leaving-owner")
    assert archive(admin, headers).status_code == 404  # signed in: the customer is unknown

    firebase_auth.update_user("leaving-owner", disabled=True, app=firebase.app())

    assert archive(admin, headers).status_code == 401


def test_an_unreachable_auth_service_is_a_retryable_503(admin, users, monkeypatch):
    headers = users.headers("owner")
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", f"127.0.0.1:{emulators.free_port()}")
    firebase.reset()
    try:
        response = archive(admin, headers)
    finally:
        monkeypatch.undo()
        firebase.reset()

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_json()["error"] == "auth_unavailable"


def test_a_deleted_users_token_is_a_json_401_from_the_admin_api_and_the_export(
    admin, function_client, users
):
    headers = users.headers("owner", uid="gone-owner")
    assert archive(admin, headers).status_code == 404  # signed in: the customer is unknown

    firebase_auth.delete_user("gone-owner", app=firebase.app())

    for response in (archive(admin, headers), function_client("export").get("/", headers=headers)):
        assert response.status_code == 401
        assert response.mimetype == "application/json"
        assert response.get_json()["error"] == "unauthenticated"
