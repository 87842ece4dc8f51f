"""The one harness of the browser tests: Chromium, the admin page's build and stack, a
world of accounts and data on the emulators, and a signed-in page.

Every test here drives Debian's Chromium through Playwright against the real stack and
the real emulators. What the test modules share lives here once: the fixtures, the
`World` they seed, the signed-in `Session`, and the page helpers (`go`, `wait_for`,
`like_a_person`...). It is also the only place the browser tests import the product
(`hearth`), so that a move of a product module is mended in one file.

Waits are on events, never on time: Playwright's `expect` (which retries until its
timeout), or `wait_for`, a polling helper with a deadline.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from google.cloud.firestore_v1.base_query import FieldFilter
from playwright.sync_api import Browser, Page, expect

from devstack import emulators
from tests.accounts import PASSWORD, Accounts
from tests.stacks import MIN_FILL_MS, Stack

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"

MALTA = ZoneInfo("Europe/Malta")
XSS = "<img src=x onerror=alert(1)>"
LIVE_MS = 10_000  # a listener's update, or a function's answer, seen in the page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# --- Chromium and the admin page ------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
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
def screenshot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """Save a page's screenshot as a test artefact, named after the test."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str = "") -> Path:
        path = folder / f"{request.node.name}{'-' + name if name else ''}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    return take


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
def admin_stack(
    request: pytest.FixtureRequest,
    firestore_emulator: emulators.Firestore,
    auth_emulator: emulators.Auth,
    web_build: Path,
) -> Iterator[Stack]:
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


# The staff of the test studio, by role: their pages are signed in as these addresses.
OWNER = "owner@studio.test"
OWNER_2 = "owner.two@studio.test"
REP = "rep@studio.test"
REP_A = "rep.a@studio.test"
REP_B = "rep.b@studio.test"
PARTNER = "partner@studio.test"
MANAGER = "manager@studio.test"


@pytest.fixture(scope="module")
def patient_expect() -> Iterator[None]:
    """A longer wait for every `expect` of a module whose page listens to Firestore."""
    expect.set_options(timeout=8_000)
    yield
    expect.set_options(timeout=5_000)


# --- the world: accounts and data on the emulators ------------------------------------


