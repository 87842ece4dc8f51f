"""The demo site's analytics in a real browser: every page and each wizard step arrive
in the day's roll-up, and no cookie or stored identifier is left behind.

Chromium runs headless here, and a headless browser is a bot by the ingest's user-agent
list; the context therefore presents the user agent of the same browser with a screen,
as a visitor's would be.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import analytics_today, like_a_person, wait_for

pytestmark = pytest.mark.browser

A_VISITORS_CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


def test_every_page_and_the_wizards_steps_are_counted_without_a_cookie(
    browser, live_stack, db, screenshot
) -> None:
    context = browser.new_context(
        user_agent=A_VISITORS_CHROME, viewport={"width": 390, "height": 844}
    )
    context.add_init_script(f"window.HEARTH_FUNCTIONS_URL = {json.dumps(live_stack.functions)};")
    page = context.new_page()
    web = live_stack.web

    page.goto(f"{web}/site/?utm_source=Newsletter")
    form = page.locator("form[data-hearth='pricing']")
    form.scroll_into_view_if_needed()
    form.locator("input[name=project_type][value=website]").check()
    form.locator("[data-wizard-next]").click()
    form.locator("#pricing-budget").select_option(index=2)
    form.locator("#pricing-timeline").select_option(index=1)
    form.locator("[data-wizard-next]").click()
    form.locator("#pricing-name").fill("Żaneta Camilleri")
    form.locator("#pricing-email").fill("zaneta@example.org")
    like_a_person(page)
    form.locator("button[type=submit]").click()
    expect(form).to_have_attribute("data-hearth-state", "sent")
    screenshot(page, "wizard-sent")
    page.evaluate("history.pushState({}, '', '/site/?tab=work')")  # a page of a one-page app
    page.evaluate(
        """() => {
             const a = document.body.appendChild(document.createElement('a'));
             a.href = 'https://www.instagram.com/studiolumen';
             a.textContent = 'Instagram';
             a.addEventListener('click', (e) => e.preventDefault());
           }"""
    )
    page.get_by_role("link", name="Instagram").click()
    page.goto(f"{web}/site/book.html")
    page.goto(f"{web}/site/thanks.html")
    page.goto(f"{web}/site/booking.html")  # a signed link's page: not tracked

    wait_for(
        lambda: (
            analytics_today(db).get("pageviews") == 4
            and analytics_today(db).get("events", {}).get("outbound") == 1
        ),
        what="the beacons in today's roll-up",
    )
    figures = analytics_today(db)
    assert figures["visitors"] == 1
    assert figures["sources"] == {"newsletter": 1}
    assert figures["pages"] == {"/site/": 2, "/site/book.html": 1, "/site/thanks.html": 1}
    assert figures["events"] == {
        "wizard_start": 1,
        "wizard_step": 3,
        "wizard_complete": 1,
        "form_submit": 1,
        "outbound": 1,
    }
    assert figures["wizardSteps"] == {"1": 1, "2": 1, "3": 1}
    assert figures["outbound"] == {"instagram.com": 1}
    assert (figures["forms"], figures["leads"]) == ({"pricing": 1}, 1)

    assert context.cookies() == []
    page.goto(f"{web}/site/thanks.html")
    stored = page.evaluate("[Object.keys(localStorage), Object.keys(sessionStorage)]")
    assert stored[0] in ([], ["hearth:outbox"]) and stored[1] == [], stored  # forms.js's outbox
    context.close()


def test_a_snippet_told_to_respect_do_not_track_sends_nothing(browser, live_stack, db) -> None:
    """The visitor asks not to be tracked (DNT and GPC). The demo site's own tag does
    not opt in, so its pageviews still arrive; a copy tagged data-respect-dnt sends
    neither its pageview nor an event."""
    context = browser.new_context(user_agent=A_VISITORS_CHROME, extra_http_headers={"DNT": "1"})
    context.add_init_script(
        f"window.HEARTH_FUNCTIONS_URL = {json.dumps(live_stack.functions)};"
        "Object.defineProperty(navigator, 'globalPrivacyControl', {get: () => true});"
    )
    page = context.new_page()
    page.goto(f"{live_stack.web}/site/thanks.html")
    page.evaluate(
        """() => new Promise((resolve) => {
             const s = document.createElement('script');
             s.src = '/track.js?respectful';
             s.dataset.respectDnt = '';
             s.onload = resolve;
             document.head.appendChild(s);
           })"""
    )
    page.evaluate("window.hearth.track('outbound', {host: 'example.org'})")
    page.goto(f"{live_stack.web}/site/book.html")

    wait_for(lambda: analytics_today(db).get("pageviews") == 2, what="the untagged pageviews")
    figures = analytics_today(db)
    assert figures["pageviews"] == 2 and "events" not in figures
    context.close()


def test_a_browser_without_random_uuid_still_sends_hits_counted_once_each(
    browser, live_stack, db
) -> None:
    """crypto.randomUUID exists only on secure pages; a site served over plain http gets
    the snippet's own random id instead, which /track must take like a UUID."""
    context = browser.new_context(user_agent=A_VISITORS_CHROME)
    context.add_init_script(
        f"window.HEARTH_FUNCTIONS_URL = {json.dumps(live_stack.functions)};"
        "delete Crypto.prototype.randomUUID;"
    )
    page = context.new_page()
    page.goto(f"{live_stack.web}/site/")
    assert page.evaluate("typeof crypto.randomUUID") == "undefined"
    page.evaluate("history.pushState({}, '', '/site/?tab=work')")

    wait_for(lambda: analytics_today(db).get("pageviews") == 2, what="both pageviews")
    ids = [doc.id for doc in db.collection("analytics_events").stream()]
    assert len(ids) == 2 and len(set(ids)) == 2  # a new id per hit, not one per page
    context.close()
