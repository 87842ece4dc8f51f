"""The owner's pipeline settings in a real browser: stages renamed, reordered, added and
saved by keyboard, a refused removal that says how many customers are in the way, the
sources list with a show added and a used source kept, at desktop width and at 390 px,
each checked with axe-core.

The page is built by its own command and served by the running stack; settings/pipeline
and sources are read from Firestore under firestore.rules and saved through the real
admin function. Customers are made by the production intake, which also adds their
sources to the list.
"""

from __future__ import annotations

import re

import pytest
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
    wait_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("patient_expect")]


@pytest.fixture(scope="module")
def world(admin_stack, firestore_emulator, auth_emulator) -> World:
    world = fresh_world(admin_stack, firestore_emulator, auth_emulator)
    world.add_staff("owner", "owner-1", OWNER)
    world.add_staff("rep", "rep-1", REP)
    world.add_staff("manager", "manager-1", MANAGER)
    # The show as the owner described it (a name that must stay text), before anyone came.
    world.client.collection("sources").document("spring-show").set(
        {"id": "spring-show", "label": f"Spring {XSS} show", "kind": "trade_show"}
    )
    world.add_customer("ana@example.com", "Ana", answers={"source": "spring-show"})
    world.add_customer(
        "ben@example.com", "Ben", answers={"source": "instagram"}, stage="deposit_paid"
    )
    world.add_customer("cas@example.com", "Cas", stage="deposit_paid")
    return world


@pytest.fixture(scope="module")
def owner(sessions, world) -> Session:
    return on_the_customers_list(sessions(world, OWNER))


def pipeline_screen(page: Page) -> Locator:
    go(page, "#/settings/pipeline")
    screen = page.locator("[data-testid=settings][data-section=pipeline]")
    expect(screen.locator("[data-testid=stage-row]").first).to_be_visible(timeout=LIVE_MS)
    return screen


def stage_row(screen: Locator, stage_id: str) -> Locator:
    return screen.locator(f'[data-testid=stage-row][data-stage="{stage_id}"]')


def stored_pipeline(world: World) -> dict:
    snapshot = world.client.collection("settings").document("pipeline").get()
    return snapshot.to_dict() if snapshot.exists else {}


def test_the_owner_renames_reorders_and_adds_stages_by_keyboard(owner, world, screenshot):
    page = owner.page
    screen = pipeline_screen(page)
    expect(screen.locator("[data-testid=stage-id]")).to_have_text(
        ["lead", "proposal_sent", "proposal_signed", "deposit_paid",
         "waiting_production", "in_production", "delivered"]
    )  # fmt: skip

    name = stage_row(screen, "proposal_sent").locator("[data-testid=stage-label]")
    name.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Quote sent")
    page.keyboard.press("Tab")  # the group
    page.keyboard.press("Tab")  # Up
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Move Quote sent up")
    page.keyboard.press("Enter")
    # Moved to the top, the keyboard stays with it (on Down: Up has nothing left to do).
    expect(screen.locator("[data-testid=stage-id]").first).to_have_text("proposal_sent")
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Move Quote sent down")

    screen.locator("[data-testid=stage-add]").focus()
    page.keyboard.press("Enter")
    page.keyboard.type("Lost deal")  # the new stage's name is focused and selected
    new = screen.locator("[data-testid=stage-row]").last
    expect(new.locator("[data-testid=stage-id]")).to_have_text("lost_deal")
    new.locator("[data-testid=stage-group]").select_option("lost")
    preview = new.locator("[data-testid=stage-preview]")
    expect(preview).to_have_attribute("data-group", "lost")
    grey = preview.evaluate("el => getComputedStyle(el).backgroundColor")
    assert grey == "rgb(91, 102, 117)", grey
    accessible(page, "the stages being edited, with a grey lost pill")

    screen.locator("[data-testid=stages-save]").focus()
    page.keyboard.press("Enter")
    expect(screen.locator("[data-testid=stages-status]")).to_have_text("Stages saved.")
    stored = stored_pipeline(world)["stages"]
    assert [s["id"] for s in stored][:2] == ["proposal_sent", "lead"]
    assert stored[0]["label"] == "Quote sent"
    assert stored[-1] == {"id": "lost_deal", "label": "Lost deal", "group": "lost", "order": 7}
    screenshot(page, "stages")
    no_error_shown(owner)


