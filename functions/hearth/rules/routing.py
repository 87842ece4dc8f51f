"""Lead routing, pure: which rule a new customer matches and which rep gets them.

Kept free of I/O so the router, the preview and the hand-over decide with one piece of
code: the preview must show exactly what routing then does, and a hand-over by the
rules must pick as routing would. The round robin's state (the last rep a rule gave a
customer to) comes in as plain data and goes out as the pointer to store, so a whole
batch can be decided against the pointers read in its transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hearth.rules.custom_fields import KEY_PATTERN
from hearth.rules.sources import SourceKind

# A rule id names its round-robin pointer (routing_state/{id}): a slug, never "_..."
RULE_ID = r"^[a-z][a-z0-9_-]{0,39}$"
FALLBACK = "fallback"
FALLBACK_POINTER = "_fallback"
MAX_RULES = 100
MAX_GROUP = 50
NO_RULES = "no routing rules"  # the same words as hearth.store.routing.NO_RULES
REP = "rep"


class RoutingFieldMatch(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    key: Annotated[str, Field(pattern=KEY_PATTERN)]
    value: Annotated[str | int | float | bool, Field()]


class RoutingMatch(BaseModel):
    """Every condition given must hold; none given matches every customer."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    source: Annotated[str | None, Field(max_length=100)] = None
    sourceKind: SourceKind | None = None  # noqa: N815
    form: Annotated[str | None, Field(max_length=100)] = None
    country: Annotated[str | None, Field(pattern=r"^[A-Z]{2}$")] = None
    field: RoutingFieldMatch | None = None


class RoutingAction(BaseModel):
    """One named rep, or a group shared by round robin in the order given."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    rep: Annotated[str | None, Field(min_length=1, max_length=128)] = None
    group: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=128)]] | None,
        Field(min_length=1, max_length=MAX_GROUP),
    ] = None

    @model_validator(mode="after")
    def _exactly_one(self) -> RoutingAction:
        if (self.rep is None) == (self.group is None):
            raise ValueError("Give exactly one of rep or group.")
        if self.group is not None and len(set(self.group)) != len(self.group):
            raise ValueError("A rep appears twice in the group.")
        return self

    @property
    def reps(self) -> tuple[str, ...]:
        return (self.rep,) if self.rep is not None else tuple(self.group or ())


class RoutingRule(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: Annotated[str, Field(pattern=RULE_ID, description="Slug: names its round robin.")]
    label: Annotated[str | None, Field(max_length=100)] = None
    match: RoutingMatch = Field(default_factory=RoutingMatch)
    action: RoutingAction
    enabled: bool = True


class RoutingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: Annotated[list[RoutingRule], Field(max_length=MAX_RULES)] = Field(default_factory=list)
    fallback: RoutingAction | None = None


def duplicate_ids(settings: RoutingSettings) -> dict[str, str]:
    """``rules.N.id`` for each rule whose id an earlier rule already has."""
    seen: set[str] = set()
    found: dict[str, str] = {}
    for index, rule in enumerate(settings.rules):
        if rule.id in seen:
            found[f"rules.{index}.id"] = f"Another rule already has the id “{rule.id}”."
        seen.add(rule.id)
    return found


@dataclass(frozen=True)
class Lead:
    """What the rules look at in a customer."""

    source: str | None
    source_kind: str | None
    forms: tuple[str, ...]
    country: str | None
    custom: Mapping[str, Any]


def lead_of(customer: Mapping[str, Any], kinds: Mapping[str, str | None]) -> Lead:
    """A stored customer as the rules see it; ``kinds`` maps source ids to their kind."""
    source = customer.get("firstSource") or None
    custom = customer.get("custom")
    return Lead(
        source=source,
        source_kind=kinds.get(source) if source else None,
        forms=tuple(customer.get("forms") or ()),
        country=country_of(customer.get("mobile")),
        custom=custom if isinstance(custom, Mapping) else {},
    )


def country_of(mobile: Any) -> str | None:
    """The ISO region of an E.164 mobile; None for a number we could not trust."""
    if not isinstance(mobile, str) or not mobile.startswith("+"):
        return None
    import phonenumbers

    try:
        number = phonenumbers.parse(mobile, None)
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(number)
    return region if region and region != "ZZ" else None


def matches(match: RoutingMatch, lead: Lead) -> bool:
    if match.source is not None and match.source != lead.source:
        return False
    if match.sourceKind is not None and match.sourceKind != lead.source_kind:
        return False
    if match.form is not None and match.form not in lead.forms:
        return False
    if match.country is not None and match.country != lead.country:
        return False
    if match.field is not None:
        stored = lead.custom.get(match.field.key)
        if isinstance(stored, list):
            return match.field.value in stored
        return stored == match.field.value
    return True


@dataclass(frozen=True)
class Pointer:
    """A round robin's state: the rep it last gave a customer to, and how many each got."""

    last: str | None = None
    counts: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, stored: Mapping[str, Any] | None) -> Pointer:
        stored = stored or {}
        counts = stored.get("counts")
        return cls(stored.get("last"), dict(counts) if isinstance(counts, Mapping) else {})

    def document(self) -> dict[str, Any]:
        return {"last": self.last, "counts": dict(self.counts)}

    def after(self, uid: str) -> Pointer:
        return Pointer(uid, {**self.counts, uid: int(self.counts.get(uid, 0)) + 1})


@dataclass(frozen=True)
class Choice:
    """Who gets the customer, by which rule (its pointer id), and why, in words."""

    uid: str | None
    rule: str | None
    reason: str
    skipped: tuple[str, ...] = ()
    pointer: str | None = None  # the routing_state id to advance (round robin only)


