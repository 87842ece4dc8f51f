"""The booking widget (web/book.js) on the demo site, in real Chromium, against the real
availability, book and booking functions of the running stack, its store and its
calendar.

The pages are the site as it ships; only where they send is set, the way config.js lets
any page do it (window.HEARTH_FUNCTIONS_URL before it runs), to this session's stack on
its free ports. Every browser runs in en-GB so times read "08:00", in a time zone the
test names.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import Locator, Page, Route, expect

from tests.browser.conftest import MALTA, ROOT, accessible, like_a_person
from tests.stacks import Stack

pytestmark = pytest.mark.browser

SCRIPT = ROOT / "web" / "book.js"
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
TAKEN = "Sorry, that time was just taken. Please pick another."

Visit = Callable[..., Page]


@pytest.fixture
def store(db, live_stack: Stack):
    """An empty store, so the owner's booking settings are the defaults (09:00–17:00
    Malta time on weekdays: every 14 days shown have some), and an empty calendar, so no
    earlier test's call is still busy there."""
    live_stack.calendar.reset()
    return db


@pytest.fixture
def visit(browser, live_stack: Stack, store) -> Iterator[Visit]:
    """Open a page of the stack's web server in a fresh browser (its own storage), in
    a given time zone; a script error on any page fails the test."""
    contexts = []
    errors: list[str] = []

    def open_page(path: str, timezone: str = "Europe/London", width: int = 1000) -> Page:
        context = browser.new_context(
            viewport={"width": width, "height": 1000}, locale="en-GB", timezone_id=timezone
        )
        context.add_init_script(
            f"window.HEARTH_FUNCTIONS_URL = {json.dumps(live_stack.functions)};"
        )
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{live_stack.web}{path}")
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == []


def widget(page: Page) -> Locator:
    return page.locator("[data-hearth-booking]")


def times(place: Locator) -> Locator:
    return place.locator(".hb-slots button")


def open_days(place: Locator) -> Locator:
    return place.locator(".hb-days button:not(:disabled)")


