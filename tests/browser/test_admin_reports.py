"""The reports screen (#/reports) in a real browser, against the real `GET /reports/{name}`.

The seed goes through the production doors: customers by the intake (with a source),
stage moves and payments by the admin API as the owner, the trade show and a referral
by `PUT /admin/sources`; then the sweep, called over HTTP as the scheduler calls it,
lets the reports consumer fold the events. Only one thing is not done by a door: the
four customers first got in touch ten days ago, so their customer.created events are
moved back exactly ten days before the first sweep (as the automations tests move an
event's time). Every figure expected below is worked out by hand from that seed.

The studio template (the default): lead, proposal sent, proposal signed, deposit paid,
waiting production, in production, delivered (won).

    Ana   Spring fair     rep-a  lead -> proposal sent, handed to rep-b -> delivered  paid 1,500.00
    Ben   Spring fair     rep-b  lead -> proposal sent -> lead -> proposal sent   100.00
    Cara  instagram       rep-a  lead -> delivered (skips five stages)   paid   250.50
    Dan   a referral whose name is markup, nobody's, still a lead

The moves happen within seconds of each other, ten days after first contact: a won
deal took 10.0 days, a stay in "lead" ended by the first move 10.0 days, any other stay
0.0 days. Ana was rep A's first (her first move) and rep B won her and was paid, so the
reps report differs by win (rep A 1 win, 250.50; rep B 1 win, 1,600.00) and by creation
(rep A 2 wins, 1,750.50; rep B none, 100.00). One signed-in page per person is shared
by the module.
"""

from __future__ import annotations

import csv
import re
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from google.cloud.firestore_v1.base_query import FieldFilter
from playwright.sync_api import Page, expect

from hearth import config
from hearth.rules import periods
from tests.browser.conftest import (
    LIVE_MS,
    MANAGER,
    OWNER,
    PARTNER,
    REP_A,
    REP_B,
    XSS,
    Session,
    World,
    accessible,
    an_image_error_has_fired,
    fits,
    fresh_world,
    go,
    no_error_shown,
    wait_for,
)
from tests.studio import STUDIO_IDS

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("patient_expect")]

ANA = "ana@example.com"
BEN = "ben@example.com"
CARA = "cara@example.com"
DAN = "dan@example.com"
FAIR = "spring-fair"
REFERRAL = "word-of-mouth"
INSTAGRAM = "instagram"
BACK = timedelta(days=10)  # first contact, before the moves


def today() -> date:
    """The business day it is now, as the function and the page decide it."""
    return periods.business_day(datetime.now(UTC), config.load().time_zone)


# --- seeding through the doors -----------------------------------------------------------


