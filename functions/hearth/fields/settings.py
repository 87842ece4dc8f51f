"""The owner's custom field definitions: saved through the admin API, read by every write.

Only the owner decides which fields exist (they shape every customer and the export);
the settings are checked with the very model each write validates against, so a
definition that is saved is one that works. A stored document that no longer reads
(edited by hand) is ignored with a log line rather than refusing every change: the
fields then fall back to free-form, which loses nothing.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from hearth import config
from hearth.errors import Forbidden, Invalid, field_messages
from hearth.rules.custom_fields import FieldSettings, duplicate_keys
from hearth.rules.roles import Principal, can_manage_lists
from hearth.store import fields as store

log = logging.getLogger(__name__)

NEED_ATTENTION = "Some fields need attention."


def check_owner(principal: Principal) -> None:
    if not can_manage_lists(principal):
        raise Forbidden("Only the owner defines custom fields.")


def parse_settings(data: dict[str, Any]) -> FieldSettings:
    """The settings a PUT sends, or 400 naming each field at fault (``fields.2.key``)."""
    data = {key: value for key, value in data.items() if key not in ("updatedAt", "updatedBy")}
    try:
        settings = FieldSettings.model_validate(data)
    except ValidationError as exc:
        raise Invalid(field_messages(exc), NEED_ATTENTION) from None
    duplicates = duplicate_keys(settings)
    if duplicates:
        raise Invalid(duplicates, NEED_ATTENTION)
    return settings


def save_settings(
    data: dict[str, Any], owner: Principal, settings: config.Settings
) -> dict[str, Any]:
    """Replace settings/fields with what the owner sent; the answer is what is stored."""
    from hearth.store import client as db

    check_owner(owner)
    fields = parse_settings(data)
    stored = fields.model_dump(mode="json", exclude_none=True)
    stamp = {"updatedAt": datetime.now(UTC), "updatedBy": {"uid": owner.uid, "email": owner.email}}
    store.save(db.client(), {**stored, **stamp}, settings.store_timeout_s)
    return stored


def load_settings(client: Any, timeout: float) -> FieldSettings:
    """The defined fields now (none when never saved or unreadable)."""
    document = store.read(client, timeout)
    if not document:
        return FieldSettings()
    document = {key: value for key, value in document.items() if key == "fields"}
    try:
        return FieldSettings.model_validate(document)
    except ValidationError:
        log.error("settings/fields does not read: custom fields are free-form until it is saved")
        return FieldSettings()
