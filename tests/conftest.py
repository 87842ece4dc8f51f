"""Fixtures on the real emulators, in the manner of python-firestore's system tests.

The Firestore emulator is started once per session (unless FIRESTORE_EMULATOR_HOST
points at one already running) on a free port, so tests never collide with a running
`make dev`; every test that touches the store starts from an empty database.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devstack import emulators

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
MAIN = ROOT / "functions" / "main.py"


def session_emulator(kind: type, variable: str, name: str) -> Iterator:
    """One emulator for the whole session: the one ``variable`` points at (a running
    `make dev`, with this tree's rules loaded), else a new one on a free port whose
    address the server clients then find in ``variable``."""
    existing = os.environ.get(variable)
    if existing:
        host, _, port = existing.rpartition(":")
        emulator = kind(host=host, port=int(port))
        if hasattr(emulator, "load_rules"):
            emulator.load_rules()
        yield emulator
        return
    emulator = kind(port=emulators.free_port(), log_path=ARTIFACTS / "logs" / f"{name}.log")
    emulator.start()
    os.environ[variable] = emulator.address
    os.environ["GOOGLE_CLOUD_PROJECT"] = emulators.PROJECT  # demo-: never a real project
    try:
        yield emulator
    finally:
        emulator.stop()
        os.environ.pop(variable, None)


@pytest.fixture(scope="session")
def firestore_emulator() -> Iterator[emulators.Firestore]:
    yield from session_emulator(emulators.Firestore, "FIRESTORE_EMULATOR_HOST", "firestore")


@pytest.fixture
def default_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test states the settings it depends on; a developer's shell must not leak in."""
    for name in (
        "HEARTH_ALLOWED_ORIGINS",
        "HEARTH_MIN_FILL_MS",
        "HEARTH_PHONE_REGION",
        "HEARTH_CURRENCY",
        "HEARTH_STORE_TIMEOUT_S",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def db(firestore_emulator: emulators.Firestore):
    """The server client on an emptied database (owner access: rules do not apply)."""
    from hearth.store import client as hearth_db

    firestore_emulator.clear()
    hearth_db.reset()
    return hearth_db.client()


@pytest.fixture(scope="session")
def function_client() -> Callable[[str], object]:
    """A Flask test client for one function of main.py, made the way the framework does,
    that finishes each request as a server would (tests/clients.py: the work after an
    answer runs before the call returns)."""
    import functions_framework

    from tests.clients import finished

    cache: dict[str, object] = {}

    def make(target: str) -> object:
        if target not in cache:
            cache[target] = finished(
                functions_framework.create_app(target=target, source=str(MAIN))
            )
        return cache[target]

    return make


@pytest.fixture
def intake(db, function_client):
    """POST /intake in-process; the store is real and empty."""
    return function_client("intake")


@pytest.fixture(scope="session")
def live_stack(firestore_emulator: emulators.Firestore):
    """The functions and web servers as one running stack, shared by the session."""
    from tests.stacks import serve

    with serve(firestore_emulator) as stack:
        yield stack


@pytest.fixture(scope="session")
def auth_emulator() -> Iterator[emulators.Auth]:
    """The Firebase Auth emulator (firebase-tools), started once: it takes ~15 s."""
    yield from session_emulator(emulators.Auth, "FIREBASE_AUTH_EMULATOR_HOST", "auth")


@pytest.fixture
def users(auth_emulator: emulators.Auth, db):
    """Make real users with roles on an emptied Auth emulator and sign them in.

    `users.token("rep", uid="rep-a")` returns an ID token the Auth emulator issued after a
    real password sign-in, for a user whose custom claims carry the role (and segments).
    """
    from tests.accounts import Accounts

    auth_emulator.clear()
    return Accounts(auth_emulator)
