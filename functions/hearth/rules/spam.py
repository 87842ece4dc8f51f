"""Bots: answered as if they succeeded, stored nowhere, counted (store.counters).

A bot told it failed tries again with other values; one told it succeeded moves on.
Counting (per day) lets the owner see that the filter works without keeping any of
what the bot sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

HONEYPOT = "website"


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
