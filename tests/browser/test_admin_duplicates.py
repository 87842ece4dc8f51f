"""The duplicates screen (#/duplicates, the owner's) in a real browser, walked as one flow
by keyboard: the pair listed with its reason, merged with the name taken from the other
record, the survivor's page showing the merge on its timeline, and the merge undone from
there; axe at desktop width and at 390 px."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    LIVE_MS,
    OWNER,
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

OLD, NEW = "ana.old@example.com", "anna.new@example.com"


@pytest.fixture(scope="module")
def world(admin_stack, firestore_emulator, auth_emulator) -> World:
    world = fresh_world(admin_stack, firestore_emulator, auth_emulator)
    world.add_staff("owner", "owner-1", OWNER)
    mobile = {"mobile": "+35679123456", "mobileValid": True}
    world.add_customer(
        OLD, "Ana Borg", at=datetime(2025, 3, 1, 9, tzinfo=UTC), company=f"Borg {XSS}", **mobile
    )
    world.add_customer(NEW, "Anna Borg", company="Borg Ltd", **mobile)
    world.add_customer("someone@example.com", "Someone Else", company="Vella")
    return world


def press(page: Page, selector: str, key: str = "Enter") -> None:
    """Reach a control by keyboard focus and use it with a key, as a keyboard user does."""
    page.locator(selector).focus()
    page.keyboard.press(key)


def test_a_pair_is_merged_and_undone_by_keyboard(owner, world):
    page = owner.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Duplicates").click()
    expect(page).to_have_url(re.compile(r"#/duplicates$"))
    pair = page.locator("[data-testid=duplicate-pair]")
    expect(pair).to_have_count(1, timeout=LIVE_MS)
    expect(pair.locator("[data-testid=duplicate-reasons]")).to_contain_text(
        "same mobile +356 7912 3456"
    )
    expect(pair.locator("[data-testid=duplicate-record]").first).to_contain_text(f"Borg {XSS}")
    expect(pair.locator("img")).to_have_count(0)
    accessible(page, "the duplicates screen")

    press(page, "[data-testid=merge-open]")
    panel = page.locator("[data-testid=merge-panel]")
    expect(panel.locator("h2")).to_be_focused()
    expect(panel.locator("[data-testid=merge-moves]")).to_contain_text("1 timeline entry")
    expect(panel.locator("[data-testid=merge-choice-name-survivor]")).to_be_checked()
    press(page, "[data-testid=merge-choice-name-other]", "Space")
    expect(panel.locator("[data-testid=merge-choice-name-other]")).to_be_checked()
    accessible(page, "the merge panel")
    press(page, "[data-testid=merge-confirm]")

    expect(page).to_have_url(re.compile(r"#/customers/ana\.old%40example\.com$"), timeout=LIVE_MS)
    merged = page.locator("[data-testid=timeline-item][data-type=merged]")
    expect(merged).to_contain_text(f"Merged with {NEW}", timeout=LIVE_MS)
    expect(merged.locator("[data-testid=merge-summary]")).to_contain_text(
        "Taken from the merged record: Name"
    )
    assert world.customer(NEW) == {} and world.customer(OLD)["name"] == "Anna Borg"

    press(page, "[data-testid=undo-merge]")
    expect(page.locator("[data-testid=undo-merge-said]")).to_have_text(
        "Merge undone.", timeout=LIVE_MS
    )
    expect(page.locator("[data-testid=timeline-item][data-type=unmerged]")).to_have_count(1)
    expect(page.locator("[data-testid=undo-merge]")).to_have_count(0)
    wait_for(lambda: world.customer(NEW).get("name") == "Anna Borg", what="the other is back")
    assert world.customer(OLD)["name"] == "Ana Borg"
    accessible(page, "a customer with a merge undone")

    # A long merge cut short stands "moving": both pages say so until it is finished.
    moving = {"done": 450, "total": 924}
    merges = world.client.collection("merges")
    merges.document("merge-moving-01").set(
        {"survivor": OLD, "other": NEW, "keys": [OLD, NEW], "state": "moving", "moving": moving}
    )
    page.set_viewport_size({"width": 390, "height": 844})
    banner = page.locator("[data-testid=merging-banner]")
    expect(banner).to_contain_text(f"Merging with {NEW}… (450 of 924)", timeout=LIVE_MS)
    fits(page)
    merges.document("merge-moving-01").delete()
    expect(banner).to_have_count(0, timeout=LIVE_MS)

    go(page, "#/duplicates")
    expect(page.locator("[data-testid=duplicate-pair]")).to_have_count(1, timeout=LIVE_MS)
    fits(page)
    accessible(page, "the duplicates screen at 390 px")
    press(page, "[data-testid=duplicate-dismiss]")
    expect(page.locator("[data-testid=duplicates-said]")).to_be_focused()
    expect(page.locator("[data-testid=duplicates-empty]")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    no_error_shown(owner)
