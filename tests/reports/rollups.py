"""Roll-up documents written the way docs/analytics.md describes them, for the report tests.

The reports only read analytics_days; what writes them (the ingest, the rollover) is
tested on its own. Writing the documents directly lets a test state exact counters, any
mix of live shards and compacted ``_all`` documents, and values no site would send.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

COLLECTION = "analytics_days"


def roll_up(doc_id: str, **fields: Any) -> dict[str, Any]:
    """``2026-12-06_3`` -> {day: "2026-12-06", shard: 3, ...fields}; ``_all`` -> "all"."""
    day, _, shard = doc_id.rpartition("_")
    return {
        "day": day,
        "shard": "all" if shard == "all" else int(shard),
        "updatedAt": datetime.now(UTC),
        **fields,
    }


def write_roll_ups(db: Any, docs: Mapping[str, Mapping[str, Any]]) -> None:
    """Store each document under its id, in one batch (tests write a few dozen at most)."""
    batch = db.batch()
    for doc_id, fields in docs.items():
        batch.set(db.collection(COLLECTION).document(doc_id), roll_up(doc_id, **fields))
    batch.commit()
