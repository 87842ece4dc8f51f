"""The Board and the Funnel in a real browser: cards by stage, moved by a drag or by the
keyboard through the admin API, a concurrent change refused as a conflict, and the
funnel's numbers.

The page reads the customers under firestore.rules (a rep only theirs) and moves them only
through the admin PATCH; the stored stage is checked in Firestore and on the customer's
timeline. Customers are made by the production intake. The funnel is checked first,
against the seed as it is, before any test moves a card.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import quote

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    LIVE_MS,
    OWNER,
    OWNER_2,
    REP_A,
    REP_B,
    XSS,
    World,
    accessible,
    an_image_error_has_fired,
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
DAN = "dan@example.com"
EVE = "eve@example.com"
FAY = "fay@example.com"
GUS = "gus@example.com"
HTML = "html@example.com"


@pytest.fixture(scope="module")
def world(admin_stack, firestore_emulator, auth_emulator) -> World:
    world = fresh_world(admin_stack, firestore_emulator, auth_emulator)
    for role, uid, email in (
        ("owner", "owner-1", OWNER),
        ("owner", "owner-2", OWNER_2),
        ("rep", "rep-a", REP_A),
        ("rep", "rep-b", REP_B),
    ):
        world.add_staff(role, uid, email)
    world.add_customer(ANA, "Ana Borg", ownerUid="rep-a", stage="lead")
    world.add_customer(HTML, XSS, ownerUid="rep-a", stage="lead")
    world.add_customer(EVE, "Eve Grech", stage="lead")
    world.add_customer(BEN, "Ben Vella", ownerUid="rep-b", stage="proposal_sent")
    world.add_customer(CARA, "Cara Zammit", ownerUid="rep-a", stage="deposit_paid")
    world.add_customer(FAY, "Fay Camilleri", ownerUid="rep-b", stage="deposit_paid")
    world.add_customer(DAN, "Dan Farrugia", stage="delivered")
    world.add_customer(GUS, "Gus Archived", ownerUid="rep-a", stage="delivered", archived=True)
    return world


def column(page: Page, stage: str):
    return page.locator(f'[data-testid=board-column][data-stage="{stage}"]')


def card(page: Page, key: str):
    return page.locator(f'[data-testid=board-card][data-key="{key}"]')


def cards_in(page: Page, stage: str) -> list[str]:
    return (
        column(page, stage)
        .locator("[data-testid=board-card]")
        .evaluate_all("cards => cards.map(card => card.dataset.key)")
    )


def open_board(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Board", exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"#/board$"))
    expect(page.locator("[data-testid=board-card]").first).to_be_visible(timeout=LIVE_MS)


def test_the_funnel_counts_the_current_pipeline_by_hand(owner):
    page = owner.page
    open_board(page)
    page.locator("[data-testid=board-tab-funnel]").click()
    expect(page).to_have_url(re.compile(r"#/board\?view=funnel$"))
    funnel = page.locator("[data-testid=funnel]")
    expect(funnel).to_contain_text("current pipeline")
    # Seven active customers (Gus is archived): in stage, reached (this stage or later),
    # and reached here / reached the stage before.
    expected = {
        "lead": ("3", "7", "—"),
        "proposal_sent": ("1", "4", "57%"),  # 4 / 7
        "proposal_signed": ("0", "3", "75%"),  # 3 / 4
        "deposit_paid": ("2", "3", "100%"),
        "waiting_production": ("0", "1", "33%"),  # 1 / 3
        "in_production": ("0", "1", "100%"),
        "delivered": ("1", "1", "100%"),
    }
    rows = funnel.locator("[data-testid=funnel-row]")
    expect(rows).to_have_count(len(expected), timeout=LIVE_MS)
    for stage, (count, reached, conversion) in expected.items():
        row = funnel.locator(f'[data-testid=funnel-row][data-stage="{stage}"]')
        expect(row.locator("[data-testid=funnel-count]")).to_have_text(count)
        expect(row.locator("[data-testid=funnel-reached]")).to_have_text(reached)
        expect(row.locator("[data-testid=funnel-conversion]")).to_have_text(conversion)
    no_error_shown(owner)
    accessible(page, "the funnel")


def test_a_rep_sees_only_their_cards_and_names_as_text(rep):
    page = rep.page
    open_board(page)
    wait_for(lambda: sorted(cards_in(page, "lead")) == [ANA, HTML], what="rep A's leads")
    assert cards_in(page, "deposit_paid") == [CARA]
    assert cards_in(page, "proposal_sent") == []
    assert page.locator("[data-testid=board-card]").count() == 3
    expect(column(page, "lead").locator("[data-testid=board-count]")).to_contain_text("2")
    name = card(page, HTML).locator("[data-testid=board-card-name]")
    expect(name).to_have_text(XSS)
    expect(page.locator("[data-testid=board] img")).to_have_count(0)
    an_image_error_has_fired(page)
    assert rep.dialogs == []
    no_error_shown(rep)
    accessible(page, "a rep's board")


def test_a_drag_moves_the_card_stores_the_stage_and_puts_it_on_the_timeline(owner, world):
    page = owner.page
    go(page, "#/board")
    expect(card(page, ANA)).to_be_visible(timeout=LIVE_MS)
    card(page, ANA).locator("[data-testid=board-card-name]").drag_to(column(page, "proposal_sent"))
    wait_for(lambda: world.customer(ANA).get("stage") == "proposal_sent", what="the stored stage")
    wait_for(lambda: ANA in cards_in(page, "proposal_sent"), what="the card in its new column")
    assert ANA not in cards_in(page, "lead")
    expect(page.locator("[data-testid=board-said]")).to_contain_text(
        "Ana Borg moved to Proposal sent."
    )
    expect(card(page, ANA).locator("[data-testid=board-card-moving]")).to_have_count(0)
    accessible(page, "the owner's board")
    card(page, ANA).locator("[data-testid=board-card-name]").click()
    expect(page).to_have_url(re.compile(rf"#/customers/{re.escape(quote(ANA, safe=''))}$"))
    entry = page.locator("[data-testid=timeline-item][data-type=change]").first
    expect(entry).to_contain_text("Lead", timeout=LIVE_MS)
    expect(entry.locator(".cd-to")).to_have_text("Proposal sent")
    no_error_shown(owner)


def test_a_keyboard_move_through_the_move_to_list(rep, world):
    page = rep.page
    go(page, "#/board")
    select = card(page, CARA).locator("[data-testid=board-move-select]")
    expect(select).to_have_value("deposit_paid", timeout=LIVE_MS)
    select.focus()
    page.keyboard.press("ArrowDown")
    expect(select).to_have_value("waiting_production")
    page.keyboard.press("Tab")
    expect(card(page, CARA).locator("[data-testid=board-move]")).to_be_focused()
    page.keyboard.press("Enter")
    wait_for(
        lambda: world.customer(CARA).get("stage") == "waiting_production",
        what="the stored stage",
    )
    wait_for(lambda: cards_in(page, "waiting_production") == [CARA], what="the moved card")
    expect(page.locator("[data-testid=board-said]")).to_contain_text(
        "Cara Zammit moved to Waiting production."
    )
    # The keyboard stays with the card in its new column.
    moved = card(page, CARA).locator("[data-testid=board-move-select]")
    expect(moved).to_be_focused()
    expect(moved).to_have_value("waiting_production")
    no_error_shown(rep)


def test_a_change_made_meanwhile_sends_the_card_back_with_a_message(owner, world):
    page = owner.page
    go(page, "#/board")
    ben = card(page, BEN)
    expect(ben).to_be_visible(timeout=LIVE_MS)
    box = ben.bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] - 8, box["y"] + 8)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 20, box["y"] + 20, steps=4)

    # While the card is in the air, another owner changes Ben through the admin API.
    seen = world.customer(BEN)["updatedAt"]
    response = requests.patch(
        f"{world.functions}/admin/customers/{quote(BEN, safe='')}",
        json={
            "expected_updated_at": seen.isoformat(),
            "changes": {"name": "Ben Vella Senior"},
            "request_id": uuid.uuid4().hex,
        },
        headers=world.headers(OWNER_2),
        timeout=30,
    )
    assert response.status_code == 200, response.text
    # The board is live: the other change shows without a reload.
    expect(ben.locator("[data-testid=board-card-name]")).to_have_text(
        "Ben Vella Senior", timeout=LIVE_MS
    )

    target = column(page, "proposal_signed").bounding_box()
    assert target
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + 40, steps=6)
    page.mouse.up()

    alert = page.locator("[data-testid=board-alert]")
    expect(alert).to_contain_text("someone else changed this customer", timeout=LIVE_MS)
    expect(alert).to_contain_text("not moved to Proposal signed")
    wait_for(lambda: sorted(cards_in(page, "proposal_sent")) == [ANA, BEN], what="the card back")
    assert cards_in(page, "proposal_signed") == []
    stored = world.customer(BEN)
    assert stored["stage"] == "proposal_sent" and stored["name"] == "Ben Vella Senior"
    no_error_shown(owner)


def test_at_390_pixels_the_board_scrolls_inside_its_region_and_passes_axe(owner, screenshot):
    page = owner.page
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        go(page, "#/board")
        expect(page.locator("[data-testid=board-card]").first).to_be_visible(timeout=LIVE_MS)
        region = page.get_by_role("region", name="Pipeline board, one column per stage")
        expect(region).to_be_visible()
        widths = region.evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert widths[0] > widths[1], "the columns should scroll inside their region"
        fits(page)
        screenshot(page, "board")
        accessible(page, "the board at 390 px")
        page.locator("[data-testid=board-tab-funnel]").click()
        expect(page.locator("[data-testid=funnel-row]").first).to_be_visible(timeout=LIVE_MS)
        fits(page)
        screenshot(page, "funnel")
        accessible(page, "the funnel at 390 px")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
