"""The owner's automation rules (#/settings/automations) in a real browser: the trade
template's defaults shown until rules are saved, a rule edited, one added, one removed and
one turned off by keyboard, "Preview last 30 days" listing the task the edited rule would
have made for a lead sent to the real intake (and writing nothing), the rules saved
through the real admin function and shown again after a reload; a value the server
refuses shown beside its input; axe at desktop width and at 390 px; a rep sent away.

settings/automations and settings/pipeline are read live from Firestore under
firestore.rules; nothing is written but through the admin function.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import requests
from google.cloud.firestore_v1 import FieldFilter
from playwright.sync_api import Locator, Page, expect

from hearth.rules.automations import DEFAULTS
from tests.browser.conftest import (
    LIVE_MS,
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

LEAD = "nadia.rules@example.com"
LEAD_NAME = f"Nadia {XSS}"


@pytest.fixture(scope="module")
def world(admin_stack, firestore_emulator, auth_emulator) -> World:
    world = fresh_world(admin_stack, firestore_emulator, auth_emulator)
    world.add_staff("owner", "owner-1", OWNER)
    world.add_staff("rep", "rep-1", REP)
    owner = {"Authorization": f"Bearer {world.token(OWNER)}"}
    response = requests.put(
        f"{world.functions}/admin/settings/pipeline",
        json={"template": "trade"},
        headers=owner,
        timeout=30,
    )
    assert response.status_code == 200, response.text
    # A lead from the website, through the real intake: its customer.created event is
    # what the preview reads.
    response = requests.post(
        f"{world.functions}/intake",
        json={"form": "contact", "email": LEAD, "name": LEAD_NAME, "elapsed_ms": 5000},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return world


@pytest.fixture(scope="module")
def owner(sessions, world) -> Session:
    return on_the_customers_list(sessions(world, OWNER))


def rules_screen(page: Page) -> Locator:
    go(page, "#/settings/automations")
    screen = page.locator("[data-testid=settings][data-section=automations]")
    expect(screen.locator("[data-testid=rule-row]").first).to_be_visible(timeout=LIVE_MS)
    return screen


def stored_rules(world: World) -> list[dict] | None:
    snapshot = world.client.collection("settings").document("automations").get()
    return (snapshot.to_dict() or {}).get("rules") if snapshot.exists else None


def lead_created_at(world: World) -> datetime:
    events = world.client.collection("events").where(filter=FieldFilter("customer", "==", LEAD))
    [created] = [e.to_dict() for e in events.stream() if e.to_dict()["type"] == "customer.created"]
    return created["at"]


def choose(page: Page, select: Locator, value: str) -> None:
    """Pick an option of a select with the arrow keys, as a keyboard user does."""
    select.focus()
    for _ in range(12):
        if select.input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    expect(select).to_have_value(value)


def retype(page: Page, field: Locator, text: str) -> None:
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def shown_rule(row: Locator) -> dict:
    """What a row says, in the shape of a stored rule."""
    rule = {
        "id": row.locator("[data-testid=rule-id]").inner_text(),
        "on": row.locator("[data-testid=rule-on]").input_value(),
        "offset": {
            row.locator("[data-testid=rule-unit]").input_value(): int(
                row.locator("[data-testid=rule-amount]").input_value()
            )
        },
        "title": row.locator("[data-testid=rule-title]").input_value(),
    }
    for key, testid in (("stage", "rule-stage"), ("sourceKind", "rule-source")):
        value = row.locator(f"[data-testid={testid}]").input_value()
        if value:
            rule[key] = value
    return rule


def test_the_owner_edits_previews_and_saves_the_rules_by_keyboard(owner, world, screenshot):
    page = owner.page
    screen = rules_screen(page)
    rows = screen.locator("[data-testid=rule-row]")
    # Nothing saved: the trade template's rules, as the server would run them.
    expect(screen.locator("[data-testid=automations-defaults]")).to_contain_text("trade sales")
    expect(rows).to_have_count(len(DEFAULTS["trade"]))
    assert [shown_rule(rows.nth(i)) for i in range(rows.count())] == list(DEFAULTS["trade"])
    expect(rows.locator("[data-testid=rule-enabled]")).to_have_count(4)
    accessible(page, "the trade template's rules")

    # The check-in: another title, four hours after the lead arrives.
    check_in = rows.nth(0)
    retype(page, check_in.locator("[data-testid=rule-title]"), "Call the new lead")
    choose(page, check_in.locator("[data-testid=rule-unit]"), "hours")
    retype(page, check_in.locator("[data-testid=rule-amount]"), "4")
    # ...and no longer needed once the customer writes back.
    check_in.locator("[data-testid=rule-done-on-reply]").focus()
    page.keyboard.press("Space")
    # The stale reminder turned off; the demo's nudge removed.
    rows.nth(3).locator("[data-testid=rule-enabled]").focus()
    page.keyboard.press("Space")
    rows.nth(2).locator("[data-testid=rule-remove]").focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(3)
    expect(page.locator(":focus")).to_have_attribute("data-testid", "rule-title")  # the next rule's
    # A new rule: thank a referral's first order, moved above the stale reminder.
    screen.locator("[data-testid=rule-add]").focus()
    page.keyboard.press("Enter")
    page.keyboard.type("Thank them for the order")
    added = rows.nth(3)
    expect(added.locator("[data-testid=rule-id]")).to_have_text("thank_them_for_the_order")
    choose(page, added.locator("[data-testid=rule-on]"), "stage.changed")
    choose(page, added.locator("[data-testid=rule-stage]"), "first_order_placed")
    choose(page, added.locator("[data-testid=rule-source]"), "referral")
    added.get_by_role("button", name="Move Thank them for the order up").focus()
    page.keyboard.press("Enter")
    expect(rows.nth(2)).to_have_attribute("data-rule", "thank_them_for_the_order")
    expect(page.locator(":focus")).to_have_attribute(
        "aria-label", "Move Thank them for the order up"
    )
    expect(screen.locator("[data-testid=automations-status]")).to_have_text("Unsaved changes.")

    # The preview: the rules as edited, applied to the last 30 days, nothing written.
    screen.locator("[data-testid=automations-preview]").focus()
    page.keyboard.press("Enter")
    result = screen.locator("[data-testid=preview-result]")
    expect(result).to_be_focused()
    expect(result.locator("[data-testid=preview-task]")).to_have_count(1)
    task = result.locator("[data-testid=preview-task]")
    expect(task.locator("[data-testid=preview-customer]")).to_have_text(LEAD_NAME)  # as text
    expect(task.locator("[data-testid=preview-title]")).to_have_text("Call the new lead")
    due = datetime.fromisoformat(
        task.locator("[data-testid=preview-due]").get_attribute("datetime")
    )
    assert due == lead_created_at(world) + timedelta(hours=4)
    counts = result.locator("[data-testid=preview-count]")
    expect(counts.locator("[data-testid=preview-count-n]")).to_have_text(["1", "0", "0", "off"])
    expect(result.locator("[data-testid=preview-summary]")).to_contain_text("1 task from")
    assert stored_rules(world) is None
    assert not list(world.client.collection("tasks").limit(1).stream())
    accessible(page, "the rules with their preview")
    screenshot(page, "automation-settings")

    # Changing a rule marks the preview out of date.
    retype(page, check_in.locator("[data-testid=rule-amount]"), "5")
    expect(result.locator("[data-testid=preview-outdated]")).to_be_visible()
    retype(page, check_in.locator("[data-testid=rule-amount]"), "4")

    screen.locator("[data-testid=automations-save]").focus()
    page.keyboard.press("Enter")
    expect(screen.locator("[data-testid=automations-status]")).to_contain_text("Rules saved.")
    stale = {**DEFAULTS["trade"][3], "enabled": False}
    expected = [
        {"id": "new_lead_check_in", "on": "customer.created", "offset": {"hours": 4},
         "title": "Call the new lead", "enabled": True, "doneOnReply": True},
        {**DEFAULTS["trade"][1], "enabled": True},
        {"id": "thank_them_for_the_order", "on": "stage.changed", "stage": "first_order_placed",
         "sourceKind": "referral", "offset": {"businessDays": 1},
         "title": "Thank them for the order", "enabled": True},
        stale,
    ]  # fmt: skip
    expected = [{"doneOnReply": False, **rule} for rule in expected]  # stored for every rule
    assert stored_rules(world) == expected
    expect(screen.locator("[data-testid=automations-defaults]")).to_have_count(0)

    page.reload()
    screen = rules_screen(page)
    rows = screen.locator("[data-testid=rule-row]")
    expect(rows).to_have_count(4)
    expect(rows.nth(0).locator("[data-testid=rule-title]")).to_have_value("Call the new lead")
    expect(rows.nth(0).locator("[data-testid=rule-unit]")).to_have_value("hours")
    expect(rows.nth(3).locator("[data-testid=rule-enabled]")).not_to_be_checked()
    expect(rows.nth(0).locator("[data-testid=rule-done-on-reply]")).to_be_checked()
    assert [shown_rule(rows.nth(i)) for i in range(4)] == [
        {k: v for k, v in rule.items() if k not in ("enabled", "doneOnReply")} for rule in expected
    ]
    no_error_shown(owner)


def test_a_value_the_server_refuses_is_shown_beside_its_input(owner, world):
    page = owner.page
    screen = rules_screen(page)
    before = stored_rules(world)
    row = screen.locator("[data-testid=rule-row]").nth(2)
    choose(page, row.locator("[data-testid=rule-unit]"), "businessDays")
    amount = row.locator("[data-testid=rule-amount]")
    retype(page, amount, "300")
    page.keyboard.press("Enter")  # submits the form

    error = row.locator("[data-testid=field-error][data-part=offset]")
    expect(error).to_have_text("Input should be less than or equal to 260")
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(amount).to_be_focused()
    assert error.get_attribute("id") in (amount.get_attribute("aria-describedby") or "").split()
    expect(screen.locator("[data-testid=automations-error]")).to_contain_text("Nothing was saved.")
    assert stored_rules(world) == before
    accessible(page, "a refused offset beside its input")

    retype(page, amount, "2")  # typing clears the message
    expect(error).to_have_count(0)
    screen.get_by_role("button", name="Discard changes").click()
    expect(row.locator("[data-testid=rule-amount]")).to_have_value("1")


def test_at_390_pixels_the_screen_fits_and_passes_axe(owner, world, screenshot):
    page = owner.page
    page.set_viewport_size({"width": 390, "height": 800})
    try:
        screen = rules_screen(page)
        screen.locator("[data-testid=automations-preview]").click()
        expect(screen.locator("[data-testid=preview-task]")).to_have_count(1)
        fits(page)
        accessible(page, "the automation rules on a phone")
        screenshot(page, "automation-settings-390")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
