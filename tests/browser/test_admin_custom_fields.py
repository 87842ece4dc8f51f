"""The owner's typed custom fields on the customer page, in a real browser on the real
emulators: a labelled input of each type (required marked), saved through the PATCH API
as its type, other keys shown read-only as text, the 409 conflict panel when someone
else saved first, by keyboard, at desktop width and at 390 px, with axe passing."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    LIVE_MS,
    OWNER,
    OWNER_2,
    XSS,
    World,
    accessible,
    fresh_world,
    go,
    no_error_shown,
    wait_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("patient_expect")]

FIELDS = [
    {"key": "budget", "label": "Budget", "type": "money", "required": True},
    {"key": "team_size", "label": "Team size", "type": "number"},
    {"key": "launch", "label": "Launch day", "type": "date"},
    {"key": "size", "label": "Size", "type": "select", "options": ["Small", "Large"]},
    {"key": "products", "label": "Products", "type": "multi_select", "options": ["Logo", "Web"]},
    {"key": "vat", "label": "VAT registered", "type": "yes_no"},
    {"key": "notes", "label": "Notes", "type": "text"},
]


@pytest.fixture(scope="module")
def world(admin_stack, firestore_emulator, auth_emulator) -> World:
    world = fresh_world(admin_stack, firestore_emulator, auth_emulator)
    world.add_staff("owner", "owner-1", OWNER)
    world.add_staff("owner", "owner-2", OWNER_2)
    response = requests.put(
        f"{world.functions}/admin/settings/fields",
        json={"fields": FIELDS},
        headers=world.headers(OWNER),
        timeout=30,
    )
    assert response.status_code == 200, response.text
    for email in ("typed@example.com", "narrow@example.com", "conflict@example.com"):
        world.add_customer(email, "Ana Typed")
        world.client.collection("customers").document(email).update(
            {"custom": {"budget": 150050, "old note": XSS}}
        )
    return world


def open_customer(page: Page, key: str) -> None:
    go(page, f"#/customers/{quote(key, safe='')}")
    expect(page.locator(f'[data-testid=customer-detail][data-key="{key}"]')).to_be_visible()


def open_edit(page: Page) -> None:
    page.locator("[data-testid=edit]").click()
    expect(page.locator("[data-testid=typed-editor]")).to_be_visible()


def test_each_type_has_its_input_and_saves_as_its_type_by_keyboard(owner, world, screenshot):
    page = owner.page
    key = "typed@example.com"
    open_customer(page, key)
    details = page.locator("[data-testid=typed-fields]")
    expect(details.locator('[data-field="custom.budget"]')).to_have_text("€1,500.50")
    other = page.locator("[data-testid=custom-fields]")
    expect(other.locator('[data-field="custom.old note"]')).to_have_text(XSS)  # text, not HTML

    open_edit(page)
    editor = page.locator("[data-testid=typed-editor]")
    expect(editor.get_by_label("Budget (required)")).to_have_value("1500.50")
    expect(editor.locator("[data-testid=other-fields]")).to_contain_text(XSS)
    expect(editor.get_by_label("Launch day")).to_have_attribute("type", "date")
    expect(editor.get_by_label("Team size")).to_have_attribute("type", "number")
    accessible(page, "the typed custom fields being edited")

    # Everything by keyboard: focus the first input, then Tab and type.
    editor.get_by_label("Budget (required)").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("2400.5")
    page.keyboard.press("Tab")
    page.keyboard.type("12")
    expect(editor.get_by_label("Team size")).to_be_focused()
    editor.get_by_label("Launch day").fill("2026-09-30")
    editor.get_by_label("Size", exact=True).select_option("Large")
    editor.get_by_role("checkbox", name="Web").focus()
    page.keyboard.press("Space")
    editor.get_by_role("radio", name="Yes").focus()
    page.keyboard.press("Space")
    editor.get_by_label("Notes", exact=True).focus()
    page.keyboard.type("Prefers mornings")
    page.keyboard.press("Enter")  # submits the form

    wait_for(lambda: world.customer(key)["custom"].get("notes"), what="the save stored")
    assert world.customer(key)["custom"] == {
        "budget": 240050,
        "team_size": 12,
        "launch": "2026-09-30",
        "size": "Large",
        "products": ["Web"],
        "vat": True,
        "notes": "Prefers mornings",
        "old note": XSS,
    }
    expect(page.locator("[data-testid=typed-editor]")).to_have_count(0)
    expect(details.locator('[data-field="custom.products"]')).to_have_text("Web")
    expect(details.locator('[data-field="custom.vat"]')).to_have_text("Yes")
    change = page.locator(
        '[data-testid=timeline-item][data-type=change] [data-change="custom.budget"]'
    )
    expect(change).to_contain_text("Budget (custom)", timeout=LIVE_MS)
    expect(change).to_contain_text("€1,500.50")
    expect(change).to_contain_text("€2,400.50")
    no_error_shown(owner)
    screenshot(page, "typed-fields")


def test_a_required_field_left_empty_is_refused_and_nothing_is_saved(owner, world):
    page = owner.page
    key = "narrow@example.com"
    open_customer(page, key)
    open_edit(page)
    budget = page.locator("[data-testid=typed-editor]").get_by_label("Budget (required)")
    budget.fill("")
    page.locator("form[data-testid=edit-form] button[type=submit]").click()

    expect(page.locator('[data-error="custom.budget"]')).to_have_text("Budget is required.")
    expect(budget).to_have_attribute("aria-invalid", "true")
    assert world.customer(key)["custom"]["budget"] == 150050
    page.locator("[data-testid=edit-cancel]").click()


def test_at_390_pixels_the_typed_fields_fit_and_pass_axe(owner, world, screenshot):
    page = owner.page
    page.set_viewport_size({"width": 390, "height": 800})
    try:
        open_customer(page, "narrow@example.com")
        open_edit(page)
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        screenshot(page, "typed-fields-390")
        assert width[0] <= width[1], f"{width[0]} px wide in a {width[1]} px window"
        accessible(page, "the typed custom fields on a phone")
        page.locator("[data-testid=edit-cancel]").click()
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def test_someone_elses_save_meanwhile_opens_the_conflict_panel(owner, world):
    page = owner.page
    key = "conflict@example.com"
    open_customer(page, key)
    open_edit(page)
    editor = page.locator("[data-testid=typed-editor]")
    editor.get_by_label("Team size").fill("7")
    editor.get_by_label("Budget").fill("2000")

    seen = world.customer(key)["updatedAt"]
    response = requests.patch(
        f"{world.functions}/admin/customers/{quote(key, safe='')}",
        json={
            "expected_updated_at": seen.isoformat(),
            "changes": {"custom": {"budget": "99"}},
            "request_id": uuid.uuid4().hex,
        },
        headers=world.headers(OWNER_2),
        timeout=30,
    )
    assert response.status_code == 200, response.text
    expect(page.locator('[data-testid=typed-fields] [data-field="custom.budget"]')).to_have_count(
        0
    )  # the edit form is open: details are hidden
    wait_for(lambda: world.customer(key)["custom"]["budget"] == 9900, what="their save")
    page.locator("form[data-testid=edit-form] button[type=submit]").click()

    conflict = page.locator("[data-testid=conflict]")
    expect(conflict).to_be_visible(timeout=LIVE_MS)
    assert "team_size" not in world.customer(key)["custom"]  # nothing of ours was written
    # Money reads as money on both sides: mine as typed, theirs as stored (minor units).
    budget = conflict.locator('[data-testid=conflict-field][data-field="custom.budget"]')
    expect(budget.locator("th")).to_have_text("Budget")
    expect(budget.locator("[data-testid=conflict-mine]")).to_have_text("€2,000.00")
    expect(budget.locator("[data-testid=conflict-theirs]")).to_have_text("€99.00")
    team = conflict.locator('[data-testid=conflict-field][data-field="custom.team_size"]')
    expect(team.locator("[data-testid=conflict-theirs]")).to_have_text("(not set)")
