"""The dashboard in a real browser: the first screen of the owner and the manager.

The page is built by its own command, served by the running stack and signed in to
through its form with real accounts on the Auth emulator; the pipeline and spam panels
read Firestore under firestore.rules, and the figures come from the real `GET /analytics`
of the running stack. What it reads is a hand-made data set, `SEED` below (DAYS, LEADS,
CALLS), written into the emulator the way production leaves it (`seed_analytics`): daily
roll-ups (a closed day as `{day}_all`, today as two live shards to be summed), the
customers those days brought and today's calls. Every figure the tests expect is added
up by hand from the same seed (`Figures`), never read back from the function's code.
The network is only touched to simulate an outage (one 503).

Days are business days in HEARTH_TIME_ZONE, the zone the function counts in; the seed
is written relative to the business today, after midnight when the module would
otherwise straddle it. One signed-in page per role is shared by the module;
screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import csv
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import Browser, Page, Request, Route, expect

from hearth import config
from hearth.rules import periods
from hearth.web.analytics import READ_FAILED
from tests.analytics_seed import COLLECTION, seed_customers, write_roll_ups
from tests.browser.conftest import (
    LIVE_MS,
    MANAGER,
    OWNER,
    REP,
    XSS,
    Session,
    World,
    accessible,
    an_image_error_has_fired,
    booking_document,
    fits,
    fresh_world,
    go,
    scripts,
    signed_in,
)
from tests.rules_client import PROJECT

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("patient_expect")]

# --- the hand-made data set ------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    """One business day's roll-up (analytics_days/{day}_all), `ago` days before today."""

    ago: int
    pageviews: int
    visitors: int
    pages: dict[str, int]
    sources: dict[str, int]
    mediums: dict[str, int] = field(default_factory=dict)
    campaigns: dict[str, int] = field(default_factory=dict)
    started: int = 0  # events.wizard_start
    steps: dict[int, int] = field(default_factory=dict)  # wizardSteps
    completed: int = 0  # events.wizard_complete
    forms: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Lead:
    """A customer created `ago` days ago from `source`; won: now in a won stage (the
    pipeline's production or won group), else still a lead."""

    ago: int
    source: str
    won: bool = False
    paid: str = "0.00"  # balances.paid, in euros here and in cents in the store

    @property
    def stage(self) -> str:
        return "delivered" if self.won else "lead"


DAYS = (
    Day(0, 12, 5, {"/": 7, "/pricing": 5}, {"google": 3, "direct": 2}, started=2,
        steps={1: 2, 2: 1}, completed=1, forms={"contact": 1}),
    Day(1, 6, 3, {"/": 6}, {"direct": 3}),
    Day(2, 30, 10, {"/": 10, "/pricing": 12, "/about": 8}, {"google": 4, "instagram": 5, XSS: 1},
        mediums={"cpc": 4}, campaigns={"spring": 4}, started=4, steps={1: 3, 2: 2},
        completed=2, forms={"contact": 2, "quote": 1}),
    Day(8, 16, 4, {"/": 16}, {"google": 4}, forms={"contact": 1}),
    Day(10, 20, 8, {"/": 12, "/gallery": 8}, {"instagram": 6, "direct": 2}, started=2,
        steps={1: 2, 2: 1}, completed=1, forms={"quote": 2}),
    Day(45, 50, 20, {"/": 50}, {"google": 20}, started=5, steps={1: 5}, completed=1,
        forms={"contact": 4}),
)  # fmt: skip
LEADS = (
    Lead(0, "google"),
    Lead(2, "instagram", won=True, paid="1500.00"),
    Lead(2, XSS),
    Lead(8, "google"),
    Lead(10, "instagram", won=True, paid="250.50"),
    Lead(45, "google", won=True, paid="99.00"),
)
CALLS = ((10, 0), (15, 30))  # today's calls, 30 minutes each, business wall clock
CANCELLED_CALL = (12, 0)  # cancelled: no call today
CURRENCY = "EUR"
PERIODS = {"today": "Today", "7d": "Last 7 days", "30d": "Last 30 days", "12m": "Last 12 months"}
LIVE_SHARDS = 2  # today's roll-up, as the ingest leaves a live day: split over shards
ZONE = config.load().time_zone  # the stack's functions read the same environment


def today() -> date:
    """The business day it is now, as the function decides it."""
    return periods.business_day(datetime.now(UTC), ZONE)


