"""Intake benchmark: how close the upsert comes to the cheapest possible write.

Prints figures; asserts nothing (targets are printed beside them). Runs against the
real Firestore emulator (started here unless FIRESTORE_EMULATOR_HOST is set), so the
figures describe the emulator on this machine, and the ratios are what carry over.

    .venv/bin/python bench/intake.py [--n 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

# bench/common.py first: it puts functions/ on the import path for devstack and hearth.
from common import ROOT, StoreCounter, functions_over_http, own_firestore, percentiles, timed

from devstack import emulators

# Reads: the submission's source, the pipeline and the routing settings (one round trip),
# so a new source joins the sources list, a new customer starts in the pipeline's first
# stage and is pending for the router only when there are rules (bench/routing.py measures
# routing on). Writes: the customer, its timeline entry and its customer.created event.
TARGETS = {"ratio": 1.3, "reads": 3, "writes": 3, "cold_import_s": 0.6}


def throughput(fn: Callable[[int], None], clients: int, total: int) -> float:
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(fn, range(total)))
    return total / (time.perf_counter() - start)


def submission(i: int, run: str) -> dict[str, object]:
    return {
        "form": "contact",
        "email": f"bench-{run}-{i}@example.org",
        "name": f"Bench Person {i}",
        "mobile": "7912 3456",
        "consent": i % 2 == 0,
        "message": "Hello from the benchmark.",
        "submission_id": uuid.uuid4().hex,
        "elapsed_ms": 5000,
    }


@contextmanager
def emulator() -> Iterator[None]:
    """The Firestore emulator the environment names, else one of our own."""
    if os.environ.get("FIRESTORE_EMULATOR_HOST"):
        yield
        return
    with own_firestore("intake"):
        yield


def cold_import() -> float:
    code = "import time; t = time.perf_counter(); import main; print(time.perf_counter() - t)"
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code],
                cwd=ROOT / "functions",
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(5)
    ]
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="sequential samples per measurement")
    args = parser.parse_args()
    os.environ.setdefault("GOOGLE_CLOUD_PROJECT", emulators.PROJECT)

    with emulator():
        import functions_framework
        import requests
        from google.cloud import firestore

        from hearth.store import client as db

        db.reset()
        client = db.client()
        counter = StoreCounter()
        counter.attach(client)
        app = functions_framework.create_app(
            target="intake", source=str(ROOT / "functions/main.py")
        ).test_client()
        run = uuid.uuid4().hex[:6]

        def floor(i: int) -> None:
            ref = client.collection("bench_floor").document(f"{run}-{i}")

            @firestore.transactional
            def get_and_set(transaction: firestore.Transaction) -> None:
                ref.get(transaction=transaction)
                transaction.set(ref, {"n": i})

            get_and_set(client.transaction())

        def in_process(i: int) -> None:
            response = app.post("/", json=submission(i, run))
            assert response.status_code == 200, response.get_data(as_text=True)

        for i in range(20):  # warm both paths (channel, first import of phonenumbers' data)
            floor(10_000 + i)
            in_process(10_000 + i)

        floor_p50, floor_p95 = percentiles(timed(floor, args.n))
        reads0, writes0 = counter.reads, counter.writes
        proc_p50, proc_p95 = percentiles(timed(in_process, args.n))
        reads = (counter.reads - reads0) / args.n
        writes = (counter.writes - writes0) / args.n

        repeat_reads0, repeat_writes0 = counter.reads, counter.writes
        timed(lambda i: in_process(i), 50)  # the same addresses again: existing customers
        repeat_reads = (counter.reads - repeat_reads0) / 50
        repeat_writes = (counter.writes - repeat_writes0) / 50

        with functions_over_http() as base:
            session = requests.Session()

            def over_http(i: int) -> None:
                response = session.post(
                    f"{base}/intake", json=submission(20_000 + i, run), timeout=30
                )
                assert response.status_code == 200, response.text

            for i in range(10):
                over_http(30_000 + i)
            http_p50, http_p95 = percentiles(timed(over_http, args.n))

        rates = {
            clients: throughput(lambda i, c=clients: in_process(100_000 * c + i), clients, 200)
            for clients in (1, 8, 32)
        }
        cold = cold_import()

    print()
    print(f"Intake benchmark ({args.n} sequential submissions each, emulator on this machine)")
    print(f"  {'':34}{'p50 ms':>9}{'p95 ms':>9}{'x floor':>9}")
    print(f"  {'floor: transactional get+set':34}{floor_p50:9.2f}{floor_p95:9.2f}{1:9.2f}")
    print(
        f"  {'intake in-process (new customer)':34}{proc_p50:9.2f}{proc_p95:9.2f}{proc_p50 / floor_p50:9.2f}   target <= {TARGETS['ratio']}x"
    )
    print(
        f"  {'intake over HTTP (stack)':34}{http_p50:9.2f}{http_p95:9.2f}{http_p50 / floor_p50:9.2f}"
    )
    print(
        "  throughput in-process: "
        + ", ".join(f"{c} client{'s' if c > 1 else ''}: {r:.0f}/s" for c, r in rates.items())
    )
    print(
        f"  per new submission: {reads:.2f} reads, {writes:.2f} writes   target <= {TARGETS['reads']} reads, {TARGETS['writes']} writes"
    )
    print(f"  per repeat submission: {repeat_reads:.2f} reads, {repeat_writes:.2f} writes")
    print(
        f"  cold import of functions/main.py: {cold:.3f} s   target <= {TARGETS['cold_import_s']} s"
    )


if __name__ == "__main__":
    main()
