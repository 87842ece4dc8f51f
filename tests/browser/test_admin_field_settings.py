"""The owner's custom fields settings (#/settings/fields) in a real browser: fields added,
typed and reordered by keyboard and saved through the real admin function, the customer
page then offering an input of each new type; a key used twice refused by the server with
its message beside the key's input; at desktop width and at 390 px, with axe passing; a
manager and a rep sent elsewhere.

settings/fields is read live from Firestore under firestore.rules; nothing is written to
it but through PUT /admin/settings/fields.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
import requests
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import (
    LIVE_MS,
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
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("patient_expect")]

NOTES = {"key": "notes", "label": f"Notes {XSS}", "type": "text", "required": False}


@pytest.fixture(scope="module")
def world(admin_stack, firestore_emulator, auth_emulator) -> World:
    world = fresh_world(admin_stack, firestore_emulator, auth_emulator)
    world.add_staff("owner", "owner-1", OWNER)
    world.add_staff("rep", "rep-1", REP)
    world.add_staff("manager", "manager-1", MANAGER)
    response = requests.put(
        f"{world.functions}/admin/settings/fields",
        json={"fields": [NOTES]},
        headers=world.headers(OWNER),
        timeout=30,
    )
    assert response.status_code == 200, response.text
    world.add_customer("ana@example.com", "Ana Fields")
    return world


@pytest.fixture(scope="module")
def owner(sessions, world) -> Session:
    return on_the_customers_list(sessions(world, OWNER))


def fields_screen(page: Page) -> Locator:
    go(page, "#/settings/fields")
    screen = page.locator("[data-testid=settings][data-section=fields]")
    expect(screen.locator("[data-testid=field-row]").first).to_be_visible(timeout=LIVE_MS)
    return screen


def stored_fields(world: World) -> list[dict]:
    snapshot = world.client.collection("settings").document("fields").get()
    return (snapshot.to_dict() or {}).get("fields", []) if snapshot.exists else []


def choose(page: Page, select: Locator, value: str) -> None:
    """Pick an option of a focused select with the arrow keys, as a keyboard user does."""
    select.focus()
    for _ in range(10):
        if select.input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    expect(select).to_have_value(value)


def test_the_owner_adds_a_select_and_a_required_money_field_by_keyboard(owner, world, screenshot):
    page = owner.page
    screen = fields_screen(page)
    first = screen.locator("[data-testid=field-row]").first
    expect(first.locator("[data-testid=field-label]")).to_have_value(NOTES["label"])
    expect(first.locator("[data-testid=field-key]")).to_have_text("notes")  # fixed: not an input
    expect(first.locator("[data-testid=field-key-input]")).to_have_count(0)
    expect(screen).to_contain_text("A key cannot change once saved")

    # A select with two options.
    screen.locator("[data-testid=field-add]").focus()
    page.keyboard.press("Enter")
    page.keyboard.type("Size")  # the new field's label has the keyboard
    size = screen.locator("[data-testid=field-row]").nth(1)
    page.keyboard.press("Tab")
    expect(size.locator("[data-testid=field-key-input]")).to_be_focused()
    expect(size.locator("[data-testid=field-key-input]")).to_have_value("size")
    page.keyboard.press("Tab")
    expect(size.locator("[data-testid=field-type]")).to_be_focused()
    choose(page, size.locator("[data-testid=field-type]"), "select")
    page.keyboard.press("Tab")
    expect(size.locator("[data-testid=field-options]")).to_be_focused()
    page.keyboard.type("Small")
    page.keyboard.press("Enter")
    page.keyboard.type("Large")

    # A required money field, then moved above the select.
    screen.locator("[data-testid=field-add]").focus()
    page.keyboard.press("Enter")
    page.keyboard.type("Budget")
    budget = screen.locator("[data-testid=field-row]").nth(2)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    choose(page, budget.locator("[data-testid=field-type]"), "money")
    expect(budget.locator("[data-testid=field-options]")).to_have_count(0)
    page.keyboard.press("Tab")
    expect(budget.locator("[data-testid=field-required]")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Move Budget up")
    page.keyboard.press("Enter")
    expect(screen.locator("[data-testid=field-row]")).to_have_count(3)
    expect(screen.locator("[data-testid=field-row]").nth(1)).to_have_attribute("data-key", "budget")
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Move Budget up")
    expect(screen.locator("[data-testid=fields-status]")).to_have_text("Unsaved changes.")
    accessible(page, "the custom fields being edited")
    fits(page)

    screen.locator("[data-testid=fields-save]").focus()
    page.keyboard.press("Enter")
    expect(screen.locator("[data-testid=fields-status]")).to_have_text("Fields saved.")
    assert stored_fields(world) == [
        NOTES,
        {"key": "budget", "label": "Budget", "type": "money", "required": True},
        {"key": "size", "label": "Size", "type": "select", "options": ["Small", "Large"],
         "required": False},
    ]  # fmt: skip
    # Saved, the new keys are fixed too.
    expect(screen.locator("[data-testid=field-key-input]")).to_have_count(0)
    screenshot(page, "field-settings")

    # The customer page now offers an input of each new type.
    key = "ana@example.com"
    go(page, f"#/customers/{quote(key, safe='')}")
    expect(page.locator(f'[data-testid=customer-detail][data-key="{key}"]')).to_be_visible()
    page.locator("[data-testid=edit]").focus()
    page.keyboard.press("Enter")
    editor = page.locator("[data-testid=typed-editor]")
    expect(editor.get_by_label("Budget (required)")).to_be_visible()
    expect(editor.get_by_label("Size", exact=True).locator("option")).to_contain_text(
        ["Small", "Large"]
    )
    expect(editor).to_contain_text(NOTES["label"])  # the owner's label, as text
    page.locator("[data-testid=edit-cancel]").click()
    no_error_shown(owner)


def test_a_key_used_twice_is_refused_beside_its_input(owner, world):
    page = owner.page
    screen = fields_screen(page)
    before = stored_fields(world)

    screen.locator("[data-testid=field-add]").focus()
    page.keyboard.press("Enter")
    page.keyboard.type("More notes")
    row = screen.locator("[data-testid=field-row]").last
    key_input = row.locator("[data-testid=field-key-input]")
    expect(key_input).to_have_value("more_notes")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("notes")
    page.keyboard.press("Enter")  # submits the form

    error = row.locator("[data-testid=field-error][data-part=key]")
    expect(error).to_have_text("Another field already has the key 'notes'.")
    expect(key_input).to_have_attribute("aria-invalid", "true")
    expect(key_input).to_be_focused()
    described = key_input.get_attribute("aria-describedby") or ""
    assert error.get_attribute("id") in described.split()
    expect(screen.locator("[data-testid=fields-error]")).to_contain_text("Nothing was saved.")
    assert stored_fields(world) == before
    accessible(page, "a refused key beside its input")

    page.keyboard.press("Control+A")
    page.keyboard.type("more_notes")  # typing clears the message
    expect(error).to_have_count(0)
    screen.get_by_role("button", name="Discard changes").click()
    expect(screen.locator("[data-testid=field-row]")).to_have_count(len(before))


def test_at_390_pixels_the_screen_fits_and_passes_axe(owner, world, screenshot):
    page = owner.page
    page.set_viewport_size({"width": 390, "height": 800})
    try:
        screen = fields_screen(page)
        screen.locator("[data-testid=field-add]").click()
        choose(page, screen.locator("[data-testid=field-type]").last, "multi_select")
        fits(page)
        accessible(page, "the custom fields on a phone")
        screenshot(page, "field-settings-390")
        screen.get_by_role("button", name="Discard changes").click()
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
