"""Applying the rules: the automations consumer, the stale check and the preview.

The consumer hands each batch of events to ``plan`` (which rule makes which task, due
when) and creates the tasks with create_for before its cursor moves, so a run cut
short repeats a batch whose tasks already exist. The stale check walks the stage
clocks the consumer keeps; a stale task's id is its rule and the customer's last stage
event, so it fires once per stale stretch and again only after the stage moves and
stands still again. The preview runs the very same ``plan`` over the last 30 days of
events and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hearth import config
from hearth.automations.settings import check_owner, load_rules, parse_settings
from hearth.rules import timestamps
from hearth.rules.automations import (
    REPLY,
    STAGE_EVENTS,
    STALE,
    Rule,
    done_on_reply,
    due,
    event_stage,
    matches,
    stale_since,
)
from hearth.rules.roles import Principal
from hearth.rules.stages import stages_of
from hearth.store import client as db
from hearth.store import consumers
from hearth.store import events as domain_events
from hearth.store import pipeline as pipeline_store
from hearth.store import tasks as store_tasks
from hearth.store import timeline as activity

NAME = "automations"
PREVIEW_DAYS = 30
PREVIEW_LIMIT = 5000
# Stages whose customers are done with: a won or lost customer is not "stale".
SETTLED_GROUPS = ("won", "lost")


@dataclass(frozen=True)
class Planned:
    """One task a rule makes for one event."""

    rule: str
    event: str
    customer: str
    customer_name: str | None
    owner_uid: str | None
    title: str
    due: datetime

    def view(self) -> dict[str, Any]:
        return timestamps.jsonable(
            {
                "id": store_tasks.rule_task_id(self.rule, self.event),
                "rule": self.rule,
                "event": self.event,
                "customer": self.customer,
                "customerName": self.customer_name,
                "ownerUid": self.owner_uid,
                "title": self.title,
                "due": self.due,
            }
        )


def _name(customer: Mapping[str, Any]) -> str | None:
    return customer.get("name") or customer.get("email")


def plan(
    rules: Iterable[Rule],
    events: Iterable[Mapping[str, Any]],
    customers: Mapping[str, Mapping[str, Any]],
    kinds: Mapping[str, str | None],
    time_zone: str,
) -> list[Planned]:
    """The tasks ``rules`` make for ``events`` (the event rules; stale is separate)."""
    rules = tuple(rules)
    planned: list[Planned] = []
    for event in events:
        customer = customers.get(event.get("customer", "")) or {}
        stage = event_stage(dict(event)) or customer.get("stage")
        kind = kinds.get(customer.get("firstSource") or "")
        for rule in rules:
            if not matches(rule, dict(event), stage, kind):
                continue
            when = due(rule, dict(event), time_zone)
            if when is None:
                continue
            planned.append(
                Planned(
                    rule=rule.id,
                    event=event["id"],
                    customer=event["customer"],
                    customer_name=_name(customer),
                    owner_uid=event.get("ownerUid") or customer.get("ownerUid"),
                    title=rule.title,
                    due=when,
                )
            )
    return planned


def _stale_planned(
    rules: Iterable[Rule],
    clock: Mapping[str, Any],
    customer: Mapping[str, Any],
    kind: str | None,
    settled: frozenset[str],
    now: datetime,
    time_zone: str,
) -> tuple[list[Planned], bool]:
    """The stale tasks due by ``now`` for one clock, and whether any rule is still to come."""
    planned: list[Planned] = []
    waiting = False
    if customer.get("archived") or clock.get("stage") in settled:
        return planned, waiting
    for rule in rules:
        if not rule.enabled or rule.on != STALE:
            continue
        if rule.stage is not None and rule.stage != clock.get("stage"):
            continue
        if rule.sourceKind is not None and rule.sourceKind != kind:
            continue
        when = stale_since(rule, clock["at"], time_zone)
        if when > now:
            waiting = True
            continue
        planned.append(
            Planned(
                rule=rule.id,
                event=clock["event"],
                customer=clock["customer"],
                customer_name=_name(customer),
                owner_uid=customer.get("ownerUid") or clock.get("ownerUid"),
                title=rule.title,
                due=when,
            )
        )
    return planned, waiting


def _context(
    client: Any, keys: list[str], timeout: float
) -> tuple[dict[str, dict[str, Any]], dict[str, str | None]]:
    found = consumers.customers(client, keys, timeout)
    kinds = consumers.source_kinds(
        client, [c.get("firstSource") for c in found.values() if c.get("firstSource")], timeout
    )
    return found, kinds


def _settled(client: Any, timeout: float) -> frozenset[str]:
    pipeline = pipeline_store.read_pipeline(client, timeout)
    return frozenset(stage.id for stage in stages_of(pipeline) if stage.group in SETTLED_GROUPS)


def _create(client: Any, planned: Planned, timeout: float) -> bool:
    _, created = store_tasks.create_for(
        client,
        planned.rule,
        planned.event,
        customer=planned.customer,
        customer_name=planned.customer_name,
        owner_uid=planned.owner_uid,
        title=planned.title,
        due=planned.due,
        timeout=timeout,
    )
    return created


def _until_unrouted(
    events: list[dict[str, Any]], types: set[str], found: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The events before the first one a rule answers for a customer still waiting for
    the router: its task must go to the rep routing gives it, so it and the events after
    it (kept in order) wait for the next run."""
    for index, event in enumerate(events):
        customer = found.get(event.get("customer", "")) or {}
        if event.get("type") in types and customer.get("routing") == "pending":
            return events[:index]
    return events