def test_removing_a_stage_customers_are_in_says_how_many_and_keeps_the_edit(owner, world):
    page = owner.page
    screen = pipeline_screen(page)
    before = stored_pipeline(world)

    stage_row(screen, "deposit_paid").locator("[data-testid=stage-remove]").click()
    screen.locator("[data-testid=stages-save]").click()

    error = screen.locator("[data-testid=stages-error]")
    expect(error).to_contain_text("2 customers are in “Deposit paid”: move them first.")
    expect(stage_row(screen, "deposit_paid")).to_have_count(0)  # nothing typed is lost
    assert stored_pipeline(world) == before
    screen.get_by_role("button", name="Discard changes").click()
    expect(stage_row(screen, "deposit_paid")).to_have_count(1)


def test_the_owner_adds_a_show_and_a_used_source_is_kept(owner, world):
    page = owner.page
    screen = pipeline_screen(page)
    sources = screen.locator("[data-testid=sources]")
    show = sources.locator('[data-testid=source-row][data-source="spring-show"]')
    expect(show.locator("[data-testid=source-label-shown]")).to_have_text(f"Spring {XSS} show")
    # Intake added the source it met, as inbound.
    instagram = sources.locator('[data-testid=source-row][data-source="instagram"]')
    expect(instagram.locator("[data-testid=source-kind]")).to_contain_text("Inbound")

    sources.locator("[data-testid=source-label]").fill("Autumn Fair 2026")
    expect(sources.locator("[data-testid=source-id]")).to_have_value("autumn-fair-2026")
    sources.locator("[data-testid=source-startsOn]").fill("2026-10-02")
    sources.locator("[data-testid=source-endsOn]").fill("2026-10-04")
    sources.locator("[data-testid=source-place]").fill("Valletta")
    sources.locator("[data-testid=source-save]").click()
    expect(sources.locator("[data-testid=source-status]")).to_have_text("“Autumn Fair 2026” added.")
    fair = sources.locator('[data-testid=source-row][data-source="autumn-fair-2026"]')
    expect(fair).to_contain_text("2026-10-02 – 2026-10-04 · Valletta")
    stored = world.client.collection("sources").document("autumn-fair-2026").get().to_dict()
    assert (stored["kind"], stored["place"]) == ("trade_show", "Valletta")

    show.locator("[data-testid=source-delete]").click()
    expect(show.locator("[data-testid=source-error]")).to_have_text(
        f"1 customer came from “Spring {XSS} show”: give them another source first."
    )
    fair.locator("[data-testid=source-delete]").click()
    expect(fair).to_have_count(0)
    wait_for(
        lambda: not world.client.collection("sources").document("autumn-fair-2026").get().exists
    )
    accessible(page, "the sources list with a refused delete")
    no_error_shown(owner)


def test_at_390_pixels_the_settings_fit_and_pass_axe(owner, screenshot):
    page = owner.page
    page.set_viewport_size({"width": 390, "height": 800})
    try:
        screen = pipeline_screen(page)
        fits(page)
        accessible(page, "the pipeline settings on a phone")
        screenshot(page, "phone-stages")
        screen.locator("[data-testid=source-form]").scroll_into_view_if_needed()
        fits(page)
        screenshot(page, "phone-sources")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


# Every settings section: its nav label, and what shows once it is open.
SECTIONS = (
    ("Booking", "booking", "[data-testid=booking-settings]"),
    ("Pipeline and sources", "pipeline", "[data-testid=settings][data-section=pipeline]"),
    ("Custom fields", "fields", "[data-testid=settings][data-section=fields]"),
    ("Automations", "automations", "[data-testid=settings][data-section=automations]"),
    ("Lead routing", "routing", "[data-testid=settings][data-section=routing]"),
    ("E-mail templates", "email", "[data-testid=settings][data-section=email]"),
)


def test_the_settings_nav_leads_to_every_section_and_others_are_sent_away(owner, sessions, world):
    """One walk through the nav for the owner (each section marked as the current page),
    then a rep and a manager asking for each section's address are sent to their own
    home: the settings are the owner's."""
    page = owner.page
    pipeline_screen(page)
    for label, section, shown in SECTIONS:
        page.locator("[data-testid=settings-nav] a", has_text=label).click()
        expect(page.locator(shown)).to_be_visible(timeout=LIVE_MS)
        expect(page).to_have_url(re.compile(rf"#/settings/{section}$"))
        if section != "booking":
            expect(page.locator('[data-testid=settings-nav] a[aria-current="page"]')).to_have_text(
                label
            )

    for who, home in ((REP, "customers"), (MANAGER, "dashboard")):
        other = sessions(world, who).page
        for _, section, shown in SECTIONS:
            go(other, f"#/settings/{section}")
            expect(other).to_have_url(re.compile(rf"#/{home}$"), timeout=LIVE_MS)
            expect(other.locator(shown)).to_have_count(0)
