"""What the benchmarks share: their emulators, the stack over HTTP, the timing, and the
count of Firestore reads and writes on the client's gRPC channel (tests/store_counter.py,
shared with the tests that hold a cost down).

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
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "functions"), str(ROOT)]

from devstack import emulators  # noqa: E402

# The counter the tests hold costs down with, so a benchmark's figure is the tests' figure.
from tests.store_counter import StoreCounter  # noqa: E402, F401

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
