"""The demo site's forms in a real browser, posting to the real intake function.

The site is tested as it ships: its pages name the default addresses
(127.0.0.1:5000 for pages, 127.0.0.1:5001 for functions), so the browser's requests
to those addresses are forwarded to this session's stack on its own free ports. The
forwarding passes every byte through; the real servers answer.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import accessible, like_a_person
from tests.stacks import Stack

pytestmark = pytest.mark.browser

DEFAULT_WEB = "http://127.0.0.1:5000"
DEFAULT_FUNCTIONS = "http://127.0.0.1:5001"


class Network:
    """Forwards the site's default addresses to this session's stack.

    Playwright's offline switch does not reach requests a route fetches itself, so
    going offline here also fails forwarded requests the way a dropped connection does.
    """

    def __init__(self, context: BrowserContext, stack: Stack) -> None:
        self.context = context
        self.stack = stack
        self.online = True
        context.route(f"{DEFAULT_WEB}/**", self.forward)
        context.route(f"{DEFAULT_FUNCTIONS}/**", self.forward)

    def forward(self, route: Route) -> None:
        if not self.online:
            route.abort("internetdisconnected")
            return
        target = route.request.url.replace(DEFAULT_WEB, self.stack.web).replace(
            DEFAULT_FUNCTIONS, self.stack.functions
        )
        try:
            route.fulfill(response=route.fetch(url=target, max_redirects=0))
        except PlaywrightError:
            # The page was closed while an answer was on its way (a beacon or a script
            # of the page being left): nobody is left to give it to. A request left
            # unanswered in a page still open fails its test by its own wait.
            return

    def set_online(self, online: bool) -> None:
        self.online = online
        self.context.set_offline(not online)


@pytest.fixture
def network(browser, live_stack, db):
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    yield Network(context, live_stack)
    context.close()


@pytest.fixture
def site(network, live_stack) -> Page:
    page = network.context.new_page()
    page.goto(f"{live_stack.web}/site/?utm_source=Instagram")
    expect(page.locator("form[data-hearth='contact']")).to_have_attribute(
        "data-hearth-state", "ready"
    )
    return page


def activity_of(db, key: str) -> list[dict]:
    return [
        entry.to_dict()
        for entry in db.collection("customers").document(key).collection("activity").stream()
    ]


def test_contact_form_creates_the_customer_with_consent_and_source(site, db, screenshot):
    form = site.locator("form[data-hearth='contact']")
    form.locator("#contact-name").fill("Ġorġ Vella")
    form.locator("#contact-email").fill("Gorg.Vella@Example.org")
    form.locator("#contact-mobile").fill("7912 3456")
    form.locator("#contact-message").fill("I need a logo for my bakery.")
    form.locator("#contact-consent").check()
    like_a_person(site)
    form.locator("button[type=submit]").click()

    expect(form).to_have_attribute("data-hearth-state", "sent")
    screenshot(site, "sent")
    accessible(site, "the site with its contact form sent")
    customer = db.collection("customers").document("gorg.vella@example.org").get().to_dict()
    assert customer["name"] == "Ġorġ Vella"
    assert customer["mobile"] == "+35679123456"
    assert customer["consent"]["marketing"] is True
    assert customer["firstSource"] == "instagram"
    [entry] = activity_of(db, "gorg.vella@example.org")
    assert entry["fields"]["message"] == "I need a logo for my bakery."
    assert entry["page"] == "/site/"


def test_pricing_wizard_walks_three_steps_and_keeps_the_answers(site, db, screenshot):
    form = site.locator("form[data-hearth='pricing']")
    form.scroll_into_view_if_needed()
    expect(form.locator("[data-step-indicator]")).to_have_text("Step 1 of 3")
    form.locator("input[name=project_type][value=website]").check()
    form.locator("[data-wizard-next]").click()
    expect(form.locator("[data-step-indicator]")).to_have_text("Step 2 of 3")
    form.locator("#pricing-budget").select_option(index=2)
    form.locator("#pricing-timeline").select_option(index=1)
    screenshot(site, "step-2")
    accessible(site, "the pricing wizard's second step")
    form.locator("[data-wizard-next]").click()
    expect(form.locator("[data-step-indicator]")).to_have_text("Step 3 of 3")
    form.locator("#pricing-name").fill("Żaneta Camilleri")
    form.locator("#pricing-email").fill("zaneta@example.org")
    like_a_person(site)
    form.locator("button[type=submit]").click()

    expect(form).to_have_attribute("data-hearth-state", "sent")
    [entry] = activity_of(db, "zaneta@example.org")
    assert entry["form"] == "pricing"
    assert entry["answers"]["project_type"] == "website"
    assert set(entry["answers"]) >= {"project_type", "budget", "timeline"}
    assert entry["consent"] is False  # the box was there and left unticked


def test_a_field_the_server_refuses_is_explained_next_to_it(site, db, screenshot):
    form = site.locator("form[data-hearth='contact']")
    form.locator("#contact-name").fill("Ana")
    form.locator("#contact-email").fill("ana@example")  # fine for the browser, not a real address
    form.locator("#contact-message").fill("Hello")
    like_a_person(site)
    form.locator("button[type=submit]").click()

    expect(form).to_have_attribute("data-hearth-state", "error")
    error = form.locator("[data-hearth-error-for='email']")
    expect(error).to_be_visible()
    expect(error).to_contain_text("not a valid e-mail address")
    expect(form.locator("#contact-email")).to_have_attribute("aria-invalid", "true")
    error.scroll_into_view_if_needed()
    screenshot(site, "error")
    accessible(site, "the contact form with a field refused beside it")
    assert list(db.collection("customers").stream()) == []


def test_the_site_and_its_thank_you_page_have_no_accessibility_violations(site, live_stack):
    accessible(site, "the site's page with its forms ready")
    site.set_viewport_size({"width": 390, "height": 844})
    accessible(site, "the site's page on a phone")
    site.goto(f"{live_stack.web}/site/thanks.html")
    expect(site.locator("h1")).to_be_visible()
    accessible(site, "the thank-you page")


def test_a_submission_made_offline_is_kept_and_sent_once_back_online(site, network, db):
    form = site.locator("form[data-hearth='giveaway']")
    form.scroll_into_view_if_needed()
    form.locator("#giveaway-name").fill("Mario Borg")
    form.locator("#giveaway-email").fill("mario@example.org")
    like_a_person(site)
    network.set_online(False)
    form.locator("button[type=submit]").click()

    expect(form).to_have_attribute("data-hearth-state", "queued")
    outbox = site.evaluate("JSON.parse(localStorage.getItem('hearth:outbox') || '[]')")
    assert len(outbox) == 1
    assert list(db.collection("customers").stream()) == []

    network.set_online(True)
    site.evaluate("HearthForms.flush()")
    site.evaluate("HearthForms.flush()")  # a second pass must not send it twice

    expect(form).to_have_attribute("data-hearth-state", "sent")
    assert site.evaluate("JSON.parse(localStorage.getItem('hearth:outbox') || '[]')") == []
    assert len(activity_of(db, "mario@example.org")) == 1


def test_an_instant_bot_submission_is_answered_but_not_stored(site, db):
    form = site.locator("form[data-hearth='contact']")
    form.locator("#contact-name").fill("Bot")
    form.locator("#contact-email").fill("bot@example.org")
    form.locator("#contact-message").fill("Cheap followers")
    site.evaluate("document.querySelector('#contact-website').value = 'https://spam.example'")
    form.locator("button[type=submit]").click()

    expect(form).to_have_attribute("data-hearth-state", "sent")
    assert list(db.collection("customers").stream()) == []


def test_without_javascript_the_form_still_posts_and_lands_on_the_thank_you_page(
    browser, live_stack, db, screenshot
):
    context = browser.new_context(java_script_enabled=False)
    try:
        Network(context, live_stack)
        page = context.new_page()
        page.goto(f"{live_stack.web}/site/")
        form = page.locator("form[data-hearth='contact']")
        form.locator("#contact-name").fill("Rita Zammit")
        form.locator("#contact-email").fill("rita@example.org")
        form.locator("#contact-message").fill("Do you design menus?")
        form.locator("button[type=submit]").click()

        page.wait_for_url("**/site/thanks.html")
        screenshot(page, "thanks")
    finally:
        context.close()
    customer = db.collection("customers").document("rita@example.org").get().to_dict()
    assert customer["name"] == "Rita Zammit"
    assert customer["consent"]["marketing"] is False  # hidden "false" before the checkbox