def pointer_id(rule: str) -> str:
    return FALLBACK_POINTER if rule == FALLBACK else rule


def _day_text(day: str) -> str:
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        return day
    return f"{parsed.day} {parsed.strftime('%b')}"


def unavailable(uid: str, team: Mapping[str, Mapping[str, Any]], today: date) -> str | None:
    """Why this uid cannot take a lead today, or None when they can."""
    entry = team.get(uid)
    name = display_name(uid, team)
    if entry is None:
        return f"{name} is not on the team"
    if entry.get("disabled") or entry.get("role") != REP:
        return f"{name} is not an active rep"
    away = entry.get("away")
    if isinstance(away, Mapping):
        start, until = away.get("from"), away.get("until")
        if start is None and until is None:
            return None
        today_iso = today.isoformat()
        started = start is None or str(start) <= today_iso
        if started and (until is None or today_iso <= str(until)):
            return f"{name} is away until {_day_text(str(until))}" if until else f"{name} is away"
    return None


def display_name(uid: str, team: Mapping[str, Mapping[str, Any]]) -> str:
    entry = team.get(uid) or {}
    return str(entry.get("displayName") or entry.get("email") or uid)


def _pick(
    rule_id: str,
    action: RoutingAction,
    team: Mapping[str, Mapping[str, Any]],
    pointers: Mapping[str, Pointer],
    today: date,
    exclude: str | None,
) -> tuple[str | None, str, list[str]]:
    """(the rep, the reason, why others were skipped) for one action; no rep when none is
    available."""
    reps = action.reps
    skipped: list[str] = []
    available: list[str] = []
    for uid in reps:
        if uid == exclude:
            skipped.append(f"{display_name(uid, team)} is handing over")
            continue
        why = unavailable(uid, team, today)
        if why:
            skipped.append(why)
        else:
            available.append(uid)
    if not available:
        return None, "", skipped
    if action.rep is not None:
        return available[0], display_name(available[0], team), skipped
    last = pointers.get(pointer_id(rule_id), Pointer()).last
    start = reps.index(last) + 1 if last in reps else 0
    turn = [reps[(start + i) % len(reps)] for i in range(len(reps))]
    chosen = next(uid for uid in turn if uid in available)
    names = ", ".join(display_name(uid, team) for uid in reps)
    return chosen, f"Round robin among {names}: {display_name(chosen, team)}", skipped


def choose(
    settings: RoutingSettings | None,
    lead: Lead,
    team: Mapping[str, Mapping[str, Any]],
    pointers: Mapping[str, Pointer],
    today: date,
    *,
    exclude: str | None = None,
) -> Choice:
    """The first enabled matching rule with an available rep wins; then the fallback;
    else nobody (left unassigned, saying why)."""
    if settings is None or (not settings.rules and settings.fallback is None):
        return Choice(None, None, NO_RULES)
    notes: list[str] = []
    candidates: list[tuple[str, str, RoutingAction]] = [
        (rule.id, rule.label or rule.id, rule.action)
        for rule in settings.rules
        if rule.enabled and matches(rule.match, lead)
    ]
    if settings.fallback is not None:
        candidates.append((FALLBACK, "fallback", settings.fallback))
    for rule_id, label, action in candidates:
        uid, reason, skipped = _pick(rule_id, action, team, pointers, today, exclude)
        notes.extend(skipped)
        if uid is not None:
            text = "; ".join((*dict.fromkeys(notes), reason))
            return Choice(
                uid,
                rule_id,
                text,
                tuple(dict.fromkeys(notes)),
                pointer_id(rule_id) if action.group is not None else None,
            )
        notes.append(f"rule “{label}” has nobody available")
    text = "; ".join((*dict.fromkeys(notes), "left unassigned"))
    return Choice(None, None, text, tuple(dict.fromkeys(notes)))


def plan(
    settings: RoutingSettings | None,
    leads: Sequence[Lead],
    team: Mapping[str, Mapping[str, Any]],
    pointers: Mapping[str, Pointer],
    today: date,
    *,
    exclude: str | None = None,
) -> tuple[list[Choice], dict[str, Pointer]]:
    """Choices for ``leads`` in order, each seeing the pointers the ones before moved;
    answers the pointers that changed (to store with the choices)."""
    current = dict(pointers)
    changed: dict[str, Pointer] = {}
    choices: list[Choice] = []
    for lead in leads:
        choice = choose(settings, lead, team, current, today, exclude=exclude)
        if choice.uid is not None and choice.pointer is not None:
            current[choice.pointer] = current.get(choice.pointer, Pointer()).after(choice.uid)
            changed[choice.pointer] = current[choice.pointer]
        choices.append(choice)
    return choices, changed


def pointer_ids(settings: RoutingSettings | None) -> list[str]:
    """Every round robin the settings may advance (what a batch reads up front)."""
    if settings is None:
        return []
    ids = [rule.id for rule in settings.rules if rule.action.group is not None]
    if settings.fallback is not None and settings.fallback.group is not None:
        ids.append(FALLBACK_POINTER)
    return ids


def named_reps(settings: RoutingSettings) -> Iterable[tuple[str, str]]:
    """(field path, uid) for every rep the settings name, for the refusals."""
    for index, rule in enumerate(settings.rules):
        yield from _action_reps(f"rules.{index}.action", rule.action)
    if settings.fallback is not None:
        yield from _action_reps("fallback", settings.fallback)


def _action_reps(path: str, action: RoutingAction) -> Iterable[tuple[str, str]]:
    if action.rep is not None:
        yield f"{path}.rep", action.rep
    for k, uid in enumerate(action.group or ()):
        yield f"{path}.group.{k}", uid
