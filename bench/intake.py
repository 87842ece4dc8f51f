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
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "functions")]

from devstack import emulators  # noqa: E402

TARGETS = {"ratio": 1.3, "reads": 1, "writes": 2, "cold_import_s": 0.6}


class StoreCounter:
    """Counts billable Firestore operations as the real gRPC calls go out.

    A read is each document a get or query returns (found or missing); a write is each
    write in a commit that succeeded, the way Firestore bills them.
    """

    def __init__(self) -> None:
        self.reads = 0
        self.writes = 0
        self.lock = threading.Lock()

    def interceptor(self) -> object:
        import grpc

        counter = self

        class Interceptor(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
            def intercept_unary_unary(self, continuation, details, request):
                outcome = continuation(details, request)
                if details.method.endswith("/Commit") and outcome.exception() is None:
                    with counter.lock:
                        counter.writes += len(request.writes)
                return outcome

            def intercept_unary_stream(self, continuation, details, request):
                responses = continuation(details, request)
                if details.method.endswith(("/BatchGetDocuments", "/RunQuery")):
                    return counter._counted(responses)
                return responses

        return Interceptor()

    def _counted(self, responses: Iterator[object]) -> Iterator[object]:
        for response in responses:
            if (
                getattr(response, "found", None)
                or getattr(response, "missing", None)
                or getattr(response, "document", None)
            ):
                with self.lock:
                    self.reads += 1
            yield response

    def attach(self, client: object) -> None:
        import grpc
        from google.cloud.firestore_v1.services.firestore import client as gapic
        from google.cloud.firestore_v1.services.firestore.transports import grpc as transport

        channel = grpc.intercept_channel(
            client._emulator_channel(transport.FirestoreGrpcTransport),  # type: ignore[attr-defined]
            self.interceptor(),
        )
        client._firestore_api_internal = gapic.FirestoreClient(  # type: ignore[attr-defined]
            transport=transport.FirestoreGrpcTransport(host=client._target, channel=channel)  # type: ignore[attr-defined]
        )


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def timed(fn: Callable[[int], None], n: int) -> list[float]:
    samples = []
    for i in range(n):
        start = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


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
    if os.environ.get("FIRESTORE_EMULATOR_HOST"):
        yield
        return
    firestore = emulators.Firestore(
        port=emulators.free_port(), log_path=ROOT / "test-artifacts/logs/bench-firestore.log"
    )
    print("Starting the Firestore emulator…", flush=True)
    firestore.start()
    os.environ["FIRESTORE_EMULATOR_HOST"] = firestore.address
    try:
        yield
    finally:
        firestore.stop()


@contextmanager
def stack() -> Iterator[str]:
    port = emulators.free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "devstack",
            "serve",
            "--functions-port",
            str(port),
            "--web-port",
            str(emulators.free_port()),
        ],
        cwd=ROOT / "functions",
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if "ready" in line:
                break
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


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

        with stack() as base:
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
        f"  per new submission: {reads:.2f} reads, {writes:.2f} writes   target <= {TARGETS['reads']} read, {TARGETS['writes']} writes"
    )
    print(f"  per repeat submission: {repeat_reads:.2f} reads, {repeat_writes:.2f} writes")
    print(
        f"  cold import of functions/main.py: {cold:.3f} s   target <= {TARGETS['cold_import_s']} s"
    )


if __name__ == "__main__":
    main()