def local(day: date, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock time of a business day, in the business time zone."""
    return datetime.combine(day, datetime.min.time(), ZoneInfo(ZONE)).replace(
        hour=hour, minute=minute
    )


def months_back(day: date, months: int) -> date:
    """The first day of the month `months` before `day`'s."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def ranges(period: str, now: date) -> tuple[tuple[date, date], tuple[date, date]]:
    """The period's days and the previous period's, both inclusive."""
    if period == "12m":
        first = months_back(now, 11)
        before = months_back(now, 23)
        return (first, now), (before, first - timedelta(days=1))
    length = {"today": 1, "7d": 7, "30d": 30}[period]
    first = now - timedelta(days=length - 1)
    return (first, now), (first - timedelta(days=length), first - timedelta(days=1))


def ranked(counts: dict[str, int], name: str, count: str, keep: int = 20) -> list[dict]:
    """Largest first, ties by name (docs/analytics.md)."""
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:keep]
    return [{name: key, count: value} for key, value in rows]


def add(into: dict, counts: dict) -> None:
    for key, value in counts.items():
        into[key] = into.get(key, 0) + value


def change(value: float | None, previous: float | None) -> float | None:
    return None if value is None or not previous else (value - previous) / previous


def ratio(part: int, whole: int) -> float | None:
    """A ratio the way the function sends it: 4 decimals, none without a whole."""
    return round(part / whole, 4) if whole else None


@dataclass
class Figures:
    """What the dashboard must show for a period, added up by hand from the seed."""

    period: str
    now: date = field(default_factory=today)

    def __post_init__(self) -> None:
        (self.first, self.last), (self.before, self.until) = ranges(self.period, self.now)

    def days(self, first: date, last: date) -> list[Day]:
        return [d for d in DAYS if first <= self.now - timedelta(days=d.ago) <= last]

    def leads(self, first: date, last: date) -> list[Lead]:
        return [lead for lead in LEADS if first <= self.now - timedelta(days=lead.ago) <= last]

    def totals(self, first: date, last: date) -> dict[str, float | None]:
        days = self.days(first, last)
        started = sum(d.started for d in days)
        return {
            "pageviews": sum(d.pageviews for d in days),
            "visitors": sum(d.visitors for d in days),
            "leads": len(self.leads(first, last)),
            "formSubmissions": sum(sum(d.forms.values()) for d in days),
            # Nobody started the wizard: no rate at all, not 0%.
            "wizardCompletion": ratio(sum(d.completed for d in days), started),
        }

    def series(self) -> list[dict]:
        points: dict[str, dict] = {}
        day = self.first
        while day <= self.last:
            key = day.isoformat()[:7] if self.period == "12m" else day.isoformat()
            points.setdefault(key, {"date": key, "pageviews": 0, "visitors": 0, "leads": 0})
            day += timedelta(days=1)
        for d in self.days(self.first, self.last):
            key = (self.now - timedelta(days=d.ago)).isoformat()[
                : 7 if self.period == "12m" else 10
            ]
            points[key]["pageviews"] += d.pageviews
            points[key]["visitors"] += d.visitors
        for lead in self.leads(self.first, self.last):
            key = (self.now - timedelta(days=lead.ago)).isoformat()[
                : 7 if self.period == "12m" else 10
            ]
            points[key]["leads"] += 1
        return list(points.values())

    def counted(self, attribute: str) -> dict[str, int]:
        out: dict = {}
        for d in self.days(self.first, self.last):
            add(out, getattr(d, attribute))
        return out

    def money(self) -> list[dict]:
        visitors = self.counted("sources")
        leads = self.leads(self.first, self.last)
        rows = []
        for source in sorted(set(visitors) | {lead.source for lead in leads}):
            mine = [lead for lead in leads if lead.source == source]
            won = [lead for lead in mine if lead.won]
            seen = visitors.get(source, 0)
            rows.append(
                {
                    "source": source,
                    "visitors": seen,
                    "leads": len(mine),
                    "won": len(won),
                    "revenue": f"{sum(Decimal(lead.paid) for lead in mine):.2f}",
                    "visitorToLead": ratio(len(mine), seen),
                    "leadToWon": ratio(len(won), len(mine)),
                }
            )
        # By revenue, then leads, then visitors, largest first; ties by name.
        return sorted(
            rows,
            key=lambda row: (
                -Decimal(row["revenue"]),
                -row["leads"],
                -row["visitors"],
                row["source"],
            ),
        )

    def calls(self) -> list[tuple[datetime, datetime]]:
        starts = [local(self.now, hour, minute) for hour, minute in CALLS]
        return [(start, start + timedelta(minutes=30)) for start in starts]

    def answer(self) -> dict:
        """GET /analytics?period=… as docs/analytics.md specifies it."""
        now, before = (
            self.totals(self.first, self.last),
            self.totals(self.before, self.until),
        )
        days = self.days(self.first, self.last)
        started = sum(d.started for d in days)
        steps = self.counted("steps")
        return {
            "period": self.period,
            "label": PERIODS[self.period],
            "timeZone": ZONE,
            "currency": CURRENCY,
            "range": {"from": self.first.isoformat(), "to": self.last.isoformat()},
            "previousRange": {"from": self.before.isoformat(), "to": self.until.isoformat()},
            "granularity": "month" if self.period == "12m" else "day",
            "totals": {
                key: {
                    "value": now[key],
                    "previous": before[key],
                    "change": change(now[key], before[key]),
                }
                for key in now
            },
            "series": self.series(),
            "wizard": {
                "started": started,
                "steps": [{"step": step, "count": steps[step]} for step in sorted(steps)],
                "completed": sum(d.completed for d in days),
                "rate": now["wizardCompletion"],
            },
            "forms": ranked(self.counted("forms"), "form", "submissions"),
            "topPages": ranked(self.counted("pages"), "path", "pageviews"),
            "sources": ranked(self.counted("sources"), "source", "visitors"),
            "mediums": ranked(self.counted("mediums"), "medium", "visitors"),
            "campaigns": ranked(self.counted("campaigns"), "campaign", "visitors"),
            "sourceToMoney": self.money(),
            "callsToday": {
                "count": len(CALLS),
                "calls": [{"start": s.isoformat(), "end": e.isoformat()} for s, e in self.calls()],
            },
        }

    def csv_rows(self) -> list[list[str]]:
        """The source-to-money table as the CSV's cells: a formula-like source gets a
        leading quote, an empty cell where a ratio has nothing to divide by."""

        def cell(value: float | None) -> str:
            return "" if value is None else str(value)

        rows = [["Source", "Visitors", "Leads", "Won", "Revenue", "Visitor to lead", "Lead to won"]]
        for row in self.money():
            name = "'" + row["source"] if row["source"][0] in "=+-@" else row["source"]
            rows.append(
                [
                    name,
                    str(row["visitors"]),
                    str(row["leads"]),
                    str(row["won"]),
                    row["revenue"],
                    cell(row["visitorToLead"]),
                    cell(row["leadToWon"]),
                ]
            )
        return rows


