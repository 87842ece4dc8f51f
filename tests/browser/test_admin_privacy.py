"""A person's rights in a real browser, walked as the owner does it: the marketing-consent
filter on the list, a customer's consent history and their open request's deadline,
their data downloaded as JSON, their erasure typed out and confirmed by keyboard, and
the privacy screen with the receipt and a new request's deadline; axe at desktop width
and at 390 px on both screens, nothing scrolling sideways.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    LIVE_MS,
    OWNER,
    REP_A,
    World,
    accessible,
    fits,
    fresh_world,
    go,
    no_error_shown,
    wait_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("patient_expect")]

ANA = "ana.borg@example.org"
BEN = "ben.vella@example.org"


@pytest.fixture(scope="module")
def world(admin_stack, firestore_emulator, auth_emulator) -> World:
    world = fresh_world(admin_stack, firestore_emulator, auth_emulator)
    world.add_staff("owner", "owner-1", OWNER)
    world.add_staff("rep", "rep-a", REP_A)
    world.add_customer(ANA, "Ana Borg", answers={"consent": True}, ownerUid="rep-a")
    world.add_customer(ANA, "Ana Borg", answers={"form": "pricing", "consent": False})
    world.add_customer(BEN, "Ben Vella", answers={"consent": True})
    return world


def due_text(received: date, now: datetime) -> str:
    """What the page says of a request received that day (due 30 days after its noon)."""
    due = datetime(received.year, received.month, received.day, 12, tzinfo=UTC) + timedelta(days=30)
    days = math.ceil((due - now).total_seconds() / 86400)
    return f"due in {days} days"


def record_request(world: World, request_id: str, received: date, customer: str | None) -> None:
    body = {"id": request_id, "kind": "erasure", "received": received.isoformat()}
    if customer:
        body["customer"] = customer
    answer = requests.post(
        f"{world.functions}/admin/privacy/requests",
        json=body,
        headers=world.headers(OWNER),
        timeout=30,
    )
    assert answer.status_code == 200, answer.text


def rows(page: Page) -> list[str]:
    return page.locator("[data-testid=customer-row]").all_inner_texts()


def test_the_owner_filters_by_consent_hands_over_erases_and_logs(owner, world, tmp_path) -> None:
    page = owner.page
    received = datetime.now(UTC).date() - timedelta(days=10)
    record_request(world, "request-ana-0001", received, ANA)

    # The list's consent filter: Ben said yes; Ana's latest answer was no.
    go(page, "#/customers")
    expect(page.locator("[data-testid=customer-row]")).to_have_count(2, timeout=LIVE_MS)
    page.locator("[data-testid=filter-consent]").select_option("given")
    expect(page.locator("[data-testid=customer-row]")).to_have_count(1)
    assert "Ben Vella" in rows(page)[0]
    page.locator("[data-testid=filter-consent]").select_option("not-given")
    expect(page.locator("[data-testid=customer-row]")).to_have_count(1)
    assert "Ana Borg" in rows(page)[0]
    page.locator("[data-testid=filter-consent]").select_option("")

    # Her page: the request's deadline in the header, her consent answers newest first.
    go(page, f"#/customers/{ANA}")
    detail = page.locator("[data-testid=customer-detail]")
    expect(detail.locator("[data-testid=request-deadline]")).to_contain_text(
        due_text(received, datetime.now(UTC)), timeout=LIVE_MS
    )
    answers = detail.locator("[data-testid=consent-answer]")
    expect(answers).to_have_count(2)
    expect(answers.first).to_have_attribute("data-marketing", "no")
    expect(answers.first).to_contain_text("form pricing")
    accessible(page, "the customer page with its personal data")

    # Her data as JSON, named after her.
    with page.expect_download() as got:
        detail.locator("[data-testid=download-json]").click()
    download = got.value
    assert download.suggested_filename == f"hearth-{ANA}.json"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["customer"]["email"] == ANA and len(data["consentHistory"]) == 2

    page.set_viewport_size({"width": 390, "height": 844})
    try:
        fits(page)
        accessible(page, "the customer page at 390 px")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})

    # Erase by keyboard: the button stays off until the address is typed exactly.
    detail.locator("[data-testid=erase-open]").focus()
    page.keyboard.press("Enter")
    confirm = detail.locator("[data-testid=erase-confirm]")
    expect(confirm).to_be_focused()
    page.keyboard.type("ana@example.org")
    expect(detail.locator("[data-testid=erase]")).to_be_disabled()
    confirm.fill("")
    page.keyboard.type(ANA)
    expect(detail.locator("[data-testid=erase]")).to_be_enabled()
    accessible(page, "the erase form")
    page.keyboard.press("Enter")

    # The privacy screen: her receipt, and her request closed by the erasure.
    expect(page).to_have_url(re.compile(r"#/privacy$"), timeout=LIVE_MS)
    screen = page.locator("[data-testid=privacy]")
    receipt = screen.locator("[data-testid=erasure-receipt]")
    expect(receipt).to_have_count(1, timeout=LIVE_MS)
    expect(receipt).to_contain_text("a•••@e•••.org · erased", timeout=LIVE_MS)
    expect(receipt.locator("[data-testid=receipt-counts]")).to_contain_text(
        "2 timeline entries, 1 history event made anonymous"
    )
    expect(receipt).not_to_contain_text("ana.borg")
    expect(screen.locator("[data-testid=no-requests]")).to_be_visible()
    wait_for(lambda: not world.customer(ANA), what="Ana erased")

    # A new request, recorded by keyboard, shows its deadline.
    two_days_ago = datetime.now(UTC).date() - timedelta(days=2)
    screen.locator("[data-testid=request-kind]").select_option("access")
    screen.locator("[data-testid=request-received]").fill(two_days_ago.isoformat())
    screen.locator("[data-testid=request-note]").fill("Asked by e-mail for a copy")
    screen.locator("[data-testid=request-save]").focus()
    page.keyboard.press("Enter")
    request = screen.locator("[data-testid=privacy-request]")
    expect(request).to_have_count(1, timeout=LIVE_MS)
    expect(request.locator("[data-testid=request-due]")).to_contain_text(
        due_text(two_days_ago, datetime.now(UTC))
    )
    accessible(page, "the privacy screen")
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        fits(page)
        accessible(page, "the privacy screen at 390 px")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})

    request.locator("[data-testid=request-done]").click()
    expect(screen.locator("[data-testid=no-requests]")).to_be_visible(timeout=LIVE_MS)
    no_error_shown(owner)


def test_a_rep_has_no_privacy_screen(sessions, world) -> None:
    rep = sessions(world, REP_A)
    nav = rep.page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Customers")).to_be_visible()
    expect(nav.get_by_role("link", name="Privacy")).to_have_count(0)
    go(rep.page, "#/privacy")
    expect(rep.page).not_to_have_url(re.compile(r"#/privacy$"))
