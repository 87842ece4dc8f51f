"""The owner's automation rules: saved through the admin API, read by every sweep.

When the owner has never saved rules, the active pipeline template's defaults apply,
so switching to the trade template brings its follow-ups with it. A stored document
that no longer reads (edited by hand) runs no rule, with a log line, rather than
guessing what was meant.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from hearth import config
from hearth.errors import Forbidden, Invalid, field_messages
from hearth.rules.automations import AutomationSettings, Rule, defaults, duplicate_ids
from hearth.rules.roles import Principal, can_manage_lists
from hearth.rules.stages import template_of
from hearth.store import automations as store
from hearth.store import pipeline

log = logging.getLogger(__name__)

NEED_ATTENTION = "Some rules need attention."


def check_owner(principal: Principal) -> None:
    if not can_manage_lists(principal):
        raise Forbidden("Only the owner sets the automation rules.")


def parse_settings(data: Any) -> AutomationSettings:
    """The rules a request sends, or 400 naming each field at fault (``rules.1.offset``)."""
    if isinstance(data, dict):
        data = {key: value for key, value in data.items() if key not in ("updatedAt", "updatedBy")}
    try:
        parsed = AutomationSettings.model_validate(data)
    except ValidationError as exc:
        raise Invalid(field_messages(exc), NEED_ATTENTION) from None
    duplicates = duplicate_ids(parsed)
    if duplicates:
        raise Invalid(duplicates, NEED_ATTENTION)
    return parsed


def save_settings(data: Any, owner: Principal, settings: config.Settings) -> dict[str, Any]:
    """Replace settings/automations with what the owner sent; answers what is stored."""
    from hearth.store import client as db

    check_owner(owner)
    parsed = parse_settings(data)
    stored = parsed.model_dump(mode="json", exclude_none=True)
    stamp = {"updatedAt": datetime.now(UTC), "updatedBy": {"uid": owner.uid, "email": owner.email}}
    store.save(db.client(), {**stored, **stamp}, settings.store_timeout_s)
    return stored


def load_rules(client: Any, timeout: float) -> tuple[Rule, ...]:
    """The rules in force: the saved ones, else the active template's defaults."""
    document = store.read(client, timeout)
    if document is None:
        return defaults(template_of(pipeline.read_pipeline(client, timeout)))
    try:
        return tuple(AutomationSettings.model_validate({"rules": document.get("rules")}).rules)
    except ValidationError:
        log.error("settings/automations does not read: no automation runs until it is saved")
        return ()