def csv_name(period: str) -> str:
    """The function names the file after the period and the business day."""
    return f"hearth-source-to-money-{period}-{today().isoformat()}.csv"


# --- the seed, written as production leaves it -----------------------------------------


def day_roll_up(day: Day | None, leads: list[Lead]) -> dict[str, Any]:
    """One business day's analytics_days fields: the snippet's counters from `day`, the
    intake's (leads, leadSources, forms) from the customers it made that day."""
    doc: dict[str, Any] = {
        "leads": len(leads),
        "leadSources": dict(Counter(lead.source for lead in leads)),
    }
    if day is None:
        return doc
    return {
        **doc,
        "pageviews": day.pageviews,
        "visitors": day.visitors,
        "pages": day.pages,
        "sources": day.sources,
        "mediums": day.mediums,
        "campaigns": day.campaigns,
        "events": {
            "wizard_start": day.started,
            "wizard_step": sum(day.steps.values()),
            "wizard_complete": day.completed,
            "form_submit": sum(day.forms.values()),
        },
        "wizardSteps": {str(step): n for step, n in day.steps.items()},
        "forms": day.forms,
    }


def shares(doc: Any, shard: int, shards: int) -> Any:
    """Shard `shard`'s part of a day's counters: split as evenly as whole numbers go,
    so the shards only add up to the day."""
    if isinstance(doc, dict):
        parts = {key: shares(value, shard, shards) for key, value in doc.items()}
        return {key: value for key, value in parts.items() if value != {} and value != 0}
    return doc // shards + (1 if shard < doc % shards else 0)


