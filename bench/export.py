"""Export benchmark: a large export streams in bounded memory, whatever the number of rows.

Prints figures; asserts nothing (the target is printed beside them). Starts its own
Firestore and Auth emulators on free ports, so the row counts are exact and a running
`make dev` keeps its data; seeds customers with batched server-client writes, signs in a
real owner on the Auth emulator, and exports through the function in-process (made by
functions_framework.create_app), reading the streamed body a piece at a time and
keeping none of it. Memory is measured twice, on separate runs: Python's own peak
(tracemalloc, which slows the run, so the timed run is another one) and the process's
resident set (sampled at every piece, from a baseline taken after handing freed heap
back to the OS). Equal peaks at 2,500 and 10,000 customers are
what "does not grow with the export" looks like.

    .venv/bin/python bench/export.py [--sizes 2500 10000]
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import os
import resource
import time
import tracemalloc
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

# bench/common.py first: it puts functions/ and the root on the import path.
from common import ROOT, own_emulators

from tests.accounts import Accounts

TARGET_PEAK_MB = 50
NAMES = ["Ana Borg", "Ġorġ Ħabib", "Marija Camilleri", "Ben O'Neill", "Chloé Dupont", "Łukasz"]
STAGES = ["new", "contacted", "proposal", "won", "lost"]
SOURCES = ["instagram", "google", "direct", "newsletter", "referral"]


@dataclass(frozen=True)
class Run:
    rows: int
    body_bytes: int
    seconds: float
    rss_growth_mb: float


def customer(i: int) -> dict[str, Any]:
    """A realistic stored customer: every field intake and the admin API write."""
    at = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=37 * i)
    email = f"customer{i:06d}@example.org"
    name = f"{NAMES[i % len(NAMES)]} {i}"
    return {
        "email": email,
        "name": name,
        "company": f"Studio {i % 97}, Ltd." if i % 3 else None,
        "mobile": f"+3567912{i % 10000:04d}",
        "mobileValid": True,
        "stage": STAGES[i % len(STAGES)],
        "sources": SOURCES[: 1 + i % 3],
        "firstSource": SOURCES[0],
        "lastSource": SOURCES[i % 3],
        "forms": ["contact", "pricing"],
        "consent": {"marketing": i % 2 == 0, "at": at, "submissionId": uuid.uuid4().hex},
        "balances": {"pending": 150050 + i, "paid": 2500 * (i % 7), "currency": "EUR"},
        "ownerUid": f"rep-{i % 4}" if i % 5 else None,
        "segment": "weddings" if i % 2 else "portraits",
        "archived": i % 20 == 0,
        "custom": {
            "budget": 1000 + i,
            "venue": f"Venue {i % 50}",
            "wedding_date": "2025-06-14",
            "vegan": i % 4 == 0,
            "note": 'Prefers e-mail; call after 5pm, "no" Sundays' if i % 10 == 0 else "",
        },
        "createdAt": at,
        "updatedAt": at + timedelta(days=1),
        "lastContactAt": at + timedelta(days=2),
        "search": [name.lower(), email, "studio"],
    }


def seed(client: Any, start: int, stop: int) -> None:
    def commit(first: int) -> None:
        batch = client.batch()
        for i in range(first, min(first + 500, stop)):
            batch.set(
                client.collection("customers").document(f"customer{i:06d}@example.org"), customer(i)
            )
        batch.commit()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(commit, range(start, stop, 500)))


def owner_token(accounts: Accounts) -> str:
    """An ID token of a new owner, signed in with a password on the Auth emulator."""
    uid = accounts.create("owner", uid=f"bench-owner-{uuid.uuid4().hex[:8]}")
    return accounts.sign_in(f"{uid}@hearth.test")


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def export(client: Any, token: str, fmt: str, on_piece: Callable[[], None]) -> tuple[int, int]:
    """Stream one export, counting rows and bytes; nothing of the body is kept."""
    response = client.get(
        "/",
        query_string={"format": fmt},
        headers={"Authorization": f"Bearer {token}"},
        buffered=False,
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    newlines = size = 0
    try:
        for piece in response.response:
            newlines += piece.count(b"\n")
            size += len(piece)
            on_piece()
    finally:
        response.close()
    # CSV: one line per customer after the header (no value here holds a line break).
    # JSON: one line per customer between the opening line and the closing "]}".
    return (newlines - 1 if fmt == "csv" else newlines - 2), size


def release_free_memory() -> None:
    """Give freed heap back to the OS, so RSS growth is the export's, not left-over slack."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: growth may read low
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def timed(client: Any, token: str, fmt: str) -> Run:
    release_free_memory()
    baseline = rss_bytes()
    peak = baseline

    def sample() -> None:
        nonlocal peak
        peak = max(peak, rss_bytes())

    start = time.perf_counter()
    rows, size = export(client, token, fmt, sample)
    seconds = time.perf_counter() - start
    return Run(rows, size, seconds, (peak - baseline) / 2**20)


def traced_peak_mb(client: Any, token: str, fmt: str) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        export(client, token, fmt, lambda: None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2500, 10000])
    args = parser.parse_args()
    results: list[tuple[int, str, Run, float]] = []
    with ExitStack() as stack:
        _, auth_emulator = own_emulators(stack, "export")

        import functions_framework

        from hearth.store import client as db

        db.reset()
        token = owner_token(Accounts(auth_emulator))
        app = functions_framework.create_app(
            target="export", source=str(ROOT / "functions/main.py")
        ).test_client()
        export(app, token, "csv", lambda: None)  # warm: imports, token keys, gRPC channel

        seeded = 0
        for size in sorted(args.sizes):
            print(f"Seeding {size - seeded} customers (up to {size})…", flush=True)
            seed(db.client(), seeded, size)
            seeded = size
            for fmt in ("csv", "json"):
                run = timed(app, token, fmt)
                peak = traced_peak_mb(app, token, fmt)
                results.append((size, fmt, run, peak))
                print(f"  {fmt} done in {run.seconds:.1f} s", flush=True)
        max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print()
    print("Export benchmark (owner, every customer; emulators on this machine)")
    print(
        f"  {'customers':>9} {'format':>6} {'rows':>7} {'body MB':>8} {'seconds':>8} "
        f"{'rows/s':>7} {'py peak MB':>11} {'RSS growth MB':>14}"
    )
    for size, fmt, run, peak in results:
        print(
            f"  {size:>9} {fmt:>6} {run.rows:>7} {run.body_bytes / 2**20:>8.2f} {run.seconds:>8.2f} "
            f"{run.rows / run.seconds:>7.0f} {peak:>11.2f} {run.rss_growth_mb:>14.2f}"
        )
    print(
        f"  target: Python peak < {TARGET_PEAK_MB} MB and the same at every size "
        f"(pages of 500, pieces of 64 KB); process max RSS {max_rss:.0f} MB"
    )


if __name__ == "__main__":
    main()
