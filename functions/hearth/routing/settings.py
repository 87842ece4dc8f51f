"""The owner's routing rules: checked against the sources, the team and the custom
fields when saved, read by every routing pass.

A rule that names a source, a rep or a field that does not exist would silently route
nobody (or the wrong person), so saving refuses it, naming the field at fault
(``rules.2.action.group.1``). A stored document that no longer reads (edited by hand)
routes nobody, with a log line, rather than guessing what was meant.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from hearth import config, fields
from hearth.errors import Forbidden, Invalid, field_messages
from hearth.rules import routing as rules
from hearth.rules.roles import Principal, can_manage_lists
from hearth.store import pipeline as pipeline_store
from hearth.store import routing as store

log = logging.getLogger(__name__)

NEED_ATTENTION = "Some routing rules need attention."


def check_owner(principal: Principal) -> None:
    if not can_manage_lists(principal):
        raise Forbidden("Only the owner sets the routing rules.")


def parse_settings(data: Any) -> rules.RoutingSettings:
    """The rules a request sends, or 400 naming each field at fault."""
    if isinstance(data, dict):
        data = {key: value for key, value in data.items() if key not in ("updatedAt", "updatedBy")}
    try:
        parsed = rules.RoutingSettings.model_validate(data)
    except ValidationError as exc:
        raise Invalid(field_messages(exc), NEED_ATTENTION) from None
    duplicates = rules.duplicate_ids(parsed)
    if duplicates:
        raise Invalid(duplicates, NEED_ATTENTION)
    return parsed


def check_names(client: Any, parsed: rules.RoutingSettings, timeout: float) -> None:
    """400 naming every source, rep or custom field the rules name that does not exist."""
    problems: dict[str, str] = {}
    team = store.read_team(client, timeout)
    for path, uid in rules.named_reps(parsed):
        entry = team.get(uid)
        if entry is None:
            problems[path] = f"No one on the team has the id “{uid}”."
        elif entry.get("disabled") or entry.get("role") != rules.REP:
            problems[path] = f"{rules.display_name(uid, team)} is not an active rep."
    keys: set[str] | None = None
    for index, rule in enumerate(parsed.rules):
        source = rule.match.source
        if source is not None and pipeline_store.read_source(client, source, timeout) is None:
            problems[f"rules.{index}.match.source"] = f"No source has the id “{source}”."
        if rule.match.field is not None:
            if keys is None:
                keys = {f.key for f in fields.load_settings(client, timeout).fields}
            if rule.match.field.key not in keys:
                problems[f"rules.{index}.match.field.key"] = (
                    f"No custom field has the key “{rule.match.field.key}”."
                )
    if problems:
        raise Invalid(problems, NEED_ATTENTION)


def save_settings(data: Any, owner: Principal, settings: config.Settings) -> dict[str, Any]:
    """Replace settings/routing with what the owner sent; answers what is stored."""
    from hearth.store import client as db

    check_owner(owner)
    parsed = parse_settings(data)
    client = db.client()
    check_names(client, parsed, settings.store_timeout_s)
    stored = parsed.model_dump(mode="json", exclude_none=True)
    stamp = {"updatedAt": datetime.now(UTC), "updatedBy": {"uid": owner.uid, "email": owner.email}}
    store.save_settings(client, {**stored, **stamp}, settings.store_timeout_s)
    return stored


def load(client: Any, timeout: float) -> rules.RoutingSettings | None:
    """The rules in force, or None: no settings (or unreadable ones) route nobody."""
    document = store.read_settings(client, timeout)
    if document is None:
        return None
    try:
        return rules.RoutingSettings.model_validate(
            {"rules": document.get("rules") or [], "fallback": document.get("fallback")}
        )
    except ValidationError:
        log.error("settings/routing does not read: nobody is routed until it is saved")
        return None
