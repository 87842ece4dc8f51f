"""Follow-up tasks in a real browser: the Tasks screen, a customer's open tasks with Done
and "Add follow-up", and the owner's "Open tasks" panel.

The page reads tasks under firestore.rules (a rep only theirs) and changes them only
through the admin API; the sweep is called over HTTP as the scheduler calls it. Tasks
are made by the store's own writer (World.add_task), customers by the production
intake. One signed-in page per person is shared by the module.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    LIVE_MS,
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
    wait_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("patient_expect")]

ANA = "ana@example.com"
BEN = "ben@example.com"
CARA = "cara@example.com"


@pytest.fixture(scope="module")
def world(admin_stack, firestore_emulator, auth_emulator) -> World:
    world = fresh_world(admin_stack, firestore_emulator, auth_emulator)
    for role, uid, email in (
        ("owner", "owner-1", OWNER),
        ("rep", "rep-a", REP_A),
        ("rep", "rep-b", REP_B),
    ):
        world.add_staff(role, uid, email)
    world.add_customer(ANA, "Ana Borg", ownerUid="rep-a")
    world.add_customer(CARA, "Cara Zammit", ownerUid="rep-a")
    world.add_customer(BEN, "Ben Vella", ownerUid="rep-b")
    now = datetime.now(UTC)
    world.add_task(
        "a-later",
        customer=ANA,
        name="Ana Borg",
        owner_uid="rep-a",
        title="Send the proposal",
        due=now + timedelta(days=2),
    )
    world.add_task(
        "a-late",
        customer=ANA,
        name="Ana Borg",
        owner_uid="rep-a",
        title="Call back",
        due=now - timedelta(hours=3),
    )
    world.add_task(
        "c-soon",
        customer=CARA,
        name="Cara Zammit",
        owner_uid="rep-a",
        title=XSS,
        due=now + timedelta(hours=5),
    )
    world.add_task(
        "b-late",
        customer=BEN,
        name="Ben Vella",
        owner_uid="rep-b",
        title="Chase the deposit",
        due=now - timedelta(days=1),
    )
    return world


def shown_tasks(page: Page) -> list[str]:
    return page.locator("[data-testid=tasks] [data-testid=task]").evaluate_all(
        "items => items.map(item => item.getAttribute('data-id'))"
    )


def task(page: Page, task_id: str):
    return page.locator(f'[data-testid=task][data-id="{task_id}"]')


def test_a_rep_sees_only_their_tasks_overdue_first_and_marked_after_the_sweep(rep, world):
    assert world.sweep()["overdue"] == 2
    assert world.task("a-late")["overdue"] is True
    page = rep.page
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Tasks").click()
    expect(page).to_have_url(re.compile(r"#/tasks$"))
    wait_for(lambda: shown_tasks(page) == ["a-late", "c-soon", "a-later"], what="rep A's tasks")
    expect(task(page, "a-late")).to_have_attribute("data-overdue", "true")
    expect(task(page, "a-late").locator("[data-testid=task-overdue]")).to_have_text("Overdue")
    expect(task(page, "a-later")).to_have_attribute("data-overdue", "false")
    expect(page.locator("[data-testid=tasks-summary]")).to_contain_text("3 open, 1 overdue")
    # A title made of HTML is shown as text.
    expect(task(page, "c-soon").locator("[data-testid=task-title]")).to_have_text(XSS)
    expect(task(page, "c-soon").locator("img")).to_have_count(0)
    # Rep B's task is not asked for, so nothing was refused either.
    no_error_shown(rep)
    accessible(page, "a rep's tasks")


def test_done_by_keyboard_takes_the_task_off_the_list_and_onto_the_timeline(rep, world):
    page = rep.page
    go(page, "#/tasks")
    expect(task(page, "a-late")).to_be_visible(timeout=LIVE_MS)
    button = task(page, "a-late").locator("[data-testid=task-done]")
    button.focus()
    page.keyboard.press("Enter")
    expect(task(page, "a-late")).to_have_count(0, timeout=LIVE_MS)
    wait_for(lambda: world.task("a-late").get("done") is True, what="the task stored as done")
    assert world.task("a-late")["doneBy"] == {"uid": "rep-a", "role": "rep"}
    # The keyboard user is left on the next Done button, not on nothing.
    wait_for(
        lambda: page.evaluate("document.activeElement?.dataset?.testid") == "task-done",
        what="focus on the next Done",
    )
    go(page, f"#/customers/{quote(ANA, safe='')}")
    done_entry = page.locator("[data-testid=timeline-item][data-type=task_done]")
    expect(done_entry).to_contain_text("Follow-up done: Call back")
    no_error_shown(rep)


def test_a_customers_page_lists_open_tasks_and_adds_a_follow_up_by_keyboard(rep, world):
    page = rep.page
    go(page, f"#/customers/{quote(CARA, safe='')}")
    section = page.locator("[data-testid=customer-tasks]")
    expect(section.locator("[data-testid=task]")).to_have_count(1, timeout=LIVE_MS)
    expect(section.locator('[data-testid=task][data-id="c-soon"]')).to_be_visible()

    # An empty title is refused beside its field, and nothing is sent.
    section.locator("[data-testid=task-add]").click()
    expect(section.locator("[data-testid=task-title-error]")).to_have_text("Say what to do.")
    assert len(world.tasks_of(CARA)) == 1

    title = section.locator("[data-testid=task-title-input]")
    title.focus()
    page.keyboard.type("Ask about the sample")
    page.keyboard.press("Tab")  # to the day: tomorrow is filled in
    page.keyboard.press("Tab")  # to the time: 09:00
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Add follow-up
    expect(section.locator("[data-testid=task-form-ok]")).to_have_text("Follow-up added.")
    expect(section.locator("[data-testid=task]")).to_have_count(2, timeout=LIVE_MS)
    [added] = [t for t in world.tasks_of(CARA) if t["title"] == "Ask about the sample"]
    assert added["ownerUid"] == "rep-a" and added["done"] is False
    assert added["due"].hour in (7, 8)  # 09:00 in Malta is 07:00 or 08:00 UTC
    expect(page.locator("[data-testid=timeline-item][data-type=task]").first).to_contain_text(
        "Follow-up set: Ask about the sample"
    )
    expect(title).to_have_value("")
    no_error_shown(rep)
    accessible(page, "a customer's open tasks and the Add follow-up form")


def test_the_owner_sees_everyones_tasks_and_the_open_tasks_panel(owner, world):
    page = owner.page
    go(page, "#/dashboard")
    panel = page.locator("[data-testid=open-tasks]")
    open_now = sum(1 for t in world.client.collection("tasks").stream() if not t.to_dict()["done"])
    late_now = sum(
        1
        for t in world.client.collection("tasks").stream()
        if not t.to_dict()["done"] and t.to_dict()["overdue"]
    )
    expect(panel.locator("[data-testid=tasks-open] .tile-value")).to_have_text(
        str(open_now), timeout=LIVE_MS
    )
    expect(panel.locator("[data-testid=tasks-overdue] .tile-value")).to_have_text(str(late_now))
    panel.locator("[data-testid=tasks-link]").click()
    expect(page).to_have_url(re.compile(r"#/tasks$"))
    wait_for(lambda: "b-late" in shown_tasks(page), what="rep B's task in the owner's list")
    assert shown_tasks(page)[0] == "b-late"  # the overdue one first
    expect(task(page, "b-late")).to_contain_text("for rep-b")
    expect(task(page, "b-late").locator("[data-testid=task-customer]")).to_have_text("Ben Vella")
    no_error_shown(owner)
    accessible(page, "the owner's tasks")


def test_at_390_pixels_the_tasks_fit_and_pass_axe(rep, screenshot):
    page = rep.page
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        go(page, "#/tasks")
        expect(page.locator("[data-testid=tasks] [data-testid=task]").first).to_be_visible(
            timeout=LIVE_MS
        )
        fits(page)
        screenshot(page, "tasks")
        accessible(page, "the tasks at 390 px")
        go(page, f"#/customers/{quote(ANA, safe='')}")
        section = page.locator("[data-testid=customer-tasks]")
        expect(section.locator("[data-testid=task]").first).to_be_visible(timeout=LIVE_MS)
        section.scroll_into_view_if_needed()
        fits(page)
        screenshot(page, "customer")
        accessible(page, "a customer's tasks at 390 px")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
