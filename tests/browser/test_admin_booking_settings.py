"""The owner's booking settings, booking links and calendar sync problems, in a real browser.

Like test_admin_calendar.py: the page is built by its own command, served by the running
stack and signed in to through its form with real accounts on the Auth emulator. The
settings are read from Firestore under firestore.rules and saved through the real admin
function; what visitors are then offered is asked of the real /availability function.
Bookings whose Google Calendar copy failed are written straight into Firestore in the
shape the booking functions write, and "Try again" goes through the real /booking
function to the stack's fake Google Calendar.

One signed-in owner page is shared by the module; screenshots go to
test-artifacts/screenshots/.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

import pytest
import requests
from playwright.sync_api import Locator, Page, Route, expect

from tests.browser.conftest import (
    IN_NEW_YORK,
    LIVE_MS,
    MALTA,
    MANAGER,
    OWNER,
    REP,
    XSS,
    Session,
    World,
    accessible,
    fits,
    fresh_world,
    go,
    no_error_shown,
    on_the_customers_list,
    scripts,
    signed_in,
)
from tests.browser.conftest import booking_document as stored_booking

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("patient_expect")]

CUSTOMER = "fails@example.com"
CUSTOMER_NAME = f"Fiona {XSS} Falzon"
REFUSED = f'403 Forbidden: {XSS} "calendar not shared with the service account"'


def next_weekday(weekday: int) -> date:
    """The next Monday (0) … Sunday (6) in Malta at least two days away: clear of any
    minimum notice, whatever the time of day the tests run."""
    day = datetime.now(MALTA).date() + timedelta(days=2)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def malta(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=MALTA)


def booking_document(start: datetime, state: str, error: str | None) -> dict:
    """bookings/{id} as the booking functions write it (README, "Data model")."""
    return stored_booking(
        key=CUSTOMER,
        name=CUSTOMER_NAME,
        owner_uid="rep-1",
        start=start,
        calendar_state=state,
        calendar_error=error,
        attempts=20 if state == "failed" else 1,
    )


# --- data, accounts and the owner's page, made once for the module ----------------------


def free_times(world: World, day: date, type_: str, source: str | None = None) -> dict:
    return world.availability(type_, day, day, source)


@pytest.fixture(scope="module")
def world(admin_stack, firestore_emulator, auth_emulator) -> World:
    world = fresh_world(admin_stack, firestore_emulator, auth_emulator)
    for role, uid, email in (
        ("owner", "owner-1", OWNER),
        ("rep", "rep-1", REP),
        ("manager", "manager-1", MANAGER),
    ):
        world.add_staff(role, uid, email)
    world.add_customer(CUSTOMER, CUSTOMER_NAME, ownerUid="rep-1")
    return world


# A browser in New York that lets the page copy links.
COPYING_IN_NEW_YORK = {**IN_NEW_YORK, "permissions": ["clipboard-read", "clipboard-write"]}


@pytest.fixture(scope="module")
def owner(sessions, world) -> Session:
    return on_the_customers_list(sessions(world, OWNER, **COPYING_IN_NEW_YORK))


# --- page helpers ------------------------------------------------------------------------


def settings_screen(page: Page) -> Locator:
    """The settings screen, its document read."""
    go(page, "#/settings/booking")
    screen = page.locator("[data-testid=booking-settings]")
    expect(screen.locator("[data-testid=settings-form]")).to_be_visible(timeout=LIVE_MS)
    return screen


def day(screen: Locator, name: str) -> Locator:
    return screen.locator(f'[data-testid=day][data-day="{name}"]')


def ranges_of(screen: Locator, name: str) -> list[str]:
    return (
        day(screen, name)
        .locator("[data-testid=hours-range]")
        .evaluate_all("els => els.map(e => e.value)")
    )


def field_error(screen: Locator, path: str) -> Locator:
    return screen.locator(f'[data-testid=field-error][data-field="{path}"]')


def status(screen: Locator) -> Locator:
    return screen.locator("[data-testid=settings-status]")


def saves(page: Page) -> list[str]:
    """Records every PUT of the settings the page sends from now on."""
    sent: list[str] = []
    page.on(
        "request",
        lambda request: (
            sent.append(request.post_data or "")
            if request.method == "PUT" and request.url.endswith("/admin/settings/booking")
            else None
        ),
    )
    return sent


@contextmanager
def answered_instead(
    page: Page, pattern: str, method: str, web: str, status_code: int, body: dict, **headers: str
) -> Iterator[None]:
    """While inside, the page's `method` requests to `pattern` get a canned JSON answer it
    can read across origins (as the functions' CORS allows); other requests go through."""

    def answer(route: Route) -> None:
        if route.request.method != method:
            route.continue_()
            return
        route.fulfill(
            status=status_code,
            headers={
                "Content-Type": "application/json",
                "Access-Control-Allow-Origin": web,
                "Access-Control-Expose-Headers": "Retry-After",
                **headers,
            },
            body=json.dumps(body),
        )

    page.route(pattern, answer)
    try:
        yield
    finally:
        page.unroute(pattern)


# --- the settings screen ----------------------------------------------------------------


def test_the_settings_screen_is_its_own_chunk_and_shows_the_defaults(owner, world, screenshot):
    page = owner.page
    assert not [name for name in owner.first_scripts if "/chunks/booking-settings-" in name]
    index = requests.get(f"{world.web}/", timeout=10).text
    assert "booking-settings-" not in index  # not preloaded either

    # From the calendar, and from the top bar.
    go(page, "#/calendar/week")
    expect(page.locator("[data-testid=calendar]")).to_be_visible(timeout=LIVE_MS)
    page.locator("[data-testid=cal-settings]").click()
    expect(page).to_have_url(re.compile(r"#/settings/booking$"))
    go(page, "#/customers")
    expect(page.locator("[data-testid=customer-row]").first).to_be_visible()
    page.locator("[data-testid=settings-link]").click()
    expect(page).to_have_url(re.compile(r"#/settings/booking$"))
    screen = page.locator("[data-testid=booking-settings]")
    expect(screen.locator("[data-testid=settings-form]")).to_be_visible(timeout=LIVE_MS)
    assert [name for name in scripts(page) if "/chunks/booking-settings-" in name]
    expect(page.locator("[data-testid=settings-link]")).to_have_class(re.compile(r"\bactive\b"))

    # Nothing stored yet: the defaults of the README.
    assert world.settings() is None
    assert ranges_of(screen, "mon") == ["09:00-17:00"]
    assert ranges_of(screen, "tue") == ["09:00-17:00"]
    expect(day(screen, "sat").locator("[data-testid=day-closed]")).to_have_text("Closed")
    expect(day(screen, "sun").locator("[data-testid=day-closed]")).to_have_text("Closed")
    rows = screen.locator("[data-testid=type-row]")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("[data-testid=type-label]")).to_have_value("Intro call")
    expect(rows.nth(0).locator("[data-testid=type-minutes]")).to_have_value("30")
    expect(rows.nth(0).locator("[data-testid=type-default]")).to_be_checked()
    expect(rows.nth(1).locator("[data-testid=type-id-fixed]")).to_have_text("project")
    expect(rows.nth(1).locator("[data-testid=type-minutes]")).to_have_value("60")
    for name, value in (
        ("stepMinutes", "30"),
        ("bufferMinutes", "15"),
        ("minNoticeMinutes", "240"),
        ("horizonDays", "60"),
        ("timeZone", ""),
        ("fallbackVideoLink", ""),
    ):
        expect(screen.locator(f"[data-testid=settings-{name}]")).to_have_value(value)
    expect(status(screen)).to_contain_text("Not saved yet")
    expect(screen.locator("[data-testid=links-empty]")).to_be_visible()
    no_error_shown(owner)
    screenshot(page, "defaults")
    accessible(page, "the booking settings with their defaults")


