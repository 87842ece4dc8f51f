"""Automation rules, pure: which rule an event matches and when its task is due.

A rule says "on this event (or when a customer's stage has not moved for a while),
optionally only in this stage or for this kind of source, make a task due after an
offset". Kept free of I/O so the sweep and the preview decide with the same code, and
so business days (the business time zone, weekends off) are tested on fixed dates.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hearth.rules.sources import SourceKind
from hearth.rules.stages import STAGE_ID

STALE = "stale"
EVENT_TYPES = (
    "customer.created",
    "stage.changed",
    "payment.recorded",
    "booking.created",
    "booking.cancelled",
    "message.received",
)
REPLY = "message.received"  # a WhatsApp message or an e-mail from the customer
# A rule id becomes the first part of its tasks' ids ("{rule}.{event}"): no dots.
RULE_ID = r"^[a-z][a-z0-9_-]{0,39}$"
MAX_RULES = 50
MAX_TITLE = 200
STAGE_EVENTS = ("customer.created", "stage.changed")


class Offset(BaseModel):
    """Exactly one of: business days, calendar days, hours after the event, or hours
    before the booked call (booking events only). For "stale", how long without a
    stage change makes a customer stale (the task is due at that moment)."""

    model_config = ConfigDict(extra="forbid")

    businessDays: Annotated[int | None, Field(ge=0, le=260)] = None  # noqa: N815
    days: Annotated[int | None, Field(ge=0, le=365)] = None
    hours: Annotated[int | None, Field(ge=0, le=8760)] = None
    beforeCallHours: Annotated[int | None, Field(ge=0, le=720)] = None  # noqa: N815

    @model_validator(mode="after")
    def _exactly_one(self) -> Offset:
        if len(self.model_dump(exclude_none=True)) != 1:
            raise ValueError("Give exactly one of businessDays, days, hours or beforeCallHours.")
        return self


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: Annotated[str, Field(pattern=RULE_ID, description="Stable slug: part of its tasks' ids.")]
    on: Literal[
        "customer.created",
        "stage.changed",
        "payment.recorded",
        "booking.created",
        "booking.cancelled",
        "message.received",
        "stale",
    ]
    stage: Annotated[str | None, Field(pattern=STAGE_ID.pattern)] = None
    sourceKind: SourceKind | None = None  # noqa: N815
    offset: Offset
    title: Annotated[str, Field(min_length=1, max_length=MAX_TITLE)]
    enabled: bool = True
    # The customer's reply (a message.received event) marks this rule's open tasks for
    # them done: "check in after 2 days" needs no doing once they have written back.
    doneOnReply: bool = False  # noqa: N815

    @model_validator(mode="after")
    def _call_offset_needs_a_call(self) -> Rule:
        if self.offset.beforeCallHours is not None and not self.on.startswith("booking."):
            raise ValueError("beforeCallHours needs a booking event (on: booking.created).")
        if self.on == STALE and self.offset.days is None and self.offset.businessDays is None:
            raise ValueError("A stale rule says after how many days (offset.days).")
        return self


class AutomationSettings(BaseModel):
    """settings/automations as the owner sends it."""

    model_config = ConfigDict(extra="forbid", title="AutomationSettings")

    rules: Annotated[list[Rule], Field(max_length=MAX_RULES)]


def duplicate_ids(settings: AutomationSettings) -> dict[str, str]:
    seen: set[str] = set()
    problems: dict[str, str] = {}
    for index, rule in enumerate(settings.rules):
        if rule.id in seen:
            problems[f"rules.{index}.id"] = f"Another rule already has the id “{rule.id}”."
        seen.add(rule.id)
    return problems


DEFAULTS: dict[str, tuple[dict[str, Any], ...]] = {
    "studio": (),
    "trade": (
        {
            "id": "new_lead_check_in",
            "on": "customer.created",
            "offset": {"businessDays": 2},
            "title": "Check in with the new lead",
        },
        {
            "id": "demo_reminder",
            "on": "booking.created",
            "offset": {"beforeCallHours": 24},
            "title": "Demo tomorrow: prepare",
        },
        {
            "id": "demo_nudge",
            "on": "stage.changed",
            "stage": "demo_completed",
            "offset": {"days": 3},
            "title": "Nudge after the demo",
        },
        {
            "id": "stale_reminder",
            "on": "stale",
            "offset": {"days": 10},
            "title": "No stage change for 10 days: follow up",
        },
    ),
}


def defaults(template: str) -> tuple[Rule, ...]:
    return tuple(Rule.model_validate(rule) for rule in DEFAULTS.get(template, ()))


def event_stage(event: dict[str, Any]) -> str | None:
    """The stage an event puts its customer in, when it says (stage events)."""
    data = event.get("data") or {}
    if event.get("type") == "stage.changed":
        return data.get("to")
    if event.get("type") == "customer.created":
        return data.get("stage")
    return None


def matches(rule: Rule, event: dict[str, Any], stage: str | None, source_kind: str | None) -> bool:
    """Whether ``rule`` fires for ``event``; stage is the event's own for stage events
    (else the customer's), source_kind that of the customer's first source."""
    if not rule.enabled or rule.on != event.get("type"):
        return False
    if rule.stage is not None and rule.stage != stage:
        return False
    if rule.sourceKind is not None and rule.sourceKind != source_kind:
        return False
    # A reminder before the call needs the call's start.
    return rule.offset.beforeCallHours is None or call_start(event) is not None


def call_start(event: dict[str, Any]) -> datetime | None:
    start = (event.get("data") or {}).get("start")
    if isinstance(start, datetime):
        return start
    if isinstance(start, str):
        try:
            return datetime.fromisoformat(start.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def add_business_days(moment: datetime, days: int, time_zone: str) -> datetime:
    """``days`` working days (Monday to Friday, in the business's zone) after
    ``moment``, at the same local time: Friday 15:00 + 2 is Tuesday 15:00."""
    zone = ZoneInfo(time_zone)
    local = moment.astimezone(zone)
    day: date = local.date()
    left = days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    while day.weekday() >= 5:  # zero days on a weekend: the next working day
        day += timedelta(days=1)
    naive = datetime.combine(day, local.time().replace(tzinfo=None))
    return naive.replace(tzinfo=zone).astimezone(moment.tzinfo)


def due(rule: Rule, event: dict[str, Any], time_zone: str) -> datetime | None:
    """When the rule's task for ``event`` is due (None: no call to count back from)."""
    at: datetime = event["at"]
    offset = rule.offset
    if offset.beforeCallHours is not None:
        start = call_start(event)
        return None if start is None else start - timedelta(hours=offset.beforeCallHours)
    if offset.businessDays is not None:
        return add_business_days(at, offset.businessDays, time_zone)
    if offset.days is not None:
        return at + timedelta(days=offset.days)
    return at + timedelta(hours=offset.hours or 0)


def stale_since(rule: Rule, last_stage_at: datetime, time_zone: str) -> datetime:
    """When a customer whose stage last moved at ``last_stage_at`` becomes stale."""
    if rule.offset.businessDays is not None:
        return add_business_days(last_stage_at, rule.offset.businessDays, time_zone)
    return last_stage_at + timedelta(days=rule.offset.days or 0)


def done_on_reply(rules: list[Rule]) -> frozenset[str]:
    """The rules whose open tasks a customer's reply marks done (enabled or not: a task
    made before its rule was turned off still waits for that reply)."""
    return frozenset(rule.id for rule in rules if rule.doneOnReply)
