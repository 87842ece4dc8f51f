"""The team and the customers a hand-over test starts from, made through intake and the
server client as the users command and the owner would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hearth.store import tasks as store_tasks

ANA, BEN, CARLA = "rep-ana", "rep-ben", "rep-carla"
NAMES = {ANA: "Ana Borg", BEN: "Ben Vella", CARLA: "Carla Zammit"}


@pytest.fixture
def admin(db, users, function_client):
    return function_client("admin")


def member(db: Any, uid: str, *, role: str = "rep", disabled: bool = False) -> None:
    """team/{uid} as the users command writes it."""
    db.collection("team").document(uid).set(
        {
            "uid": uid,
            "email": f"{uid}@hearth.test",
            "displayName": NAMES.get(uid),
            "role": role,
            "segments": [],
            "disabled": disabled,
        }
    )


def customer(intake: Any, db: Any, email: str, owner: str | None, **more: Any) -> str:
    response = intake.post("/", json={"form": "contact", "email": email, "name": email[:3]})
    assert response.status_code == 200, response.get_data(as_text=True)
    db.collection("customers").document(email).update({"ownerUid": owner, **more})
    return email


def task(db: Any, task_id: str, key: str, owner: str | None, *, done: bool = False) -> None:
    made = store_tasks.new_task(
        customer=key,
        customer_name=key,
        owner_uid=owner,
        title=task_id,
        due=datetime.now(UTC) + timedelta(days=2),
    )
    made["done"] = done
    store_tasks.create(db, task_id, made, None, timeout=10)


def call(db: Any, booking_id: str, key: str, owner: str, *, days: float) -> None:
    """A confirmed call ``days`` from now (negative: held already)."""
    start = datetime.now(UTC) + timedelta(days=days)
    db.collection("bookings").document(booking_id).set(
        {
            "customerKey": key,
            "ownerUid": owner,
            "status": "confirmed",
            "start": start,
            "end": start + timedelta(minutes=30),
        }
    )


def owner_of(db: Any, key: str) -> str | None:
    return db.collection("customers").document(key).get().to_dict()["ownerUid"]


def handover_entries(db: Any, key: str) -> list[dict[str, Any]]:
    activity = db.collection("customers").document(key).collection("activity")
    return [e.to_dict() for e in activity.stream() if e.to_dict()["type"] == "handover"]


def owner_events(db: Any, key: str | None = None) -> list[dict[str, Any]]:
    found = [e.to_dict() for e in db.collection("events").stream()]
    return [
        e for e in found if e["type"] == "owner.changed" and (key is None or e["customer"] == key)
    ]
