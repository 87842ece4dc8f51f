"""A customer's stage history, read from the events that recorded it.

Reports must be computed from the moves that happened, never from where customers sit
now: a deal that went back from "proposal signed" to "proposal sent" was in "proposal
sent" twice, and one that jumped from "lead" to "deposit paid" never was in the stages
between. So the history is exactly the recorded moves, each stage's time between the
move into it and the move out of it; nothing is inferred for skipped stages.

The input is one customer's events as stored (events/{id}: customer.created carries the
first stage, stage.changed its from and to); other event types are ignored. Pure: no
store, no clock unless the caller passes one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

CREATED = "customer.created"
CHANGED = "stage.changed"


@dataclass(frozen=True)
class Interval:
    """One stay in one stage. ``entered`` is None only for the stage a customer was in
    before the first recorded move (a customer older than events); ``left`` is None
    while they are still there."""

    stage: str
    entered: datetime | None
    left: datetime | None

    def duration(self, now: datetime | None = None) -> timedelta | None:
        """How long the stay lasted (an open one up to ``now``, if given); None if unknown."""
        end = self.left if self.left is not None else now
        if self.entered is None or end is None:
            return None
        return end - self.entered


def _moves(events: Iterable[Mapping[str, Any]]) -> list[tuple[datetime, str | None, str]]:
    """(at, from, to) for each recorded entry into a stage, oldest first; a customer's
    creation comes before a move made in the same instant."""
    found: list[tuple[datetime, int, str, str | None, str]] = []
    for event in events:
        data = event.get("data") or {}
        at = event.get("at")
        if not isinstance(at, datetime):
            continue
        if event.get("type") == CREATED and isinstance(data.get("stage"), str):
            found.append((at, 0, str(event.get("id") or ""), None, data["stage"]))
        elif event.get("type") == CHANGED and isinstance(data.get("to"), str):
            before = data.get("from") if isinstance(data.get("from"), str) else None
            found.append((at, 1, str(event.get("id") or ""), before, data["to"]))
    found.sort(key=lambda move: move[:3])
    return [(at, before, to) for at, _, _, before, to in found]


def intervals(events: Iterable[Mapping[str, Any]]) -> list[Interval]:
    """Each stay in a stage, in the order they happened: a stage entered twice (a
    backward move) has two intervals, a skipped stage none."""
    stays: list[Interval] = []
    for at, before, to in _moves(events):
        if stays and stays[-1].left is None:
            if stays[-1].stage == to:
                continue  # a move to where the customer already is changes nothing
            stays[-1] = Interval(stays[-1].stage, stays[-1].entered, at)
        elif not stays and before is not None and before != to:
            stays.append(Interval(before, None, at))  # history older than the events
        stays.append(Interval(to, at, None))
    return stays


def time_in_stage(stays: Iterable[Interval], now: datetime | None = None) -> dict[str, timedelta]:
    """Total time per stage over every stay whose length is known (open stays up to
    ``now`` when given, else left out)."""
    totals: dict[str, timedelta] = {}
    for stay in stays:
        length = stay.duration(now)
        if length is not None:
            totals[stay.stage] = totals.get(stay.stage, timedelta()) + length
    return totals
