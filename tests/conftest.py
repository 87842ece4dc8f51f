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


@pytest.fixture(scope="session")
def firestore_emulator() -> Iterator[emulators.Firestore]:
    existing = os.environ.get("FIRESTORE_EMULATOR_HOST")
    if existing:
        host, _, port = existing.rpartition(":")
        emulator = emulators.Firestore(host=host, port=int(port))
        emulator.load_rules()
        yield emulator
        return
    emulator = emulators.Firestore(
        port=emulators.free_port(), log_path=ARTIFACTS / "logs" / "firestore.log"
    )
    emulator.start()
    os.environ["FIRESTORE_EMULATOR_HOST"] = emulator.address
    os.environ["GOOGLE_CLOUD_PROJECT"] = emulators.PROJECT
    try:
        yield emulator
    finally:
        emulator.stop()
        os.environ.pop("FIRESTORE_EMULATOR_HOST", None)


@pytest.fixture
def db(firestore_emulator: emulators.Firestore):
    """The server client on an emptied database (owner access: rules do not apply)."""
    from hearth.store import client as hearth_db

    firestore_emulator.clear()
    hearth_db.reset()
    return hearth_db.client()


@pytest.fixture(scope="session")
def function_client() -> Callable[[str], object]:
    """A Flask test client for one function of main.py, made the way the framework does."""
    import functions_framework

    cache: dict[str, object] = {}

    def make(target: str) -> object:
        if target not in cache:
            cache[target] = functions_framework.create_app(
                target=target, source=str(MAIN)
            ).test_client()
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


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright: never a browser download of its own."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def screenshot(request):
    """Save a page's screenshot as a test artefact, named after the test."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str = "") -> Path:
        path = folder / f"{request.node.name}{'-' + name if name else ''}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    return take


@pytest.fixture(scope="session")
def auth_emulator() -> Iterator[emulators.Auth]:
    """The Firebase Auth emulator (firebase-tools), started once: it takes ~15 s."""
    existing = os.environ.get("FIREBASE_AUTH_EMULATOR_HOST")
    if existing:
        host, _, port = existing.rpartition(":")
        yield emulators.Auth(host=host, port=int(port))
        return
    emulator = emulators.Auth(port=emulators.free_port(), log_path=ARTIFACTS / "logs" / "auth.log")
    emulator.start()
    os.environ["FIREBASE_AUTH_EMULATOR_HOST"] = emulator.address
    try:
        yield emulator
    finally:
        emulator.stop()
        os.environ.pop("FIREBASE_AUTH_EMULATOR_HOST", None)


@pytest.fixture
def users(auth_emulator: emulators.Auth, db):
    """Make real users with roles on an emptied Auth emulator and sign them in.

    `users.token("rep", uid="rep-a")` returns an ID token the Auth emulator issued after a
    real password sign-in, for a user whose custom claims carry the role (and segments).
    """
    from tests.accounts import Accounts

    auth_emulator.clear()
    return Accounts(auth_emulator)


# --- The admin page (web/src/, built into web/dist/) --------------------------------


@pytest.fixture(scope="session")
def web_build() -> Path:
    """The admin page built once per session by its own command, `node web/build.mjs`.

    Never skipped: without node, the build script or a successful build, the tests that
    need the page fail and say why.
    """
    import shutil
    import subprocess

    node = shutil.which("node")
    script = ROOT / "web" / "build.mjs"
    if node is None:
        pytest.fail("node is missing: the admin page is built with `node web/build.mjs`.")
    if not script.is_file():
        pytest.fail("web/build.mjs is missing: the admin page cannot be built.")
    if not (ROOT / "node_modules" / "esbuild").is_dir():
        pytest.fail("node_modules is missing: run `npm ci` (make test does).")
    try:
        done = subprocess.run(
            [node, str(script)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=180,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("node web/build.mjs took over 180 s.")
    if done.returncode != 0:
        pytest.fail(
            f"node web/build.mjs failed (exit {done.returncode}):\n{done.stdout}{done.stderr}"
        )
    dist = ROOT / "web" / "dist"
    for name in ("index.html", "app.js"):
        if not (dist / name).is_file():
            pytest.fail(f"node web/build.mjs left no web/dist/{name}:\n{done.stdout}{done.stderr}")
    return dist


@pytest.fixture(scope="session")
def admin_stack(request, firestore_emulator, auth_emulator, web_build):
    """The running stack the admin page needs: its functions verify tokens with the
    session's Auth emulator and its /config.json names both emulators.

    That is `live_stack` when it started after the Auth emulator (or is started now);
    when an earlier test started it without one, a second stack is started for the page.
    """
    live = request.getfixturevalue("live_stack")
    if live.auth == auth_emulator.address:
        yield live
        return
    from tests.stacks import serve

    with serve(firestore_emulator, auth_emulator) as stack:
        yield stack


@pytest.fixture
def plain_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hearth's defaults, whatever the developer's shell exports: each test then states
    the settings it depends on."""
    for name in (
        "HEARTH_ALLOWED_ORIGINS",
        "HEARTH_MIN_FILL_MS",
        "HEARTH_PHONE_REGION",
        "HEARTH_CURRENCY",
        "HEARTH_STORE_TIMEOUT_S",
    ):
        monkeypatch.delenv(name, raising=False)
