"""What the routing tests share: the team, the rules saved through the admin API, leads
through the real intake function, and a stuck router (a held lease) for the tests that
need customers to stay pending until the sweep."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from hearth.store import team

ANA, BEN, CARLA = "ana", "ben", "carla"
NAMES = {ANA: "Ana", BEN: "Ben", CARLA: "Carla"}


def make_team(db: Any, away: dict[str, dict[str, Any]] | None = None) -> None:
    """Three reps and a manager in the directory, some maybe away."""
    for uid, name in NAMES.items():
        entry = {"uid": uid, "email": f"{uid}@hearth.test", "displayName": name, "role": "rep"}
        entry["disabled"] = False
        if away and uid in away:
            entry["away"] = away[uid]
        team.record(uid, entry, 10)
    team.record(
        "mia",
        {"uid": "mia", "email": "mia@hearth.test", "displayName": "Mia", "role": "manager"},
        10,
    )


def save_rules(admin: Any, users: Any, rules: list[dict[str, Any]], fallback: Any = None) -> Any:
    body: dict[str, Any] = {"rules": rules}
    if fallback is not None:
        body["fallback"] = fallback
    return admin.put("/settings/routing", json=body, headers=users.headers("owner"))


def saved(admin: Any, users: Any, rules: list[dict[str, Any]], fallback: Any = None) -> None:
    response = save_rules(admin, users, rules, fallback)
    assert response.status_code == 200, response.get_data(as_text=True)


def lead(intake: Any, email: str, **fields: Any) -> None:
    response = intake.post("/", json={"form": "contact", "email": email, **fields})
    assert response.status_code == 200, response.get_data(as_text=True)


def burst(intake: Any, count: int, prefix: str = "lead", **fields: Any) -> list[str]:
    """``count`` new leads sent at once from as many threads; answers their keys."""
    app = intake.application
    start = threading.Barrier(count)
    emails = [f"{prefix}-{n:03d}@example.org" for n in range(count)]

    def submit(email: str) -> int:
        client = app.test_client()
        start.wait(timeout=60)
        return client.post("/", json={"form": "contact", "email": email, **fields}).status_code

    with ThreadPoolExecutor(max_workers=count) as pool:
        statuses = list(pool.map(submit, emails))
    assert statuses == [200] * count
    return emails


def customer(db: Any, key: str) -> dict[str, Any]:
    snapshot = db.collection("customers").document(key).get()
    assert snapshot.exists, key
    return snapshot.to_dict()


def owners(db: Any) -> dict[str, str | None]:
    return {s.id: (s.to_dict() or {}).get("ownerUid") for s in db.collection("customers").stream()}


def routed_entries(db: Any, key: str) -> list[dict[str, Any]]:
    entries = db.collection("customers").document(key).collection("activity").stream()
    return [e.to_dict() for e in entries if (e.to_dict() or {}).get("type") == "routed"]


def owner_events(db: Any) -> list[dict[str, Any]]:
    return [
        e.to_dict()
        for e in db.collection("events").stream()
        if (e.to_dict() or {}).get("type") == "owner.changed"
    ]


def hold_lease(db: Any) -> None:
    """A router that took the lease and hung: nudges give way, only the sweep routes."""
    db.collection("routing_state").document("_lease").set(
        {"holder": "stuck", "expiresAt": datetime.now(UTC) + timedelta(hours=1)}
    )