def run(
    settings: config.Settings,
    now: datetime | None = None,
    *,
    batch_size: int = consumers.BATCH,
    max_batches: int = consumers.MAX_BATCHES,
) -> dict[str, int]:
    """The sweep's part: new events through the rules, then the stale check."""
    when = now or datetime.now(UTC)
    client, timeout = db.client(), settings.store_timeout_s
    rules = load_rules(client, timeout)
    made = 0

    def handle(events: list[dict[str, Any]]) -> int:
        nonlocal made
        types = {rule.on for rule in rules if rule.enabled}
        keys = [e["customer"] for e in events if e.get("type") in types]
        found, kinds = _context(client, keys, timeout)
        events = _until_unrouted(events, types, found)
        for planned in plan(rules, events, found, kinds, settings.time_zone):
            made += _create(client, planned, timeout)
        _close_on_replies(client, rules, events, timeout)
        latest: dict[str, dict[str, Any]] = {}
        for event in events:
            if event.get("type") in STAGE_EVENTS:
                latest[event["customer"]] = event
        for event in latest.values():
            consumers.set_clock(client, event, event_stage(event), timeout)
        return len(events)

    handled = consumers.run(
        client,
        NAME,
        handle,
        now=when,
        timeout=timeout,
        batch_size=batch_size,
        max_batches=max_batches,
    )
    stale = _stale(client, rules, when, settings.time_zone, timeout, batch_size, max_batches)
    return {"events": handled, "tasks": made, "stale": stale}


def _close_on_replies(
    client: Any, rules: Iterable[Rule], events: list[dict[str, Any]], timeout: float
) -> int:
    """Each customer who wrote (a message.received event) has the open tasks of the
    rules marked ``doneOnReply`` done, each with its timeline entry; how many. A task
    done meanwhile is left as it is (complete() decides again on what it reads)."""
    closing = done_on_reply(list(rules))
    if not closing:
        return 0
    done = 0
    for event in events:
        if event.get("type") != REPLY:
            continue
        message = str((event.get("data") or {}).get("message") or "")
        for task in store_tasks.open_of_customer(client, event["customer"], timeout):
            if task.get("rule") not in closing:
                continue

            decide = _done_by_reply(task["id"], message)
            _, outcome = store_tasks.complete(client, task["id"], decide, timeout=timeout)
            done += outcome == "applied"
    return done


