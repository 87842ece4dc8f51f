"""Site traffic, decided without I/O: what a hit may carry, which page and source it
counts for, whether it came from a bot or a spam referrer, and which business day it
falls on.

Kept pure so the ingest and its tests agree on every verdict without an emulator. The
bot verdict is crawlerdetect's user-agent list (kept up to date upstream, pinned in
requirements.txt), not a regex of ours; the referrer-spam verdict is Matomo's public
domain list, vendored beside this file (referrer_spam.txt names its source).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from hearth.rules import sources

PAGEVIEW = "pageview"
# The named events the snippet sends; anything else is refused, so a roll-up's events
# map stays a handful of keys whatever a script posts.
EVENTS = ("wizard_start", "wizard_step", "wizard_complete", "form_submit", "outbound")
NAMES = (PAGEVIEW, *EVENTS)

MAX_BODY_BYTES = 4 * 1024  # a hit is a few hundred bytes; a beacon over 4 KB is not ours
MAX_URL = 2048
MAX_PATH = 300  # a page path counted in a roll-up; a longer one is refused, not cut
MAX_LABEL = 100  # a source, medium, campaign or host kept as a roll-up key
MAX_HOST = 253  # the longest host name DNS allows: an outbound event's host
MAX_STEP = 50
# A visitor's first pageview this long after midnight, from a page of the site itself,
# is the same visit going on: it keeps yesterday's source.
CARRY_OVER = timedelta(minutes=30)

# Roll-up fields that are counters (added when shards are folded) and maps of counters.
COUNTERS = ("pageviews", "visitors", "leads")
MAPS = (
    "pages",
    "sources",
    "mediums",
    "campaigns",
    "events",
    "wizardSteps",
    "outbound",
    "forms",
    "leadSources",
)

_SLASHES = re.compile(r"/{2,}")
_SPAM_FILE = Path(__file__).with_name("referrer_spam.txt")


def page_path(url: str) -> str:
    """The page a hit counts for: the URL's path alone (no query, no fragment)."""
    path = _SLASHES.sub("/", urlsplit(url).path or "/")
    return path if path.startswith("/") else "/" + path


def host_of(url: str | None) -> str:
    """The host of a URL, lowercased and without "www.", or "" when there is none."""
    if not url:
        return ""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".").lower()
    return host.removeprefix("www.")


def label(raw: str | None) -> str:
    """A utm_medium or utm_campaign as one spelling ("Spring Sale" and "spring_sale"
    count together); "" when nothing usable came."""
    return sources.slug(raw, MAX_LABEL)


def host_label(host: str | None) -> str:
    """An outbound link's host as a roll-up key."""
    return host_of(f"http://{host}") if host and "/" not in host else ""


def attribution(url: str, referrer: str | None) -> tuple[str, str, str]:
    """(source, medium, campaign) of a hit: utm_source, else the referrer's host (the
    site's own pages are no source), else "direct", folded the way intake folds a
    customer's source so that visitors and leads of one source line up."""
    query = parse_qs(urlsplit(url).query)

    def first(name: str) -> str:
        values = query.get(name) or [""]
        return values[0][:MAX_LABEL]

    utm = first("utm_source")
    if utm.strip():
        source = sources.normalise(utm)
    elif referrer and not is_internal(url, referrer):
        source = sources.normalise(host_of(referrer) or None)
    else:
        source = sources.DIRECT
    return source, label(first("utm_medium")), label(first("utm_campaign"))


def is_internal(url: str, referrer: str | None) -> bool:
    """Whether the referrer is a page of the same site (navigation, not a source)."""
    site = host_of(url)
    return bool(site) and host_of(referrer) == site


@lru_cache(maxsize=1)
def _crawlers() -> Any:
    from crawlerdetect import CrawlerDetect

    return CrawlerDetect()


def is_bot(user_agent: str | None) -> bool:
    """A crawler, a monitor, a headless browser or a script, by crawlerdetect's list.

    No user agent at all is a script too: every browser sends one. Only the return
    value is used: the detector's "matches" attribute is shared between threads.
    """
    agent = (user_agent or "").strip()
    return not agent or bool(_crawlers().is_crawler(agent))


@lru_cache(maxsize=1)
def spam_hosts() -> frozenset[str]:
    """The referrer-spam list, read once per instance: a set, so a verdict is a few
    lookups, not a scan of thousands of lines."""
    lines = _SPAM_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def is_spam_referrer(referrer: str | None) -> bool:
    """The referrer's host, or any domain it is under, is on the referrer-spam list."""
    try:
        host = (urlsplit((referrer or "").strip()).hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    listed = spam_hosts()
    labels = host.split(".")
    return any(".".join(labels[i:]) in listed for i in range(len(labels) - 1))


def business_day(at: datetime, time_zone: str) -> date:
    """The studio's calendar day an instant falls on."""
    return at.astimezone(ZoneInfo(time_zone)).date()


def day_key(day: date) -> str:
    """A business day as the roll-ups key it: ISO, so string order is date order and a
    report's day range is one string range query."""
    return day.isoformat()


def carries_over(at: datetime, time_zone: str) -> bool:
    """Whether an instant is in the first minutes of its business day, when a visit
    begun before midnight may still be going on."""
    local = at.astimezone(ZoneInfo(time_zone))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return local - midnight < CARRY_OVER


def visitor_id(salt: bytes, site: str, ip: str, user_agent: str) -> str:
    """Plausible's daily visitor id: the same person on the same site is one visitor
    for one day, and nobody can link two days (the salt is new each day and deleted).
    Neither the address nor the agent is kept anywhere, only this hash."""
    digest = hashlib.sha256()
    for part in (salt, site.encode(), ip.encode(), user_agent.encode()):
        digest.update(len(part).to_bytes(4, "big"))
        digest.update(part)
    return digest.hexdigest()


def fold(documents: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Several roll-up documents summed into one (a day's shards, a month's days):
    counters added, maps added key by key. The order does not matter, so folding twice
    gives the same numbers. A value the reports read as 0 (not a whole number, or not
    above 0) is left out, so a folded document reads exactly like the ones it replaces."""
    total: dict[str, Any] = {}
    for document in documents:
        for name in COUNTERS:
            if _count(document.get(name)):
                total[name] = total.get(name, 0) + document[name]
        for name in MAPS:
            counts = document.get(name)
            if not isinstance(counts, Mapping):
                continue
            into = total.setdefault(name, {})
            for key, value in counts.items():
                if _count(value):
                    into[key] = into.get(key, 0) + value
    return total


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
