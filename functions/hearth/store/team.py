"""The team directory (team/{uid}): who is on the team, as the admin page lists them.

Auth holds the truth about accounts and roles; this copy exists because the page
cannot list Auth users, and firestore.rules let only staff read it. The one thing only
this copy holds is a rep's ``away`` ({from, until} business dates as YYYY-MM-DD, or
null), which routing reads to skip a rep on holiday: rewriting an entry from Auth
therefore merges, so a role change never wipes a rep's holiday.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from hearth.store import client as db
from hearth.store.calls import call_options

COLLECTION = "team"


def record(uid: str, entry: Mapping[str, Any], timeout: float) -> None:
    """Write one member's entry from Auth (every field Auth knows), stamped with the
    server's time; fields only the directory holds (``away``) are kept."""
    from google.api_core.retry import Retry
    from google.cloud.firestore import SERVER_TIMESTAMP

    db.client().collection(COLLECTION).document(uid).set(
        {**entry, "updatedAt": SERVER_TIMESTAMP},
        merge=True,
        retry=Retry(timeout=timeout),
        timeout=timeout,
    )


def member(client: Any, uid: str, timeout: float) -> dict[str, Any] | None:
    """One member's entry as stored, None when the directory has none."""
    snapshot = client.collection(COLLECTION).document(uid).get(**call_options(timeout))
    return snapshot.to_dict() if snapshot.exists else None


def members(client: Any, uids: Iterable[str], timeout: float) -> dict[str, dict[str, Any]]:
    """The entries of ``uids`` that exist, by uid, in one round trip."""
    refs = [client.collection(COLLECTION).document(uid) for uid in dict.fromkeys(uids) if uid]
    if not refs:
        return {}
    return {
        snapshot.id: snapshot.to_dict() or {}
        for snapshot in client.get_all(refs, **call_options(timeout))
        if snapshot.exists
    }


def set_away(
    client: Any, uid: str, away: Mapping[str, str | None] | None, timeout: float
) -> dict[str, Any]:
    """Store (or clear, with None) a member's away dates; the entry as stored after.

    An update, not a set: a uid with no entry fails (NotFound) instead of making a
    directory entry that Auth knows nothing of.
    """
    from google.cloud.firestore import SERVER_TIMESTAMP

    ref = client.collection(COLLECTION).document(uid)
    ref.update(
        {"away": dict(away) if away else None, "updatedAt": SERVER_TIMESTAMP},
        **call_options(timeout),
    )
    return ref.get(**call_options(timeout)).to_dict() or {}
