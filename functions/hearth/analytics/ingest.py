"""One hit recorded: bots and spam dropped, the visitor recognised for the day, the hit
written in one commit with no read (docs/analytics.md, "A pageview's cost").

The sender's address and user agent only ever feed the daily hash; neither is stored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hearth import config
from hearth.analytics.hit import Hit
from hearth.rules import sources, traffic
from hearth.store import analytics as store
from hearth.store import client as db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sender:
    """Who sent a hit, as the request says: hashed, never kept."""

    ip: str
    user_agent: str


def accept(
    hit: Hit,
    sender: Sender,
    settings: config.Settings,
    at: datetime | None = None,
    client: Any = None,
) -> str:
    """Record a hit and say what became of it ("bot", "spam", "new visitor", "returning",
    "duplicate"), so a test can tell a dropped bot from a resent beacon. ``at`` is now
    unless a test plays a visit across midnight."""
    if traffic.is_bot(sender.user_agent):
        return "bot"
    if traffic.is_spam_referrer(hit.referrer):
        return "spam"
    at = at or datetime.now(UTC)
    client = client or db.client()
    timeout = settings.store_timeout_s
    today = traffic.business_day(at, settings.time_zone)
    day = traffic.day_key(today)
    site = traffic.host_of(hit.url)
    salt = store.salt(client, day, at, create=True, timeout=timeout) or b""
    visitor = traffic.visitor_id(salt, site, sender.ip, sender.user_agent)
    source, medium, campaign = traffic.attribution(hit.url, hit.referrer)
    continues = (
        hit.name == traffic.PAGEVIEW
        and traffic.carries_over(at, settings.time_zone)
        and traffic.is_internal(hit.url, hit.referrer)
    )
    if continues:
        earlier = _yesterdays_visit(client, today, site, sender, at, timeout)
        if earlier is not None:
            source, medium, campaign = earlier
    path = traffic.page_path(hit.url)
    event: dict[str, Any] = {
        "at": at,
        "day": day,
        "name": hit.name,
        "path": path,
        "source": source,
        "medium": medium or None,
        "campaign": campaign or None,
        "visitor": visitor,
        "expiresAt": at + timedelta(days=settings.analytics_keep_days),
    }
    if hit.name != traffic.PAGEVIEW:
        event.update(_event_details(hit))
        written = store.Hit(day=day, event_id=hit.id, event=event, counts=_event_counts(hit))
    else:
        written = store.Hit(
            day=day,
            event_id=hit.id,
            event=event,
            counts={"pageviews": 1, "pages": {path: 1}},
            visitor=visitor,
            marker={
                "day": day,
                "source": source,
                "medium": medium or None,
                "campaign": campaign or None,
                "expiresAt": at + store.MARKER_KEPT,
            },
            visit_counts=_visit_counts(source, medium, campaign),
        )
    return store.record(client, written, settings.analytics_shards, timeout)


def _visit_counts(source: str, medium: str, campaign: str) -> dict[str, Any]:
    """A new visitor's roll-up counters: mediums and campaigns only when the link named
    them, so the dashboard's lists hold no empty key."""
    counts: dict[str, Any] = {"visitors": 1, "sources": {source: 1}}
    if medium:
        counts["mediums"] = {medium: 1}
    if campaign:
        counts["campaigns"] = {campaign: 1}
    return counts


def _event_details(hit: Hit) -> dict[str, Any]:
    """What a named event adds to its drill-down record; the host as the roll-up keys
    it, so the record and the dashboard's outbound list name a link the same way."""
    details: dict[str, Any] = {}
    if hit.step is not None:
        details["step"] = hit.step
    if hit.form is not None:
        details["form"] = hit.form
    if hit.host is not None and hit.name == "outbound":
        details["host"] = traffic.host_label(hit.host)
    return details


def _event_counts(hit: Hit) -> dict[str, Any]:
    """A named event's roll-up counters: the wizard's steps and the outbound hosts get
    maps of their own, the funnel and the links list on the dashboard."""
    counts: dict[str, Any] = {"events": {hit.name: 1}}
    if hit.step is not None and hit.name == "wizard_step":
        counts["wizardSteps"] = {str(hit.step): 1}
    if hit.host is not None and hit.name == "outbound":
        counts["outbound"] = {traffic.host_label(hit.host): 1}
    return counts


def _yesterdays_visit(
    client: Any, today: date, site: str, sender: Sender, at: datetime, timeout: float
) -> tuple[str, str, str] | None:
    """The source of a visit begun before midnight and still going on: one read, only
    in the first minutes of a day and only for a page reached from the site itself."""
    yesterday = traffic.day_key(today - timedelta(days=1))
    salt = store.salt(client, yesterday, at, create=False, timeout=timeout)
    if salt is None:
        return None
    visitor = traffic.visitor_id(salt, site, sender.ip, sender.user_agent)
    marker = store.visitor_marker(client, yesterday, visitor, timeout)
    if marker is None:
        return None
    return (
        marker.get("source") or sources.DIRECT,
        marker.get("medium") or "",
        marker.get("campaign") or "",
    )


def visit_source(page: str, sender: Sender, settings: config.Settings) -> str | None:
    """The source of the sender's visit today, when the snippet counted one: a form sent
    with no source of its own is then credited to the newsletter or search the visitor
    came from. At most two reads (the salt, once per instance and day; the marker), and
    only for a form without a source. Best effort: nothing found or a failed read is None.
    """
    at = datetime.now(UTC)
    day = traffic.day_key(traffic.business_day(at, settings.time_zone))
    try:
        client = db.client()
        salt = store.salt(client, day, at, create=False, timeout=settings.store_timeout_s)
        if salt is None:
            return None
        visitor = traffic.visitor_id(salt, traffic.host_of(page), sender.ip, sender.user_agent)
        marker = store.visitor_marker(client, day, visitor, settings.store_timeout_s)
    except Exception:
        log.warning("could not look up the visit of a form without a source", exc_info=True)
        return None
    source = (marker or {}).get("source")
    return source if source and source != sources.DIRECT else None