def test_new_tuesday_hours_and_a_new_kind_of_call_are_what_visitors_are_offered(
    owner, world, screenshot
):
    page = owner.page
    screen = settings_screen(page)
    tuesday = day(screen, "tue")
    tuesday.locator("[data-testid=hours-range]").first.fill("10:00-11:00")
    tuesday.locator("[data-testid=hours-add]").click()
    second = tuesday.locator("[data-testid=hours-range]").nth(1)
    expect(second).to_be_focused()
    second.fill("14:00 – 15:30")  # spaces and an en dash, as people type them
    expect(status(screen)).to_have_attribute("data-state", "dirty")

    screen.locator("[data-testid=type-add]").click()
    row = screen.locator("[data-testid=type-row]").last
    row.locator("[data-testid=type-label]").fill("Consultation")
    expect(row.locator("[data-testid=type-id]")).to_have_value("consultation")
    row.locator("[data-testid=type-minutes]").fill("45")
    screenshot(page, "edited")
    screen.locator("[data-testid=settings-save]").click()
    expect(status(screen)).to_have_attribute("data-state", "saved", timeout=LIVE_MS)
    assert ranges_of(screen, "tue") == ["10:00-11:00", "14:00-15:30"]
    screenshot(page, "saved")

    stored = world.settings()
    assert stored is not None
    assert stored["hours"]["tue"] == ["10:00-11:00", "14:00-15:30"]
    assert stored["hours"]["mon"] == ["09:00-17:00"] and stored["hours"]["sat"] == []
    assert stored["types"]["consultation"] == {"label": "Consultation", "minutes": 45}
    assert stored["types"]["intro"] == {"label": "Intro call", "minutes": 30}
    assert stored["defaultType"] == "intro" and stored["timeZone"] is None
    assert stored["updatedBy"]["uid"] == "owner-1"

    # What a visitor is offered now: exactly these times, on the hours' wall clock.
    when = next_weekday(1)
    answer = free_times(world, when, "consultation")
    assert answer["type"] == {"id": "consultation", "label": "Consultation", "minutes": 45}
    assert "consultation" in [t["id"] for t in answer["types"]]
    starts = [slot["start"] for d in answer["days"] for slot in d["slots"]]
    assert starts == [
        malta(when, h, m).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        for h, m in ((10, 0), (14, 0), (14, 30))
    ]
    intro = free_times(world, when, "intro")
    assert [slot["time"] for d in intro["days"] for slot in d["slots"]] == [
        "10:00",
        "10:30",
        "14:00",
        "14:30",
        "15:00",
    ]
    wednesday = free_times(world, next_weekday(2), "intro")
    assert [s["time"] for d in wednesday["days"] for s in d["slots"]][:2] == ["09:00", "09:30"]

    # Read back from Firestore after a reload.
    page.reload()
    screen = page.locator("[data-testid=booking-settings]")
    expect(screen.locator("[data-testid=settings-form]")).to_be_visible(timeout=15_000)
    assert ranges_of(screen, "tue") == ["10:00-11:00", "14:00-15:30"]
    expect(screen.locator("[data-testid=type-row]")).to_have_count(3)
    expect(status(screen)).to_contain_text("Last saved")
    expect(status(screen)).to_contain_text(OWNER)
    no_error_shown(owner)