def roll_ups(now: date) -> dict[str, dict[str, Any]]:
    """analytics_days: closed days compacted into `{day}_all`, today in live shards."""
    docs: dict[str, dict[str, Any]] = {}
    by_ago = {d.ago: d for d in DAYS}
    for ago in sorted(by_ago.keys() | {lead.ago for lead in LEADS}):
        day = (now - timedelta(days=ago)).isoformat()
        doc = day_roll_up(by_ago.get(ago), [lead for lead in LEADS if lead.ago == ago])
        if ago:
            docs[f"{day}_all"] = doc
        else:
            for shard in range(LIVE_SHARDS):
                docs[f"{day}_{shard}"] = shares(doc, shard, LIVE_SHARDS)
    return docs


def lead_customers(now: date) -> dict[str, tuple[str, str, int, datetime, bool]]:
    """The customers of LEADS, made early on their day (so today's is never ahead of
    the clock by much: the function counts whole business days anyway)."""
    return {
        f"lead-{n}@example.org": (
            lead.source,
            lead.stage,
            int(Decimal(lead.paid) * 100),
            local(now - timedelta(days=lead.ago), 0, 5),
            False,
        )
        for n, lead in enumerate(LEADS)
    }


def seed_analytics(world: World, now: date) -> None:
    write_roll_ups(world.client, roll_ups(now))
    seed_customers(world.client, lead_customers(now))
    calls = {
        f"call-{hour:02d}{minute:02d}": booking_document(
            key=CUSTOMER,
            name="Ana Azzopardi",
            owner_uid="rep-1",
            start=local(now, hour, minute),
            status=status,
        )
        for (hour, minute), status in (
            *((call, "confirmed") for call in CALLS),
            (CANCELLED_CALL, "cancelled"),
        )
    }
    world.store_bookings(calls)


def clear_roll_ups(world: World) -> None:
    for doc in world.client.collection(COLLECTION).list_documents():
        doc.delete()


def after_a_midnight_close_by(margin_s: float = 120) -> None:
    """Wait out the business day's last minutes: a module that seeded before midnight
    and asked after it would see the whole seed one day older."""
    now = datetime.now(UTC).astimezone(ZoneInfo(ZONE))
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), now.tzinfo)
    left = (midnight - now).total_seconds()
    if left < margin_s:
        time.sleep(left + 2)


# --- how a person reads the figures ----------------------------------------------------


def count(n: float) -> str:
    return f"{n:,}"


def percent(ratio: float | None) -> str:
    if ratio is None:
        return "—"
    return f"{abs(ratio) * 100:,.1f}".rstrip("0").rstrip(".") + "%"


def money(decimal: str) -> str:
    return f"€{Decimal(decimal):,.2f}"


# --- the world and the pages -----------------------------------------------------------

CUSTOMER = "ana@example.com"


@pytest.fixture(scope="module")
def world(admin_stack, firestore_emulator, auth_emulator) -> World:
    after_a_midnight_close_by()
    world = fresh_world(admin_stack, firestore_emulator, auth_emulator)
    for role, uid, email in (
        ("owner", "owner-1", OWNER),
        ("manager", "manager-1", MANAGER),
        ("rep", "rep-1", REP),
    ):
        world.add_staff(role, uid, email)
    # The rep's customer came years ago: a lead of no period the dashboard shows.
    world.add_customer(
        CUSTOMER, "Ana Azzopardi", at=datetime.now(UTC) - timedelta(days=3 * 365), ownerUid="rep-1"
    )
    seed_analytics(world, today())
    # Forms the intake dropped as automated: the spam panel's counts.
    world.client.collection("intake_stats").document(today().isoformat()).set(
        {"too_fast": 3, "honeypot": 1}
    )
    return world


@dataclass
class Asked:
    """What the page asked /analytics for (watched, never answered): the query and the
    Authorization header of each GET."""

    functions: str
    asked: list[dict] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("request", self.saw)

    def saw(self, request: Request) -> None:
        url = urlparse(request.url)
        if request.method != "GET" or not request.url.startswith(f"{self.functions}/analytics"):
            return
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        self.asked.append({**query, "authorization": request.headers.get("authorization", "")})

    def periods_asked(self) -> list[str]:
        return [ask.get("period", "") for ask in self.asked if "format" not in ask]


