"""The whole path of a booked call, in real Chromium: a visitor books on the demo site,
and the owner sees the call in the admin calendar and the bell, with its Meet link,
and opens the customer from it.

Everything is real but Google, which is devstack's fake Calendar server reached by the
real client: the stack's functions, the Firestore and Auth emulators, the widget and
the admin page as they ship.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    MALTA,
    OWNER,
    accessible,
    fresh_world,
    like_a_person,
    open_page,
    sign_in,
)
from tests.stacks import Stack

pytestmark = pytest.mark.browser

LIVE_MS = 15_000


@pytest.fixture
def stack(admin_stack, firestore_emulator, auth_emulator) -> Iterator[Stack]:
    """An empty studio open around the clock with no notice, so a call can be booked for
    today whenever the test runs (from half past eleven at night, Malta time, for
    tomorrow: the first free time)."""
    world = fresh_world(admin_stack, firestore_emulator, auth_emulator)
    every_day = {day: ["00:00-24:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    world.client.collection("settings").document("booking").set(
        {"hours": every_day, "minNoticeMinutes": 0, "bufferMinutes": 0}
    )
    world.accounts.create("owner", uid="owner-1", email=OWNER)
    yield admin_stack


def visitor_books_today(browser, stack) -> tuple[Page, str]:
    context = browser.new_context(locale="en-GB", timezone_id="Europe/Malta")
    context.add_init_script(f"window.HEARTH_FUNCTIONS_URL = {json.dumps(stack.functions)};")
    page = context.new_page()
    page.goto(f"{stack.web}/site/#booking")
    place = page.locator("[data-hearth-booking]")
    first_day = place.locator(".hb-days button:not(:disabled)").first
    expect(first_day).to_be_visible(timeout=LIVE_MS)
    first_day.click()
    slot = place.locator(".hb-slots button").first
    expect(slot).to_be_enabled()
    start = slot.get_attribute("data-start")
    slot.click()
    place.get_by_label("Name", exact=True).fill("Ana Borg")
    place.get_by_label("E-mail", exact=True).fill("ana.borg@example.org")
    like_a_person(page)
    place.get_by_role("button", name="Book this time").click()
    done = place.locator(".hb-done")
    expect(done.get_by_role("heading")).to_have_text("You’re booked", timeout=LIVE_MS)
    expect(done.locator("a[href^='https://meet.google.com/']")).to_be_visible()
    return page, start


def test_a_call_booked_on_the_site_is_in_the_admin_calendar_and_the_bell(
    browser, stack, screenshot
) -> None:
    site, start = visitor_books_today(browser, stack)
    screenshot(site, "site")
    when = datetime.fromisoformat(start.replace("Z", "+00:00")).astimezone(MALTA)
    # From 23:30 Malta time no slot is left today: the first free time is tomorrow's.
    booked_today = when.date() == datetime.now(MALTA).date()
    meet_link = site.locator(".hb-done a[href^='https://meet.google.com/']").get_attribute("href")
    (event,) = [e for e in stack.calendar.events if e["status"] != "cancelled"]
    assert event["attendees"][0]["email"] == "ana.borg@example.org"

    admin = open_page(browser, stack.web).page
    sign_in(admin, OWNER)

    # The bell, on the first screen: one call today, with its time and Meet link (a call
    # booked late at night for tomorrow is not one of today's: the bell stays at 0).
    count = admin.locator("[data-testid=bell-count]")
    if not booked_today:
        expect(admin.locator("[data-testid=dashboard]")).to_be_visible(timeout=LIVE_MS)
        expect(count).to_have_text("0", timeout=LIVE_MS)
    else:
        expect(count).to_have_text("1", timeout=LIVE_MS)
        admin.locator("button[data-testid=bell]").click()
        item = admin.locator("[data-testid=bell-item]")
        expect(item).to_contain_text(when.strftime("%H:%M"))
        expect(item).to_contain_text("Ana Borg")
        expect(item.locator("a[data-testid=bell-video]")).to_have_attribute("href", meet_link)
        screenshot(admin, "bell")
        admin.keyboard.press("Escape")

    # The calendar, today's day view: the call at its Malta time; it opens the customer.
    admin.evaluate("day => { location.hash = '#/calendar/day/' + day; }", when.date().isoformat())
    call = admin.locator("[data-testid=cal-event]").filter(has_text="Ana Borg")
    expect(call).to_be_visible(timeout=LIVE_MS)
    expect(call.locator("[data-testid=cal-time]")).to_have_text(when.strftime("%H:%M"))
    screenshot(admin, "calendar")
    accessible(admin, "today's day view with the call booked on the site")
    call.click()
    detail = admin.locator('[data-testid=customer-detail][data-key="ana.borg@example.org"]')
    expect(detail).to_be_visible(timeout=LIVE_MS)
    expect(detail).to_contain_text("Call booked")
    expect(detail.locator(f'a[href="{meet_link}"]').first).to_be_visible()
    accessible(admin, "the customer the booking made, with their call")
    admin.context.close()
    site.context.close()
