"""The pure traffic rules: which page and source a hit counts for, which senders are
bots or referrer spam, and which business day an instant falls on."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hearth.rules import traffic

SITE = "https://studio.example"

# Real user agents, as their owners publish them.
BOTS = {
    "Googlebot": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Googlebot smartphone": (
        "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/126.0.6478.126 Mobile Safari/537.36 "
        "(compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    ),
    "bingbot": "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "AhrefsBot": "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "HeadlessChrome": (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/126.0.0.0 Safari/537.36"
    ),
    "curl": "curl/8.5.0",
    "python-requests": "python-requests/2.32.3",
    "no user agent": "",
}
PEOPLE = {
    "Chrome": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
    ),
    "Safari on iPhone": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
    ),
    "Firefox": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
}


@pytest.mark.parametrize("agent", BOTS.values(), ids=BOTS.keys())
def test_crawlers_headless_browsers_and_scripts_are_bots(agent: str) -> None:
    assert traffic.is_bot(agent)


@pytest.mark.parametrize("agent", PEOPLE.values(), ids=PEOPLE.keys())
def test_browsers_people_use_are_not_bots(agent: str) -> None:
    assert not traffic.is_bot(agent)


@pytest.mark.parametrize(
    "referrer",
    [
        "https://semalt.com/",
        "http://darodar.com/x?y",
        "https://www.semalt.com",
        "https://a.b.semalt.com/",
    ],
)
def test_listed_spam_referrers_and_their_subdomains_are_spam(referrer: str) -> None:
    assert traffic.is_spam_referrer(referrer)


@pytest.mark.parametrize(
    "referrer",
    [None, "", "https://www.google.com/", "https://semalt.com.example.org/", "http://[oops", "com"],
)
def test_other_referrers_are_not_spam(referrer: str | None) -> None:
    assert not traffic.is_spam_referrer(referrer)


def test_the_vendored_spam_list_is_the_full_list_without_its_notes() -> None:
    hosts = traffic.spam_hosts()
    assert len(hosts) > 2000
    assert not any(host.startswith("#") or " " in host for host in hosts)


def test_the_page_is_the_path_alone() -> None:
    assert traffic.page_path(f"{SITE}/pricing?utm_source=x#plans") == "/pricing"
    assert traffic.page_path(SITE) == "/"
    assert traffic.page_path(f"{SITE}//site//a.b/") == "/site/a.b/"


@pytest.mark.parametrize(
    ("url", "referrer", "expected"),
    [
        (f"{SITE}/?utm_source=Newsletter&utm_medium=E-Mail&utm_campaign=Spring Sale", None,
         ("newsletter", "e-mail", "spring-sale")),
        (f"{SITE}/?utm_source=instagram", "https://www.google.com/", ("instagram", "", "")),
        (f"{SITE}/pricing", "https://www.google.com.mt/search?q=x", ("google", "", "")),
        (f"{SITE}/pricing", "https://l.instagram.com/", ("instagram", "", "")),
        (f"{SITE}/pricing", f"{SITE}/", ("direct", "", "")),
        (f"{SITE}/pricing", "https://www.studio.example/", ("direct", "", "")),
        (f"{SITE}/pricing", None, ("direct", "", "")),
        (f"{SITE}/?utm_source=%20", None, ("direct", "", "")),
    ],
)  # fmt: skip
def test_the_source_is_utm_then_another_sites_referrer_then_direct(
    url: str, referrer: str | None, expected: tuple[str, str, str]
) -> None:
    assert traffic.attribution(url, referrer) == expected


def test_a_visitor_id_changes_with_the_salt_and_with_each_part() -> None:
    one = traffic.visitor_id(b"a" * 32, "studio.example", "203.0.113.7", "Firefox")
    assert one == traffic.visitor_id(b"a" * 32, "studio.example", "203.0.113.7", "Firefox")
    assert len(one) == 64 and "203.0.113.7" not in one
    assert one != traffic.visitor_id(b"b" * 32, "studio.example", "203.0.113.7", "Firefox")
    assert one != traffic.visitor_id(b"a" * 32, "studio.example", "203.0.113.8", "Firefox")
    assert one != traffic.visitor_id(b"a" * 32, "studio.example", "203.0.113.7", "Chrome")


def test_the_business_day_and_the_first_half_hour_after_midnight() -> None:
    # 22:50 UTC in December is 23:50 in Malta; 23:10 UTC is 00:10 the next day.
    before = datetime(2026, 12, 6, 22, 50, tzinfo=UTC)
    after = datetime(2026, 12, 6, 23, 10, tzinfo=UTC)
    late = datetime(2026, 12, 6, 23, 40, tzinfo=UTC)
    assert traffic.business_day(before, "Europe/Malta") == date(2026, 12, 6)
    assert traffic.business_day(after, "Europe/Malta") == date(2026, 12, 7)
    assert not traffic.carries_over(before, "Europe/Malta")
    assert traffic.carries_over(after, "Europe/Malta")
    assert not traffic.carries_over(late, "Europe/Malta")


def test_folding_adds_counters_and_maps_key_by_key() -> None:
    shards = [
        {"day": "d", "shard": 0, "pageviews": 2, "pages": {"/": 2}, "visitors": 1},
        {"day": "d", "shard": 1, "pageviews": 1, "pages": {"/": 1, "/a.b": 1}, "leads": 1},
        {"day": "d", "shard": "all", "pageviews": 10, "sources": {"google": 3}},
    ]
    assert traffic.fold(shards) == {
        "pageviews": 13,
        "visitors": 1,
        "leads": 1,
        "pages": {"/": 3, "/a.b": 1},
        "sources": {"google": 3},
    }
    assert traffic.fold([traffic.fold(shards)]) == traffic.fold(shards)


def test_folding_leaves_out_what_a_report_reads_as_zero() -> None:
    """A folded document must read exactly like the ones it replaces: the report counts
    a value that is not a whole number above 0 as 0, so folding must not add it in."""
    documents = [
        {"pageviews": 5, "visitors": -3, "leads": True, "sources": {"a": 2, "b": -1}},
        {"pageviews": "12", "visitors": 4, "sources": {"a": 1.5, "c": False}, "pages": "/x"},
    ]
    assert traffic.fold(documents) == {"pageviews": 5, "visitors": 4, "sources": {"a": 2}}
