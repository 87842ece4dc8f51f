"""The team screen (#/team, the owner's) in a real browser: everyone in the directory with
their role; a rep's away dates saved by keyboard through the real admin function (and a
range the server refuses shown beside its input); the customers of a rep who left handed
over to one rep with a progress bar, stopped halfway and resumed to done, each customer
moved once; axe at desktop width and at 390 px; a rep gets neither this screen nor the
routing settings.
"""

from __future__ import annotations

import re

import pytest
from google.cloud.firestore_v1 import FieldFilter
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

GONE = "rep-gone"
GONE_CUSTOMERS = 60


@pytest.fixture(scope="module")
def world(admin_stack, firestore_emulator, auth_emulator) -> World:
    world = fresh_world(admin_stack, firestore_emulator, auth_emulator)
    world.add_staff("owner", "owner-1", OWNER)
    world.add_staff("rep", "rep-a", REP_A)
    world.add_staff("rep", "rep-b", REP_B)
    # A rep who left: disabled in the directory, still holding their customers (one of
    # them archived, which stays where it is).
    world.add_team_member(GONE, "gone@studio.test", "rep")
    world.client.collection("team").document(GONE).update(
        {"disabled": True, "displayName": f"Gina {XSS}"}
    )
    for n in range(GONE_CUSTOMERS):
        world.add_customer(f"held{n:02d}@example.com", f"Held {n:02d}", ownerUid=GONE)
    world.add_customer("old@example.com", "Old Archived", ownerUid=GONE, archived=True)
    return world


def team_screen(page: Page) -> Locator:
    go(page, "#/team")
    screen = page.locator("[data-testid=team]")
    expect(screen.locator("[data-testid=team-member]").first).to_be_visible(timeout=LIVE_MS)
    return screen


def card(page: Page, uid: str) -> Locator:
    return page.locator(f'[data-testid=team-member][data-uid="{uid}"]')


def owned_by(world: World, uid: str) -> int:
    query = world.client.collection("customers").where(filter=FieldFilter("ownerUid", "==", uid))
    return sum(1 for _ in query.stream())


def test_the_team_lists_everyone_with_their_role(owner, world):
    page = owner.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
    expect(page).to_have_url(re.compile(r"#/team$"))
    screen = team_screen(page)
    expect(screen.locator("[data-testid=team-member]")).to_have_count(4)
    expect(card(page, "rep-a").locator("[data-testid=team-role]")).to_have_text("Sales rep")
    expect(card(page, "rep-a").locator("[data-testid=team-email]")).to_have_text(REP_A)
    expect(card(page, "owner-1").locator("[data-testid=team-role]")).to_have_text("Owner")
    gone = card(page, GONE)
    expect(gone.locator("[data-testid=team-name]")).to_have_text(f"Gina {XSS}")
    expect(gone.locator("img")).to_have_count(0)
    expect(gone.locator("[data-testid=team-status]")).to_contain_text("Disabled")
    # The active reps have away dates; the one who left has the hand-over instead.
    expect(card(page, "rep-a").locator("[data-testid=away]")).to_be_visible()
    expect(gone.locator("[data-testid=away]")).to_have_count(0)
    expect(gone.locator("[data-testid=handover] legend")).to_have_text(
        f"Hand over {GONE_CUSTOMERS} open customers", timeout=LIVE_MS
    )
    no_error_shown(owner)


def test_away_dates_are_saved_by_keyboard_and_a_refused_range_is_shown_beside_it(owner, world):
    page = owner.page
    team_screen(page)
    away = card(page, "rep-a").locator("[data-testid=away]")

    # Until before from: the server names `until`, shown beside it.
    away.locator("[data-testid=away-from]").fill("2030-12-10")
    away.locator("[data-testid=away-until]").fill("2030-12-01")
    away.locator("[data-testid=away-until]").press("Enter")
    error = away.locator('[data-testid=field-error][data-part="until"]')
    expect(error).to_contain_text("cannot be before")
    expect(away.locator("[data-testid=away-until]")).to_have_attribute("aria-invalid", "true")
    assert "away" not in (world.client.collection("team").document("rep-a").get().to_dict())

    away.locator("[data-testid=away-until]").fill("2030-12-12")
    away.locator("[data-testid=away-until]").press("Enter")
    expect(away.locator("[data-testid=away-status]")).to_have_text("Away dates saved.")
    expect(error).to_have_count(0)
    stored = world.client.collection("team").document("rep-a").get().to_dict()
    assert stored["away"] == {"from": "2030-12-10", "until": "2030-12-12"}

    # Seen again after a reload, and cleared with one button.
    page.reload()
    away = team_screen(page).locator('[data-uid="rep-a"] [data-testid=away]')
    expect(away.locator("[data-testid=away-from]")).to_have_value("2030-12-10")
    away.locator("[data-testid=away-clear]").focus()
    page.keyboard.press("Enter")
    expect(away.locator("[data-testid=away-status]")).to_have_text("Not away.")
    wait_for(
        lambda: not world.client.collection("team").document("rep-a").get().to_dict().get("away"),
        what="the away dates cleared",
    )
    no_error_shown(owner)


