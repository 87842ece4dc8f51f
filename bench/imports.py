"""Import benchmark: a large customer file imports in flat memory, and an import's new
customers are all routed once.

Generates CSV files of 5,000 and 50,000 rows in a temporary directory and imports each
through the command line's path (``hearth.imports.cli.main``, in-process, as ``make
import`` runs it) into a Firestore emulator of its own: rows per second, and memory two
ways: Python's peak (tracemalloc, on its own run of the 5,000-row file only, since it
slows everything) and the process's resident set sampled every 50 ms during each run
(growth over the baseline taken just before it). Equal figures at 5,000 and 50,000 rows
are what "memory does not grow with the file" looks like. Then 5,000 rows with a
round robin among three reps: every new customer routed, the split, and a second run
of the same file routing nothing. Prints figures; asserts nothing.

    .venv/bin/python bench/imports.py [--sizes 5000 50000] [--routed 5000]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import ctypes
import gc
import io
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from pathlib import Path

# bench/common.py first: it puts functions/ and the root on the import path.
from common import own_firestore

NAMES = ["Ana Borg", "Ġorġ Ħabib", "Marija Camilleri", "Ben O'Neill", "Chloé Dupont", "Łukasz"]
REPS = ("ana", "ben", "carla")


def write_file(path: Path, rows: int, prefix: str) -> None:
    """A file like an old CRM's: e-mail, names, company, mobile, consent, and a few bad rows."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Email", "First Name", "Last Name", "Company", "Mobile", "Consent"])
        for n in range(rows):
            first, _, last = NAMES[n % len(NAMES)].partition(" ")
            email = f"{prefix}{n:06d}@example.org" if n % 1000 != 999 else f"broken-{n}"
            writer.writerow(
                [
                    email,
                    first,
                    last or "X",
                    f"Studio {n % 97}, Ltd.",
                    f"+35679{n % 1000000:06d}",
                    "yes" if n % 2 else "",
                ]
            )


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 1e6


class RssPeak:
    """The highest resident set seen while running, sampled on a thread."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, rss_mb())

    def __enter__(self) -> RssPeak:
        self.peak = rss_mb()
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def settle() -> float:
    """A baseline: freed heap handed back to the OS first."""
    gc.collect()
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return rss_mb()


def run_import(path: Path, source: str) -> tuple[float, str]:
    from hearth.imports.cli import main

    out = io.StringIO()
    began = time.perf_counter()
    code = main([str(path), "--source", source, "--yes"], out)
    seconds = time.perf_counter() - began
    if code != 0:
        raise SystemExit(out.getvalue())
    summary = next(line for line in out.getvalue().splitlines() if line.startswith("Done:"))
    return seconds, summary


def memory_flat(folder: Path, sizes: list[int], firestore: object) -> None:
    print("\nImport benchmark (the command line's path, in-process; emulator on this machine)")
    warm = folder / "warm.csv"
    write_file(warm, 20, "warm")
    run_import(warm, "bench-warm")  # modules loaded, clients made: not the file's memory
    for rows in (500, min(sizes)):
        small = folder / f"peak-{rows}.csv"
        write_file(small, rows, f"peak{rows}-")
        tracemalloc.start()
        run_import(small, "bench-peak")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  python peak (tracemalloc) importing {rows:,} rows: {peak / 1e6:.2f} MB")
    print(f"  {'rows':>7} {'seconds':>8} {'rows/s':>7} {'RSS growth MB':>14}  summary")
    for size in sizes:
        firestore.clear()  # type: ignore[attr-defined]
        path = folder / f"customers-{size}.csv"
        write_file(path, size, "c")
        base = settle()
        with RssPeak() as rss:
            seconds, summary = run_import(path, "old-crm")
        print(
            f"  {size:>7,} {seconds:>8.1f} {size / seconds:>7.0f} {rss.peak - base:>14.1f}  {summary}"
        )
    print("  target: RSS growth the same at every size (one chunk of 500 rows held at a time)")


def routed(folder: Path, size: int, firestore: object) -> None:
    from hearth import config, routing
    from hearth.rules.roles import Principal, Role
    from hearth.store import client as db
    from hearth.store import team

    firestore.clear()  # type: ignore[attr-defined]
    settings = config.load()
    for uid in REPS:
        team.record(
            uid,
            {
                "uid": uid,
                "email": f"{uid}@bench.test",
                "displayName": uid.title(),
                "role": "rep",
                "disabled": False,
            },
            10,
        )
    owner = Principal(uid="owner", role=Role.OWNER, email="owner@bench.test")
    routing.save_settings(
        {"rules": [{"id": "team", "match": {}, "action": {"group": list(REPS)}}]}, owner, settings
    )
    path = folder / f"routed-{size}.csv"
    write_file(path, size, "lead")
    print(f"\nImport with routing ({size:,} rows, a round robin among {len(REPS)} reps)")
    seconds, summary = run_import(path, "old-crm")
    owners = Counter(
        (snapshot.to_dict() or {}).get("ownerUid")
        for snapshot in db.client().collection("customers").select(["ownerUid"]).stream()
    )
    print(f"  first run: {seconds:.1f} s  {summary}")
    print(
        "  split: "
        + ", ".join(
            f"{uid or 'unassigned'}: {count:,}" for uid, count in sorted(owners.items(), key=str)
        )
    )
    seconds, summary = run_import(path, "old-crm")
    print(f"  second run: {seconds:.1f} s  {summary}")
    print("  target: every new customer routed, split evenly; the second run routes 0")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 50000])
    parser.add_argument("--routed", type=int, default=5000)
    args = parser.parse_args()
    with own_firestore("imports") as firestore, tempfile.TemporaryDirectory() as folder:
        memory_flat(Path(folder), sorted(args.sizes), firestore)
        routed(Path(folder), args.routed, firestore)


if __name__ == "__main__":
    main()
