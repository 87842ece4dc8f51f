"""Routing benchmark: what routing adds to a form's answer, and how a burst is shared.

Intake in-process with routing rules on (a round robin among three reps) and off (no
rules), at 1 and 16 concurrent clients: p50/p95 per submission. Then a burst of 60 new
leads at once: the time from the first send until every one has an owner, and the
split. Prints figures; asserts nothing (the split must read 20/20/20). Runs against
the real Firestore emulator (started here unless FIRESTORE_EMULATOR_HOST is set).

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

# bench/common.py first: it puts functions/ on the import path for devstack and hearth.
from common import ROOT, StoreCounter, own_firestore, percentiles

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


def latencies(app: Any, run: str, clients: int, total: int) -> list[float]:
    """Milliseconds per submission of ``total`` new leads sent by ``clients`` threads."""

    def one(i: int) -> float:
        start = time.perf_counter()
        response = app.post("/", json=submission(f"{run}-{clients}-{i}@example.org"))
        assert response.status_code == 200, response.get_data(as_text=True)
        return (time.perf_counter() - start) * 1000

    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(one, range(total)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="submissions per measurement")
    args = parser.parse_args()
    os.environ.setdefault("GOOGLE_CLOUD_PROJECT", emulators.PROJECT)
    os.environ["HEARTH_MIN_FILL_MS"] = "0"

    with emulator():
        import functions_framework

        from hearth.store import client as db
        from hearth.store import routing as routing_store
        from hearth.store import team

        db.reset()
        client = db.client()
        counter = StoreCounter()
        counter.attach(client)
        for uid in REPS:
            team.record(uid, {"uid": uid, "displayName": uid.title(), "role": "rep"}, 10)
        app = functions_framework.create_app(
            target="intake", source=str(ROOT / "functions/main.py")
        ).test_client()
        run = uuid.uuid4().hex[:6]
        figures: dict[tuple[str, int], tuple[float, float, float, float]] = {}
        for mode in ("off", "on"):
            if mode == "on":
                routing_store.save_settings(client, dict(RULES), 10)
            else:
                client.collection("settings").document("routing").delete()
            latencies(app, f"warm-{mode}-{run}", 4, 40)
            for clients in (1, 16):
                reads0, writes0 = counter.reads, counter.writes
                samples = latencies(app, f"{mode}-{run}", clients, args.n)
                p50, p95 = percentiles(samples)
                reads = (counter.reads - reads0) / args.n
                writes = (counter.writes - writes0) / args.n
                figures[(mode, clients)] = (p50, p95, reads, writes)

        # The burst: a fresh round robin, 60 new leads at once from 60 threads.
        for snapshot in client.collection("routing_state").stream():
            snapshot.reference.delete()
        burst = f"burst-{run}"
        start_line = threading.Barrier(BURST)
        returned: list[float] = []

        def send(i: int) -> None:
            local = app.application.test_client()
            start_line.wait(timeout=60)
            response = local.post("/", json=submission(f"{burst}-{i:02d}@example.org"))
            assert response.status_code == 200, response.get_data(as_text=True)
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
            time.sleep(0.05)
        all_routed = time.perf_counter() - began
        split = Counter(owners.values())

    print()
    print(f"Routing benchmark ({args.n} new leads per row, in-process, emulator on this machine)")
    print(f"  {'':30}{'p50 ms':>9}{'p95 ms':>9}{'reads':>8}{'writes':>8}")
    for (mode, clients), (p50, p95, reads, writes) in figures.items():
        label = f"routing {mode}, {clients} client{'s' if clients > 1 else ''}"
        print(f"  {label:30}{p50:9.2f}{p95:9.2f}{reads:8.2f}{writes:8.2f}")
    for clients in (1, 16):
        ratio = figures[("on", clients)][0] / figures[("off", clients)][0]
        print(f"  p50 on/off at {clients} client{'s' if clients > 1 else ''}: {ratio:.2f}x")
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
