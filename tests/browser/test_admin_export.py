"""The timeline export in a real browser, as the owner and a rep use it: "Export timeline"
beside "Export CSV" on the customers list, pressed from the keyboard, saves every
timeline entry of the customers the consent filter shows, one row each, with a formula
in a note arriving as text; the list passes axe at desktop width and at 390 px.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    LIVE_MS,
    OWNER,
    PARTNER,
    REP_A,
    World,
    accessible,
    fits,
    fresh_world,
    go,
    no_error_shown,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("patient_expect")]

ANA = "ana.borg@example.org"  # rep A's, said no to marketing, and a hostile note
BEN = "ben.vella@example.org"  # nobody's, said yes
HOSTILE = "=cmd|' /C calc'!A0"
HEADER = ["customer_email", "at", "type", "direction", "summary", "actor", "details"]


@pytest.fixture(scope="module")
def world(admin_stack, firestore_emulator, auth_emulator) -> World:
    world = fresh_world(admin_stack, firestore_emulator, auth_emulator)
    world.add_staff("owner", "owner-1", OWNER)
    world.add_staff("rep", "rep-a", REP_A)
    world.add_staff("partner", "partner-1", PARTNER, segments=["wholesale"])
    world.add_customer(ANA, "Ana Borg", answers={"consent": False}, ownerUid="rep-a")
    world.add_customer(BEN, "Ben Vella", answers={"form": "pricing", "consent": True})
    answer = requests.post(
        f"{world.functions}/admin/customers/{quote(ANA, safe='')}/notes",
        json={"text": HOSTILE, "note_id": "note-hostile-0001"},
        headers=world.headers(OWNER),
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return world


def today_names() -> set[str]:
    """The file is dated by the instant it was read; a test running over midnight UTC
    may see either day."""
    return {f"hearth-timeline-{datetime.now(UTC):%Y-%m-%d}.csv"}


def export_timeline(page: Page, tmp_path: Path) -> tuple[str, list[dict[str, str]]]:
    """Press "Export timeline" from the keyboard; the saved file's name and rows."""
    names = today_names()
    button = page.locator("[data-testid=export-timeline]")
    expect(button).to_have_text("Export timeline")
    button.focus()
    with page.expect_download() as downloading:
        page.keyboard.press("Enter")
    download = downloading.value
    names |= today_names()
    assert download.suggested_filename in names
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with saved.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        assert reader.fieldnames == HEADER
        found = list(reader)
    expect(page.locator("[data-testid=status]")).to_have_text(
        f"Downloaded {download.suggested_filename}.", timeout=LIVE_MS
    )
    expect(button).to_have_attribute("aria-disabled", "false")
    return download.suggested_filename, found


def customers_shown(page: Page, count: int) -> None:
    go(page, "#/customers")
    expect(page.locator("[data-testid=customer-row]")).to_have_count(count, timeout=LIVE_MS)


def test_the_owner_exports_the_timeline_of_the_customers_the_filter_shows(
    owner, world, tmp_path, screenshot
) -> None:
    page = owner.page
    customers_shown(page, 2)
    export_csv = page.locator("[data-testid=export-csv]")
    export_timeline_button = page.locator("[data-testid=export-timeline]")
    expect(export_csv).to_be_visible()
    expect(export_timeline_button).to_be_visible()

    # Those who said yes to marketing: Ben's timeline alone.
    page.locator("[data-testid=filter-consent]").select_option("given")
    expect(page.locator("[data-testid=customer-row]")).to_have_count(1)
    _, given = export_timeline(page, tmp_path)
    assert [(r["customer_email"], r["type"], r["summary"]) for r in given] == [
        (BEN, "form_submission", "Form pricing sent")
    ]
    assert given[0]["actor"] == "public form"
    assert given[0]["at"].endswith("Z")

    # Everyone: Ana first (her form, then the owner's note), then Ben.
    page.locator("[data-testid=filter-consent]").select_option("")
    expect(page.locator("[data-testid=customer-row]")).to_have_count(2)
    name, everyone = export_timeline(page, tmp_path)
    assert [(r["customer_email"], r["type"]) for r in everyone] == [
        (ANA, "form_submission"),
        (ANA, "note"),
        (BEN, "form_submission"),
    ]
    hostile = everyone[1]
    assert hostile["summary"] == "'" + HOSTILE  # a spreadsheet shows it, never runs it
    assert hostile["actor"] == f"{OWNER} (owner)"
    assert '"text":"=cmd' in hostile["details"]
    expect(page.locator("[data-testid=status]")).to_have_text(f"Downloaded {name}.")
    # The focus stays where the keyboard left it, for the next export.
    expect(export_timeline_button).to_be_focused()
    no_error_shown(owner)
    accessible(page, "the customers list after a timeline export")

    page.set_viewport_size({"width": 390, "height": 844})
    try:
        fits(page)
        for button in (export_csv, export_timeline_button):
            expect(button).to_be_in_viewport()
        screenshot(page, "390")
        accessible(page, "the customers list at 390 px")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def test_a_rep_exports_only_their_customers_timeline(sessions, world, tmp_path) -> None:
    rep = sessions(world, REP_A)
    customers_shown(rep.page, 1)

    _, found = export_timeline(rep.page, tmp_path)

    assert {r["customer_email"] for r in found} == {ANA}
    assert [r["type"] for r in found] == ["form_submission", "note"]
    no_error_shown(rep)


def test_a_partner_has_no_export(sessions, world) -> None:
    partner = sessions(world, PARTNER)
    go(partner.page, "#/customers")
    expect(partner.page.locator("[data-testid=customers]")).to_be_visible(timeout=LIVE_MS)
    for control in ("[data-testid=export-csv]", "[data-testid=export-timeline]"):
        expect(partner.page.locator(control)).to_have_count(0)
