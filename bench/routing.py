"""Routing benchmark: what a visitor waits for with routing on, and how soon a lead is
routed after its answer; how a burst is shared.

Over HTTP (`python -m devstack serve`, as a browser reaches the functions), with routing
rules on (a round robin among three reps) and off (no rules), at 1 and 16 concurrent
clients: p50/p95 of the time to the form's answer, and with rules the time from sending
until the customer has an owner (polled every 5 ms: routing runs after the answer, in
the same request). Reads and writes per lead are counted in-process with a client that
finishes each request as a server does (the routing after the answer included). Then a
burst of 60 new leads at once over HTTP: when every request had answered, when every
lead had an owner, and the split. Prints figures; asserts nothing (the split must read
20/20/20). Runs against the real Firestore emulator (started here unless
FIRESTORE_EMULATOR_HOST is set).

    .venv/bin/python bench/routing.py [--n 200]
"""

from __future__ import annotations

import argparse
import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import requests

# bench/common.py first: it puts functions/ on the import path for devstack and hearth.
from common import ROOT, StoreCounter, functions_over_http, own_firestore, percentiles

from devstack import emulators

REPS = ("ana", "ben", "carla")
RULES = {"rules": [{"id": "team", "match": {}, "action": {"group": list(REPS)}}]}
BURST = 60


@contextmanager
def emulator() -> Iterator[None]:
    """The Firestore emulator the environment names, else one of our own."""
    if os.environ.get("FIRESTORE_EMULATOR_HOST"):
        yield
        return
    with own_firestore("routing"):
        yield


def submission(email: str) -> dict[str, object]:
    return {
        "form": "contact",
        "email": email,
        "name": "Bench Person",
        "mobile": "7912 3456",
        "submission_id": uuid.uuid4().hex,
        "elapsed_ms": 5000,
    }


def owner_of(client: Any, key: str) -> str | None:
    snapshot = client.collection("customers").document(key).get()
    return (snapshot.to_dict() or {}).get("ownerUid") if snapshot.exists else None


def over_http(
    url: str, client: Any, run: str, clients: int, total: int, routed: bool
) -> tuple[list[float], list[float]]:
    """Milliseconds to the answer, and (``routed``) to an owner, per new lead of
    ``total`` sent over HTTP by ``clients`` threads."""

    def one(i: int) -> tuple[float, float]:
        email = f"{run}-{clients}-{i}@example.org"
        start = time.perf_counter()
        response = requests.post(url, json=submission(email), timeout=60)
        assert response.status_code == 200, response.text
        answered = (time.perf_counter() - start) * 1000
        if not routed:
            return answered, answered
        deadline = start + 60
        while owner_of(client, email) is None:
            assert time.perf_counter() < deadline, f"{email} was never routed"
            time.sleep(0.005)
        return answered, (time.perf_counter() - start) * 1000

    with ThreadPoolExecutor(clients) as pool:
        pairs = list(pool.map(one, range(total)))
    return [a for a, _ in pairs], [r for _, r in pairs]


def counted(app: Any, counter: Any, run: str, clients: int, total: int) -> tuple[float, float]:
    """Reads and writes per new lead in-process, the routing after each answer included."""
    reads0, writes0 = counter.reads, counter.writes

    def one(i: int) -> None:
        response = app.post("/", json=submission(f"{run}-{clients}-{i}@example.org"))
        assert response.status_code == 200, response.get_data(as_text=True)

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(total)))
    return (counter.reads - reads0) / total, (counter.writes - writes0) / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="submissions per measurement")
    args = parser.parse_args()
    os.environ.setdefault("GOOGLE_CLOUD_PROJECT", emulators.PROJECT)
    os.environ["HEARTH_MIN_FILL_MS"] = "0"

    with emulator(), functions_over_http() as functions:
        import functions_framework

        from hearth.store import client as db
        from hearth.store import routing as routing_store
        from hearth.store import team
        from tests.clients import finished

        url = f"{functions}/intake"
        db.reset()
        client = db.client()
        counter = StoreCounter()
        counter.attach(client)
        for uid in REPS:
            team.record(uid, {"uid": uid, "displayName": uid.title(), "role": "rep"}, 10)
        app = finished(
            functions_framework.create_app(target="intake", source=str(ROOT / "functions/main.py"))
        )
        run = uuid.uuid4().hex[:6]
        figures: dict[tuple[str, int], tuple[float, float, float, float, float, float]] = {}
        for mode in ("off", "on"):
            if mode == "on":
                routing_store.save_settings(client, dict(RULES), 10)
            else:
                client.collection("settings").document("routing").delete()
            over_http(url, client, f"warm-{mode}-{run}", 4, 40, routed=False)
            for clients in (1, 16):
                answers, owned = over_http(
                    url, client, f"{mode}-{run}", clients, args.n, routed=mode == "on"
                )
                reads, writes = counted(app, counter, f"count-{mode}-{run}", clients, args.n)
                figures[(mode, clients)] = (
                    *percentiles(answers),
                    *percentiles(owned),
                    reads,
                    writes,
                )

        # The burst: a fresh round robin, 60 new leads at once from 60 threads over HTTP.
        for snapshot in client.collection("routing_state").stream():
            snapshot.reference.delete()
        burst = f"burst-{run}"
        start_line = threading.Barrier(BURST)
        returned: list[float] = []

        def send(i: int) -> None:
            start_line.wait(timeout=60)
            response = requests.post(
                url, json=submission(f"{burst}-{i:02d}@example.org"), timeout=60
            )
            assert response.status_code == 200, response.text
            returned.append(time.perf_counter())

        began = time.perf_counter()
        with ThreadPoolExecutor(BURST) as pool:
            list(pool.map(send, range(BURST)))
        all_returned = max(returned) - began
        keys = [f"{burst}-{i:02d}@example.org" for i in range(BURST)]
        owners: dict[str, Any] = {}
        while True:
            refs = [client.collection("customers").document(k) for k in keys]
            owners = {s.id: (s.to_dict() or {}).get("ownerUid") for s in client.get_all(refs)}
            if all(owners.values()) or time.perf_counter() - began > 120:
                break
            time.sleep(0.01)
        all_routed = time.perf_counter() - began
        split = Counter(owners.values())

    print()
    print(f"Routing benchmark ({args.n} new leads per row, over HTTP, emulator on this machine)")
    print(
        f"  {'':26}{'answer p50':>11}{'p95':>8}{'routed p50':>11}{'p95':>8}{'reads':>7}{'writes':>7}"
    )
    for (mode, clients), (a50, a95, r50, r95, reads, writes) in figures.items():
        label = f"routing {mode}, {clients} client{'s' if clients > 1 else ''}"
        owned = f"{r50:11.2f}{r95:8.2f}" if mode == "on" else f"{'-':>11}{'-':>8}"
        print(f"  {label:26}{a50:11.2f}{a95:8.2f}{owned}{reads:7.2f}{writes:7.2f}")
    for clients in (1, 16):
        ratio = figures[("on", clients)][0] / figures[("off", clients)][0]
        print(f"  answer p50 on/off at {clients} client{'s' if clients > 1 else ''}: {ratio:.2f}x")
    print(
        f"  burst of {BURST}: every request answered after {all_returned:.2f} s, "
        f"every lead routed after {all_routed:.2f} s"
    )
    print(
        "  split: "
        + ", ".join(f"{uid}: {split.get(uid, 0)}" for uid in REPS)
        + f", unassigned: {split.get(None, 0)}   target 20/20/20, none unassigned"
    )


if __name__ == "__main__":
    main()
