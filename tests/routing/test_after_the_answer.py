"""Routing waits for the form's answer, never the other way round, over real HTTP
(`python -m devstack serve`, the session's stack): the visitor has their answer while
the router is still busy, and their customer is routed right after by the same request,
with no other request and no sweep. A 60-lead burst over HTTP still ends 20/20/20.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from hearth.store import routing as routing_store
from tests.routing.helpers import ANA, BEN, CARLA, customer, make_team, owners

RULES = {"rules": [{"id": "team", "match": {}, "action": {"group": [ANA, BEN, CARLA]}}]}
# Enough older pending customers that the router needs several transactions (100 a
# batch, oldest first) before it reaches the new one: far longer than the test takes
# to read the new customer once the answer is in.
BACKLOG = 400
DEADLINE_S = 60


@pytest.fixture
def routed_team(db: Any, live_stack: Any) -> str:
    make_team(db)
    routing_store.save_settings(db, dict(RULES), 10)
    return f"{live_stack.functions}/intake"


def send(url: str, email: str) -> None:
    body = {"form": "contact", "email": email, "submission_id": uuid.uuid4().hex}
    answer = requests.post(url, json={**body, "elapsed_ms": 5000}, timeout=30)
    assert answer.status_code == 200, answer.text


def wait_until_routed(db: Any, keys: list[str]) -> dict[str, str | None]:
    """The owners once every one of ``keys`` has one and the router has let go, polled
    up to a deadline (the answers came first, so routing is just behind them)."""
    lease = db.collection("routing_state").document("_lease")
    deadline = time.monotonic() + DEADLINE_S
    while True:
        found = owners(db)
        if all(found.get(key) for key in keys) and not lease.get().exists:
            return found
        left = [key for key in keys if not found.get(key)]
        assert time.monotonic() < deadline, f"still unrouted: {left}"
        time.sleep(0.05)


def test_the_form_answers_while_the_router_is_busy_then_its_customer_is_routed(
    db: Any, routed_team: str
) -> None:
    older = datetime.now(UTC) - timedelta(hours=1)
    backlog = [f"backlog-{n:03d}@example.org" for n in range(BACKLOG)]
    batch = db.batch()
    for n, key in enumerate(backlog):
        batch.set(
            db.collection("customers").document(key),
            {
                "email": key,
                "forms": ["contact"],
                "routing": "pending",
                "createdAt": older + timedelta(seconds=n),
            },
        )
    batch.commit()

    send(routed_team, "visitor@example.org")
    at_the_answer = customer(db, "visitor@example.org")

    assert at_the_answer["routing"] == "pending" and not at_the_answer.get("ownerUid")
    found = wait_until_routed(db, [*backlog, "visitor@example.org"])
    assert found["visitor@example.org"] in (ANA, BEN, CARLA)
    assert customer(db, "visitor@example.org")["routing"] == "done"


def test_a_60_lead_burst_over_http_is_shared_20_20_20_soon_after_the_answers(
    db: Any, routed_team: str
) -> None:
    keys = [f"burst-{n:02d}@example.org" for n in range(60)]
    start = threading.Barrier(len(keys))

    def one(key: str) -> None:
        start.wait(timeout=60)
        send(routed_team, key)

    with ThreadPoolExecutor(len(keys)) as pool:
        list(pool.map(one, keys))
    found = wait_until_routed(db, keys)

    assert Counter(found[key] for key in keys) == {ANA: 20, BEN: 20, CARLA: 20}
