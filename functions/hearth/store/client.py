"""The one place a Firestore client is made.

Created on first use, not at import: importing google.cloud.firestore costs most of a
cold start, and a function that answers a CORS preflight or a 400 never needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hearth import config

if TYPE_CHECKING:
    from google.cloud import firestore

_client: firestore.Client | None = None
_client_key: tuple[str, str] | None = None


def client() -> firestore.Client:
    """The shared client, remade if the project or emulator address changed."""
    import os

    from google.cloud import firestore

    global _client, _client_key
    settings = config.load()
    key = (settings.project, os.environ.get("FIRESTORE_EMULATOR_HOST", ""))
    if _client is None or _client_key != key:
        _client = firestore.Client(project=settings.project)
        _client_key = key
    return _client


def reset() -> None:
    """Forget the cached client (tests point the functions at another emulator)."""
    global _client, _client_key
    _client = None
    _client_key = None