def fail_once(page: Page, functions: str) -> re.Pattern[str]:
    """The next GET /analytics meets an outage: a 503 as the function sends one when the
    database cannot be read. Everything after it reaches the function again; the
    pattern returned takes the route away."""
    failed: list[str] = []

    def outage(route: Route) -> None:
        request = route.request
        if failed or request.method != "GET":  # after the outage, or a CORS preflight
            route.continue_()
            return
        failed.append(request.url)
        route.fulfill(
            status=503,
            headers={
                "Access-Control-Allow-Origin": request.headers.get("origin", "*"),
                "Access-Control-Expose-Headers": "Content-Disposition, Retry-After",
                "Vary": "Origin",
            },
            json={"error": "unavailable", "message": READ_FAILED},
        )

    pattern = re.compile(re.escape(functions) + r"/analytics(\?.*)?$")
    page.route(pattern, outage)
    return pattern


@dataclass
class Dashboard:
    session: Session
    analytics: Asked

    @property
    def page(self) -> Page:
        return self.session.page


def sign_in_to_dashboard(browser: Browser, world: World, email: str) -> Dashboard:
    """A signed-in page, watched from before it signs in: the owner's and the manager's
    first screen asks for the figures at once."""
    analytics = Asked(world.functions)
    return Dashboard(signed_in(browser, world, email, watch=analytics.watch), analytics)


@pytest.fixture(scope="module")
def owner(browser, world) -> Iterator[Dashboard]:
    dashboard = sign_in_to_dashboard(browser, world, OWNER)
    yield dashboard
    dashboard.session.close()


@pytest.fixture(scope="module")
def manager(browser, world) -> Iterator[Dashboard]:
    dashboard = sign_in_to_dashboard(browser, world, MANAGER)
    yield dashboard
    dashboard.session.close()


def showing(page: Page, period: str) -> None:
    """Wait until the figures of `period` are on the screen."""
    expect(page.locator(f"[data-testid=dashboard][data-shown-period='{period}']")).to_be_visible(
        timeout=LIVE_MS
    )


def choose(page: Page, period: str) -> None:
    """Press the period's button, as a person does, and wait for its figures."""
    page.locator(f"[data-testid=periods] button[data-period='{period}']").click()
    showing(page, period)


def bars(page: Page, testid: str) -> dict[str, str]:
    """A list's bars as {key: value shown}, in the order shown (dicts keep it)."""
    rows = page.locator(f"[data-testid={testid}] [data-testid=bar-row]")
    return dict(
        rows.evaluate_all(
            """rows => rows.map(row => [row.getAttribute('data-key'),
                 row.querySelector('[data-testid=bar-value]').textContent.trim()])"""
        )
    )


def expect_figures(page: Page, figures: Figures) -> None:
    """Everything the answer's figures put on the screen, against the hand-made sums."""
    answer = figures.answer()
    showing(page, figures.period)
    for key, total in answer["totals"].items():
        card = page.locator(f"[data-testid=figure][data-figure={key}]")
        shown = percent(total["value"]) if key == "wizardCompletion" else count(total["value"])
        expect(card.locator("[data-testid=figure-value]")).to_have_text(shown)
        arrow = card.locator("[data-testid=change]")
        if total["change"] is None:
            expect(arrow).to_have_attribute("data-direction", "none")
            expect(arrow).to_have_text("no comparison")
        elif total["change"] == 0:
            expect(arrow).to_have_attribute("data-direction", "flat")
            expect(arrow).to_contain_text("→ 0%")
            expect(arrow).to_contain_text("no change on the previous period")
        else:
            up = total["change"] > 0
            expect(arrow).to_have_attribute("data-direction", "up" if up else "down")
            expect(arrow).to_contain_text(f"{'↑' if up else '↓'} {percent(total['change'])}")
            expect(arrow).to_contain_text(
                f"{'up' if up else 'down'} {percent(total['change'])} on the previous period"
            )
    wizard = answer["wizard"]
    funnel = page.locator("[data-testid=funnel]")
    expect(funnel.locator("[data-testid=funnel-rate]")).to_have_text(
        f"{percent(wizard['rate'])} completed"
    )
    expected_funnel = [
        count(wizard["started"]),
        *(count(step["count"]) for step in wizard["steps"]),
        count(wizard["completed"]),
    ]
    expect(funnel.locator("[data-testid=funnel-value]")).to_have_text(expected_funnel)
    for testid, rows, name, value in (
        ("forms", answer["forms"], "form", "submissions"),
        ("top-pages", answer["topPages"], "path", "pageviews"),
        ("sources", answer["sources"], "source", "visitors"),
    ):
        assert bars(page, testid) == {row[name]: count(row[value]) for row in rows}, testid
        assert list(bars(page, testid)) == [row[name] for row in rows], f"{testid} order"
    leads_by_day = {p["date"]: count(p["leads"]) for p in answer["series"] if p["leads"]}
    assert bars(page, "leads-by-day") == leads_by_day
    for row in answer["sourceToMoney"]:
        shown = page.locator("[data-testid=money-row]").filter(
            has=page.locator("[data-col=source]", has_text=row["source"])
        )
        expect(shown.locator("[data-col=source]")).to_have_text(row["source"])
        for column, text in (
            ("visitors", count(row["visitors"])),
            ("leads", count(row["leads"])),
            ("won", count(row["won"])),
            ("revenue", money(row["revenue"])),
            ("visitorToLead", percent(row["visitorToLead"])),
            ("leadToWon", percent(row["leadToWon"])),
        ):
            expect(shown.locator(f"[data-col={column}]")).to_have_text(text)
    expect(page.locator("[data-testid=money-row]")).to_have_count(len(answer["sourceToMoney"]))
    shown_order = page.locator("[data-testid=money-row]").evaluate_all(
        "rows => rows.map(row => row.getAttribute('data-source'))"
    )
    assert shown_order == [row["source"] for row in answer["sourceToMoney"]], "money order"
    expect(page.locator("[data-testid=series-table] tbody tr")).to_have_count(len(answer["series"]))


