"""The owner's lead routing rules (#/settings/routing) in a real browser: a rule added by
keyboard (Malta's mobiles to Ana, the rest to Ben), "Preview last 30 days" showing who
each lead of the real intake would have gone to, with the rule and the reason, and
writing nothing; the rules saved through the real admin function, shown again after a
reload, and a new lead then routed as previewed; a value the server refuses shown beside
its input; axe at desktop width and at 390 px. (A rep is kept out: test_admin_team.py.)
"""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Locator, Page, expect

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

MALTESE = "marija.route@example.com"
BRITISH = "george.route@example.com"


def intake(world: World, email: str, name: str, mobile: str) -> None:
    response = requests.post(
        f"{world.functions}/intake",
        json={
            "form": "contact",
            "email": email,
            "name": name,
            "mobile": mobile,
            "elapsed_ms": 5000,
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text


@pytest.fixture(scope="module")
def world(admin_stack, firestore_emulator, auth_emulator) -> World:
    world = fresh_world(admin_stack, firestore_emulator, auth_emulator)
    world.add_staff("owner", "owner-1", OWNER)
    world.add_staff("rep", "rep-a", REP_A)
    world.add_staff("rep", "rep-b", REP_B)
    team = world.client.collection("team")
    team.document("rep-a").update({"displayName": "Ana"})
    team.document("rep-b").update({"displayName": f"Ben {XSS}"})
    # Two leads of this month through the real intake (no rules yet: unassigned).
    intake(world, MALTESE, "Marija Borg", "+356 7912 3456")
    intake(world, BRITISH, "George Smith", "+44 7700 900123")
    return world


def routing_screen(page: Page) -> Locator:
    go(page, "#/settings/routing")
    screen = page.locator("[data-testid=settings][data-section=routing]")
    expect(screen.locator("[data-testid=routing]")).to_be_visible(timeout=LIVE_MS)
    return screen


def stored(world: World) -> dict | None:
    snapshot = world.client.collection("settings").document("routing").get()
    return snapshot.to_dict() if snapshot.exists else None


def rows(screen: Locator) -> Locator:
    return screen.locator("[data-testid=rule-row]")


def test_a_rule_is_added_by_keyboard_previewed_and_saved(owner, world, screenshot):
    page = owner.page
    go(page, "#/settings/pipeline")
    page.locator("[data-testid=settings-nav] a", has_text="Lead routing").click()
    expect(page).to_have_url(re.compile(r"#/settings/routing$"))
    screen = routing_screen(page)
    expect(screen.locator("[data-testid=routing-none]")).to_be_visible()

    # A rule: mobiles from Malta go to Ana.
    screen.locator("[data-testid=rule-add]").focus()
    page.keyboard.press("Enter")
    row = rows(screen).first
    expect(row.locator("[data-testid=rule-label]")).to_be_focused()
    page.keyboard.type("Malta")
    expect(row.locator("[data-testid=rule-id]")).to_have_text("malta")
    row.locator("[data-testid=rule-country]").fill("mt")
    expect(row.locator("[data-testid=rule-country]")).to_have_value("MT")
    row.locator("[data-testid=action-rep]").select_option("rep-a")
    # The rest: to Ben (his name is data, shown as text).
    fallback = screen.locator("[data-testid=routing-fallback]")
    fallback.locator('[data-testid=action-mode][value="rep"]').check()
    fallback.locator("[data-testid=action-rep]").select_option("rep-b")
    expect(fallback.locator("[data-testid=action-rep] option:checked")).to_have_text(f"Ben {XSS}")

    # Preview: who each lead of the last 30 days would have gone to, nothing written.
    screen.locator("[data-testid=routing-preview]").click()
    result = screen.locator("[data-testid=routing-preview-result]")
    expect(result).to_be_focused(timeout=LIVE_MS)
    maltese = result.locator(f'[data-testid=routing-preview-lead][data-customer="{MALTESE}"]')
    expect(maltese).to_have_attribute("data-owner", "rep-a")
    expect(maltese).to_have_attribute("data-rule", "malta")
    expect(maltese.locator("[data-testid=routing-preview-owner]")).to_have_text("Ana")
    british = result.locator(f'[data-testid=routing-preview-lead][data-customer="{BRITISH}"]')
    expect(british).to_have_attribute("data-owner", "rep-b")
    expect(british.locator("[data-testid=routing-preview-owner]")).to_have_text(f"Ben {XSS}")
    expect(result.locator("img")).to_have_count(0)
    assert stored(world) is None
    assert world.customer(MALTESE).get("ownerUid") is None
    screenshot(page, "preview")
    accessible(page, "the routing rules with a preview, at desktop width")

    # Save: stored as shown, and said so.
    screen.locator("[data-testid=routing-save]").click()
    expect(screen.locator("[data-testid=routing-status]")).to_contain_text("Rules saved")
    saved = stored(world)
    assert saved["rules"] == [
        {
            "id": "malta",
            "label": "Malta",
            "match": {"country": "MT"},
            "action": {"rep": "rep-a"},
            "enabled": True,
        }
    ]
    assert saved["fallback"] == {"rep": "rep-b"}

    # Shown again after a reload.
    page.reload()
    screen = routing_screen(page)
    row = rows(screen).first
    expect(row.locator("[data-testid=rule-label]")).to_have_value("Malta")
    expect(row.locator("[data-testid=rule-country]")).to_have_value("MT")
    expect(row.locator("[data-testid=action-rep]")).to_have_value("rep-a")

    # And routing does what the preview said: the next Maltese lead goes to Ana.
    intake(world, "next.route@example.com", "Next Maltese", "+356 9912 3456")
    wait_for(
        lambda: world.customer("next.route@example.com").get("ownerUid") == "rep-a",
        what="the new lead routed to Ana",
    )
    no_error_shown(owner)


def test_a_value_the_server_refuses_is_shown_beside_its_input(owner, world):
    page = owner.page
    screen = routing_screen(page)
    row = rows(screen).first
    expect(row.locator("[data-testid=rule-label]")).to_have_value("Malta", timeout=LIVE_MS)
    country = row.locator("[data-testid=rule-country]")
    country.fill("M1")
    screen.locator("[data-testid=routing-save]").click()
    error = row.locator('[data-testid=field-error][data-part="country"]')
    expect(error).to_be_visible()
    expect(country).to_have_attribute("aria-invalid", "true")
    expect(country).to_be_focused()
    expect(screen.locator("[data-testid=routing-error]")).to_contain_text("Nothing was saved")
    assert stored(world)["rules"][0]["match"] == {"country": "MT"}
    # Fixing it clears the error; discarding puts the stored rules back.
    country.fill("MT")
    expect(error).to_have_count(0)
    page.get_by_role("button", name="Discard changes").click()
    expect(screen.locator("[data-testid=routing-status]")).to_have_text("")
    assert not [line for line in owner.problems() if "pageerror" in line]


def test_at_390_pixels_the_routing_rules_fit_and_pass_axe(owner, screenshot):
    page = owner.page
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        screen = routing_screen(page)
        expect(rows(screen)).to_have_count(1, timeout=LIVE_MS)
        screen.locator("[data-testid=routing-preview]").click()
        expect(screen.locator("[data-testid=routing-preview-result]")).to_be_visible(
            timeout=LIVE_MS
        )
        fits(page)
        screenshot(page, "routing-390")
        accessible(page, "the routing rules at 390 px")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