def instant(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def clock(iso: str, zone: ZoneInfo) -> str:
    return f"{instant(iso).astimezone(zone):%H:%M}"


def in_words(iso: str, zone: ZoneInfo) -> re.Pattern[str]:
    """ "Tuesday, 24 November 2026 at 08:00" (the comma is the browser's to choose)."""
    local = instant(iso).astimezone(zone)
    return re.compile(rf"{local:%A},? {local.day} {local:%B %Y} at {local:%H:%M}")


def choose_first_time(place: Locator) -> str:
    """Click the first free time of the day shown; its start (UTC)."""
    first = times(place).first
    expect(first).to_be_enabled()
    start = first.get_attribute("data-start")
    first.click()
    expect(first).to_have_attribute("aria-pressed", "true")
    return start


def fill_in(place: Locator, name: str, email: str) -> None:
    place.get_by_label("Name", exact=True).fill(name)
    place.get_by_label("E-mail", exact=True).fill(email)


def book(place: Locator) -> None:
    place.get_by_role("button", name=re.compile("^(Book this time|Try again)$")).click()


def bookings(db) -> list[dict]:
    return [{**doc.to_dict(), "id": doc.id} for doc in db.collection("bookings").stream()]


def site_path(url: str) -> str:
    """A link the server made, as a path on this stack's web server."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


# --- Booking on the site ------------------------------------------------------------


def test_a_visitor_books_a_call_and_sees_it_confirmed_with_its_video_link(visit, store, screenshot):
    page = visit("/site/#booking")
    place = widget(page)
    expect(place.locator(".hb-tz")).to_have_text("Times shown in Europe/London")
    expect(place.locator(".hb-link")).to_be_hidden()  # no booking link named here
    expect(place.get_by_label("Intro call (30 min)")).to_be_checked()
    start = choose_first_time(place)
    expect(place.locator(".hb-chosen")).to_have_text(
        re.compile(f"^Intro call: {in_words(start, LONDON).pattern}$")
    )
    fill_in(place, "Ġorġ Vella", "Gorg.Vella@Example.org")
    place.get_by_label("Mobile").fill("7912 3456")
    place.get_by_label("What would you like to talk about?").fill("A logo for my bakery.")
    place.get_by_label("Send me occasional news").check()
    screenshot(page, "chosen")
    accessible(page, "the site's booking widget with a time chosen and the form filled")
    like_a_person(page)
    book(place)

    done = place.locator(".hb-done")
    expect(done).to_be_focused()
    expect(done.get_by_role("heading")).to_have_text("You’re booked")
    expect(done.locator(".hb-when")).to_have_text(re.compile(f"^{in_words(start, LONDON).pattern}"))
    [booking] = bookings(store)
    assert booking["status"] == "confirmed"
    assert booking["start"] == instant(start)
    assert booking["customerKey"] == "gorg.vella@example.org"
    assert (booking["type"], booking["minutes"], booking["tz"]) == ("intro", 30, "Europe/London")
    assert booking["notes"] == "A logo for my bakery."
    assert booking["calendar"]["state"] == "synced"
    assert booking["videoLink"].startswith("https://meet.google.com/")
    video = done.get_by_role("link", name=booking["videoLink"])
    expect(video).to_have_attribute("href", booking["videoLink"])
    expect(done.get_by_role("link", name="Add to calendar")).to_have_attribute(
        "href", re.compile(rf"/booking/{booking['id']}\.ics\?token=[\w-]+$")
    )
    expect(done.get_by_role("link", name="Cancel or reschedule")).to_have_attribute(
        "href", re.compile(rf"/site/booking\.html\?id={booking['id']}&token=[\w-]+$")
    )
    screenshot(page, "booked")
    accessible(page, "the booking widget's confirmation")
    customer = store.collection("customers").document("gorg.vella@example.org").get().to_dict()
    assert customer["name"] == "Ġorġ Vella"
    assert customer["mobile"] == "+35679123456"
    assert customer["consent"]["marketing"] is True


def test_without_the_calendar_the_call_is_booked_and_the_link_promised(
    visit, live_stack, store, screenshot
):
    page = visit("/site/#booking")
    place = widget(page)
    start = choose_first_time(place)
    fill_in(place, "Ana Borg", "ana@example.org")
    like_a_person(page)
    live_stack.calendar.set_down(True)
    try:
        book(place)
        done = place.locator(".hb-done")
        expect(done).to_be_focused()
    finally:
        live_stack.calendar.set_down(False)

    expect(done.locator(".hb-video")).to_have_text("We'll send you the video link before the call.")
    expect(done.get_by_role("link", name=re.compile("meet", re.I))).to_have_count(0)
    screenshot(page)
    [booking] = bookings(store)
    assert (booking["status"], booking["videoLink"]) == ("confirmed", None)
    assert booking["start"] == instant(start)


def test_a_booking_link_credits_its_source_and_keeps_its_own_hours(visit, store, screenshot):
    store.collection("bookingLinks").document("spring-show-2026").set(
        {"label": "Spring Show 2026", "timeZone": "Europe/London"}
    )
    page = visit("/site/book.html?source=spring-show-2026&type=project")
    place = widget(page)
    expect(place.get_by_label("Project call (60 min)")).to_be_checked()
    expect(place.locator(".hb-link")).to_have_text("Booking for Spring Show 2026")
    # This link's hours (09:00–17:00) are kept in London, not in Malta (08:00 here).
    open_days(place).nth(1).click()
    expect(times(place).first).to_have_text("09:00")
    start = choose_first_time(place)
    fill_in(place, "Rita Zammit", "rita@example.org")
    like_a_person(page)
    book(place)

    expect(place.locator(".hb-done")).to_be_focused()
    screenshot(page)
    [booking] = bookings(store)
    assert booking["source"] == "spring-show-2026"
    assert (booking["type"], booking["minutes"]) == ("project", 60)
    assert booking["start"] == instant(start)
    assert booking["end"] - booking["start"] == timedelta(minutes=60)
    customer = store.collection("customers").document("rita@example.org").get().to_dict()
    assert customer["firstSource"] == "spring-show-2026"


def test_later_and_earlier_dates_page_through_two_weeks_at_a_time(visit, store):
    page = visit("/site/#booking")
    place = widget(page)
    earlier = place.get_by_role("button", name="Earlier dates")
    later = place.get_by_role("button", name="Later dates")
    days = place.locator(".hb-days button")
    expect(times(place).first).to_be_enabled()
    expect(earlier).to_be_disabled()
    first_two_weeks = [day.get_attribute("data-date") for day in days.all()]
    assert len(first_two_weeks) == 14

    later.click()
    expect(days.first).not_to_have_attribute("data-date", first_two_weeks[0])
    expect(times(place).first).to_be_enabled()
    next_two_weeks = [day.get_attribute("data-date") for day in days.all()]
    after = datetime.fromisoformat(first_two_weeks[-1]) + timedelta(days=1)
    assert next_two_weeks[0] == f"{after:%Y-%m-%d}"
    assert len(next_two_weeks) == 14
    expect(place.locator(".hb-days [aria-pressed=true]")).to_have_count(1)

    earlier.click()
    expect(days.first).to_have_attribute("data-date", first_two_weeks[0])
    expect(earlier).to_be_disabled()


def test_a_visitor_in_new_york_sees_and_books_times_in_their_own_zone(visit, store, screenshot):
    page = visit("/site/#booking", timezone="America/New_York")
    place = widget(page)
    expect(place.locator(".hb-tz")).to_have_text("Times shown in America/New York")
    open_days(place).nth(1).click()
    expect(times(place).first).to_be_enabled()

    shown = [
        (button.inner_text(), button.get_attribute("data-start")) for button in times(place).all()
    ]
    assert [text for text, _ in shown] == [clock(start, NEW_YORK) for _, start in shown]
    # A whole day starts at 09:00 in Malta: 03:00 or 04:00 in New York.
    first_text, first_start = shown[0]
    assert clock(first_start, MALTA) == "09:00"
    assert first_text in ("03:00", "04:00")
    start = choose_first_time(place)
    fill_in(place, "Jo Smith", "jo@example.com")
    like_a_person(page)
    book(place)

    done = place.locator(".hb-done")
    expect(done.locator(".hb-when")).to_have_text(
        re.compile(f"^{in_words(start, NEW_YORK).pattern}")
    )
    expect(done).to_contain_text("Times in America/New York")
    screenshot(page)
    [booking] = bookings(store)
    assert booking["tz"] == "America/New_York"
    assert booking["start"] == instant(start)


def test_a_time_taken_meanwhile_is_said_plainly_and_the_times_are_refreshed(
    visit, store, screenshot
):
    late = visit("/site/#booking")
    late_place = widget(late)
    expect(times(late_place).first).to_be_enabled()
    stale = times(late_place).first
    start = stale.get_attribute("data-start")

    # Someone else books that time first.
    first = visit("/site/#booking")
    first_place = widget(first)
    first_place.locator(f'.hb-slots button[data-start="{start}"]').click()
    fill_in(first_place, "Ana Borg", "ana@example.org")
    like_a_person(first)
    book(first_place)
    expect(first_place.locator(".hb-done")).to_be_visible()

    # The late visitor's list still offers it.
    stale.click()
    fill_in(late_place, "Mario Borg", "mario@example.org")
    late_place.get_by_label("What would you like to talk about?").fill("Packaging for honey")
    book(late_place)

    message = late_place.locator(".hb-picker .hb-status")
    expect(message).to_have_text(TAKEN)
    expect(message).to_be_in_viewport()
    expect(late_place.locator(f'.hb-slots button[data-start="{start}"]')).to_have_count(0)
    expect(times(late_place).first).to_be_focused()
    expect(late_place.locator(".hb-slots [aria-pressed=true]")).to_have_count(0)
    expect(late_place.get_by_label("Name", exact=True)).to_have_value("Mario Borg")
    expect(late_place.get_by_label("E-mail", exact=True)).to_have_value("mario@example.org")
    expect(late_place.get_by_label("What would you like to talk about?")).to_have_value(
        "Packaging for honey"
    )
    screenshot(late, "taken")

    other = choose_first_time(late_place)
    book(late_place)
    expect(late_place.locator(".hb-done")).to_be_visible()
    by_customer = {booking["customerKey"]: booking for booking in bookings(store)}
    assert by_customer["ana@example.org"]["start"] == instant(start)
    assert by_customer["mario@example.org"]["start"] == instant(other)


def test_an_answer_lost_on_the_way_is_retried_with_the_same_id_and_booked_once(
    visit, live_stack, store
):
    page = visit("/site/#booking")
    place = widget(page)
    choose_first_time(place)
    fill_in(place, "Karl Farrugia", "karl@example.org")
    like_a_person(page)
    sent: list[dict] = []
    page.on(
        "request",
        lambda request: (
            request.method == "POST"
            and request.url.endswith("/book")
            and sent.append(request.post_data_json)
        ),
    )

    def lose_the_answer(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        route.fetch()  # the booking is made…
        route.abort("connectionreset")  # …and its answer never arrives

    page.route(f"{live_stack.functions}/book", lose_the_answer)
    book(place)

    expect(place.locator(".hb-form .hb-status")).to_contain_text("please try again")
    expect(place.get_by_role("button", name="Try again")).to_be_enabled()
    expect(place.get_by_label("Name", exact=True)).to_have_value("Karl Farrugia")
    expect(place.locator(".hb-slots [aria-pressed=true]")).to_have_count(1)
    assert len(bookings(store)) == 1

    page.unroute(f"{live_stack.functions}/book")
    book(place)

    expect(place.locator(".hb-done")).to_be_visible()
    assert len(sent) == 2
    assert sent[0]["submission_id"] == sent[1]["submission_id"]
    assert len(bookings(store)) == 1


def test_a_time_changed_after_a_lost_answer_shows_the_call_that_was_booked(
    visit, live_stack, store, screenshot
):
    page = visit("/site/#booking")
    place = widget(page)
    first = choose_first_time(place)
    fill_in(place, "Karl Farrugia", "karl@example.org")
    like_a_person(page)

    def lose_the_answer(route: Route) -> None:
        if route.request.method == "POST":
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(f"{live_stack.functions}/book", lose_the_answer)
    book(place)
    expect(place.get_by_role("button", name="Try again")).to_be_enabled()
    page.unroute(f"{live_stack.functions}/book")
    times(place).nth(3).click()  # the visitor changes their mind before trying again
    book(place)

    done = place.locator(".hb-done")
    expect(done).to_contain_text("Your first try had already gone through")
    expect(done.locator(".hb-when")).to_have_text(re.compile(f"^{in_words(first, LONDON).pattern}"))
    screenshot(page)
    assert [booking["start"] for booking in bookings(store)] == [instant(first)]


def test_a_field_the_server_refuses_is_explained_beside_it(visit, store, screenshot):
    page = visit("/site/#booking")
    place = widget(page)
    start = choose_first_time(place)
    fill_in(place, "Ana", "ana@example")  # fine for the browser, not a real address
    like_a_person(page)
    book(place)

    email = place.get_by_label("E-mail", exact=True)
    error = page.locator(f"#{email.get_attribute('aria-describedby')}")  # read with the field
    expect(error).to_be_visible()
    expect(error).to_contain_text("not a valid e-mail address")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_be_focused()
    expect(place.locator(f'.hb-slots button[data-start="{start}"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(place.get_by_label("Name", exact=True)).to_have_value("Ana")
    screenshot(page)
    accessible(page, "the booking widget with a field refused beside it")
    assert bookings(store) == []

    email.fill("ana@example.org")
    book(place)
    expect(place.locator(".hb-done")).to_be_visible()
    assert [booking["start"] for booking in bookings(store)] == [instant(start)]


def test_the_keyboard_alone_books_a_call_on_a_small_screen(visit, store, screenshot):
    page = visit("/site/book.html", width=360)
    place = widget(page)
    expect(times(place).first).to_be_enabled()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    accessible(page, "book.html showing free times on a phone")

    open_days(place).first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(open_days(place).nth(1)).to_have_attribute("aria-pressed", "true")
    submit = place.locator(".hb-submit")
    submit_at = submit.evaluate("button => button.getBoundingClientRect().top + scrollY")
    page.keyboard.press("Tab")  # the days are one stop: on to the times
    expect(times(place).first).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    expect(times(place).nth(1)).to_have_attribute("aria-pressed", "true")
    start = times(place).nth(1).get_attribute("data-start")
    page.keyboard.press("Tab")
    expect(place.get_by_label("Name", exact=True)).to_be_focused()
    page.keyboard.type("Lina Vella")
    page.keyboard.press("Tab")
    page.keyboard.type("lina@example.org")
    # Choosing a time and typing moved nothing on the page.
    assert submit.evaluate("button => button.getBoundingClientRect().top + scrollY") == submit_at
    screenshot(page, "chosen")
    like_a_person(page)
    page.keyboard.press("Enter")

    expect(place.locator(".hb-done")).to_be_focused()
    screenshot(page, "booked")
    [booking] = bookings(store)
    assert booking["start"] == instant(start)


# --- The manage page, from the confirmation's signed link ---------------------------


def booked(stack: Stack, name: str) -> dict:
    """A call booked over HTTP the way the widget books it; the booking as answered."""
    days = requests.get(
        f"{stack.functions}/availability", params={"tz": "Europe/London"}, timeout=30
    ).json()["days"]
    start = [day for day in days if day["slots"]][1]["slots"][0]["start"]
    response = requests.post(
        f"{stack.functions}/book",
        json={
            "email": "ana@example.org",
            "name": name,
            "start": start,
            "tz": "Europe/London",
            "submission_id": "manage-page-test-1",
        },
        headers={"Origin": stack.web},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return response.json()["booking"]


def test_the_manage_page_gives_the_calendar_file_moves_and_cancels_the_call(
    visit, live_stack, store, screenshot
):
    call = booked(live_stack, name="<img src=x onerror=window.pwned=1>")
    page = visit(site_path(call["manageUrl"]))
    manage = page.locator("[data-hearth-manage]")
    expect(manage.locator(".hb-state")).to_have_text("Confirmed")
    expect(manage.locator(".hb-when")).to_have_text(
        re.compile(f"^{in_words(call['start'], LONDON).pattern}")
    )
    expect(manage.get_by_role("link", name=call["videoLink"])).to_be_visible()
    expect(manage.locator(".hb-who")).to_have_text("Booked for <img src=x onerror=window.pwned=1>")
    assert manage.locator("img").count() == 0
    assert page.evaluate("window.pwned") is None
    screenshot(page, "confirmed")
    accessible(page, "the manage page of a confirmed call")

    with page.expect_download() as download:
        manage.get_by_role("link", name="Download calendar file (.ics)").click()
    ics = Path(download.value.path()).read_text()
    assert ics.startswith("BEGIN:VCALENDAR")
    assert f"DTSTART:{instant(call['start']):%Y%m%dT%H%M%SZ}" in ics
    assert download.value.suggested_filename.endswith(".ics")

    manage.get_by_role("button", name="Reschedule").click()
    panel = manage.locator(".hb-panel")
    expect(times(panel).first).to_be_enabled()
    expect(panel.locator(".hb-types")).to_be_hidden()  # a call keeps its kind
    open_days(panel).nth(2).click()
    new_start = choose_first_time(panel)
    accessible(page, "the manage page's new times with one chosen")
    panel.get_by_role("button", name=re.compile("^Move to ")).click()

    expect(manage.locator(":scope > .hb-status")).to_contain_text("Your call is moved to")
    expect(manage.locator(".hb-when")).to_have_text(
        re.compile(f"^{in_words(new_start, LONDON).pattern}")
    )
    stored = store.collection("bookings").document(call["id"]).get().to_dict()
    assert (stored["start"], stored["status"]) == (instant(new_start), "confirmed")
    screenshot(page, "moved")

    manage.get_by_role("button", name="Cancel this call").click()
    manage.get_by_label("Reason").fill("Something came up")
    manage.get_by_role("button", name="Yes, cancel it").click()

    expect(manage.locator(".hb-state")).to_have_text("Cancelled")
    expect(manage.locator(":scope > .hb-status")).to_have_text("Your call is cancelled.")
    expect(manage.get_by_role("button", name="Reschedule")).to_have_count(0)
    assert store.collection("bookings").document(call["id"]).get().get("status") == "cancelled"
    screenshot(page, "cancelled")
    accessible(page, "the manage page of a cancelled call")


def test_a_new_time_taken_meanwhile_is_said_beside_the_times_on_the_manage_page(
    visit, live_stack, store
):
    call = booked(live_stack, name="Ana Borg")
    page = visit(site_path(call["manageUrl"]))
    manage = page.locator("[data-hearth-manage]")
    manage.get_by_role("button", name="Reschedule").click()
    panel = manage.locator(".hb-panel")
    open_days(panel).nth(2).click()
    wanted = choose_first_time(panel)
    # Someone else books that time while the page is open.
    response = requests.post(
        f"{live_stack.functions}/book",
        json={"email": "rita@example.org", "start": wanted, "submission_id": "someone-else-1"},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    panel.get_by_role("button", name=re.compile("^Move to ")).click()

    expect(panel.locator(".hb-status")).to_have_text(TAKEN)
    expect(panel.locator(".hb-status")).to_be_in_viewport()
    expect(panel.locator(f'.hb-slots button[data-start="{wanted}"]')).to_have_count(0)
    expect(panel.get_by_role("button", name="Choose a new time")).to_be_disabled()
    stored = store.collection("bookings").document(call["id"]).get().to_dict()
    assert stored["start"] == instant(call["start"])


def test_the_manage_page_with_a_wrong_token_shows_no_booking(visit, live_stack, store):
    call = booked(live_stack, name="Ana Borg")
    page = visit(f"/site/booking.html?id={call['id']}&token=not-the-token")
    manage = page.locator("[data-hearth-manage]")

    expect(manage).to_contain_text("This link does not match a booking.")
    expect(manage).not_to_contain_text("Ana Borg")
    expect(manage.get_by_role("button")).to_have_count(0)
    accessible(page, "the manage page of a link that matches no booking")


# --- The script itself ----------------------------------------------------------------


def test_the_widget_script_is_small_and_standalone():
    source = SCRIPT.read_text()
    assert len(gzip.compress(source.encode(), compresslevel=9)) < 8 * 1024
    assert not re.search(r"^\s*import\s|require\(|importScripts\(", source, re.MULTILINE)


def test_the_stack_serves_the_widget_as_javascript(live_stack):
    response = requests.get(f"{live_stack.web}/book.js", timeout=30)

    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == "text/javascript"
    assert response.content == SCRIPT.read_bytes()


def test_the_widget_never_parses_text_as_html():
    source = SCRIPT.read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source


def test_hosting_deploys_the_widget_beside_the_forms_script():
    config = json.loads((ROOT / "firebase.json").read_text())
    copy = next(step for step in config["hosting"]["predeploy"] if step.startswith("cp "))
    assert "web/book.js" in copy.split("&&")[0]
    assert "web/forms.js" in copy.split("&&")[0]


def test_the_site_names_the_functions_address_in_one_place():
    site = ROOT / "web" / "site"
    for page in ("index.html", "book.html", "booking.html"):
        html = (site / page).read_text()
        assert '<script src="config.js"></script>' in html
        assert '<script src="/book.js" defer></script>' in html
        assert not re.search(r"data-hearth-(booking|manage)[^>]*data-endpoint", html)
    assert "window.HEARTH_FUNCTIONS_URL" in (site / "config.js").read_text()