def test_a_hand_over_to_one_rep_shows_progress_stops_and_resumes_to_done(owner, world, screenshot):
    page = owner.page
    team_screen(page)
    gone = card(page, GONE)
    panel = gone.locator("[data-testid=handover]")
    expect(panel.locator("legend")).to_contain_text(str(GONE_CUSTOMERS), timeout=LIVE_MS)

    # Without a rep named, nothing is sent.
    panel.locator('[data-testid=handover-mode][value="rep"]').check()
    panel.locator("[data-testid=handover-start]").click()
    expect(panel.locator('[data-testid=field-error][data-part="to"]')).to_be_visible()
    assert owned_by(world, GONE) == GONE_CUSTOMERS + 1

    panel.locator("[data-testid=handover-to]").select_option("rep-b")
    panel.locator("[data-testid=handover-start]").click()
    progress = panel.locator("[data-testid=handover-progress]")
    # Stopped after the first batch has been counted: the one under way ends first.
    wait_for(
        lambda: int(progress.get_attribute("data-moved") or 0) > 0 if progress.count() else False,
        what="the first batch moved",
    )
    stop = panel.locator("[data-testid=handover-stop]")
    expect(stop).to_be_focused()
    page.keyboard.press("Enter")
    expect(progress).to_have_attribute("data-state", "stopped", timeout=LIVE_MS)
    moved = int(progress.get_attribute("data-moved"))
    assert 0 < moved < GONE_CUSTOMERS
    expect(panel.locator("progress")).to_have_attribute("max", str(GONE_CUSTOMERS))
    expect(panel.locator("[data-testid=handover-status]")).to_contain_text(
        f"Stopped: {moved} of {GONE_CUSTOMERS}"
    )
    assert owned_by(world, "rep-b") == moved
    assert owned_by(world, GONE) == GONE_CUSTOMERS + 1 - moved
    screenshot(page, "stopped")
    accessible(page, "the team screen with a hand-over stopped")

    # Resume: the same job, nobody moved twice, to done.
    resume = panel.locator("[data-testid=handover-resume]")
    expect(resume).to_be_focused()
    page.keyboard.press("Enter")
    expect(progress).to_have_attribute("data-state", "done", timeout=30_000)
    expect(progress).to_have_attribute("data-moved", str(GONE_CUSTOMERS))
    expect(panel.locator("[data-testid=handover-status]")).to_contain_text(
        f"Done: {GONE_CUSTOMERS} of {GONE_CUSTOMERS} customers handed over."
    )
    expect(gone.locator("[data-testid=handover-none]")).to_be_visible(timeout=LIVE_MS)
    assert owned_by(world, "rep-b") == GONE_CUSTOMERS
    assert owned_by(world, GONE) == 1  # the archived one stays
    moved_one = world.customer("held00@example.com")
    assert moved_one["ownerUid"] == "rep-b"
    no_error_shown(owner)


def test_at_390_pixels_the_team_fits_and_passes_axe(owner, screenshot):
    page = owner.page
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        team_screen(page)
        expect(card(page, "rep-a").locator("[data-testid=away]")).to_be_visible()
        fits(page)
        screenshot(page, "team-390")
        accessible(page, "the team screen at 390 px")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
    accessible(page, "the team screen at desktop width")


def test_a_rep_gets_neither_the_team_nor_the_routing_settings(rep):
    page = rep.page
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Team")).to_have_count(0)
    for hash_ in ("#/team", "#/settings/routing"):
        go(page, hash_)
        expect(page).to_have_url(re.compile(r"#/customers$"))
        expect(page.locator("[data-testid=team]")).to_have_count(0)
        expect(page.locator("[data-testid=routing]")).to_have_count(0)
    no_error_shown(rep)
