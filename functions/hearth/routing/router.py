"""Routing new customers: the router, the nudge that runs it at once, the preview and
the hand-over's pick.

Every new customer is created pending (store/customers.py). ``route_pending`` routes
them oldest first, a batch per transaction with the round-robin pointers, so the
shares stay exact however many arrive together. ``nudge`` runs after a commit that
made a pending customer: a form's once its answer has gone out (hearth.web.intake,
Reply.after), a booking's before it answers (the call takes the routed owner). One
request at a time (a lease) routes everything pending, so a burst of 60 forms is shared
by one router in order while the other 59 give up at once; the sweep calls
``route_pending`` every minute as the backstop.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hearth import config
from hearth.routing.settings import check_names, check_owner, load, parse_settings
from hearth.rules import routing as rules
from hearth.rules import timestamps
from hearth.rules.periods import business_day
from hearth.rules.roles import Principal
from hearth.store import client as db
from hearth.store import consumers
from hearth.store import events as domain_events
from hearth.store import routing as store

log = logging.getLogger(__name__)

MAX_BATCHES = 50
PREVIEW_DAYS = 30
PREVIEW_LIMIT = 5000


def _today(settings: config.Settings, now: datetime | None = None) -> date:
    return business_day(now or datetime.now(UTC), settings.time_zone)


def _kinds(client: Any, customers: list[Mapping[str, Any]], timeout: float) -> dict[str, Any]:
    return consumers.source_kinds(
        client, [c.get("firstSource") for c in customers if c.get("firstSource")], timeout
    )


def names(client: Any, timeout: float) -> dict[str, str]:
    """Each team member's name as timelines show it."""
    team = store.read_team(client, timeout)
    return {uid: rules.display_name(uid, team) for uid in team}


def route_pending(settings: config.Settings, now: datetime | None = None) -> int:
    """Route every pending customer (oldest first); answers how many got an owner."""
    client, timeout = db.client(), settings.store_timeout_s
    routing = load(client, timeout)
    team = store.read_team(client, timeout)
    today = _today(settings, now)
    label = {uid: rules.display_name(uid, team) for uid in team}
    pointer_ids = rules.pointer_ids(routing)
    routed = 0

    def decide(
        todo: list[tuple[str, dict[str, Any]]], stored: dict[str, dict[str, Any]]
    ) -> tuple[list[store.Assignment], dict[str, dict[str, Any]]]:
        kinds = _kinds(client, [customer for _, customer in todo], timeout)
        leads = [rules.lead_of(customer, kinds) for _, customer in todo]
        pointers = {key: rules.Pointer.of(value) for key, value in stored.items()}
        choices, moved = rules.plan(routing, leads, team, pointers, today)
        assignments = [
            store.Assignment(
                key, choice.uid, choice.rule, choice.reason, label, noted=routing is not None
            )
            for (key, _), choice in zip(todo, choices, strict=True)
        ]
        return assignments, {key: pointer.document() for key, pointer in moved.items()}

    for _ in range(MAX_BATCHES):
        keys = store.pending_keys(client, store.BATCH, timeout)
        if not keys:
            break
        assignments, _ = store.route_batch(client, keys, pointer_ids, decide, timeout)
        routed += sum(1 for a in assignments if a.uid is not None)
        if len(keys) < store.BATCH:
            break
    return routed


def nudge(settings: config.Settings) -> int:
    """Route what is pending now, unless another request already is (it will see ours:
    it looks once more after letting go). Never fails the caller, whose own commit has
    landed: a routing failure leaves the customer pending for the sweep."""
    client, timeout = db.client(), settings.store_timeout_s
    holder = uuid.uuid4().hex
    routed = 0
    try:
        for _ in range(MAX_BATCHES):
            taken = store.take_lease(client, holder, timeout)
            if taken is None:
                return routed
            try:
                routed += route_pending(settings)
            finally:
                store.release_lease(client, taken, timeout)
            if not store.pending_keys(client, 1, timeout):
                return routed
    except Exception:  # the submission stands whatever happens here; the sweep retries
        log.exception("routing after a commit failed; the sweep will route what is pending")
    return routed


def choose_owner(
    transaction: Any,
    customer: Mapping[str, Any],
    *,
    exclude: str | None,
    settings: config.Settings,
    today: date | None = None,
) -> rules.Choice:
    """The owner the rules give ``customer`` now, ``exclude`` never (the rep handing
    over). Call inside your transaction after its reads and before its writes: the
    matched round robin's pointer is read and moved in it."""
    client, timeout = db.client(), settings.store_timeout_s
    routing = load(client, timeout)
    team = store.read_team(client, timeout)
    lead = rules.lead_of(customer, _kinds(client, [customer], timeout))
    stored = store.pointers_in(transaction, client, rules.pointer_ids(routing))
    pointers = {key: rules.Pointer.of(value) for key, value in stored.items()}
    choices, moved = rules.plan(
        routing, [lead], team, pointers, today or _today(settings), exclude=exclude
    )
    for pointer, value in moved.items():
        store.set_pointer(transaction, client, pointer, value.document())
    return choices[0]


def preview(
    data: Any, owner: Principal, settings: config.Settings, now: datetime | None = None
) -> dict[str, Any]:
    """Who ``data``'s rules would have given each customer of the last 30 days, from
    the pointers as they stand; writes nothing."""
    check_owner(owner)
    parsed = parse_settings(data)
    client, timeout = db.client(), settings.store_timeout_s
    check_names(client, parsed, timeout)
    when = now or datetime.now(UTC)
    events = domain_events.between(
        client, when - timedelta(days=PREVIEW_DAYS), when, PREVIEW_LIMIT, timeout
    )
    created = sorted(
        (e for e in events if e.get("type") == domain_events.CUSTOMER_CREATED),
        key=lambda e: (e.get("at"), e.get("customer")),
    )
    found = consumers.customers(client, [e["customer"] for e in created], timeout)
    keys = [e["customer"] for e in created if e["customer"] in found]
    team = store.read_team(client, timeout)
    kinds = _kinds(client, list(found.values()), timeout)
    stored = store.read_pointers(client, rules.pointer_ids(parsed), timeout)
    pointers = {key: rules.Pointer.of(value) for key, value in stored.items()}
    leads = [rules.lead_of(found[key], kinds) for key in keys]
    choices, _ = rules.plan(parsed, leads, team, pointers, _today(settings, when))
    rows = []
    for key, choice in zip(keys, choices, strict=True):
        customer = found[key]
        rows.append(
            {
                "customer": key,
                "name": customer.get("name") or customer.get("email"),
                "createdAt": customer.get("createdAt"),
                "ownerUid": choice.uid,
                "ownerName": rules.display_name(choice.uid, team) if choice.uid else None,
                "rule": choice.rule,
                "reason": choice.reason,
            }
        )
    return timestamps.jsonable(
        {"leads": rows, "events": len(events), "complete": len(events) < PREVIEW_LIMIT}
    )
