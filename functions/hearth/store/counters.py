"""Per-day counters the owner reads (intake_stats/{YYYY-MM-DD}): how many bots were turned
away and why, without keeping anything a bot sent."""

from __future__ import annotations

import logging
from datetime import datetime

from hearth.store import client as db

COLLECTION = "intake_stats"

log = logging.getLogger(__name__)


def count_spam(reason: str, at: datetime) -> None:
    """Best effort: a failed count must never turn a bot's answer into an error."""
    from google.cloud.firestore import Increment

    try:
        db.client().collection(COLLECTION).document(at.strftime("%Y-%m-%d")).set(
            # One bounded attempt: a bot's answer must not wait out a store outage.
            {reason: Increment(1), "updatedAt": at},
            merge=True,
            retry=None,
            timeout=5,
        )
    except Exception:
        log.warning("could not count a %s submission", reason, exc_info=True)