def call(world: World, method: str, path: str, body: dict) -> dict:
    """The admin API as the owner."""
    response = requests.request(
        method,
        f"{world.functions}/admin/{path}",
        json=body,
        headers={"Authorization": f"Bearer {world.token(OWNER)}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


def seen(world: World, key: str) -> str:
    return world.customer(key)["updatedAt"].isoformat()


def move(world: World, key: str, *stages: str) -> None:
    for stage in stages:
        body = {"expected_updated_at": seen(world, key), "changes": {"stage": stage}}
        call(world, "PATCH", f"customers/{quote(key, safe='')}", body)


def hand_over(world: World, key: str, uid: str) -> None:
    """The owner gives the customer to another rep (a hand-over of one customer)."""
    body = {"expected_updated_at": seen(world, key), "changes": {"ownerUid": uid}}
    call(world, "PATCH", f"customers/{quote(key, safe='')}", body)


def pay(world: World, key: str, cents: int) -> None:
    owed = {"pending": cents, "expected_updated_at": seen(world, key)}
    call(world, "PUT", f"customers/{quote(key, safe='')}/owed", owed)
    payment = {"amount": cents, "payment_id": uuid.uuid4().hex}
    call(world, "POST", f"customers/{quote(key, safe='')}/payments", payment)


def first_contact_ten_days_back(world: World) -> None:
    created = world.client.collection("events").where(
        filter=FieldFilter("type", "==", "customer.created")
    )
    for snapshot in created.stream():
        snapshot.reference.update({"at": snapshot.to_dict()["at"] - BACK})


def report(world: World, name: str, email: str = OWNER) -> dict:
    response = requests.get(
        f"{world.functions}/reports/{name}",
        headers={"Authorization": f"Bearer {world.token(email)}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


def folded(world: World) -> bool:
    """One sweep, then whether the reports hold every event of the seed."""
    world.sweep()
    totals = report(world, "lead-sources")["totals"]
    return totals["leads"] == 4 and totals["revenue"] == 185050


@pytest.fixture(scope="module")
def world(admin_stack, firestore_emulator, auth_emulator) -> World:
    world = fresh_world(admin_stack, firestore_emulator, auth_emulator)
    for role, uid, email in (
        ("owner", "owner-1", OWNER),
        ("manager", "manager-1", MANAGER),
        ("rep", "rep-a", REP_A),
        ("rep", "rep-b", REP_B),
    ):
        world.add_staff(role, uid, email)
    world.add_staff("partner", "partner-1", PARTNER, segments=["north"])
    now = today()
    show = {
        "label": "Spring fair",
        "kind": "trade_show",
        "startsOn": (now - timedelta(days=12)).isoformat(),
        "endsOn": (now - timedelta(days=10)).isoformat(),
        "place": "MFCC",
        "timeZone": "Europe/Malta",
    }
    call(world, "PUT", f"sources/{FAIR}", show)
    call(world, "PUT", f"sources/{REFERRAL}", {"label": XSS, "kind": "referral"})
    for key, name, source, owner in (
        (ANA, "Ana Borg", FAIR, "rep-a"),
        (BEN, "Ben Vella", FAIR, "rep-b"),
        (CARA, "Cara Zammit", INSTAGRAM, "rep-a"),
        (DAN, "Dan Grech", REFERRAL, None),
    ):
        world.add_customer(key, name, answers={"source": source}, ownerUid=owner)
    move(world, ANA, "proposal_sent")
    hand_over(world, ANA, "rep-b")
    move(world, ANA, "delivered")
    pay(world, ANA, 150000)
    move(world, BEN, "proposal_sent", "lead", "proposal_sent")
    pay(world, BEN, 10000)
    move(world, CARA, "delivered")
    pay(world, CARA, 25050)
    first_contact_ten_days_back(world)
    # Events settle a few seconds before the sweep takes them.
    wait_for(lambda: folded(world), timeout=40, what="the reports consumer folded the seed")
    return world


@pytest.fixture(scope="module")
def owner(sessions, world) -> Session:
    return sessions(world, OWNER)


@pytest.fixture(scope="module")
def rep(sessions, world) -> Session:
    return sessions(world, REP_A)


# --- reading the screen --------------------------------------------------------------------


def open_reports(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Reports", exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"#/reports$"))
    expect(page.locator("[data-testid=reports][data-shown^='lead-sources|']")).to_be_attached(
        timeout=LIVE_MS
    )


def row(page: Page, report_name: str, key: str):
    return page.locator(
        f'[data-testid=table-{report_name}] [data-testid=report-row][data-key="{key}"]'
    )


def cells(locator, columns: dict[str, str]) -> None:
    for column, text in columns.items():
        expect(locator.locator(f"[data-col={column}]")).to_have_text(text)


def shown(page: Page, report_name: str) -> None:
    expect(page.locator(f"[data-testid=reports][data-shown^='{report_name}|']")).to_be_attached(
        timeout=LIVE_MS
    )


def keys(page: Page, report_name: str) -> list[str]:
    return page.locator(f"[data-testid=table-{report_name}] [data-testid=report-row]").evaluate_all(
        "rows => rows.map(row => row.dataset.key)"
    )


def reached(**counts: int) -> dict[str, str]:
    return {f"reached-{stage}": str(counts.get(stage, 0)) for stage in STUDIO_IDS}


# --- the owner -------------------------------------------------------------------------------


def test_the_owner_reads_which_source_closes(owner, world):
    page = owner.page
    open_reports(page)
    assert keys(page, "lead-sources") == [FAIR, INSTAGRAM, REFERRAL]  # by revenue
    cells(
        row(page, "lead-sources", FAIR),
        {
            "source": "Spring fair",
            "leads": "2",
            **reached(lead=2, proposal_sent=2, delivered=1),
            "won": "1",
            "lost": "0",
            "conversion": "50%",
            "revenue": "€1,600.00",
            "medianDaysToWon": "10",
        },
    )
    cells(
        row(page, "lead-sources", INSTAGRAM),
        {
            "leads": "1",
            **reached(lead=1, delivered=1),  # the five stages skipped are not reached
            "won": "1",
            "conversion": "100%",
            "revenue": "€250.50",
            "medianDaysToWon": "10",
        },
    )
    # The referral's name is markup: shown as text, never run.
    an_image_error_has_fired(page)
    cells(
        row(page, "lead-sources", REFERRAL),
        {
            "source": XSS,
            "leads": "1",
            **reached(lead=1),
            "won": "0",
            "conversion": "0%",
            "revenue": "€0.00",
            "medianDaysToWon": "—",
        },
    )
    cells(
        page.locator("[data-testid=table-lead-sources] [data-testid=report-totals]"),
        {
            "leads": "4",
            **reached(lead=4, proposal_sent=2, delivered=2),
            "won": "2",
            "conversion": "50%",
            "revenue": "€1,850.50",
            "medianDaysToWon": "10",
        },
    )
    expect(page.locator("th[data-col=reached-proposal_sent]")).to_have_text("Reached Proposal sent")
    expect(page.locator("[data-testid=up-to]")).to_contain_text("Figures up to")
    expect(page.locator("[data-testid=report-chart] canvas").first).to_be_visible()
    expect(page.locator("[data-testid=scope-note]")).to_have_count(0)
    assert not owner.dialogs
    # The screen and uPlot are chunks of their own: the first screen carried neither.
    assert not [s for s in owner.first_scripts if "/chunks/reports-" in s or "uPlot" in s]
    no_error_shown(owner)


def test_the_reports_switch_by_keyboard(owner):
    page = owner.page
    open_reports(page)
    tab = page.get_by_role("tab", name="Lead sources")
    tab.focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Time in stage")).to_be_focused()
    expect(page.get_by_role("tab", name="Time in stage")).to_have_attribute("aria-selected", "true")
    expect(page).to_have_url(re.compile(r"report=time-in-stage"))
    shown(page, "time-in-stage")
    # Lead stays: Ana, Ben (twice: he went back), Cara; 10, 10, 0 and 10 days.
    cells(
        row(page, "time-in-stage", "lead"),
        {"stays": "4", "medianDays": "10", "averageDays": "7.5"},
    )
    cells(
        row(page, "time-in-stage", "proposal_sent"),
        {"stays": "2", "medianDays": "0", "averageDays": "0"},
    )
    cells(row(page, "time-in-stage", "delivered"), {"stays": "0", "medianDays": "—"})

    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Reps")).to_be_focused()
    shown(page, "reps")
    # At the win (the default): rep B won Ana after the hand-over and was paid for her.
    assert keys(page, "reps") == ["rep-b", "rep-a", "_none"]
    cells(row(page, "reps", "rep-a"), {"name": "rep-a", "wins": "1", "revenue": "€250.50"})
    cells(row(page, "reps", "rep-b"), {"wins": "1", "revenue": "€1,600.00"})
    cells(row(page, "reps", "_none"), {"name": "Unassigned", "newLeads": "4"})

    page.keyboard.press("End")
    expect(page.get_by_role("tab", name="Trade shows")).to_be_focused()
    shown(page, "trade-shows")
    assert keys(page, "trade-shows") == [FAIR]
    cells(
        row(page, "trade-shows", FAIR),
        {
            "label": "Spring fair",
            "revenueRank": "1",
            "winsRank": "1",
            "place": "MFCC",
            "leads": "2",
            "won": "1",
            "revenue": "€1,600.00",
        },
    )
    page.keyboard.press("Home")
    expect(tab).to_be_focused()
    shown(page, "lead-sources")
    no_error_shown(owner)


def test_download_csv_saves_the_report_shown(owner, tmp_path: Path):
    page = owner.page
    open_reports(page)
    with page.expect_download() as download:
        page.locator("[data-testid=download-csv]").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    first, last = (
        page.locator("#report-from").input_value(),
        page.locator("#report-to").input_value(),
    )
    assert saved.name == f"hearth-lead-sources-{first}-{last}.csv"
    with saved.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    header, body = table[0], table[1:]
    assert "Reached: Proposal sent" in header
    by_label = {line[header.index("Source") if "Source" in header else 0]: line for line in body}
    fair = by_label["Spring fair"]
    assert "1600.00" in fair and "EUR" in fair
    assert "250.50" in by_label[INSTAGRAM]
    assert XSS in by_label  # not a formula: kept as it is
    expect(page.locator("[data-testid=download-message]")).to_have_text(f"Downloaded {saved.name}.")


def test_the_owner_counts_the_reps_at_creation_by_keyboard(owner, tmp_path: Path):
    page = owner.page
    open_reports(page)
    page.get_by_role("tab", name="Reps").click()
    shown(page, "reps")
    choice = page.get_by_role("group", name="Count wins and revenue:")
    when_won = choice.get_by_role("radio", name="When won (the owner then)")
    at_creation = choice.get_by_role("radio", name="At creation (the first owner)")
    expect(when_won).to_be_checked()
    note = page.locator("[data-testid=reps-by-note]")
    expect(note).to_contain_text("the owner when the deal was won")
    when_won.focus()
    page.keyboard.press("ArrowDown")
    expect(at_creation).to_be_checked()
    expect(at_creation).to_be_focused()
    expect(page).to_have_url(re.compile(r"report=reps&from=[-\d]+&to=[-\d]+&by=creation$"))
    by_creation = page.locator(
        "[data-testid=reports][data-shown^='reps|'][data-shown$='|creation']"
    )
    expect(by_creation).to_be_attached(timeout=LIVE_MS)
    # Ana was rep A's first: her win and her 1,500.00 go back to rep A.
    assert keys(page, "reps") == ["rep-a", "rep-b", "_none"]
    cells(row(page, "reps", "rep-a"), {"wins": "2", "revenue": "€1,750.50", "newLeads": "0"})
    cells(row(page, "reps", "rep-b"), {"wins": "0", "revenue": "€100.00"})
    cells(row(page, "reps", "_none"), {"newLeads": "4", "wins": "0"})
    expect(note).to_contain_text("each customer's first owner")

    with page.expect_download() as download:
        page.locator("[data-testid=download-csv]").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    first, last = (
        page.locator("#report-from").input_value(),
        page.locator("#report-to").input_value(),
    )
    assert saved.name == f"hearth-reps-by-creation-{first}-{last}.csv"
    with saved.open(encoding="utf-8", newline="") as handle:
        header, *body = list(csv.reader(handle))
    figures = {
        line[0]: (line[header.index("Wins")], line[header.index("Revenue")]) for line in body
    }
    assert figures["rep-a"] == ("2", "1750.50")
    assert figures["rep-b"] == ("0", "100.00")

    page.reload()
    expect(by_creation).to_be_attached(timeout=LIVE_MS)
    expect(page.get_by_role("radio", name="At creation (the first owner)")).to_be_checked()
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"by="))
    expect(page.get_by_role("radio", name="When won (the owner then)")).to_be_checked()
    expect(
        page.locator("[data-testid=reports][data-shown^='reps|'][data-shown$='|win']")
    ).to_be_attached(timeout=LIVE_MS)
    assert keys(page, "reps") == ["rep-b", "rep-a", "_none"]
    expect(page.locator("[data-testid=reps-by-note]")).to_contain_text("the rep who closed it")
    no_error_shown(owner)


def test_the_period_is_checked_before_asking_and_presets_set_it(owner):
    page = owner.page
    open_reports(page)
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/reports/" in r.url else None)
    page.locator("#report-from").fill("2026-03-10")
    page.locator("#report-to").fill("2026-03-01")
    page.locator("#report-to").press("Enter")
    expect(page.locator("[data-testid=period-error]")).to_have_text(
        "To is before From: pick a To on or after From."
    )
    expect(page.locator("#report-to")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#report-to")).to_be_focused()
    page.locator("#report-from").fill("2024-01-01")
    page.locator("#report-to").fill("2025-06-30")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("[data-testid=period-error]")).to_contain_text("at most 366 days")
    assert not asked
    # A year before the seed: nothing, and what to try.
    page.locator("#report-from").fill("2024-01-01")
    page.locator("#report-to").fill("2024-12-31")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"from=2024-01-01&to=2024-12-31"))
    expect(page.locator("[data-testid=empty]")).to_contain_text("No new leads in this period")
    expect(page.locator("[data-testid=empty]")).to_contain_text("12 months")
    page.get_by_role("button", name="90 days").click()
    first = (today() - timedelta(days=89)).isoformat()
    expect(page.locator("#report-from")).to_have_value(first)
    expect(page.locator("#report-to")).to_have_value(today().isoformat())
    expect(page.get_by_role("button", name="90 days")).to_have_attribute("aria-pressed", "true")
    shown(page, "lead-sources")
    expect(row(page, "lead-sources", FAIR).locator("[data-col=leads]")).to_have_text("2")
    page.get_by_role("button", name="30 days").click()
    expect(page.locator("#report-from")).to_have_value((today() - timedelta(days=29)).isoformat())
    no_error_shown(owner)


def test_axe_finds_nothing_at_desktop_and_390_pixels(owner, screenshot):
    page = owner.page
    open_reports(page)
    accessible(page, "the lead sources report")
    page.get_by_role("tab", name="Reps").click()
    shown(page, "reps")
    accessible(page, "the reps report")
    page.get_by_role("radio", name="At creation (the first owner)").check()
    expect(page.locator("[data-testid=reps-by-note]")).to_contain_text("first owner")
    accessible(page, "the reps report counted at creation")
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        fits(page)
        accessible(page, "the reps report at 390 px")
        page.get_by_role("tab", name="Lead sources").click()
        shown(page, "lead-sources")
        expect(page.locator("[data-testid=report-chart] canvas").first).to_be_visible()
        fits(page)
        screenshot(page, "390")
        accessible(page, "the lead sources report at 390 px")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


# --- a rep, a manager, a partner -------------------------------------------------------------


def test_a_rep_sees_only_their_own_figures(rep):
    page = rep.page
    open_reports(page)
    expect(page.locator("[data-testid=scope-note]")).to_have_text("Your customers only")
    # Ana and Cara: unassigned when they got in touch, rep A's from the first move on.
    assert keys(page, "lead-sources") == [FAIR, INSTAGRAM]
    cells(
        row(page, "lead-sources", FAIR),
        {"leads": "1", **reached(lead=1, proposal_sent=1, delivered=1), "revenue": "€1,500.00"},
    )
    cells(row(page, "lead-sources", INSTAGRAM), {"won": "1", "revenue": "€250.50"})
    cells(
        page.locator("[data-testid=table-lead-sources] [data-testid=report-totals]"),
        {"leads": "2", "won": "2", "conversion": "100%", "revenue": "€1,750.50"},
    )
    page.get_by_role("tab", name="Reps").click()
    shown(page, "reps")
    assert keys(page, "reps") == ["rep-a"]
    cells(row(page, "reps", "rep-a"), {"wins": "1", "revenue": "€250.50"})
    expect(page.locator("[data-testid=table-reps]")).not_to_contain_text("rep-b")
    page.get_by_role("radio", name="At creation (the first owner)").check()
    expect(page.locator("[data-testid=reports]")).to_have_attribute(
        "data-shown", re.compile(r"^reps\|.*\|creation$")
    )
    cells(row(page, "reps", "rep-a"), {"wins": "2", "revenue": "€1,750.50"})
    page.get_by_role("tab", name="Time in stage").click()
    shown(page, "time-in-stage")
    expect(page.locator("[data-testid=reps-by]")).to_have_count(0)
    assert "by=" not in page.url
    # Only the stays that ended by rep A's moves: Ana's and Cara's first (Ana's second
    # move was rep B's).
    cells(
        row(page, "time-in-stage", "lead"), {"stays": "2", "medianDays": "10", "averageDays": "10"}
    )
    cells(row(page, "time-in-stage", "proposal_sent"), {"stays": "0"})
    no_error_shown(rep)
    accessible(page, "a rep's reports")


def test_a_manager_has_the_reports_and_a_partner_not(sessions, world):
    manager = sessions(world, MANAGER)
    open_reports(manager.page)
    expect(row(manager.page, "lead-sources", FAIR).locator("[data-col=leads]")).to_have_text("2")
    partner = sessions(world, PARTNER)
    nav = partner.page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Customers", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Reports", exact=True)).to_have_count(0)
    go(partner.page, "#/reports")
    expect(partner.page).to_have_url(re.compile(r"#/customers$"))
    assert not [url for url in partner.requested if "/reports/" in url]