@dataclass
class World:
    """The stack, the accounts and the server client a module's tests share."""

    stack: Stack
    accounts: Accounts
    client: Any
    uids: dict[str, str] = field(default_factory=dict)

    @property
    def web(self) -> str:
        return self.stack.web

    @property
    def functions(self) -> str:
        return self.stack.functions

    def token(self, email: str) -> str:
        return self.accounts.sign_in(email)

    def headers(self, email: str) -> dict[str, str]:
        """What a signed-in page sends to the functions, for a call made beside it."""
        return {"Authorization": f"Bearer {self.token(email)}"}

    def add_staff(self, role: str, uid: str, email: str, segments: list[str] | None = None) -> None:
        """An account that signs in, and its entry in the team directory."""
        self.uids[email] = self.accounts.create(role, uid=uid, email=email, segments=segments)
        self.add_team_member(uid, email, role, segments)

    def add_team_member(
        self, uid: str, email: str, role: str, segments: list[str] | None = None
    ) -> None:
        self.client.collection("team").document(uid).set(
            {
                "email": email,
                "displayName": uid,
                "role": role,
                "segments": segments or [],
                "disabled": False,
            }
        )

    def add_customer(
        self,
        email: str,
        name: str,
        *,
        at: datetime | None = None,
        answers: dict[str, str] | None = None,
        **staff_set: object,
    ) -> None:
        """A customer made as a contact form makes one (the production intake), then
        what staff set by hand (stage, owner, segment, archived) written over it."""
        from hearth import config, intake

        body = {"form": "contact", "email": email, "name": name, **(answers or {})}
        submission = intake.parse(body, False)
        seed = f"seed-{uuid.uuid4().hex[:12]}"
        if at is None:
            intake.store(self.client, submission, seed, config.load())
        else:
            intake.store(self.client, submission, seed, config.load(), at=at)
        if staff_set:
            self.client.collection("customers").document(email).update(staff_set)

    def customer(self, key: str) -> dict:
        snapshot = self.client.collection("customers").document(key).get()
        return snapshot.to_dict() if snapshot.exists else {}

    def unarchived_customers(self) -> int:
        customers = self.client.collection("customers")
        return sum(1 for _ in customers.where(filter=FieldFilter("archived", "==", False)).stream())

    def booking(self, booking_id: str) -> dict:
        return self.client.collection("bookings").document(booking_id).get().to_dict()

    def store_bookings(self, documents: dict[str, dict]) -> None:
        """Calls written straight into the store, as the functions hold them: the
        bookings and the busy days free times read (a call stored without its busy day
        would be offered to visitors)."""
        from hearth.store import bookings

        bookings.put(self.client, documents, 30)

    def bookings_of(self, key: str) -> list[dict]:
        query = self.client.collection("bookings").where(
            filter=FieldFilter("customerKey", "==", key)
        )
        return [{"id": doc.id, **doc.to_dict()} for doc in query.stream()]

    def add_task(
        self,
        task_id: str,
        *,
        customer: str,
        name: str,
        owner_uid: str,
        title: str,
        due: datetime,
    ) -> None:
        """A follow-up made as an automation makes one (store.tasks, with its timeline
        entry), due when the test says."""
        from hearth.store import tasks

        task = tasks.new_task(
            customer=customer, customer_name=name, owner_uid=owner_uid, title=title, due=due
        )
        tasks.create(self.client, task_id, task, None, timeout=30)

    def task(self, task_id: str) -> dict:
        snapshot = self.client.collection("tasks").document(task_id).get()
        return snapshot.to_dict() if snapshot.exists else {}

    def tasks_of(self, key: str) -> list[dict]:
        query = self.client.collection("tasks").where(filter=FieldFilter("customer", "==", key))
        return [{"id": doc.id, **doc.to_dict()} for doc in query.stream()]

    def sweep(self) -> dict:
        """The scheduled sweep, called as the scheduler calls it."""
        answer = requests.post(f"{self.functions}/sweep", timeout=30)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def settings(self) -> dict | None:
        snapshot = self.client.collection("settings").document("booking").get()
        return snapshot.to_dict() if snapshot.exists else None

    def availability(self, type_: str, first: date, last: date, source: str | None = None) -> dict:
        """What the public /availability function offers a visitor."""
        params = {"type": type_, "from": first.isoformat(), "to": last.isoformat()}
        if source:
            params["source"] = source
        answer = requests.get(f"{self.functions}/availability", params=params, timeout=30)
        assert answer.status_code == 200, answer.text
        return answer.json()


def fresh_world(
    stack: Stack, firestore_emulator: emulators.Firestore, auth_emulator: emulators.Auth
) -> World:
    """Empty Firestore and Auth emulators and an empty fake Google Calendar, with the
    server's clients made again for them."""
    from hearth.access import firebase
    from hearth.store import client as hearth_db

    firestore_emulator.clear()
    auth_emulator.clear()
    hearth_db.reset()
    firebase.reset()
    stack.calendar.reset()
    if stack.whatsapp is not None:
        stack.whatsapp.reset()
    if stack.smtp is not None:
        stack.smtp.reset()
    return World(stack, Accounts(auth_emulator), hearth_db.client())


