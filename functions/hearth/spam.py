"""Bots: answered as if they succeeded, stored nowhere, counted.

A bot told it failed tries again with other values; one told it succeeded moves on.
Counting (per day) lets the owner see that the filter works without keeping any of
what the bot sent.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

COLLECTION = "intake_stats"
HONEYPOT = "website"

log = logging.getLogger(__name__)


def verdict(data: Mapping[str, Any], min_fill_ms: int) -> str | None:
    """Why a submission looks automated ("honeypot", "too_fast"), or None for a person.

    A form posted without JavaScript carries no timing, so it is never judged too fast.
    """
    trap = data.get(HONEYPOT)
    if isinstance(trap, str) and trap.strip():
        return "honeypot"
    if trap not in (None, "") and not isinstance(trap, str):
        return "honeypot"
    elapsed = data.get("elapsed_ms")
    try:
        elapsed_ms = int(elapsed) if elapsed not in (None, "") else None
    except (TypeError, ValueError, OverflowError):  # OverflowError: 1e400 is infinity
        return None  # left for validation to report
    if elapsed_ms is not None and 0 <= elapsed_ms < min_fill_ms:
        return "too_fast"
    return None


def count(client: Any, reason: str, at: datetime) -> None:
    """Best effort: a failed count must never turn a bot's answer into an error."""
    from google.cloud.firestore import Increment

    try:
        client.collection(COLLECTION).document(at.strftime("%Y-%m-%d")).set(
            # One bounded attempt: a bot's answer must not wait out a store outage.
            {reason: Increment(1), "updatedAt": at},
            merge=True,
            retry=None,
            timeout=5,
        )
    except Exception:
        log.warning("could not count a %s submission", reason, exc_info=True)
