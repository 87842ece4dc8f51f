"""settings/fields in the store: the owner's custom field definitions, read and replaced.

One small module so the document's address is written once, and the settings API, the
admin PATCH, intake and the export all read the same thing.
"""

from __future__ import annotations

from typing import Any

from hearth.store.calls import call_options

SETTINGS, DOCUMENT = "settings", "fields"


def read(client: Any, timeout: float) -> dict[str, Any] | None:
    """The stored document, or None when the owner has never defined a field."""
    snapshot = client.collection(SETTINGS).document(DOCUMENT).get(**call_options(timeout))
    return (snapshot.to_dict() or {}) if snapshot.exists else None


def save(client: Any, document: dict[str, Any], timeout: float) -> None:
    """Replace the whole document: the owner sends every field each time, in order."""
    client.collection(SETTINGS).document(DOCUMENT).set(document, **call_options(timeout))
