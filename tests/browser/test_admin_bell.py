"""The bell of a rep in a real browser, on whatever page they are: a lead routed to them
today (the real intake, then the real router with the owner's rule) appears in it
without a reload (its name shown as text, the routing reason, a link to the customer), an overdue task appears once the sweep marks it, the badge counts both with
a label that says so; leads assigned before today and other reps' are not asked for;
axe with the bell open at desktop width and at 390 px.

Everything the bell shows is read live from Firestore under firestore.rules (a refused
query would show in the console, which no_error_shown checks).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    LIVE_MS,
    MALTA,
    OWNER,
    REP_A,
    REP_B,
    XSS,
    World,
    accessible,
    fits,
    fresh_world,
    go,
    no_error_shown,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("patient_expect")]

LEAD = "lina.bell@example.com"
LEAD_NAME = f"Lina {XSS}"
OLD = "olga.bell@example.com"
OTHERS = "otto.bell@example.com"


@pytest.fixture(scope="module")
def world(admin_stack, firestore_emulator, auth_emulator) -> World:
    world = fresh_world(admin_stack, firestore_emulator, auth_emulator)
    world.add_staff("owner", "owner-1", OWNER)
    world.add_staff("rep", "rep-a", REP_A)
    world.add_staff("rep", "rep-b", REP_B)
    midnight = datetime.now(MALTA).replace(hour=0, minute=0, second=0, microsecond=0)
    # Assigned to rep A yesterday: theirs, but not today's news.
    world.add_customer(OLD, "Olga Old", ownerUid="rep-a", assignedAt=midnight - timedelta(hours=2))
    # Rep B's lead of today: never in rep A's bell (nor asked for: the rules would refuse).
    world.add_customer(OTHERS, "Otto Other", ownerUid="rep-b", assignedAt=datetime.now(UTC))
    # The owner's routing: Maltese mobiles to rep A, anyone else to rep B.
    response = requests.put(
        f"{world.functions}/admin/settings/routing",
        json={
            "rules": [{"id": "malta", "match": {"country": "MT"}, "action": {"rep": "rep-a"}}],
            "fallback": {"rep": "rep-b"},
        },
        headers=world.headers(OWNER),
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return world


def bell_count(page: Page):
    return page.locator("[data-testid=bell-count]")


def open_bell(page: Page) -> None:
    if page.locator("[data-testid=bell-list]").count() == 0:
        page.locator("button[data-testid=bell]").click()
    expect(page.locator("[data-testid=bell-list]")).to_be_visible()


def test_a_lead_assigned_today_and_an_overdue_task_appear_in_the_reps_bell_live(
    rep, world, screenshot
):
    page = rep.page
    go(page, "#/board")
    expect(page.locator("[data-testid=board]")).to_be_visible(timeout=LIVE_MS)
    page.evaluate("window.__notReloaded = true")
    bell = page.locator("button[data-testid=bell]")
    expect(bell_count(page)).to_have_text("0", timeout=LIVE_MS)
    expect(bell).to_have_attribute(
        "aria-label", "0 today: 0 calls, 0 new leads, 0 overdue tasks", timeout=LIVE_MS
    )

    # A lead from the website, through the real intake: routed to rep A at once.
    response = requests.post(
        f"{world.functions}/intake",
        json={
            "form": "contact",
            "email": LEAD,
            "name": LEAD_NAME,
            "mobile": "+356 7912 3456",
            "elapsed_ms": 5000,
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text
    expect(bell_count(page)).to_have_text("1", timeout=LIVE_MS)
    expect(bell).to_have_attribute("aria-label", "1 today: 0 calls, 1 new lead, 0 overdue tasks")

    # A follow-up of theirs that was due yesterday: overdue once the sweep says so.
    world.add_task(
        "bell-late",
        customer=LEAD,
        name=LEAD_NAME,
        owner_uid="rep-a",
        title="Call Lina back",
        due=datetime.now(UTC) - timedelta(days=1),
    )
    world.sweep()
    expect(bell_count(page)).to_have_text("2", timeout=LIVE_MS)
    expect(bell).to_have_attribute("aria-label", "2 today: 0 calls, 1 new lead, 1 overdue task")

    # By keyboard: the bell opens with Enter and lists both, grouped.
    bell.focus()
    page.keyboard.press("Enter")
    listing = page.locator("[data-testid=bell-list]")
    expect(listing).to_be_visible()
    leads = listing.locator("[data-testid=bell-lead]")
    expect(leads).to_have_count(1)
    expect(leads.first).to_have_attribute("data-key", LEAD)
    expect(leads.first.locator("[data-testid=bell-lead-link]")).to_have_text(LEAD_NAME)
    expect(leads.first.locator("[data-testid=bell-lead-reason]")).to_have_text(
        world.customer(LEAD)["routedBy"]["reason"]
    )
    expect(listing.locator("img")).to_have_count(0)
    tasks = listing.locator("[data-testid=bell-task]")
    expect(tasks).to_have_count(1)
    expect(tasks.first.locator("[data-testid=bell-task-link]")).to_have_text("Call Lina back")
    expect(tasks.first.locator("[data-testid=bell-task-link]")).to_have_attribute("href", "#/tasks")
    expect(listing.locator("[data-testid=bell-calls-none]")).to_be_visible()
    screenshot(page, "rep-bell")
    accessible(page, "a rep's bell open, at desktop width")

    # The lead's link opens the customer, and the bell closes.
    leads.first.locator("[data-testid=bell-lead-link]").click()
    expect(page).to_have_url(re.compile(r"#/customers/lina\.bell%40example\.com$"))
    expect(page.locator(f'[data-testid=customer-detail][data-key="{LEAD}"]')).to_be_visible(
        timeout=LIVE_MS
    )
    expect(listing).to_have_count(0)

    # Done elsewhere: the task leaves the bell, live.
    world.client.collection("tasks").document("bell-late").update({"done": True})
    expect(bell_count(page)).to_have_text("1", timeout=LIVE_MS)
    assert page.evaluate("window.__notReloaded") is True
    no_error_shown(rep)


def test_at_390_pixels_the_reps_bell_fits_and_passes_axe(rep, screenshot):
    page = rep.page
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        go(page, "#/customers")
        open_bell(page)
        expect(page.locator("[data-testid=bell-lead]")).to_have_count(1)
        fits(page)
        screenshot(page, "rep-bell-390")
        accessible(page, "a rep's bell open at 390 px")
        page.keyboard.press("Escape")
        expect(page.locator("[data-testid=bell-list]")).to_have_count(0)
        expect(page.locator("button[data-testid=bell]")).to_be_focused()
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def test_the_owners_bell_still_lists_only_todays_calls(owner):
    page = owner.page
    open_bell(page)
    expect(page.locator("[data-testid=bell-calls]")).to_be_visible()
    expect(page.locator("[data-testid=bell-leads]")).to_have_count(0)
    expect(page.locator("button[data-testid=bell]")).to_have_attribute(
        "aria-label", "0 calls today"
    )
    page.keyboard.press("Escape")
    no_error_shown(owner)
