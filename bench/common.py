"""What the benchmarks share: their emulators, the stack over HTTP, the timing, and the
count of Firestore reads and writes on the client's gRPC channel.

Imported first by every script in bench/ (run as `.venv/bin/python bench/<name>.py`): it
puts functions/ and the repository root on the import path, so the scripts can import
devstack, hearth and the tests' helpers as the tests do. One copy of each piece, so the
four benchmarks count and time in the same way and their figures compare.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "functions"), str(ROOT)]

from devstack import emulators  # noqa: E402

LOGS = ROOT / "test-artifacts" / "logs"


# --- emulators and the stack ------------------------------------------------------------


@contextmanager
def started(emulator: Any, variable: str) -> Iterator[Any]:
    """An emulator started, named in the environment variable the clients read, and
    stopped (and unnamed) on the way out."""
    emulator.start()
    os.environ[variable] = emulator.address
    try:
        yield emulator
    finally:
        emulator.stop()
        os.environ.pop(variable, None)


@contextmanager
def own_firestore(name: str) -> Iterator[emulators.Firestore]:
    """A Firestore emulator of the benchmark's own on a free port (never a running
    `make dev`'s, whose data a benchmark would clear), logging to
    test-artifacts/logs/bench-<name>-firestore.log."""
    print("Starting the Firestore emulator…", flush=True)
    with started(firestore_emulator(name), "FIRESTORE_EMULATOR_HOST") as firestore:
        yield firestore


def firestore_emulator(name: str) -> emulators.Firestore:
    return emulators.Firestore(
        port=emulators.free_port(), log_path=LOGS / f"bench-{name}-firestore.log"
    )


def own_emulators(stack: ExitStack, name: str) -> tuple[emulators.Firestore, emulators.Auth]:
    """Firestore and Auth emulators of the benchmark's own, started on free ports for as
    long as `stack` lasts, with whatever a developer's shell names unset."""
    for variable in ("FIRESTORE_EMULATOR_HOST", "FIREBASE_AUTH_EMULATOR_HOST", "HEARTH_PROJECT"):
        os.environ.pop(variable, None)
    os.environ["GOOGLE_CLOUD_PROJECT"] = emulators.PROJECT
    firestore = firestore_emulator(name)
    auth = emulators.Auth(port=emulators.free_port(), log_path=LOGS / f"bench-{name}-auth.log")
    print("Starting the Firestore and Auth emulators…", flush=True)
    stack.enter_context(started(firestore, "FIRESTORE_EMULATOR_HOST"))
    stack.enter_context(started(auth, "FIREBASE_AUTH_EMULATOR_HOST"))
    return firestore, auth


@contextmanager
def functions_over_http() -> Iterator[str]:
    """The functions over HTTP as `make dev` serves them (`python -m devstack serve`),
    against the emulator the environment names; their base URL."""
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
        if not any("ready" in line for line in process.stdout):
            raise RuntimeError("`python -m devstack serve` ended before it was ready")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


# --- timing ---------------------------------------------------------------------------


def percentiles(samples: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def timed(fn: Callable[[int], object], n: int) -> list[float]:
    """n sequential calls of fn(i); the milliseconds each took."""
    samples = []
    for i in range(n):
        start = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


# --- counting the store ---------------------------------------------------------------


class StoreCounter:
    """Counts billable Firestore operations as the real gRPC calls go out.

    A read is each document a get or query returns (found or missing), and a query that
    returns none is billed one; a write is each write in a commit that succeeded, the
    way Firestore bills them.
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
                if details.method.endswith("/BatchGetDocuments"):
                    return counter._counted(responses, minimum=0)
                if details.method.endswith("/RunQuery"):
                    return counter._counted(responses, minimum=1)
                return responses

        return Interceptor()

    def _counted(self, responses: Iterator[object], minimum: int) -> Iterator[object]:
        """Counts each document as it arrives: a get stops reading the stream once it
        has its document, so a count made at the end would never be made."""
        documents = 0
        try:
            for response in responses:
                if (
                    getattr(response, "found", None)
                    or getattr(response, "missing", None)
                    or getattr(response, "document", None)
                ):
                    documents += 1
                    with self.lock:
                        self.reads += 1
                yield response
        finally:
            if documents < minimum:
                with self.lock:
                    self.reads += minimum - documents

    def attach(self, client: Any) -> None:
        """Route the server client's calls through the counting channel."""
        import grpc
        from google.cloud.firestore_v1.services.firestore import client as gapic
        from google.cloud.firestore_v1.services.firestore.transports import grpc as transport

        channel = grpc.intercept_channel(
            client._emulator_channel(transport.FirestoreGrpcTransport), self.interceptor()
        )
        client._firestore_api_internal = gapic.FirestoreClient(
            transport=transport.FirestoreGrpcTransport(host=client._target, channel=channel)
        )

    @contextmanager
    def per(self, calls: int) -> Iterator[dict[str, float]]:
        """Reads and writes per call of whatever runs inside (filled in on exit)."""
        reads, writes = self.reads, self.writes
        result: dict[str, float] = {}
        yield result
        result["reads"] = (self.reads - reads) / calls
        result["writes"] = (self.writes - writes) / calls
