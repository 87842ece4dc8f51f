"""What the analytics report reads, written the way docs/analytics.md describes it.

The report only reads analytics_days, the period's new customers and today's bookings;
what writes the roll-ups (the ingest, the rollover) is tested on its own. Writing the
documents directly lets a test state exact counters, any mix of live shards and
compacted ``_all`` documents, and values no site would send. Shared by the report
tests (tests/reports/) and the dashboard's browser tests, so both seed one shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from tests.customers.test_export import customer, seed

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


def seed_customers(db: Any, rows: Mapping[str, tuple[str, str, int, datetime, bool]]) -> None:
    """Customers as intake leaves them, with what the report reads set per row:
    ``{email: (firstSource, stage, paid in minor units, createdAt, archived)}``."""
    seed(
        db,
        *(
            customer(
                email,
                firstSource=source,
                lastSource=source,
                sources=[source],
                stage=stage,
                balances={"pending": 0, "paid": paid, "currency": "EUR"},
                createdAt=created.astimezone(UTC),
                archived=archived,
            )
            for email, (source, stage, paid, created, archived) in rows.items()
        ),
    )
