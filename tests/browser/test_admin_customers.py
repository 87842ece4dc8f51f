"""The admin page in a real browser, on the real emulators and the running stack.

The page is built once by its own command (`node web/build.mjs`, the `web_build`
fixture) and served by the stack, whose /config.json points it at this session's
Firestore and Auth emulators. People sign in through the page's form with real accounts
on the Auth emulator; every read is the page's own, under firestore.rules; every write
goes through the functions. Data is made by the production code (intake.store) or, for
what staff set by hand (stage, owner, segment) and what a later issue writes (bookings),
by the server client.

One signed-in page per role is shared by the module (signing in costs a few seconds),
so the data is made once for the module and each test works on customers of its own.
Screenshots of every screen go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    LIVE_MS,
    MALTA,
    MANAGER,
    OWNER,
    OWNER_2,
    PARTNER,
    REP_A,
    REP_B,
    XSS,
    Session,
    World,
    accessible,
    an_image_error_has_fired,
    eventually,
    fresh_world,
    go,
    no_error_shown,
    open_page,
    sign_in,
    wait_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("patient_expect")]


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    company: str | None = None
    mobile: str | None = None
    stage: str = "lead"
    owner: str | None = None
    segment: str | None = None
    archived: bool = False
    source: str | None = None


PEOPLE = (
    Person("gorg@example.com", "Ġorġ Borg", "Borg Joinery", "+356 7912 3456", owner="rep-a"),
    Person(
        "marija@example.com",
        "Marija Farrugia",
        "Farrugia Bakery",
        "9945 1122",
        "proposal_sent",
        "rep-b",
        source="instagram",
    ),
    Person(
        "zaneta@example.com",
        "Żaneta Camilleri",
        None,
        "+356 9988 7766",
        "in_production",
        "rep-a",
        "wholesale",
    ),
    Person(
        "ben@example.com", "Ben Vella", "Vella Wholesale", None, "delivered", "rep-b", "wholesale"
    ),
    Person(
        "hotel@example.com",
        "Hotel Ħamrun",
        "Ħamrun Hotels",
        None,
        "deposit_paid",
        None,
        "hospitality",
    ),
    Person("xss@example.com", XSS, XSS, None, "lead", "rep-a"),
    Person("stage@example.com", "Stella Stage", None, None, "lead"),
    Person("conflict@example.com", "Connie Conflict", None, None, "lead"),
    Person("archive@example.com", "Archie Archive", None, None, "lead"),
    Person("old@example.com", "Olga Archived", None, None, "lead", "rep-a", archived=True),
)
KEYS = {person.email for person in PEOPLE}


def visible_keys(
    people=PEOPLE, *, owner: str | None = None, segment: str | None = None
) -> set[str]:
    return {
        person.email
        for person in people
        if not person.archived
        and (owner is None or person.owner == owner)
        and (segment is None or person.segment == segment)
    }


# --- data and accounts, made once for the module --------------------------------------


def add_customer(world: World, person: Person, at: datetime) -> None:
    answers = {
        name: value
        for name, value in (
            ("company", person.company),
            ("mobile", person.mobile),
            ("source", person.source),
        )
        if value
    }
    world.add_customer(
        person.email,
        person.name,
        at=at,
        answers=answers,
        stage=person.stage,
        ownerUid=person.owner,
        segment=person.segment,
        archived=person.archived,
    )


@pytest.fixture(scope="module")
def world(admin_stack, firestore_emulator, auth_emulator) -> World:
    world = fresh_world(admin_stack, firestore_emulator, auth_emulator)
    for role, uid, email, segments in (
        ("owner", "owner-1", OWNER, None),
        ("owner", "owner-2", OWNER_2, None),
        ("rep", "rep-a", REP_A, None),
        ("rep", "rep-b", REP_B, None),
        ("partner", "partner-1", PARTNER, ["wholesale"]),
        ("manager", "manager-1", MANAGER, None),
    ):
        world.add_staff(role, uid, email, segments)
    # A third rep with no account here: their customers fill more than one page.
    world.add_team_member("rep-c", "rep.c@studio.test", "rep")
    now = datetime.now(UTC)
    for index, person in enumerate(PEOPLE):
        add_customer(world, person, now - timedelta(days=len(PEOPLE) - index))
    return world


@pytest.fixture(scope="module")
def partner(sessions, world) -> Session:
    return sessions(world, PARTNER)


# --- page helpers ---------------------------------------------------------------------


def rows(page: Page):
    return page.locator("[data-testid=customer-row]")


def row(page: Page, key: str):
    return page.locator(f'[data-testid=customer-row][data-key="{key}"]')


def shown_keys(page: Page) -> set[str]:
    return set(rows(page).evaluate_all("rows => rows.map(row => row.getAttribute('data-key'))"))


def expect_keys(page: Page, keys: set[str], timeout: int = LIVE_MS) -> None:
    """Wait until the list shows exactly these customers (their rows, by data-key)."""
    eventually(lambda: shown_keys(page) == keys, timeout / 1000)
    shown = shown_keys(page)
    assert shown == keys, f"missing {sorted(keys - shown)}, unexpected {sorted(shown - keys)}"


def customers_list(page: Page) -> None:
    """The customers list with every control back at its default."""
    go(page, "#/customers")
    search = page.locator("input[data-testid=search]")
    expect(search).to_be_visible()
    if search.input_value():
        search.fill("")
    stage = page.locator("select[data-testid=filter-stage]")
    if stage.count() and stage.input_value() != "":
        stage.select_option("")
    for name, default in (("filter-source", ""), ("filter-owner", ""), ("sort", "lastContactAt")):
        select = page.locator(f"select[data-testid={name}]")
        if select.count() and select.input_value() != default:
            select.select_option(default)
    archived = page.locator("input[data-testid=show-archived]")
    if archived.count() and archived.is_checked():
        archived.uncheck()


def open_customer(page: Page, key: str) -> None:
    customers_list(page)
    row(page, key).locator("[data-testid=customer-name]").click()
    expect(page).to_have_url(f"{page.url.split('#')[0]}#/customers/{quote(key, safe='')}")
    expect(page.locator(f'[data-testid=customer-detail][data-key="{key}"]')).to_be_visible()


def today_at(hours_from_now: float) -> tuple[datetime, datetime]:
    """A call start that is still today in Malta: an hour from now, or, late in the
    evening, an hour ago; and its end."""
    now = datetime.now(MALTA)
    start = now + timedelta(hours=hours_from_now)
    if start.date() != now.date():
        start = now - timedelta(hours=hours_from_now)
    if start.date() != now.date():  # just after midnight
        start = now.replace(hour=0, minute=30) if now.minute >= 30 else now
    return start, start + timedelta(minutes=30)


# --- sign-in --------------------------------------------------------------------------


def test_signing_in_through_the_form_opens_the_dashboard_then_the_customers(
    browser, world, screenshot
):
    session = open_page(browser, world.web)
    page = session.page
    try:
        expect(page.locator("form[data-testid=signin]")).to_be_visible(timeout=20_000)
        # Signed out, nothing but the form.
        expect(rows(page)).to_have_count(0)
        expect(page.locator("[data-testid=bell]")).to_have_count(0)
        screenshot(page, "signin")
        accessible(page, "the sign-in form")

        sign_in(page, OWNER, "not the password")
        expect(page.locator("[data-testid=signin-error]")).to_be_visible()
        expect(page.locator("[data-testid=signin-error]")).not_to_be_empty()
        screenshot(page, "signin-error")
        accessible(page, "the sign-in form with its error")

        sign_in(page, OWNER)
        menu = page.locator("[data-testid=user-menu]")
        expect(menu).to_contain_text(OWNER)
        expect(menu).to_contain_text("owner")
        # The owner lands on the dashboard (tests/browser/test_admin_dashboard.py); the
        # customers are one link away.
        expect(page.locator("[data-testid=dashboard]")).to_be_visible()
        assert page.url.endswith("#/dashboard"), page.url
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Customers").click()
        expect_keys(page, visible_keys())
        assert "#/customers" in page.url

        page.locator("[data-testid=signout]").click()
        expect(page.locator("form[data-testid=signin]")).to_be_visible()
        expect(rows(page)).to_have_count(0)
        assert not session.dialogs
    finally:
        session.close()


# --- the owner's customers ------------------------------------------------------------


def test_the_list_shows_pills_counts_and_the_customers_fields(owner, world, screenshot):
    page = owner.page
    customers_list(page)
    expect_keys(page, visible_keys())
    expect(page.locator("[data-testid=customer-count]")).to_contain_text(str(len(visible_keys())))

    # Three colours, by the stage's group (and grey for lost).
    for key, group in (
        ("zaneta@example.com", "production"),
        ("ben@example.com", "won"),
        ("marija@example.com", "active"),  # red like a lead: one colour for active leads
    ):
        pill = row(page, key).locator("[data-testid=stage-pill]")
        expect(pill).to_have_attribute("data-group", group)

    gorg = row(page, "gorg@example.com")
    expect(gorg.locator("[data-testid=customer-name]")).to_have_text("Ġorġ Borg")
    expect(gorg).to_contain_text("Borg Joinery")
    expect(gorg).to_contain_text("gorg@example.com")
    expect(gorg).to_contain_text("7912")
    expect(page.locator("[data-testid=export-csv]")).to_be_visible()
    expect(page.locator("select[data-testid=filter-owner]")).to_be_visible()
    no_error_shown(owner)
    screenshot(page, "customers")
    accessible(page, "the customers list")


def test_a_lead_sent_to_intake_appears_without_reload(owner, world, screenshot):
    page = owner.page
    customers_list(page)
    expect_keys(page, visible_keys())
    page.evaluate("window.__notReloaded = true")

    response = requests.post(
        f"{world.functions}/intake",
        json={
            "form": "contact",
            "email": "Nadia.New@Example.com",
            "name": "Nadia New",
            "mobile": "7700 1234",
            "source": "instagram",
            "elapsed_ms": 5000,
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text

    expect(row(page, "nadia.new@example.com")).to_be_visible(timeout=LIVE_MS)
    expect(row(page, "nadia.new@example.com").locator("[data-testid=customer-name]")).to_have_text(
        "Nadia New"
    )
    # Newest contact first: the new lead heads the list.
    expect(rows(page).first).to_have_attribute("data-key", "nadia.new@example.com")
    assert page.evaluate("window.__notReloaded === true"), "the page was reloaded"
    expect(page.locator("[data-testid=customer-count]")).to_contain_text(
        str(len(visible_keys()) + 1), timeout=LIVE_MS
    )
    screenshot(page, "live-lead")


@pytest.mark.parametrize("typed", ["79123456", "+356 7912 3456", "7912 3456"])
def test_search_finds_a_mobile_however_it_is_typed(owner, typed):
    page = owner.page
    customers_list(page)
    page.locator("input[data-testid=search]").fill(typed)
    expect_keys(page, {"gorg@example.com"})
    no_error_shown(owner)


def test_search_by_name_and_an_empty_result(owner, screenshot):
    page = owner.page
    customers_list(page)
    search = page.locator("input[data-testid=search]")
    search.fill("ħamrun")
    expect_keys(page, {"hotel@example.com"})
    search.fill("nobody by this name")
    expect_keys(page, set())
    expect(page.locator("[data-testid=empty]")).to_be_visible()
    screenshot(page, "empty")
    search.fill("")
    expect_keys(page, visible_keys() | {"nadia.new@example.com"})


def test_the_stage_filter_shows_only_that_stage(owner, world):
    page = owner.page
    customers_list(page)
    page.locator("select[data-testid=filter-stage]").select_option("in_production")
    expect_keys(page, {"zaneta@example.com"})
    page.locator("select[data-testid=filter-stage]").select_option("delivered")
    expect_keys(page, {"ben@example.com"})
    pills = page.locator("[data-testid=stage-pill]")
    expect(pills).to_have_count(1)
    expect(pills.first).to_have_attribute("data-group", "won")
    page.locator("select[data-testid=filter-stage]").select_option("")
    expect(rows(page)).to_have_count(min(world.unarchived_customers(), 25))  # a page is 25
    no_error_shown(owner)


def test_the_source_and_owner_filters_and_the_sort(owner, world):
    page = owner.page
    customers_list(page)
    page.locator("select[data-testid=filter-source]").select_option("instagram")
    expect_keys(page, {"marija@example.com", "nadia.new@example.com"})
    page.locator("select[data-testid=filter-source]").select_option("")

    page.locator("select[data-testid=filter-owner]").select_option("rep-a")
    expect_keys(page, visible_keys(owner="rep-a"))
    page.locator("select[data-testid=filter-owner]").select_option("")
    expect_keys(page, visible_keys() | {"nadia.new@example.com"})

    # Ġorġ is contacted again (the newest contact); Nadia is still the newest customer.
    world.client.collection("customers").document("gorg@example.com").update(
        {"lastContactAt": datetime.now(UTC)}
    )
    expect(rows(page).first).to_have_attribute("data-key", "gorg@example.com", timeout=LIVE_MS)
    page.locator("select[data-testid=sort]").select_option("createdAt")
    expect(rows(page).first).to_have_attribute("data-key", "nadia.new@example.com")
    page.locator("select[data-testid=sort]").select_option("lastContactAt")
    expect(rows(page).first).to_have_attribute("data-key", "gorg@example.com")
    no_error_shown(owner)


def test_slash_focuses_the_search_box(owner):
    page = owner.page
    customers_list(page)
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("/")
    focused = page.evaluate("document.activeElement && document.activeElement.dataset.testid")
    assert focused == "search"
    assert page.locator("input[data-testid=search]").input_value() == ""


# --- the customer's detail ------------------------------------------------------------


def test_changing_the_stage_saves_and_shows_on_the_timeline(owner, world, screenshot):
    page = owner.page
    open_customer(page, "stage@example.com")
    timeline = page.locator("[data-testid=timeline]")
    expect(
        timeline.locator("[data-testid=timeline-item][data-type=form_submission]")
    ).to_have_count(1)

    page.locator("select[data-testid=stage-select]").select_option("proposal_sent")

    change = timeline.locator("[data-testid=timeline-item][data-type=change]")
    expect(change).to_have_count(1, timeout=LIVE_MS)
    expect(change).to_contain_text("Proposal sent")
    # The form's answers fold under one line; "Expand all" opens every entry.
    form = timeline.locator("[data-testid=timeline-item][data-type=form_submission]")
    expect(form.locator("[data-testid=submission-answers]")).to_be_hidden()
    timeline.locator("[data-testid=timeline-expand-all]").click()
    expect(form.locator("[data-testid=submission-answers]")).to_be_visible()
    expect(timeline.locator("[data-testid=timeline-expand-all]")).to_have_text("Collapse all")
    # Newest first.
    expect(timeline.locator("[data-testid=timeline-item]").first).to_have_attribute(
        "data-type", "change"
    )
    assert world.customer("stage@example.com")["stage"] == "proposal_sent"
    expect(page.locator("select[data-testid=stage-select]")).to_have_value("proposal_sent")
    no_error_shown(owner)
    screenshot(page, "detail")
    accessible(page, "a customer's details and timeline")


def test_a_change_made_elsewhere_meanwhile_is_shown_as_a_conflict(owner, world, screenshot):
    page = owner.page
    key = "conflict@example.com"
    open_customer(page, key)
    page.locator("[data-testid=edit]").click()
    form = page.locator("form[data-testid=edit-form]")
    expect(form).to_be_visible()
    form.locator("input[name=name]").fill("Mine Name")

    # A second session (another owner, through the API) changes the name first.
    seen = world.customer(key)["updatedAt"]
    response = requests.patch(
        f"{world.functions}/admin/customers/{quote(key, safe='')}",
        json={
            "expected_updated_at": seen.isoformat(),
            "changes": {"name": "Theirs Name"},
            "request_id": uuid.uuid4().hex,
        },
        headers=world.headers(OWNER_2),
        timeout=30,
    )
    assert response.status_code == 200, response.text
    # The page's listener hears of it while the user is still typing: the heading shows it.
    expect(page.locator("[data-testid=customer-detail] [data-field=name]").first).to_have_text(
        "Theirs Name", timeout=LIVE_MS
    )
    problems = []
    if not form.is_visible() or form.locator("input[name=name]").input_value() != "Mine Name":
        problems.append("the edit form lost what was typed when the other change arrived")
        if not form.is_visible():
            page.locator("[data-testid=edit]").click()
        form.locator("input[name=name]").fill("Mine Name")

    form.locator("button[type=submit]").click()

    conflict = page.locator("[data-testid=conflict]")
    expect(conflict).to_be_visible(timeout=LIVE_MS)
    expect(conflict).to_contain_text("Mine Name")
    expect(conflict).to_contain_text("Theirs Name")
    assert world.customer(key)["name"] == "Theirs Name"  # nothing was overwritten
    try:
        expect(conflict).to_be_in_viewport(ratio=0.5, timeout=2_000)
    except AssertionError:
        problems.append(
            "the conflict message appeared out of view: the user, at Save, cannot see it"
        )
        conflict.scroll_into_view_if_needed()
    screenshot(page, "conflict")

    page.locator("[data-testid=conflict-overwrite]").click()
    wait_for(lambda: world.customer(key)["name"] == "Mine Name", what="the overwrite stored")
    assert world.customer(key)["name"] == "Mine Name"
    expect(page.locator("[data-testid=conflict]")).to_have_count(0)
    expect(page.locator("[data-testid=customer-detail] [data-field=name]").first).to_contain_text(
        "Mine Name", timeout=LIVE_MS
    )
    assert not problems, problems


def test_archiving_hides_the_customer_until_asked(owner, world):
    page = owner.page
    key = "archive@example.com"
    open_customer(page, key)
    page.locator("[data-testid=archive]").click()
    expect(page.locator("[data-testid=unarchive]")).to_be_visible(timeout=LIVE_MS)
    assert world.customer(key)["archived"] is True
    expect(page.locator("[data-testid=timeline-item][data-type=archive]")).to_have_count(
        1, timeout=LIVE_MS
    )

    customers_list(page)
    expect(row(page, "gorg@example.com")).to_be_visible()
    expect(row(page, key)).to_have_count(0)
    expect(row(page, "old@example.com")).to_have_count(0)

    page.locator("input[data-testid=show-archived]").check()
    expect(row(page, key)).to_be_visible(timeout=LIVE_MS)
    expect(row(page, "old@example.com")).to_be_visible()
    page.locator("input[data-testid=show-archived]").uncheck()
    expect(row(page, key)).to_have_count(0, timeout=LIVE_MS)


def test_a_name_made_of_html_is_shown_as_text(owner, world):
    page = owner.page
    before = len(owner.dialogs)
    customers_list(page)
    xss = row(page, "xss@example.com")
    expect(xss).to_be_visible()
    expect(xss.locator("[data-testid=customer-name]")).to_have_text(XSS)
    expect(xss.locator("img")).to_have_count(0)

    open_customer(page, "xss@example.com")
    detail = page.locator("[data-testid=customer-detail]")
    names = detail.locator("[data-field=name]")
    expect(names.first).to_be_visible()
    assert names.count() >= 1
    for index in range(names.count()):
        expect(names.nth(index)).to_have_text(XSS)
    expect(detail.locator("img")).to_have_count(0)
    expect(page.locator("img[src=x]")).to_have_count(0)
    an_image_error_has_fired(page)  # so an onerror handler made from the name would have too
    assert owner.dialogs[before:] == []


# --- today's calls --------------------------------------------------------------------


def test_the_bell_counts_todays_calls_live(owner, world, screenshot):
    page = owner.page
    customers_list(page)
    count = page.locator("[data-testid=bell-count]")
    expect(count).to_have_text("0")

    start, end = today_at(1)
    tomorrow = (datetime.now(MALTA) + timedelta(days=1)).replace(hour=10, minute=0)
    bookings = world.client.collection("bookings")
    base = {"customerKey": "gorg@example.com", "customerName": "Ġorġ Borg", "ownerUid": "rep-a"}
    bookings.document("call-today").set(
        {
            **base,
            "start": start,
            "end": end,
            "status": "confirmed",
            "videoLink": "https://meet.example/abc-defg-hij",
            "type": "discovery",
        }
    )
    bookings.document("call-cancelled").set(
        {
            **base,
            "start": start,
            "end": end,
            "status": "cancelled",
            "videoLink": None,
            "type": "discovery",
        }
    )
    bookings.document("call-tomorrow").set(
        {
            **base,
            "start": tomorrow,
            "end": tomorrow + timedelta(minutes=30),
            "status": "confirmed",
            "videoLink": None,
            "type": "discovery",
        }
    )

    expect(count).to_have_text("1", timeout=LIVE_MS)
    page.locator("button[data-testid=bell]").click()
    items = page.locator("[data-testid=bell-list] [data-testid=bell-item]")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Ġorġ Borg")
    expect(items.first).to_contain_text(start.strftime("%H:%M"))
    expect(items.first.locator("a[data-testid=bell-video]")).to_have_attribute(
        "href", "https://meet.example/abc-defg-hij"
    )
    screenshot(page, "bell-open")

    bookings.document("call-today").update({"status": "cancelled"})
    expect(count).to_have_text("0", timeout=LIVE_MS)
    bookings.document("call-today").update({"status": "confirmed"})
    expect(count).to_have_text("1", timeout=LIVE_MS)
    page.locator("button[data-testid=bell]").click()
    expect(page.locator("[data-testid=bell-list]")).to_be_hidden()
    no_error_shown(owner)


# --- a phone ------------------------------------------------------------------------


WIDER_THAN_WINDOW = """() => {
  const width = window.innerWidth;
  return [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5)
    .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= width + 0.5)
    .slice(0, 5)
    .map((el) => {
      const box = el.getBoundingClientRect();
      const id = el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : "";
      const cls = typeof el.className === "string" && el.className ? `.${el.className.split(" ").join(".")}` : "";
      return `${el.tagName.toLowerCase()}${id}${cls} right=${Math.round(box.right)}`;
    });
}"""


def overflow(page: Page) -> str:
    """Which elements stick out of the window (the outermost of each), for the report."""
    return ", ".join(page.evaluate(WIDER_THAN_WINDOW))


def test_at_360_pixels_nothing_scrolls_sideways(owner, screenshot):
    page = owner.page
    page.set_viewport_size({"width": 360, "height": 740})
    try:
        customers_list(page)
        expect(rows(page).first).to_be_visible()
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        screenshot(page, "mobile")
        assert width[0] <= width[1], (
            f"the list is {width[0]} px wide in a {width[1]} px window: {overflow(page)}"
        )
        accessible(page, "the customers list on a phone")

        open_customer(page, "gorg@example.com")
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        screenshot(page, "mobile-detail")
        assert width[0] <= width[1], (
            f"the detail is {width[0]} px wide in a {width[1]} px window: {overflow(page)}"
        )
        accessible(page, "a customer's details on a phone")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


# --- the other roles ------------------------------------------------------------------


def test_a_rep_sees_only_their_customers_and_no_error(rep, world, screenshot):
    page = rep.page
    customers_list(page)
    expect_keys(page, visible_keys(owner="rep-a"))
    expect(page.locator("[data-testid=customer-count]")).to_contain_text(
        str(len(visible_keys(owner="rep-a")))
    )
    expect(page.locator("select[data-testid=filter-owner]")).to_have_count(0)

    # Somebody else's customer is not found, and that is not an error.
    page.locator("input[data-testid=search]").fill("ben vella")
    expect_keys(page, set())
    page.locator("input[data-testid=search]").fill("gorg")
    expect_keys(page, {"gorg@example.com"})

    # Their own customer's detail and timeline, with the edit controls.
    open_customer(page, "gorg@example.com")
    expect(page.locator("[data-testid=timeline-item]").first).to_be_visible()
    expect(page.locator("select[data-testid=stage-select]")).to_be_visible()

    # Their bell counts their calls only.
    today = [
        doc.to_dict()
        for doc in world.client.collection("bookings").stream()
        if doc.to_dict()["ownerUid"] == "rep-a"
        and doc.to_dict()["status"] == "confirmed"
        and doc.to_dict()["start"].astimezone(MALTA).date() == datetime.now(MALTA).date()
    ]
    expect(page.locator("[data-testid=bell-count]")).to_have_text(str(len(today)))
    no_error_shown(rep)
    screenshot(page, "rep")


def test_a_partner_sees_their_segment_read_only(partner, world, screenshot):
    page = partner.page
    customers_list(page)
    expect_keys(page, visible_keys(segment="wholesale"))
    for control in ("[data-testid=export-csv]", "select[data-testid=filter-owner]"):
        expect(page.locator(control)).to_have_count(0)

    open_customer(page, "zaneta@example.com")
    detail = page.locator("[data-testid=customer-detail]")
    expect(detail.locator("[data-field=name]").first).to_contain_text("Żaneta Camilleri")
    for control in (
        "[data-testid=edit]",
        "select[data-testid=stage-select]",
        "form[data-testid=payment-form]",
        "form[data-testid=owed-form]",
        "[data-testid=archive]",
        "[data-testid=unarchive]",
        "form[data-testid=note-form]",
    ):
        expect(page.locator(control)).to_have_count(0)
    no_error_shown(partner)
    screenshot(page, "partner")


# --- more than a page -----------------------------------------------------------------


def test_a_long_list_comes_a_page_at_a_time(owner, world, screenshot):
    """Thirty customers of one rep: 25 on the first page (a limited query), the rest on
    the next, and back again."""
    many = [
        Person(f"many{i:02d}@example.com", f"Many Customer {i:02d}", owner="rep-c")
        for i in range(30)
    ]
    start = datetime.now(UTC) - timedelta(days=30)
    for index, person in enumerate(many):
        add_customer(world, person, start + timedelta(minutes=index))
    page = owner.page
    customers_list(page)
    page.locator("select[data-testid=filter-owner]").select_option("rep-c")
    expect(rows(page)).to_have_count(25, timeout=LIVE_MS)
    expect(page.locator("[data-testid=customer-count]")).to_contain_text("30")
    first = shown_keys(page)
    # Newest contact first.
    expect(rows(page).first).to_have_attribute("data-key", "many29@example.com")

    page.locator("[data-testid=next-page]").click()
    expect(rows(page)).to_have_count(5)
    second = shown_keys(page)
    assert not first & second
    assert first | second == {person.email for person in many}
    expect(page.locator("[data-testid=next-page]")).to_be_disabled()
    screenshot(page, "page-2")

    page.locator("[data-testid=prev-page]").click()
    expect(rows(page)).to_have_count(25)
    assert shown_keys(page) == first
    page.locator("select[data-testid=filter-owner]").select_option("")
    no_error_shown(owner)