def booking_document(
    *,
    key: str,
    name: str,
    owner_uid: str | None,
    start: datetime,
    minutes: int = 30,
    type_: str = "intro",
    label: str = "Intro call",
    status: str = "confirmed",
    video: str | None = None,
    calendar_state: str = "off",
    calendar_error: str | None = None,
    attempts: int = 0,
    submission_id: str | None = None,
) -> dict:
    """bookings/{id} as the booking functions write it (README, "Data model"), for the
    page to read: tests write it straight into Firestore."""
    at = datetime.now(UTC)
    start = start.astimezone(UTC)
    document = {
        "customerKey": key,
        "customerEmail": key,
        "customerName": name,
        "ownerUid": owner_uid,
        "start": start,
        "end": start + timedelta(minutes=minutes),
        "tz": "Europe/Malta",
        "hoursTimeZone": "Europe/Malta",
        "type": type_,
        "typeLabel": label,
        "minutes": minutes,
        "status": status,
        "videoLink": video,
        "calendarEventId": None,
        "calendar": {
            "state": calendar_state,
            "attempts": attempts,
            "lastError": calendar_error,
            "requestId": uuid.uuid4().hex,
        },
        "source": "booking",
        "notes": None,
        "submissionId": submission_id or uuid.uuid4().hex,
        "sequence": 1 if status == "cancelled" else 0,
        "lockIds": [],
        "actor": {"kind": "public_form"},
        "createdAt": at,
        "updatedAt": at,
    }
    if status == "cancelled":
        document["cancelledAt"] = at
    return document


# --- a signed-in page -----------------------------------------------------------------


@dataclass
class Session:
    """One browser page, with what it logged, the dialogs it opened, every address it
    asked for, and the scripts it had loaded once signed in."""

    page: Page
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)
    first_scripts: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Refused reads, a missing index, or a script error: what the rules or the page
        got wrong even when nothing on the screen says so."""
        words = ("permission", "insufficient", "failed-precondition", "requires an index")
        return [
            line
            for line in self.console
            if line.startswith("pageerror:") or any(word in line.lower() for word in words)
        ]

    def close(self) -> None:
        self.page.context.close()


def open_page(
    browser: Browser, web: str, width: int = 1280, height: int = 900, **context: Any
) -> Session:
    """The admin page in a fresh browser context (its own storage), signed out."""
    page = browser.new_context(viewport={"width": width, "height": height}, **context).new_page()
    session = Session(page)

    def on_dialog(dialog: Any) -> None:
        session.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.accept()

    page.on("dialog", on_dialog)
    page.on(
        "console",
        lambda message: (
            session.console.append(f"{message.type}: {message.text}")
            if message.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda error: session.console.append(f"pageerror: {error}"))
    page.on("request", lambda request: session.requested.append(request.url))
    page.goto(f"{web}/")
    return session


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Fill in and send the page's sign-in form, as a person does."""
    form = page.locator("form[data-testid=signin]")
    expect(form).to_be_visible(timeout=20_000)
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()


def signed_in(
    browser: Browser,
    world: World,
    email: str,
    *,
    watch: Callable[[Page], None] | None = None,
    **context: Any,
) -> Session:
    """A page signed in through its form; `first_scripts` are what it loaded by then.
    ``watch`` sees the page before it signs in (to record what signing in asks for)."""
    session = open_page(browser, world.web, **context)
    if watch is not None:
        watch(session.page)
    sign_in(session.page, email)
    expect(session.page.locator("[data-testid=user-menu]")).to_contain_text(email, timeout=15_000)
    session.first_scripts = scripts(session.page)
    return session


def on_the_customers_list(session: Session) -> Session:
    """Open the customers (the owner lands on the dashboard) and wait for them; what was
    loaded to show them is then `first_scripts`."""
    go(session.page, "#/customers")
    expect(session.page.locator("[data-testid=customer-row]").first).to_be_visible(timeout=LIVE_MS)
    session.first_scripts = scripts(session.page)
    return session


@pytest.fixture(scope="module")
def sessions(browser: Browser) -> Iterator[Callable[..., Session]]:
    """Signs people in for a whole module (signing in costs a few seconds) and closes
    their pages when the module is done."""
    opened: list[Session] = []

    def open_signed_in(world: World, email: str, **context: Any) -> Session:
        session = signed_in(browser, world, email, **context)
        opened.append(session)
        return session

    yield open_signed_in
    for session in opened:
        session.close()


# A browser in New York (another zone than the business's), in US English.
IN_NEW_YORK = {"timezone_id": "America/New_York", "locale": "en-US"}


@pytest.fixture(scope="module")
def owner(sessions, world) -> Session:
    """The owner signed in, on the module's ``world`` (a module may sign in otherwise)."""
    return sessions(world, OWNER)