# --- the owner -------------------------------------------------------------------------


def test_the_owner_lands_on_the_last_30_days(owner, screenshot):
    page = owner.page
    expect(page).to_have_url(re.compile(r"#/dashboard$"))
    showing(page, "30d")
    assert owner.analytics.periods_asked() == ["30d"]
    assert owner.analytics.asked[0]["authorization"].startswith("Bearer ey")
    expect_figures(page, Figures("30d"))
    # Added up by hand from the seed, days 0, 1, 2, 8 and 10 against day 45: 84
    # pageviews against 50, 30 visitors against 20, 5 leads against 1, 7 forms against
    # 4, and the wizard 4 of 8 completed (50%) against 1 of 5 (20%).
    figures = page.locator("[data-testid=figure]")
    expect(figures.locator("[data-testid=figure-value]")).to_have_text(
        ["84", "30", "5", "7", "50%"]
    )
    expect(figures.locator("[data-testid=change] [aria-hidden=true]")).to_have_text(
        ["↑ 68%", "↑ 50%", "↑ 400%", "↑ 75%", "↑ 150%"]
    )
    instagram = page.locator("[data-testid=money-row][data-source=instagram]")
    expect(instagram.locator("td")).to_have_text(["11", "2", "2", "€1,750.50", "18.2%", "100%"])
    # The chart: uPlot drew it from its own chunk, fetched once the dashboard asked.
    expect(page.locator("[data-chart] canvas").first).to_be_visible()
    assert [name for name in scripts(page) if "/chunks/uPlot" in name]
    assert not [name for name in owner.session.first_scripts if "/chunks/calendar-" in name]
    # Today's calls in the business time zone, the owner's pipeline and the spam kept out.
    calls = page.locator("[data-testid=calls-today]")
    expect(calls.locator("[data-testid=calls-count]")).to_have_text("2")
    expect(calls.locator("[data-testid=call-time]")).to_have_text(["10:00–10:30", "15:30–16:00"])
    # The pipeline counts every open customer: Ana and the three leads not won yet are
    # active leads, the three won ones delivered (the won group).
    tiles = page.locator("[data-testid=pipeline]")
    expect(tiles.locator(".tile-lead .tile-value")).to_have_text("4")
    expect(tiles.locator(".tile-won .tile-value")).to_have_text("3")
    expect(tiles.locator(".tile-lost")).to_have_count(0)  # no lost stage in the studio
    for label, kept_out in (("Sent too fast", "3"), ("Hidden field filled", "1")):
        tile = page.locator("[data-testid=spam] .tile", has_text=label)
        expect(tile.locator(".tile-value")).to_have_text(kept_out)
    page.locator(".chart-table summary").click()
    screenshot(page, "owner")
    accessible(page, "the owner's dashboard")
    assert not owner.session.problems(), owner.session.problems()


