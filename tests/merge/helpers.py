"""Customers the duplicates and merge tests start from, made through the real intake
function and the server client, as forms and the owner would make them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hearth.store import tasks as store_tasks


@pytest.fixture
def admin(db, users, function_client):
    return function_client("admin")


def customer(intake: Any, db: Any, email: str, **fields: Any) -> str:
    """A customer made by a contact form, then given ``fields`` as staff would."""
    form = {k: fields.pop(k) for k in ("name", "company", "mobile") if k in fields}
    response = intake.post("/", json={"form": "contact", "email": email, **form})
    assert response.status_code == 200, response.get_data(as_text=True)
    if fields:
        db.collection("customers").document(email).update(fields)
    return email


def doc(db: Any, key: str) -> dict[str, Any] | None:
    snapshot = db.collection("customers").document(key).get()
    return snapshot.to_dict() if snapshot.exists else None


def entries(db: Any, key: str) -> dict[str, dict[str, Any]]:
    activity = db.collection("customers").document(key).collection("activity")
    return {e.id: e.to_dict() for e in activity.stream()}


def task(db: Any, task_id: str, key: str, owner: str | None) -> None:
    made = store_tasks.new_task(
        customer=key,
        customer_name=key,
        owner_uid=owner,
        title=task_id,
        due=datetime.now(UTC) + timedelta(days=2),
    )
    store_tasks.create(db, task_id, made, None, timeout=10)


def call(db: Any, booking_id: str, key: str, owner: str | None) -> None:
    start = datetime.now(UTC) + timedelta(days=3)
    db.collection("bookings").document(booking_id).set(
        {
            "customerKey": key,
            "customerEmail": key,
            "ownerUid": owner,
            "status": "confirmed",
            "start": start,
            "end": start + timedelta(minutes=30),
        }
    )


def without(document: dict[str, Any] | None, *names: str) -> dict[str, Any]:
    return {k: v for k, v in (document or {}).items() if k not in names}
