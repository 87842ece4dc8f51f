"""settings/automations in the store: the owner's automation rules, read and replaced."""

from __future__ import annotations

from typing import Any

from hearth.store.calls import call_options

SETTINGS, DOCUMENT = "settings", "automations"


def read(client: Any, timeout: float) -> dict[str, Any] | None:
    """The stored document, or None when the owner has never saved rules."""
    snapshot = client.collection(SETTINGS).document(DOCUMENT).get(**call_options(timeout))
    return (snapshot.to_dict() or {}) if snapshot.exists else None


def save(client: Any, document: dict[str, Any], timeout: float) -> None:
    """Replace the whole document: the owner sends every rule each time."""
    client.collection(SETTINGS).document(DOCUMENT).set(document, **call_options(timeout))