@pytest.fixture(scope="module")
def rep(sessions, world) -> Session:
    """Rep A signed in, on the module's ``world``."""
    return sessions(world, REP_A)


# --- page helpers ---------------------------------------------------------------------


def go(page: Page, hash_: str) -> None:
    """Move to a screen the way a link does (no reload)."""
    page.evaluate("hash => { location.hash = hash; }", hash_)


def scripts(page: Page) -> list[str]:
    """The scripts the page has loaded so far."""
    return page.evaluate(
        "performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.js'))"
    )


def no_error_shown(session: Session) -> None:
    expect(session.page.locator("[data-testid=error]")).to_have_count(0)
    assert not session.problems(), session.problems()


def fits(page: Page) -> None:
    """Nothing scrolls sideways."""
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page is {width[0]} px wide in {width[1]} px"


def eventually(condition: Callable[[], object], timeout: float = LIVE_MS / 1000) -> bool:
    """Poll until the condition holds or the deadline passes; whether it held."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return bool(condition())
        time.sleep(0.1)
    return True


def wait_for(
    condition: Callable[[], object], timeout: float = LIVE_MS / 1000, what: str = ""
) -> None:
    """Poll until the condition holds, failing at the deadline (for what the page does
    not show, such as the store)."""
    assert eventually(condition, timeout), f"not within {timeout:g} s: {what or condition}"


def an_image_error_has_fired(page: Page) -> None:
    """Wait until an image whose source is "x" has failed to load in this page and run
    its onerror: from then on, an `<img src=x onerror=...>` the page had made out of a
    name would have run its handler too. What follows may check that nothing ran."""
    fired = page.evaluate(
        """() => new Promise((resolve) => {
             const probe = new Image();
             probe.onerror = () => resolve(true);
             probe.onload = () => resolve(false);
             probe.src = "x?" + Math.random();
           })"""
    )
    assert fired, "the probe image loaded: an onerror handler would not have run"


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def accessible(page: Page, context: str) -> None:
    """The brief asks every screen to pass axe-core's WCAG 2.2 AA rules: run them on
    what the page shows now and fail with each violation and where it is."""
    if not AXE.is_file():
        pytest.fail("node_modules/axe-core is missing: run `npm ci` (make test does).")
    if not page.evaluate("typeof window.axe === 'object'"):
        # Not add_script_tag: the admin page's Content-Security-Policy refuses inline
        # scripts, and rightly; what the test itself evaluates is not subject to it.
        page.evaluate("() => {\n" + AXE.read_text(encoding="utf-8") + "\n}")
    violations = page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}})
             .then((result) => result.violations.map((v) => ({
               id: v.id, impact: v.impact, help: v.help,
               targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
               count: v.nodes.length,
               why: v.nodes[0].any.concat(v.nodes[0].all).map((c) => c.message).join(" "),
             })))""",
        WCAG_22_AA,
    )
    if violations:
        lines = [
            f"- {v['id']} ({v['impact']}): {v['help']} [{v['count']} node(s)] "
            + "; ".join(v["targets"])
            + (f" ({v['why']})" if v["why"] else "")
            for v in violations
        ]
        pytest.fail(f"axe-core (WCAG 2.2 AA) on {context}:\n" + "\n".join(lines))


def analytics_today(client: Any) -> dict:
    """Today's analytics roll-up as a report sums it: every document of the business
    day, whatever its shard."""
    from hearth.rules import traffic

    day = datetime.now(MALTA).date().isoformat()
    query = client.collection("analytics_days").where(filter=FieldFilter("day", "==", day))
    return traffic.fold(snapshot.to_dict() for snapshot in query.stream())


def like_a_person(page: Page) -> None:
    """Forms sent faster than a person can type are dropped as bots: wait until the page
    (its forms are made before DOMContentLoaded) has been shown as long as a person needs."""
    page.wait_for_function(
        "performance.now() - performance.getEntriesByType('navigation')[0]"
        f".domContentLoadedEventStart > {MIN_FILL_MS + 100}"
    )