def test_switching_the_period_asks_for_it_and_shows_its_figures(owner):
    page = owner.page
    go(page, "#/dashboard")
    showing(page, "30d")
    choose(page, "7d")
    expect(page).to_have_url(re.compile(r"#/dashboard\?period=7d$"))
    assert owner.analytics.periods_asked()[-1] == "7d"
    expect_figures(page, Figures("7d"))
    expect(page.locator("[data-testid=leads-by-day] .panel-title")).to_have_text("New leads by day")
    # Days 0, 1 and 2 against days 8 and 10: 48 pageviews against 36, 18 visitors
    # against 12, and the wizard half completed in both.
    expect(page.locator("[data-figure=pageviews] [data-testid=figure-value]")).to_have_text("48")
    expect(page.locator("[data-figure=pageviews] [data-testid=change]")).to_contain_text("↑ 33.3%")
    expect(page.locator("[data-figure=visitors] [data-testid=change]")).to_contain_text("↑ 50%")
    expect(page.locator("[data-figure=wizardCompletion] [data-testid=change]")).to_contain_text(
        "→ 0%"
    )

    # By keyboard: Tab to a period and press it.
    today_button = page.locator("[data-testid=periods] button[data-period=today]")
    today_button.focus()
    page.keyboard.press("Enter")
    showing(page, "today")
    expect(today_button).to_have_attribute("aria-pressed", "true")
    expect_figures(page, Figures("today"))
    # 12 pageviews today against 6 yesterday; nobody started the wizard yesterday.
    expect(page.locator("[data-figure=pageviews] [data-testid=change]")).to_contain_text("↑ 100%")
    expect(page.locator("[data-figure=leads] [data-testid=change]")).to_have_text("no comparison")

    choose(page, "12m")
    expect_figures(page, Figures("12m"))
    expect(page.locator("[data-testid=series-table] tbody tr")).to_have_count(12)
    title = page.locator("[data-testid=leads-by-day] .panel-title")
    expect(title).to_have_text("New leads by month")

    # A reload keeps the period.
    page.reload()
    showing(page, "12m")
    assert owner.analytics.periods_asked()[-1] == "12m"
    choose(page, "30d")


def test_a_source_named_like_markup_shows_as_text(owner):
    page = owner.page
    go(page, "#/dashboard?period=30d")
    showing(page, "30d")
    expect(
        page.locator(f"[data-testid=sources] [data-key='{XSS}'] [data-testid=bar-label]")
    ).to_have_text(XSS)
    expect(page.locator("[data-testid=money-row] [data-col=source]", has_text=XSS)).to_have_text(
        XSS
    )
    an_image_error_has_fired(page)
    assert page.locator("[data-testid=dashboard] img").count() == 0
    assert not owner.session.dialogs


def test_download_csv_saves_the_source_to_money_table(owner, tmp_path):
    page = owner.page
    go(page, "#/dashboard?period=7d")
    showing(page, "7d")
    with page.expect_download() as downloading:
        page.locator("[data-testid=download-csv]").click()
    download = downloading.value
    # The function's own name for the file: the page could read Content-Disposition
    # across origins only because the function exposes it.
    assert download.suggested_filename == csv_name("7d")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with saved.open(encoding="utf-8", newline="") as file:
        assert list(csv.reader(file)) == Figures("7d").csv_rows()
    asked = owner.analytics.asked[-1]
    assert (asked["period"], asked["format"]) == ("7d", "csv")
    assert asked["authorization"].startswith("Bearer ey")
    expect(page.locator("[data-testid=download-message]")).to_have_text(
        f"Downloaded {csv_name('7d')}."
    )


def test_a_site_without_the_snippet_says_how_to_start(owner, world, screenshot):
    page = owner.page
    go(page, "#/dashboard?period=30d")
    showing(page, "30d")
    clear_roll_ups(world)  # nothing ever counted: no visit, no roll-up
    try:
        go(page, "#/dashboard?period=today")
        showing(page, "today")
        empty = page.locator("[data-testid=traffic] [data-testid=empty]")
        expect(empty).to_contain_text("No visits yet")
        expect(empty).to_contain_text("/track.js")
        expect(page.locator("[data-testid=change]").first).to_have_text("no comparison")
        expect(page.locator("[data-testid=sources]")).to_contain_text("None in this period.")
        screenshot(page, "empty")
        accessible(page, "the dashboard of a site without the snippet")
    finally:
        write_roll_ups(world.client, roll_ups(today()))