def _done_by_reply(task_id: str, message: str) -> Any:
    """What marking one task done on a reply writes, decided on the task as read."""

    def decide(found: dict[str, Any] | None) -> store_tasks.Done | None:
        if found is None or found.get("done"):
            return None
        from google.cloud.firestore import SERVER_TIMESTAMP

        return store_tasks.Done(
            updates={
                "done": True,
                "doneAt": SERVER_TIMESTAMP,
                "doneBy": {"kind": "automation", "reason": "reply"},
            },
            entry=activity.task_done_by_reply(
                task_id=task_id, task=found, at=SERVER_TIMESTAMP, message=message
            ),
        )

    return decide


def _stale(
    client: Any,
    rules: tuple[Rule, ...],
    now: datetime,
    time_zone: str,
    timeout: float,
    batch_size: int,
    max_batches: int,
) -> int:
    """Stale tasks for clocks past the shortest stale rule; a clock is closed once every
    stale rule has had its say (one still to come keeps it open for a later minute)."""
    stale_rules = [rule for rule in rules if rule.enabled and rule.on == STALE]
    if not stale_rules:
        return 0
    shortest = min((rule.offset.days or rule.offset.businessDays or 0) for rule in stale_rules)
    cutoff = now - timedelta(days=shortest)
    settled = _settled(client, timeout)
    made = 0
    after = None
    for _ in range(max_batches):
        clocks = consumers.stale_clocks(client, cutoff, batch_size, timeout, after=after)
        if not clocks:
            break
        found, kinds = _context(client, [c.get("customer") for c in clocks], timeout)
        for snapshot in clocks:
            clock = snapshot.to_dict() or {}
            customer = found.get(clock.get("customer", "")) or {}
            kind = kinds.get(customer.get("firstSource") or "")
            planned, waiting = _stale_planned(
                stale_rules, clock, customer, kind, settled, now, time_zone
            )
            for task in planned:
                made += _create(client, task, timeout)
            if not waiting:
                consumers.close_clock(client, snapshot, timeout)
        after = clocks[-1]
        if len(clocks) < batch_size:
            break
    return made


def preview(
    data: Any, owner: Principal, settings: config.Settings, now: datetime | None = None
) -> dict[str, Any]:
    """What ``data``'s rules would have made over the last 30 days; writes nothing."""
    check_owner(owner)
    parsed = parse_settings(data)
    when = now or datetime.now(UTC)
    client, timeout = db.client(), settings.store_timeout_s
    events = domain_events.between(
        client, when - timedelta(days=PREVIEW_DAYS), when, PREVIEW_LIMIT, timeout
    )
    found, kinds = _context(client, [e["customer"] for e in events], timeout)
    planned = plan(parsed.rules, events, found, kinds, settings.time_zone)
    last_stage: dict[str, dict[str, Any]] = {}
    for event in events:
        if event.get("type") in STAGE_EVENTS:
            last_stage[event["customer"]] = event
    if any(rule.enabled and rule.on == STALE for rule in parsed.rules):
        settled = _settled(client, timeout)
        for event in last_stage.values():
            clock = {
                "customer": event["customer"],
                "event": event["id"],
                "at": event["at"],
                "stage": event_stage(event),
                "ownerUid": event.get("ownerUid"),
            }
            customer = found.get(event["customer"]) or {}
            kind = kinds.get(customer.get("firstSource") or "")
            stale, _ = _stale_planned(
                parsed.rules, clock, customer, kind, settled, when, settings.time_zone
            )
            planned.extend(stale)
    planned.sort(key=lambda task: (task.due, task.rule, task.event))
    return {
        "tasks": [task.view() for task in planned],
        "events": len(events),
        "complete": len(events) < PREVIEW_LIMIT,
    }