def test_a_bad_range_is_refused_beside_its_field_and_nothing_is_saved(owner, world, screenshot):
    page = owner.page
    screen = settings_screen(page)
    before = world.settings()
    sent = saves(page)

    # Checked by the page: the request is never sent.
    first = day(screen, "tue").locator("[data-testid=hours-range]").first
    first.fill("17:00-09:00")
    screen.locator("[data-testid=settings-save]").click()
    error = field_error(screen, "hours.tue.0")
    expect(error).to_contain_text("ends before it starts")
    expect(first).to_have_attribute("aria-invalid", "true")
    expect(first).to_be_focused()
    expect(status(screen)).to_have_attribute("data-state", "error")
    expect(screen.locator("[data-testid=settings-error]")).to_contain_text("Nothing was saved")
    # The error sits beside its own input, not somewhere else on the page.
    box, field_box = error.bounding_box(), first.bounding_box()
    assert 0 <= box["y"] - (field_box["y"] + field_box["height"]) < 30, (box, field_box)
    assert abs(box["x"] - field_box["x"]) < 30, (box, field_box)
    screenshot(page, "bad-range")
    accessible(page, "the booking settings with a range refused beside its field")
    first.fill("10:00-1100")
    expect(field_error(screen, "hours.tue.0")).to_have_count(0)  # cleared as it is edited
    screen.locator("[data-testid=settings-save]").click()
    expect(field_error(screen, "hours.tue.0")).to_contain_text("is not a range")
    assert sent == []
    assert world.settings() == before

    # Judged by the server: its 400 names the fields, each shown beside its input.
    first.fill("10:00-11:00")
    screen.locator("[data-testid=settings-bufferMinutes]").fill("7")
    intro = screen.locator('[data-testid=type-row][data-id="intro"]')
    intro.locator("[data-testid=type-minutes]").fill("47")
    screen.locator("[data-testid=settings-save]").click()
    expect(field_error(screen, "bufferMinutes")).to_have_text(
        "Use a multiple of 5.", timeout=LIVE_MS
    )
    expect(field_error(screen, "types.intro.minutes")).to_contain_text("multiple of 5")
    expect(screen.locator("[data-testid=settings-bufferMinutes]")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(screen.locator("[data-testid=settings-other-errors]")).to_have_count(0)
    assert len(sent) == 1
    assert world.settings() == before
    # Nothing typed is lost.
    expect(screen.locator("[data-testid=settings-bufferMinutes]")).to_have_value("7")
    expect(intro.locator("[data-testid=type-minutes]")).to_have_value("47")
    screenshot(page, "server-refused")

    # The store is down: say so, keep everything, and saving again works.
    screen.locator("[data-testid=settings-bufferMinutes]").fill("10")
    intro.locator("[data-testid=type-minutes]").fill("30")

    store_down = {"error": "store_unavailable", "message": "The store is unavailable."}
    with answered_instead(
        page, "**/admin/settings/booking", "PUT", world.web, 503, store_down, **{"Retry-After": "5"}
    ):
        screen.locator("[data-testid=settings-save]").click()
        expect(screen.locator("[data-testid=settings-error]")).to_contain_text(
            "try again in 5 s", timeout=LIVE_MS
        )
    expect(screen.locator("[data-testid=settings-bufferMinutes]")).to_have_value("10")
    assert world.settings() == before
    screen.locator("[data-testid=settings-save]").click()
    expect(status(screen)).to_have_attribute("data-state", "saved", timeout=LIVE_MS)
    expect(screen.locator("[data-testid=settings-error]")).to_have_count(0)
    stored = world.settings()
    assert stored["bufferMinutes"] == 10 and stored["hours"]["tue"][0] == "10:00-11:00"
    no_error_shown(owner)


def test_a_rep_and_a_manager_cannot_reach_the_booking_settings(browser, world):
    for email, home in ((REP, "#/customers"), (MANAGER, "#/dashboard")):
        session = signed_in(browser, world, email, **COPYING_IN_NEW_YORK)
        page = session.page
        try:
            expect(page).to_have_url(re.compile(f"{re.escape(home)}$"), timeout=LIVE_MS)
            expect(page.locator("[data-testid=settings-link]")).to_have_count(0)
            go(page, "#/settings/booking")
            expect(page).to_have_url(re.compile(f"{re.escape(home)}$"))
            expect(page.locator("[data-testid=booking-settings]")).to_have_count(0)
            if email == REP:
                go(page, "#/calendar/week")
                expect(page.locator("[data-testid=calendar]")).to_be_visible(timeout=LIVE_MS)
                expect(page.locator("[data-testid=cal-settings]")).to_have_count(0)
            # The page answered the settings address by going home (above): a chunk it
            # meant to load for it would have been asked for by then.
            assert not [url for url in session.requested if "/chunks/booking-settings-" in url]
            assert not [name for name in scripts(page) if "/chunks/booking-settings-" in name]
            assert not session.problems(), session.problems()
        finally:
            page.context.close()


# --- booking links ------------------------------------------------------------------------


def test_a_booking_link_is_created_shared_and_deleted(owner, world, screenshot):
    page = owner.page
    screen = settings_screen(page)
    links = screen.locator("[data-testid=booking-links]")
    form = links.locator("[data-testid=link-form]")
    form.locator("[data-testid=link-label]").fill("Spring Show 2026")
    expect(form.locator("[data-testid=link-source]")).to_have_value("spring-show-2026")
    label = f"Spring Show 2026 {XSS}"
    form.locator("[data-testid=link-label]").fill(label)
    form.locator("[data-testid=link-source]").fill("spring-show-2026")

    # A zone the server does not know: refused beside the zone, nothing made.
    form.locator("[data-testid=link-timeZone]").fill("Atlantis/Nowhere")
    form.locator("[data-testid=link-save]").click()
    expect(field_error(form, "link.timeZone")).to_be_visible(timeout=LIVE_MS)
    assert not world.client.collection("bookingLinks").document("spring-show-2026").get().exists
    expect(form.locator("[data-testid=link-label]")).to_have_value(label)

    form.locator("[data-testid=link-timeZone]").fill("America/New_York")
    form.locator("[data-testid=link-save]").click()
    created = links.locator("[data-testid=link-created]")
    url = f"{world.web}/site/book.html?source=spring-show-2026"
    expect(created.locator("[data-testid=link-created-url]")).to_have_value(url, timeout=LIVE_MS)
    created.locator("[data-testid=link-copy]").click()
    expect(created.locator("[data-testid=link-copy]")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == url

    stored = world.client.collection("bookingLinks").document("spring-show-2026").get()
    assert stored.exists
    assert stored.to_dict()["label"] == label
    assert stored.to_dict()["timeZone"] == "America/New_York"

    # Listed from Firestore (the owner may read bookingLinks), as text.
    item = links.locator('[data-testid=link][data-source="spring-show-2026"]')
    expect(item.locator("[data-testid=link-label-text]")).to_have_text(label, timeout=LIVE_MS)
    expect(item.locator("[data-testid=link-zone]")).to_contain_text("America/New_York")
    expect(item.locator("[data-testid=link-url]")).to_have_value(url)
    expect(links.locator("img")).to_have_count(0)
    offered = free_times(world, next_weekday(2), "intro", source="spring-show-2026")
    assert offered["link"]["source"] == "spring-show-2026"
    screenshot(page, "link-created")
    accessible(page, "the booking settings with a link made and listed")

    # Changed: same source, new label; the list follows.
    item.locator("[data-testid=link-edit]").click()
    expect(form.locator("[data-testid=link-source]")).to_have_value("spring-show-2026")
    expect(form.locator("[data-testid=link-timeZone]")).to_have_value("America/New_York")
    form.locator("[data-testid=link-label]").fill("Spring Show 2026, Hall B")
    form.locator("[data-testid=link-save]").click()
    expect(created).to_contain_text("Link saved", timeout=LIVE_MS)
    expect(item.locator("[data-testid=link-label-text]")).to_have_text("Spring Show 2026, Hall B")
    expect(links.locator("[data-testid=link]")).to_have_count(1)
    stored = world.client.collection("bookingLinks").document("spring-show-2026").get()
    assert stored.to_dict()["label"] == "Spring Show 2026, Hall B"

    # Deleted, after asking once more.
    item.locator("[data-testid=link-delete]").click()
    item.locator("[data-testid=link-delete-yes]").click()
    expect(item).to_have_count(0, timeout=LIVE_MS)
    expect(links.locator("[data-testid=links-empty]")).to_be_visible()
    expect(links.locator("[data-testid=link-created]")).to_have_count(0)
    assert not world.client.collection("bookingLinks").document("spring-show-2026").get().exists
    assert owner.dialogs == []
    no_error_shown(owner)


# --- calendar sync problems ---------------------------------------------------------------


def test_a_call_google_refused_is_marked_and_try_again_puts_it_in_the_calendar(
    owner, world, screenshot
):
    page = owner.page
    thursday = next_weekday(3)
    calls = {
        "bk_refused-one": booking_document(malta(thursday, 11), "failed", REFUSED),
        "bk_waiting-one": booking_document(malta(thursday, 15), "pending", None),
        "bk_refused-two": booking_document(
            malta(thursday + timedelta(days=1), 10), "failed", "Google said no"
        ),
    }
    world.store_bookings(calls)

    go(page, f"#/customers/{quote(CUSTOMER, safe='')}")
    section = page.locator("[data-testid=bookings]")
    refused = section.locator('[data-testid=booking][data-id="bk_refused-one"]')
    waiting = section.locator('[data-testid=booking][data-id="bk_waiting-one"]')
    marker = refused.locator("[data-testid=booking-sync]")
    expect(marker).to_have_attribute("data-state", "failed", timeout=LIVE_MS)
    expect(marker).to_contain_text("Not in Google Calendar")
    expect(marker.locator("[data-testid=booking-sync-error]")).to_have_text(REFUSED)
    expect(section.locator("img")).to_have_count(0)
    waiting_marker = waiting.locator("[data-testid=booking-sync]")
    expect(waiting_marker).to_have_attribute("data-state", "pending")
    expect(waiting_marker).to_contain_text("Not in Google Calendar yet")
    expect(waiting.locator("[data-testid=booking-sync-retry]")).to_have_count(0)
    screenshot(page, "customer-marked")
    accessible(page, "a customer's call marked as refused by Google")

    # No calendar connected (answered as the function does then): said plainly.
    no_calendar = {"error": "no_calendar", "message": "No Google Calendar is connected."}
    with answered_instead(
        page, "**/booking/bk_refused-one/sync", "POST", world.web, 409, no_calendar
    ):
        refused.locator("[data-testid=booking-sync-retry]").click()
        expect(refused.locator("[data-testid=booking-sync-answer]")).to_contain_text(
            "No Google Calendar is connected", timeout=LIVE_MS
        )

    # Try again, for real: the fake Google Calendar takes it, and the page follows.
    refused.locator("[data-testid=booking-sync-retry]").click()
    expect(refused.locator("[data-testid=booking-sync]")).to_have_count(0, timeout=LIVE_MS)
    expect(refused.locator("[data-testid=booking-sync-answer]")).to_contain_text(
        "in Google Calendar now"
    )
    expect(refused.locator("[data-testid=booking-video]")).to_be_visible(timeout=LIVE_MS)
    stored = world.client.collection("bookings").document("bk_refused-one").get().to_dict()
    assert stored["calendar"]["state"] == "synced" and stored["calendar"]["lastError"] is None
    assert stored["calendarEventId"]
    events = [e for e in world.stack.calendar.events if e["id"] == stored["calendarEventId"]]
    assert len(events) == 1 and events[0]["status"] != "cancelled"
    screenshot(page, "customer-synced")

    # In the calendar: a mark on each call, and the list above the grid with Try again.
    go(page, f"#/calendar/week/{thursday.isoformat()}")
    calendar = page.locator("[data-testid=calendar]")
    expect(calendar).to_have_attribute("data-view", "week")
    listed = page.locator("[data-testid=cal-sync-list] [data-testid=cal-sync-item]")
    expect(listed).to_have_count(2, timeout=LIVE_MS)
    expect(listed.nth(0)).to_have_attribute("data-id", "bk_refused-two")  # refused first
    expect(listed.nth(0)).to_have_attribute("data-state", "failed")
    expect(listed.nth(0).locator("[data-testid=cal-sync-error]")).to_have_text("Google said no")
    expect(listed.nth(1)).to_have_attribute("data-id", "bk_waiting-one")
    expect(listed.nth(1).locator("[data-testid=cal-sync-retry]")).to_have_count(0)
    events_shown = page.locator("[data-testid=cal-event]")
    expect(
        events_shown.filter(has=page.locator('[data-testid=cal-sync][data-state="failed"]'))
    ).to_have_count(1)
    expect(
        page.locator('[data-testid=cal-event][data-id="bk_waiting-one"] [data-testid=cal-sync]')
    ).to_have_attribute("data-state", "pending")
    expect(
        page.locator('[data-testid=cal-event][data-id="bk_refused-one"] [data-testid=cal-sync]')
    ).to_have_count(0)
    expect(calendar.locator("img")).to_have_count(0)
    screenshot(page, "calendar-marked")
    accessible(page, "the calendar with its list of calls Google refused")

    listed.nth(0).locator("[data-testid=cal-sync-retry]").click()
    expect(listed).to_have_count(1, timeout=LIVE_MS)
    expect(page.locator('[data-testid=cal-sync-answer][data-id="bk_refused-two"]')).to_contain_text(
        "in Google Calendar now"
    )
    expect(
        page.locator('[data-testid=cal-event][data-id="bk_refused-two"] [data-testid=cal-sync]')
    ).to_have_count(0)
    stored = world.client.collection("bookings").document("bk_refused-two").get().to_dict()
    assert stored["calendar"]["state"] == "synced"
    assert owner.dialogs == []
    no_error_shown(owner)


# --- a phone -----------------------------------------------------------------------------


def test_at_360_pixels_the_settings_and_the_marks_fit(owner, world, screenshot):
    page = owner.page
    thursday = next_weekday(3)
    world.store_bookings(
        {"bk_phone-check": booking_document(malta(thursday, 12), "failed", REFUSED)}
    )
    page.set_viewport_size({"width": 360, "height": 740})
    try:
        screen = settings_screen(page)
        day(screen, "wed").locator("[data-testid=hours-add]").click()
        day(screen, "wed").locator("[data-testid=hours-range]").nth(1).fill("nonsense")
        screen.locator("[data-testid=settings-save]").click()
        expect(field_error(screen, "hours.wed.1")).to_be_visible()
        fits(page)
        screenshot(page, "settings")
        accessible(page, "the booking settings on a phone")
        screen.locator("[data-testid=types]").scroll_into_view_if_needed()
        fits(page)
        screenshot(page, "types")
        screen.locator("[data-testid=booking-links]").scroll_into_view_if_needed()
        fits(page)
        screenshot(page, "links")
        accessible(page, "the booking links on a phone")
        screen.locator("[data-testid=settings-revert]").click()
        assert ranges_of(screen, "wed") == ["09:00-17:00"]
        go(page, f"#/calendar/week/{thursday.isoformat()}")
        expect(page.locator('[data-testid=cal-sync-item][data-id="bk_phone-check"]')).to_be_visible(
            timeout=LIVE_MS
        )
        fits(page)
        screenshot(page, "calendar")
        go(page, f"#/customers/{quote(CUSTOMER, safe='')}")
        expect(
            page.locator(
                '[data-testid=booking][data-id="bk_phone-check"] [data-testid=booking-sync]'
            )
        ).to_be_visible(timeout=LIVE_MS)
        fits(page)
        screenshot(page, "customer")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