def test_an_outage_is_said_and_try_again_loads_the_figures(owner):
    page = owner.page
    go(page, "#/dashboard?period=30d")
    showing(page, "30d")
    outage = fail_once(page, owner.analytics.functions)
    try:
        go(page, "#/dashboard?period=7d")
        error = page.locator("[data-testid=dashboard] [data-testid=error]")
        expect(error).to_contain_text("The figures could not be loaded")
        expect(error).to_contain_text("Hearth is busy or cannot reach its database. Try again")
        error.get_by_role("button", name="Try again").click()
        expect_figures(page, Figures("7d"))
        expect(error).to_have_count(0)
    finally:
        page.unroute(outage)


def test_the_phone_layout_fits_and_passes_axe(owner, manager, screenshot):
    for who, dashboard in (("owner", owner), ("manager", manager)):
        page = dashboard.page
        go(page, "#/dashboard?period=30d")
        page.set_viewport_size({"width": 390, "height": 844})
        try:
            showing(page, "30d")
            expect(page.locator("[data-chart] canvas").first).to_be_visible()
            page.locator(".chart-table summary").click()
            fits(page)
            # The bar's links scroll when they do not fit: the screen's own stays in sight.
            here = page.get_by_role("navigation", name="Main").locator("[aria-current=page]")
            expect(here).to_have_text("Dashboard")
            assert here.evaluate(
                """a => { const n = a.parentElement.getBoundingClientRect(),
                                r = a.getBoundingClientRect();
                          return r.left >= n.left - 1 && r.right <= n.right + 1; }"""
            ), f"the {who}'s Dashboard link is cut off at 390 px"
            # The money table scrolls inside its own labelled, focusable region.
            region = page.get_by_role("region", name="Source to money, by source")
            expect(region).to_have_attribute("tabindex", "0")
            assert region.evaluate("el => el.scrollWidth > el.clientWidth")
            region.focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle())
            screenshot(page, f"{who}-390")
            accessible(page, f"the {who}'s dashboard at 390 px")
        finally:
            page.set_viewport_size({"width": 1280, "height": 900})


# --- the manager and the rep -----------------------------------------------------------


def test_the_manager_sees_the_figures_and_never_a_customer(manager, world, firestore_emulator):
    page = manager.page
    expect(page).to_have_url(re.compile(r"#/dashboard(\?period=30d)?$"))
    expect_figures(page, Figures("30d"))
    # No pipeline (it counts customers) and no way to the customers.
    expect(page.locator("[data-testid=pipeline]")).to_have_count(0)
    expect(page.locator("[data-testid=spam]")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Dashboard")).to_be_visible()
    expect(nav.get_by_role("link", name="Customers")).to_have_count(0)
    for hash_ in ("#/customers", f"#/customers/{CUSTOMER}"):
        go(page, hash_)
        expect(page).to_have_url(re.compile(r"#/dashboard$"))
        showing(page, "30d")
        expect(
            page.locator("[data-testid=customers], [data-testid=customer-detail]")
        ).to_have_count(0)
    accessible(page, "the manager's dashboard")
    assert not manager.session.problems(), manager.session.problems()
    # The database itself refuses the manager a customer, with the same account's token.
    url = (
        f"{firestore_emulator.base}/v1/projects/{PROJECT}/databases/(default)/documents/"
        f"customers/{CUSTOMER}"
    )
    for email, status in ((MANAGER, 403), (OWNER, 200)):
        read = requests.get(url, headers=world.headers(email), timeout=10)
        assert read.status_code == status, (email, read.text)


def test_a_rep_gets_no_dashboard(browser, world):
    session = signed_in(browser, world, REP)
    page = session.page
    try:
        expect(page).to_have_url(re.compile(r"#/customers$"), timeout=LIVE_MS)
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="Customers")).to_be_visible()
        expect(nav.get_by_role("link", name="Dashboard")).to_have_count(0)
        for hash_ in ("#/dashboard", "#/dashboard?period=7d"):
            go(page, hash_)
            expect(page).to_have_url(re.compile(r"#/customers$"))
            expect(page.locator("[data-testid=customer-row]").first).to_be_visible(timeout=LIVE_MS)
        expect(page.locator("[data-testid=dashboard]")).to_have_count(0)
        assert not [url for url in session.requested if "/analytics" in url]
        assert not [url for url in session.requested if "/chunks/dashboard-" in url]
        assert not session.problems(), session.problems()
    finally:
        session.close()
