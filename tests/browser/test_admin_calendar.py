"""The admin page's calendar, New meeting and a customer's calls, in a real browser.

Like test_admin_customers.py: the page is built by its own command, served by the running
stack, and signed in to through its form with real accounts on the Auth emulator; every
read is the page's own under firestore.rules, every change goes through the functions.
Calls for the calendar are written straight into Firestore in the exact bookings/{id}
shape the booking functions write (the calendar only reads them); New meeting, Cancel
and Reschedule go through the real /availability, /book and /booking functions.

The browser runs in New York time on purpose: the calendar must place every call by
its wall clock in the business time zone (Europe/Malta), never the browser's, on the
weeks of both 2026 DST switches too (29 March, 02:00 -> 03:00; 25 October, 03:00 ->
02:00). One signed-in page per role is shared by the module; screenshots go to
test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

import pytest
import requests
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import (
    IN_NEW_YORK,
    LIVE_MS,
    MALTA,
    OWNER,
    REP_A,
    REP_B,
    XSS,
    Session,
    World,
    accessible,
    an_image_error_has_fired,
    fresh_world,
    go,
    no_error_shown,
    on_the_customers_list,
    scripts,
    wait_for,
)
from tests.browser.conftest import booking_document as stored_booking

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("patient_expect")]

BROWSER_ZONE = IN_NEW_YORK["timezone_id"]
VIDEO = "https://meet.example/studio-lumen"


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    owner: str | None


PEOPLE = (
    Person("gorg@example.com", "Ġorġ Borg", "rep-a"),
    Person("marija@example.com", "Marija Farrugia", "rep-b"),
    Person("ben@example.com", "Ben Vella", "rep-b"),
    Person("xss@example.com", XSS, "rep-a"),
    Person("ruth@example.com", "Ruth Reschedule", "rep-a"),
)
NAMES = {person.email: person.name for person in PEOPLE}
OWNERS = {person.email: person.owner for person in PEOPLE}


def malta(year: int, month: int, day: int, hour: int, minute: int = 0, fold: int = 0) -> datetime:
    """A Malta wall-clock time as an aware datetime (fold=1: the second 02:30 in October)."""
    return datetime(year, month, day, hour, minute, tzinfo=MALTA, fold=fold)


@dataclass(frozen=True)
class Call:
    id: str
    key: str
    start: datetime
    minutes: int = 30
    status: str = "confirmed"
    label: str = "Intro call"


# Spring: the week of Monday 23 March 2026; Sunday the 29th has 23 hours.
SPRING = (
    Call("mar-wed-xss", "xss@example.com", malta(2026, 3, 25, 11)),
    Call("mar-thu-cancelled", "marija@example.com", malta(2026, 3, 26, 15), status="cancelled"),
    Call("mar-fri", "gorg@example.com", malta(2026, 3, 27, 10)),
    Call("mar-sun-early", "marija@example.com", malta(2026, 3, 29, 0, 30)),  # Sat 23:30 UTC
    Call("mar-sun", "gorg@example.com", malta(2026, 3, 29, 10), 60, label="Project call"),
    Call("mar-sun-late", "ben@example.com", malta(2026, 3, 29, 23, 30)),  # Sun 21:30 UTC
    Call("mar-mon-next", "ben@example.com", malta(2026, 3, 30, 0, 15)),  # Sun 22:15 UTC
)
# Autumn: Sunday 25 October 2026 has 25 hours, and 02:30 happens twice.
AUTUMN = (
    Call("oct-1st", "gorg@example.com", malta(2026, 10, 1, 9)),
    Call("oct-fri", "ben@example.com", malta(2026, 10, 23, 10)),
    Call("oct-first-0230", "gorg@example.com", malta(2026, 10, 25, 2, 30)),  # 00:30 UTC
    Call("oct-second-0230", "marija@example.com", malta(2026, 10, 25, 2, 30, fold=1)),  # 01:30 UTC
    Call("oct-sun-10", "gorg@example.com", malta(2026, 10, 25, 10)),
    Call("oct-31", "marija@example.com", malta(2026, 10, 31, 23, 30)),
    Call("nov-1", "ben@example.com", malta(2026, 11, 1, 0, 30)),  # Sat 31 Oct 23:30 UTC
)


def booking_document(call: Call) -> dict:
    """bookings/{id} exactly as the booking functions write it (README, "Bookings")."""
    return stored_booking(
        key=call.key,
        name=NAMES[call.key],
        owner_uid=OWNERS[call.key],
        start=call.start,
        minutes=call.minutes,
        type_="project" if call.minutes == 60 else "intro",
        label=call.label,
        status=call.status,
        video=VIDEO,
        submission_id=call.id,
    )


# --- data and accounts, made once for the module --------------------------------------


@pytest.fixture(scope="module")
def world(admin_stack, firestore_emulator, auth_emulator) -> World:
    world = fresh_world(admin_stack, firestore_emulator, auth_emulator)
    for role, uid, email in (
        ("owner", "owner-1", OWNER),
        ("rep", "rep-a", REP_A),
        ("rep", "rep-b", REP_B),
    ):
        world.add_staff(role, uid, email)
    for person in PEOPLE:
        world.add_customer(person.email, person.name, ownerUid=person.owner)
    world.store_bookings({call.id: booking_document(call) for call in (*SPRING, *AUTUMN)})
    # The studio's video room, so that booked calls carry a link without Google Calendar;
    # no minimum notice, so the first free time staff see is one a visitor may take too.
    world.client.collection("settings").document("booking").set(
        {"fallbackVideoLink": VIDEO, "minNoticeMinutes": 0}
    )
    return world


def signed_in_in_new_york(sessions, world: World, email: str) -> Session:
    """Signed in from a browser in New York, on the customers list."""
    session = sessions(world, email, **IN_NEW_YORK)
    return on_the_customers_list(session)


@pytest.fixture(scope="module")
def owner(sessions, world) -> Session:
    return signed_in_in_new_york(sessions, world, OWNER)


@pytest.fixture(scope="module")
def rep(sessions, world) -> Session:
    return signed_in_in_new_york(sessions, world, REP_A)


# --- page helpers ---------------------------------------------------------------------


def calendar_at(page: Page, view: str, first: str) -> Locator:
    """The calendar showing this view from this first day, with its calls loaded."""
    calendar = page.locator("[data-testid=calendar]")
    expect(calendar).to_have_attribute("data-view", view)
    expect(calendar).to_have_attribute("data-first", first)
    expect(page.locator("[data-testid=cal-status]")).to_contain_text(
        re.compile(r"calls? this|No calls"), timeout=LIVE_MS
    )
    return calendar


def open_calendar(page: Page, view: str, day: str, first: str | None = None) -> Locator:
    go(page, f"#/calendar/{view}/{day}")
    return calendar_at(page, view, first or day)


def calls_on(page: Page, day: str) -> list[tuple[str, str]]:
    """(time, customer name) of each call shown on a day, top to bottom."""
    found = page.locator(
        f'[data-testid=cal-day][data-date="{day}"] [data-testid=cal-event]'
    ).evaluate_all(
        """els => els.map(e => [
             e.querySelector('[data-testid=cal-time]').textContent.trim(),
             e.querySelector('[data-testid=cal-name]').textContent.trim()])"""
    )
    return [tuple(pair) for pair in found]


def shown_ids(page: Page) -> set[str]:
    return set(
        page.locator("[data-testid=cal-event]").evaluate_all(
            "els => els.map(e => e.getAttribute('data-id'))"
        )
    )


def event(page: Page, booking_id: str) -> Locator:
    return page.locator(f'[data-testid=cal-event][data-id="{booking_id}"]')


def expect_struck(locator: Locator, struck: bool = True) -> None:
    """Struck through (or not), waiting out a re-render: a live update may redraw it."""
    line = re.compile("line-through")
    if struck:
        expect(locator).to_have_css("text-decoration-line", line)
    else:
        expect(locator).not_to_have_css("text-decoration-line", line)


def this_monday() -> date:
    today = datetime.now(MALTA).date()
    return today - timedelta(days=today.weekday())


# --- the calendar ---------------------------------------------------------------------


def test_the_calendar_is_its_own_chunk_loaded_on_demand(owner, world, screenshot):
    page = owner.page
    # Signed in on the customers list: no calendar code was fetched, nor preloaded.
    assert not [name for name in owner.first_scripts if "/chunks/calendar-" in name]
    index = requests.get(f"{world.web}/", timeout=10).text
    preloads = re.findall(r'rel="modulepreload" href="([^"]+)"', index)
    assert preloads, index
    assert not [href for href in preloads if "calendar-" in href or "meeting-" in href]

    link = page.locator("nav .nav-link", has_text="Calendar")
    expect(link).to_have_attribute("href", "#/calendar")
    link.click()
    calendar = page.locator("[data-testid=calendar]")
    expect(calendar).to_have_attribute("data-view", "week")
    expect(calendar).to_have_attribute("data-first", this_monday().isoformat())
    expect(link).to_have_class(re.compile(r"\bactive\b"))
    assert [name for name in scripts(page) if "/chunks/calendar-" in name]
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == BROWSER_ZONE
    expect(page.locator("[data-testid=cal-zone]")).to_contain_text("Europe/Malta")
    no_error_shown(owner)
    screenshot(page, "week-now")


def test_the_spring_week_places_calls_by_malta_wall_clock(owner, world, screenshot):
    page = owner.page
    open_calendar(page, "week", "2026-03-25", first="2026-03-23")
    expect(page.locator("[data-testid=cal-title]")).to_have_text("23–29 Mar 2026")

    assert calls_on(page, "2026-03-25") == [("11:00", XSS)]
    assert calls_on(page, "2026-03-26") == [("15:00", "Marija Farrugia")]
    assert calls_on(page, "2026-03-27") == [("10:00", "Ġorġ Borg")]
    assert calls_on(page, "2026-03-28") == []  # 23:30 UTC on Saturday is Sunday in Malta
    assert calls_on(page, "2026-03-29") == [
        ("00:30", "Marija Farrugia"),
        ("10:00", "Ġorġ Borg"),
        ("23:30", "Ben Vella"),
    ]
    # Monday 00:15 (Sunday 22:15 UTC) belongs to the next week.
    assert shown_ids(page) == {call.id for call in SPRING} - {"mar-mon-next"}
    expect(event(page, "mar-sun").locator("[data-testid=cal-type]")).to_have_text("Project call")
    expect(page.locator("[data-testid=cal-status]")).to_have_text("6 calls this week")

    # 10:00 on Friday (UTC+1) and 10:00 on Sunday (UTC+2) sit at the same height; the
    # hour-long call is twice as tall as the half-hour one.
    friday = event(page, "mar-fri").bounding_box()
    sunday = event(page, "mar-sun").bounding_box()
    early = event(page, "mar-sun-early").bounding_box()
    assert abs(friday["y"] - sunday["y"]) < 1, (friday, sunday)
    assert abs(sunday["height"] - 2 * friday["height"]) < 2, (friday, sunday)
    assert early["y"] < sunday["y"]
    screenshot(page, "spring-week")
    accessible(page, "the calendar's week with calls")

    # Cancelled: struck through, or hidden with the toggle.
    cancelled = event(page, "mar-thu-cancelled")
    expect(cancelled).to_have_attribute("data-status", "cancelled")
    expect_struck(cancelled.locator("[data-testid=cal-name]"))
    expect_struck(event(page, "mar-fri").locator("[data-testid=cal-name]"), struck=False)
    toggle = page.locator("[data-testid=cal-show-cancelled]")
    toggle.uncheck()
    expect(cancelled).to_have_count(0)
    expect(event(page, "mar-fri")).to_be_visible()
    toggle.check()
    expect(cancelled).to_be_visible()

    # Next, previous, today.
    page.locator("[data-testid=cal-next]").click()
    calendar_at(page, "week", "2026-03-30")
    assert calls_on(page, "2026-03-30") == [("00:15", "Ben Vella")]
    expect(page.locator("[data-testid=cal-title]")).to_have_text("30 Mar – 5 Apr 2026")
    page.go_back()  # the back button walks the weeks
    calendar_at(page, "week", "2026-03-23")
    page.locator("[data-testid=cal-prev]").click()
    calendar_at(page, "week", "2026-03-16")
    assert shown_ids(page) == set()
    page.locator("[data-testid=cal-today]").click()
    calendar_at(page, "week", this_monday().isoformat())
    no_error_shown(owner)


def test_the_autumn_month_and_day_show_both_half_past_twos(owner, world, screenshot):
    page = owner.page
    open_calendar(page, "month", "2026-10-01", first="2026-09-28")
    expect(page.locator("[data-testid=cal-title]")).to_have_text("October 2026")
    expect(page.locator("[data-testid=cal-day]")).to_have_count(35)  # 28 Sep .. 1 Nov

    assert calls_on(page, "2026-10-01") == [("09:00", "Ġorġ Borg")]
    assert calls_on(page, "2026-10-23") == [("10:00", "Ben Vella")]
    # 02:30 twice, an hour apart: the offset tells them apart.
    assert calls_on(page, "2026-10-25") == [
        ("02:30 CEST", "Ġorġ Borg"),
        ("02:30 CET", "Marija Farrugia"),
        ("10:00", "Ġorġ Borg"),
    ]
    assert calls_on(page, "2026-10-31") == [("23:30", "Marija Farrugia")]
    assert calls_on(page, "2026-11-01") == [("00:30", "Ben Vella")]  # Sat 23:30 UTC
    expect(page.locator("[data-testid=cal-status]")).to_have_text("6 calls this month")
    screenshot(page, "autumn-month")
    accessible(page, "the calendar's month with calls")

    page.locator('[data-testid=cal-day][data-date="2026-10-25"] [data-testid=cal-dayhead]').click()
    calendar_at(page, "day", "2026-10-25")
    expect(page.locator("[data-testid=cal-title]")).to_have_text("Sunday, 25 October 2026")
    assert calls_on(page, "2026-10-25") == [
        ("02:30 CEST", "Ġorġ Borg"),
        ("02:30 CET", "Marija Farrugia"),
        ("10:00", "Ġorġ Borg"),
    ]
    # Same wall-clock time: side by side, not on top of each other.
    first = event(page, "oct-first-0230").bounding_box()
    second = event(page, "oct-second-0230").bounding_box()
    assert abs(first["y"] - second["y"]) < 1 and abs(first["x"] - second["x"]) > 20
    expect(event(page, "oct-sun-10").locator("[data-testid=cal-join]")).to_have_attribute(
        "href", VIDEO
    )
    screenshot(page, "autumn-day")
    accessible(page, "the calendar's day with calls side by side")

    page.locator("[data-testid=cal-view-week]").click()
    calendar_at(page, "week", "2026-10-19")
    assert shown_ids(page) == {"oct-fri", "oct-first-0230", "oct-second-0230", "oct-sun-10"}
    no_error_shown(owner)


def test_clicking_a_call_opens_its_customer_with_their_calls(owner, world):
    page = owner.page
    open_calendar(page, "week", "2026-03-23")
    event(page, "mar-fri").locator("[data-testid=cal-open]").click()
    expect(page).to_have_url(
        re.compile(re.escape(f"#/customers/{quote('gorg@example.com', safe='')}") + "$")
    )
    detail = page.locator('[data-testid=customer-detail][data-key="gorg@example.com"]')
    expect(detail).to_be_visible()
    past = page.locator("[data-testid=bookings-past] [data-testid=booking]")
    expect(past).to_have_count(len([c for c in (*SPRING, *AUTUMN) if c.key == "gorg@example.com"]))
    newest = past.first  # latest first: Sunday 25 October 10:00
    expect(newest).to_have_attribute("data-id", "oct-sun-10")
    expect(newest.locator("[data-testid=booking-when]")).to_contain_text("25 Oct 2026, 10:00–10:30")
    no_error_shown(owner)
    accessible(page, "a customer's calls")


def test_a_customer_named_like_html_is_text_in_the_calendar(owner, world):
    page = owner.page
    before = len(owner.dialogs)
    for view in ("week", "month", "day"):
        open_calendar(
            page,
            view,
            "2026-03-25",
            first={"week": "2026-03-23", "month": "2026-02-23"}.get(view, "2026-03-25"),
        )
        name = event(page, "mar-wed-xss").locator("[data-testid=cal-name]")
        expect(name).to_have_text(XSS)
        expect(page.locator("[data-testid=calendar] img")).to_have_count(0)
    an_image_error_has_fired(page)  # so an onerror handler made from the name would have too
    assert owner.dialogs[before:] == []


def test_a_call_booked_meanwhile_appears_live_and_in_the_bell(owner, world, screenshot):
    page = owner.page
    go(page, "#/calendar/week")  # this week (plain #/calendar opens the last view used)
    calendar_at(page, "week", this_monday().isoformat())
    page.evaluate("window.__notReloaded = true")
    count = page.locator("[data-testid=bell-count]")
    before = int(count.inner_text())

    now = datetime.now(MALTA)
    start = (now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    if start.date() != now.date():
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    call = Call("live-today", "gorg@example.com", start)
    world.store_bookings({call.id: booking_document(call)})

    live = event(page, call.id)
    expect(live).to_be_visible(timeout=LIVE_MS)
    expect(live).to_have_attribute("data-date", start.date().isoformat())
    expect(live.locator("[data-testid=cal-time]")).to_have_text(start.strftime("%H:%M"))
    expect(count).to_have_text(str(before + 1), timeout=LIVE_MS)
    screenshot(page, "live")

    # The bell lists it with its video link; its name opens the customer.
    page.locator("button[data-testid=bell]").click()
    item = page.locator("[data-testid=bell-item]", has_text=start.strftime("%H:%M")).filter(
        has_text="Ġorġ Borg"
    )
    expect(item.locator("a[data-testid=bell-video]")).to_have_attribute("href", VIDEO)
    expect(item).to_contain_text("Intro call")
    accessible(page, "the bell's list of today's calls")
    item.locator("[data-testid=bell-customer]").click()
    expect(
        page.locator('[data-testid=customer-detail][data-key="gorg@example.com"]')
    ).to_be_visible()
    expect(page.locator("[data-testid=bell-list]")).to_have_count(0)

    # Cancelled elsewhere: struck through in the calendar, gone from the bell, live.
    go(page, "#/calendar/week")
    expect(live).to_be_visible()
    world.store_bookings({call.id: {**world.booking(call.id), "status": "cancelled"}})
    expect(live).to_have_attribute("data-status", "cancelled", timeout=LIVE_MS)
    expect(count).to_have_text(str(before), timeout=LIVE_MS)
    assert page.evaluate("window.__notReloaded") is True
    no_error_shown(owner)


def test_a_rep_sees_only_their_own_calls(rep, world, screenshot):
    page = rep.page
    expect(page.locator("nav .nav-link", has_text="Calendar")).to_be_visible()
    open_calendar(page, "week", "2026-03-23")
    mine = {call.id for call in SPRING if OWNERS[call.key] == "rep-a"}
    assert shown_ids(page) == mine == {"mar-wed-xss", "mar-fri", "mar-sun"}
    open_calendar(page, "month", "2026-10-01", first="2026-09-28")
    assert shown_ids(page) == {"oct-1st", "oct-first-0230", "oct-sun-10"}
    no_error_shown(rep)
    screenshot(page, "rep-month")


def test_at_360_pixels_the_calendar_does_not_scroll_sideways(owner, world, screenshot):
    page = owner.page
    page.set_viewport_size({"width": 360, "height": 740})
    try:
        for view, day, first in (
            ("week", "2026-03-23", "2026-03-23"),
            ("month", "2026-10-01", "2026-09-28"),
            ("day", "2026-10-25", "2026-10-25"),
        ):
            open_calendar(page, view, day, first)
            width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            screenshot(page, f"mobile-{view}")
            assert width[0] <= width[1], f"the {view} view is {width[0]} px wide in {width[1]} px"
            accessible(page, f"the calendar's {view} view on a phone")
        # Stacked as an agenda, each call still shows its time and name.
        open_calendar(page, "week", "2026-03-23")
        assert calls_on(page, "2026-03-29")[1] == ("10:00", "Ġorġ Borg")
        # The New meeting dialog fits the phone too.
        page.locator("[data-testid=calendar] [data-testid=new-meeting]").click()
        box = page.locator("dialog[data-testid=meeting-dialog]")
        expect(box.locator("[data-testid=meeting-search]")).to_be_visible()
        edges = box.bounding_box()
        assert edges["x"] >= 0 and edges["x"] + edges["width"] <= 360, edges
        screenshot(page, "mobile-new-meeting")
        accessible(page, "the New meeting dialog on a phone")
        box.locator("[data-testid=meeting-close]").click()
        expect(box).to_have_count(0)
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


# --- New meeting, Cancel and Reschedule (the booking functions) -----------------------


def dialog(page: Page) -> Locator:
    """The open New meeting (or Reschedule) dialog, once its free times have loaded: a
    person sees the form settle before using it, and so does the test."""
    box = page.locator("dialog[data-testid=meeting-dialog]")
    expect(box.locator("[data-testid=meeting-slots]")).to_have_attribute(
        "data-status", re.compile("ready|error"), timeout=LIVE_MS
    )
    return box


def pick_first_free_time(page: Page, skip: set[str] = frozenset()) -> str:
    """Click the first free time not in `skip` (looking through the days); its start."""
    box = dialog(page)
    expect(box.locator("[data-testid=meeting-slots]")).to_have_attribute("data-status", "ready")
    for day in box.locator("[data-testid=meeting-day]:not([disabled])").all():
        day.click()
        for slot in box.locator("[data-testid=meeting-slot]").all():
            start = slot.get_attribute("data-start")
            if start not in skip:
                slot.click()
                expect(slot).to_have_attribute("aria-pressed", "true")
                return start
    raise AssertionError("no free time in the dialog's two weeks")


def free_times(world: World, type_: str = "intro") -> list[str]:
    today = datetime.now(MALTA).date()
    answer = world.availability(type_, today, today + timedelta(days=13))
    return [slot["start"] for day in answer["days"] for slot in day["slots"]]


def visitor_books(world: World, email: str, name: str, start: str) -> dict:
    """A visitor books through the public function (no token), as the site's widget does."""
    answer = requests.post(
        f"{world.functions}/book",
        json={
            "email": email,
            "name": name,
            "start": start,
            "tz": "Europe/London",
            "type": "intro",
            "submission_id": f"visitor-{uuid.uuid4().hex}",
            "elapsed_ms": 9000,
        },
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["booking"]


def utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def test_new_meeting_books_an_existing_customer_from_the_calendar(owner, world, screenshot):
    page = owner.page
    open_calendar(page, "week", "2026-03-23")
    assert not [name for name in owner.first_scripts if "/chunks/meeting-" in name]
    page.locator("[data-testid=calendar] [data-testid=new-meeting]").click()
    box = dialog(page)
    expect(box).to_be_visible()
    assert [name for name in scripts(page) if "/chunks/meeting-" in name]

    box.locator("[data-testid=meeting-search]").fill("gorg")
    box.locator('[data-testid=meeting-result][data-key="gorg@example.com"]').click()
    expect(box.locator("[data-testid=meeting-customer]")).to_contain_text("Ġorġ Borg")
    box.locator("[data-testid=meeting-type]").select_option("project")
    start = pick_first_free_time(page)
    box.locator("[data-testid=meeting-notes]").fill("Kitchen refit, bring samples")
    screenshot(page, "new-meeting")
    accessible(page, "the New meeting dialog with a customer and a time chosen")
    box.locator("[data-testid=meeting-submit]").click()

    done = box.locator("[data-testid=meeting-done]")
    expect(done).to_be_visible(timeout=LIVE_MS)
    local = utc(start).astimezone(MALTA)
    expect(done.locator("[data-testid=meeting-done-when]")).to_contain_text(local.strftime("%H:%M"))
    expect(done.locator("[data-testid=meeting-video]")).to_have_attribute("href", VIDEO)
    screenshot(page, "new-meeting-done")
    accessible(page, "the New meeting dialog's confirmation")

    booked = [b for b in world.bookings_of("gorg@example.com") if b["start"] == utc(start)]
    assert len(booked) == 1, booked
    assert booked[0]["type"] == "project" and booked[0]["minutes"] == 60
    assert booked[0]["actor"]["kind"] == "staff" and booked[0]["actor"]["uid"] == "owner-1"
    assert booked[0]["notes"] == "Kitchen refit, bring samples"

    box.locator("[data-testid=meeting-finish]").click()
    expect(box).to_have_count(0)
    open_calendar(page, "day", local.date().isoformat())
    shown = event(page, booked[0]["id"])
    expect(shown.locator("[data-testid=cal-time]")).to_have_text(local.strftime("%H:%M"))
    expect(shown.locator("[data-testid=cal-type]")).to_have_text("Project call")
    no_error_shown(owner)


def test_new_meeting_shows_field_errors_and_a_time_just_taken(owner, world, screenshot):
    page = owner.page
    open_calendar(page, "week", "2026-03-23")
    page.locator("[data-testid=calendar] [data-testid=new-meeting]").click()
    box = dialog(page)
    box.locator("[data-testid=meeting-new-person]").click()
    box.locator("[data-testid=meeting-email]").fill("not-an-email")
    box.locator("[data-testid=meeting-name]").fill("Nadia New")
    start = pick_first_free_time(page)
    box.locator("[data-testid=meeting-submit]").click()
    # The server's 400, beside the field it names.
    email_error = box.locator('[data-testid=field-error][data-field="email"]')
    expect(email_error).to_be_visible(timeout=LIVE_MS)
    expect(box.locator("[data-testid=meeting-email]")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "field-error")
    accessible(page, "the New meeting dialog with a new person and a field error")

    # Somebody on the site takes that very time while the form is open.
    box.locator("[data-testid=meeting-email]").fill("nadia.new@example.com")
    visitor_books(world, "quick.visitor@example.com", "Quick Visitor", start)
    box.locator("[data-testid=meeting-submit]").click()
    expect(box.locator("[data-testid=meeting-error]")).to_contain_text(
        "just taken", timeout=LIVE_MS
    )
    # The free times were fetched again: the taken one is gone, nothing is chosen.
    expect(box.locator("[data-testid=meeting-slots]")).to_have_attribute("data-status", "ready")
    expect(box.locator(f'[data-testid=meeting-slot][data-start="{start}"]')).to_have_count(0)
    expect(box.locator('[data-testid=meeting-slot][aria-pressed="true"]')).to_have_count(0)
    screenshot(page, "slot-taken")

    second = pick_first_free_time(page, skip={start})
    box.locator("[data-testid=meeting-submit]").click()
    expect(box.locator("[data-testid=meeting-done]")).to_be_visible(timeout=LIVE_MS)
    booked = world.bookings_of("nadia.new@example.com")
    assert [b["start"] for b in booked] == [utc(second)]
    customer = world.client.collection("customers").document("nadia.new@example.com").get()
    assert customer.exists and customer.to_dict()["name"] == "Nadia New"
    box.locator("[data-testid=meeting-open-customer]").click()
    expect(
        page.locator('[data-testid=customer-detail][data-key="nadia.new@example.com"]')
    ).to_be_visible()
    no_error_shown(owner)


def test_booking_again_after_a_lost_answer_books_once(owner, world, screenshot):
    """The first answer of /book never reaches the page (the booking was made); pressing
    Book again sends the same submission_id and gets that booking back, not a second."""
    page = owner.page
    key = "ben@example.com"
    go(page, f"#/customers/{quote(key, safe='')}")
    section = page.locator("[data-testid=bookings]")
    expect(section.locator("[data-testid=bookings-past]")).to_be_visible(timeout=LIVE_MS)
    section.locator("[data-testid=new-meeting]").click()
    box = dialog(page)
    expect(box.locator("[data-testid=meeting-customer]")).to_contain_text("Ben Vella")
    start = pick_first_free_time(page)

    def lose_the_answer(route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        route.fetch()  # the real function books the call...
        route.abort("connectionreset")  # ...and its answer is lost on the way back

    page.route("**/book", lose_the_answer)
    box.locator("[data-testid=meeting-submit]").click()
    expect(box.locator("[data-testid=meeting-error]")).to_contain_text(
        "Could not reach", timeout=LIVE_MS
    )
    page.unroute("**/book")
    wait_for(lambda: any(b["start"] == utc(start) for b in world.bookings_of(key)))
    screenshot(page, "lost-answer")

    box.locator("[data-testid=meeting-submit]").click()
    expect(box.locator("[data-testid=meeting-done]")).to_be_visible(timeout=LIVE_MS)
    booked = [
        b
        for b in world.bookings_of(key)
        if b["status"] == "confirmed" and b["start"] > datetime.now(UTC)
    ]
    assert [b["start"] for b in booked] == [utc(start)], booked
    box.locator("[data-testid=meeting-finish]").click()
    upcoming = section.locator("[data-testid=bookings-upcoming] [data-testid=booking]")
    expect(upcoming).to_have_count(1, timeout=LIVE_MS)
    expect(upcoming.first).to_have_attribute("data-id", booked[0]["id"])
    no_error_shown(owner)


def test_a_customers_calls_can_be_moved_and_cancelled(owner, world, screenshot):
    page = owner.page
    key = "ruth@example.com"
    times = free_times(world)
    booking = visitor_books(world, key, "Ruth Reschedule", times[0])
    go(page, f"#/customers/{quote(key, safe='')}")
    section = page.locator("[data-testid=bookings]")
    item = section.locator(f'[data-testid=booking][data-id="{booking["id"]}"]')
    expect(item).to_be_visible(timeout=LIVE_MS)
    expect(item.locator("[data-testid=booking-status]")).to_have_text("Confirmed")
    expect(item.locator("[data-testid=booking-video]")).to_have_attribute("href", VIDEO)
    first_local = utc(times[0]).astimezone(MALTA)
    expect(item.locator("[data-testid=booking-when]")).to_contain_text(
        first_local.strftime("%H:%M")
    )
    screenshot(page, "customer-calls")

    # Reschedule: a dialog of free times; the call moves, and the page follows live.
    item.locator("[data-testid=booking-reschedule]").click()
    box = dialog(page)
    expect(box.locator("[data-testid=meeting-current]")).to_contain_text(
        first_local.strftime("%H:%M")
    )
    new_start = pick_first_free_time(page, skip={times[0]})
    box.locator("[data-testid=meeting-submit]").click()
    expect(box.locator("[data-testid=meeting-done]")).to_contain_text("moved", timeout=LIVE_MS)
    box.locator("[data-testid=meeting-finish]").click()
    new_local = utc(new_start).astimezone(MALTA)
    expect(item.locator("[data-testid=booking-when]")).to_contain_text(
        f"{new_local.day} {new_local.strftime('%b %Y, %H:%M')}", timeout=LIVE_MS
    )
    stored = world.client.collection("bookings").document(booking["id"]).get().to_dict()
    assert stored["start"] == utc(new_start) and stored["status"] == "confirmed"
    timeline = page.locator("[data-testid=timeline]")
    moved = timeline.locator("[data-testid=timeline-item][data-type=booking_rescheduled]")
    expect(moved).to_contain_text("Call moved", timeout=LIVE_MS)
    expect(moved).to_contain_text(new_local.strftime("%H:%M"))

    # Cancel, with a reason: asked once more, then struck through, live.
    item.locator("[data-testid=booking-cancel]").click()
    item.locator("[data-testid=cancel-reason]").fill("Customer asked by phone")
    item.locator("[data-testid=cancel-yes]").click()
    expect(item.locator("[data-testid=booking-status]")).to_have_text("Cancelled", timeout=LIVE_MS)
    expect(item).to_have_attribute("data-status", "cancelled")
    expect(item.locator("[data-testid=booking-reschedule]")).to_have_count(0)
    expect(item.locator("[data-testid=booking-video]")).to_have_count(0)
    expect(item.locator("[data-testid=booking-reason]")).to_contain_text("Customer asked by phone")
    cancelled = timeline.locator("[data-testid=timeline-item][data-type=booking_cancelled]")
    expect(cancelled).to_contain_text("Customer asked by phone", timeout=LIVE_MS)
    wait_for(
        lambda: (
            world.client.collection("bookings").document(booking["id"]).get().get("status")
            == "cancelled"
        )
    )
    screenshot(page, "customer-cancelled")

    open_calendar(page, "day", new_local.date().isoformat())
    expect(event(page, booking["id"])).to_have_attribute("data-status", "cancelled")
    expect_struck(event(page, booking["id"]).locator("[data-testid=cal-name]"))
    no_error_shown(owner)


def test_a_rep_books_only_their_own_customers(rep, world):
    page = rep.page
    go(page, f"#/customers/{quote('gorg@example.com', safe='')}")
    section = page.locator("[data-testid=bookings]")
    expect(section.locator("[data-testid=booking]").first).to_be_visible(timeout=LIVE_MS)
    section.locator("[data-testid=new-meeting]").click()
    box = dialog(page)
    expect(box.locator("[data-testid=meeting-customer]")).to_contain_text("Ġorġ Borg")
    box.locator("[data-testid=meeting-close]").click()
    expect(box).to_have_count(0)

    open_calendar(page, "week", "2026-03-23")
    page.locator("[data-testid=calendar] [data-testid=new-meeting]").click()
    expect(box.locator("[data-testid=meeting-new-person]")).to_have_count(0)  # theirs only
    search = box.locator("[data-testid=meeting-search]")
    search.fill("marija")  # rep-b's customer: not found, and not an error
    expect(box.locator("[data-testid=meeting-no-results]")).to_be_visible()
    search.fill("gorg")
    expect(box.locator("[data-testid=meeting-result]")).to_have_count(1)
    # Escape: the first empties the search box (as any search field does), the next closes.
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(box).to_have_count(0)
    no_error_shown(rep)
