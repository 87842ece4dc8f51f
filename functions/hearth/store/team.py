"""The team directory (team/{uid}): who is on the team, as the admin page lists them.

Auth holds the truth about accounts and roles; this copy exists because the page
cannot list Auth users, and firestore.rules let only staff read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hearth.store import client as db

COLLECTION = "team"


def record(uid: str, entry: Mapping[str, Any], timeout: float) -> None:
    """Write one member's entry whole, stamped with the server's time."""
    from google.api_core.retry import Retry
    from google.cloud.firestore import SERVER_TIMESTAMP

    db.client().collection(COLLECTION).document(uid).set(
        {**entry, "updatedAt": SERVER_TIMESTAMP}, retry=Retry(timeout=timeout), timeout=timeout
    )
