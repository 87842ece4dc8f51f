"""POST /track on the real emulator: what a pageview or an event adds to the day's
roll-up, who is turned away without being told, and what is never stored."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.analytics.helpers import (
    CHROME,
    FIREFOX,
    SITE,
    body,
    documents,
    rollup,
    send,
    today,
)
from tests.answers import names_field, refusal
from tests.rules.test_traffic import BOTS
from tests.store_counter import StoreCounter

COLLECTIONS = ("analytics_days", "analytics_events", "analytics_visitors", "analytics_salts")


def accepted(response: Any) -> None:
    assert response.status_code == 202, response.get_data(as_text=True)
    assert response.get_json() == {"ok": True}
    assert "Set-Cookie" not in response.headers


def stored_nothing(db: Any) -> bool:
    return all(not documents(db, name) for name in COLLECTIONS if name != "analytics_salts")


def test_a_pageview_counts_a_page_a_visitor_and_their_source(track, db) -> None:
    accepted(send(track, body(path="/pricing?utm_source=Newsletter&utm_campaign=Spring")))

    day = rollup(db, today())
    assert day["pageviews"] == 1
    assert day["visitors"] == 1
    assert day["pages"] == {"/pricing": 1}
    assert day["sources"] == {"newsletter": 1}
    assert day["campaigns"] == {"spring": 1}
    assert "mediums" not in day
    [event] = documents(db, "analytics_events")
    assert (event["name"], event["path"], event["source"]) == ("pageview", "/pricing", "newsletter")


def test_the_same_visitor_counts_once_a_day_and_another_browser_is_another(track, db) -> None:
    for path in ("/", "/pricing", "/contact"):
        accepted(send(track, body(path=path, referrer="https://www.google.com/")))
    accepted(send(track, body(path="/"), ua=FIREFOX))

    day = rollup(db, today())
    assert day["pageviews"] == 4
    assert day["visitors"] == 2
    assert day["sources"] == {"google": 1, "direct": 1}
    assert day["pages"] == {"/": 2, "/pricing": 1, "/contact": 1}


def test_a_beacon_sent_twice_is_recorded_once(track, db) -> None:
    hit = body(path="/")
    accepted(send(track, hit))
    accepted(send(track, hit))
    event = body("outbound", host="www.instagram.com")
    accepted(send(track, event))
    accepted(send(track, event))

    day = rollup(db, today())
    assert (day["pageviews"], day["visitors"], day["events"]) == (1, 1, {"outbound": 1})
    assert len(documents(db, "analytics_events")) == 2


def test_named_events_count_by_name_step_and_host(track, db) -> None:
    for hit in (
        body("wizard_start"),
        body("wizard_step", step=1),
        body("wizard_step", step=2),
        body("wizard_step", step=2),
        body("wizard_complete"),
        body("form_submit", form="pricing"),
        body("outbound", host="instagram.com"),
    ):
        accepted(send(track, hit))

    day = rollup(db, today())
    assert day["events"] == {
        "wizard_start": 1,
        "wizard_step": 3,
        "wizard_complete": 1,
        "form_submit": 1,
        "outbound": 1,
    }
    assert day["wizardSteps"] == {"1": 1, "2": 2}
    assert day["outbound"] == {"instagram.com": 1}
    assert "pageviews" not in day and "visitors" not in day


@pytest.mark.parametrize("agent", BOTS.values(), ids=BOTS.keys())
def test_bots_get_the_same_answer_and_nothing_is_stored(track, db, agent: str) -> None:
    accepted(send(track, body(path="/"), ua=agent))
    assert stored_nothing(db)


@pytest.mark.parametrize("referrer", ["https://semalt.com/", "http://free.darodar.com/page"])
def test_referrer_spam_gets_the_same_answer_and_nothing_is_stored(track, db, referrer) -> None:
    accepted(send(track, body(path="/", referrer=referrer)))
    assert stored_nothing(db)


def test_no_address_and_no_user_agent_is_ever_stored(track, db) -> None:
    agents = {CHROME: "198.51.100.23", FIREFOX: "2001:db8::1"}
    for agent, ip in agents.items():
        send(
            track, body(path="/?utm_source=x", referrer="https://www.google.com/"), ua=agent, ip=ip
        )
        send(track, body("wizard_step", step=1), ua=agent, ip=ip)
        send(track, body("outbound", host="example.org"), ua=agent, ip=ip)
    send(
        track,
        body(path="/"),
        ua=CHROME,
        headers={"X-Forwarded-For": "192.0.2.1, 203.0.113.99"},
    )

    stored = json.dumps([documents(db, name) for name in COLLECTIONS], default=repr)
    assert len(documents(db, "analytics_events")) == 7
    for secret in [*agents, *agents.values(), "192.0.2.1", "203.0.113.99", "Chrome", "Firefox"]:
        assert secret not in stored
    markers = [snapshot.id for snapshot in db.collection("analytics_visitors").stream()]
    assert len(markers) == 3  # two browsers, and the one behind a proxy


TOO_LONG_PATH = "/" + "a" * 400


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        ({"name": "pageview", "url": SITE}, "id"),
        (body(id="short"), "id"),
        (body(name="purchase"), "name"),
        (body(name=5), "name"),
        (body(url="studio.example/pricing"), "url"),
        (body(url="javascript:alert(1)"), "url"),
        (body(path=TOO_LONG_PATH), "url"),
        (body(url=SITE + "/?q=" + "x" * 2100), "url"),
        (body(referrer=123), "referrer"),
        (body("wizard_step"), "step"),
        (body("wizard_step", step="2"), "step"),
        (body("wizard_step", step=0), "step"),
        (body("form_submit"), "form"),
        (body("form_submit", form="Contact Us!"), "form"),
        (body("outbound"), "host"),
        (body("outbound", host="https://x.example/path"), "host"),
        (body(ip="1.2.3.4"), "ip"),
        ("[1, 2]", "body"),
        ("{not json", "body"),
    ],
)
def test_a_bad_hit_is_refused_naming_the_field(track, db, sent: Any, field: str) -> None:
    answer = refusal(send(track, sent), 400)
    assert names_field(answer, field), answer
    assert stored_nothing(db)


def test_an_oversized_hit_is_refused_naming_the_body(track, db) -> None:
    answer = refusal(send(track, json.dumps(body(referrer="x" * 5000))), 413)
    assert names_field(answer, "body")


def test_the_sites_browsers_may_send_hits_and_other_sites_may_not(track, db) -> None:
    allowed = {"Origin": "http://127.0.0.1:5000"}
    preflight = track.options("/", headers={**allowed, "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204
    accepted(send(track, body(), headers=allowed))
    answer = refusal(send(track, body(), headers={"Origin": "https://elsewhere.example"}), 403)
    assert names_field(answer, "Origin")
    assert refusal(track.get("/"), 405)["fields"] == {"method": "GET is not allowed."}


@pytest.fixture
def counter(db) -> StoreCounter:
    counting = StoreCounter()
    counting.attach(db)
    return counting


def test_a_pageview_costs_no_read_and_at_most_three_writes(track, db, counter) -> None:
    accepted(send(track, body(), ip="192.0.2.200"))  # the instance reads today's salt once

    with counter.per(1) as new_visitor:
        accepted(send(track, body()))
    with counter.per(1) as returning:
        accepted(send(track, body(path="/pricing")))
    hit = body(path="/contact")
    accepted(send(track, hit))
    with counter.per(1) as resent:
        accepted(send(track, hit))
    with counter.per(1) as event:
        accepted(send(track, body("wizard_step", step=1)))

    assert new_visitor == {"reads": 0, "writes": 3}  # marker, event, one shard
    assert returning == {"reads": 0, "writes": 2}
    assert resent == {"reads": 0, "writes": 0}
    assert event == {"reads": 0, "writes": 2}


def test_two_hundred_hits_at_once_lose_no_count_and_count_each_visitor_once(track, db) -> None:
    """50 visitors each load 4 pages, all at once: 200 commits on 8 shard documents."""
    visitors = [f"198.51.100.{n}" for n in range(50)]
    hits = [(ip, f"/page-{page}") for ip in visitors for page in range(4)]

    def one(hit: tuple[str, str]) -> int:
        ip, path = hit
        return send(track, body(path=path), ip=ip).status_code

    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(pool.map(one, hits))

    assert statuses == [202] * 200
    day = rollup(db, today())
    assert day["pageviews"] == 200
    assert day["visitors"] == 50
    assert day["sources"] == {"direct": 50}
    assert day["pages"] == {f"/page-{page}": 50 for page in range(4)}
    assert len(documents(db, "analytics_events")) == 200
