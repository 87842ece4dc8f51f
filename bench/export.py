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

Both exports are measured: the customers (`what=customers`, one row per customer) and
their timelines (`what=timeline`, one row per entry). For the latter every customer is
seeded with ENTRIES_PER_CUSTOMER entries in the shapes the product writes (a form
submission, a stage change, a note; built by hearth.store.timeline), in the customer's
own batch. The timeline export costs one query per customer (eight read ahead on
threads) besides its pages of entries, so its rows per second are measured, not assumed
from the customer export's.

    .venv/bin/python bench/export.py [--sizes 2500 10000] [--what customers timeline]
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

from hearth.rules.phones import parse_mobile
from hearth.rules.roles import Principal, Role
from hearth.store import timeline as activity
from tests.accounts import Accounts

TARGET_PEAK_MB = 50
NAMES = ["Ana Borg", "Ġorġ Ħabib", "Marija Camilleri", "Ben O'Neill", "Chloé Dupont", "Łukasz"]
STAGES = ["new", "contacted", "proposal", "won", "lost"]
SOURCES = ["instagram", "google", "direct", "newsletter", "referral"]
WHAT = ("customers", "timeline")
# A form submission, a stage change and a note: what a lead's first week leaves behind.
ENTRIES_PER_CUSTOMER = 3
# Firestore's batch limit is 500 writes: a customer and its entries go in one batch.
BATCH_WRITES = 500
# Who moved the stage and wrote the note: an owner, as the admin page records one.
STAFF = Principal(uid="bench-staff", role=Role.OWNER, email="owner@studio.test")


@dataclass(frozen=True)
class Run:
    rows: int
    body_bytes: int
    seconds: float
    rss_growth_mb: float


def key(i: int) -> str:
    return f"customer{i:06d}@example.org"


def created_at(i: int) -> datetime:
    return datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=37 * i)


def submission_id(i: int) -> str:
    """The id of customer i's first form: the customer's consent and its timeline entry
    name the same submission, as intake writes them (same length as a uuid4's hex)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"bench-export-{i}").hex


def customer(i: int) -> dict[str, Any]:
    """A realistic stored customer: every field intake and the admin API write."""
    at = created_at(i)
    email = key(i)
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
        "consent": {"marketing": i % 2 == 0, "at": at, "submissionId": submission_id(i)},
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


def entries(i: int) -> list[tuple[str, dict[str, Any]]]:
    """Customer i's timeline as (entry id, entry), built by the product's own writers so
    the export summarises and serialises what it meets in a real store: the form that
    made the customer, a stage change and a note by staff a day apart, oldest first."""
    at = created_at(i)
    sent = submission_id(i)
    stage_request = f"bench-stage-{i:06d}"
    note_id = f"bench-note-{i:06d}"
    form = activity.form_submission(
        form="contact",
        submission_id=sent,
        at=at,
        email=key(i),
        name=f"{NAMES[i % len(NAMES)]} {i}",
        company=f"Studio {i % 97}, Ltd." if i % 3 else None,
        mobile=parse_mobile(f"7912{i % 10000:04d}"),
        message="Hello! We are getting married next June and would love a quote for the day.",
        consent=i % 2 == 0,
        source=SOURCES[0],
        page="https://studio.example/contact?utm_source=instagram",
        answers={"wedding_date": "2025-06-14", "guests": 80 + i % 40, "venue": f"Venue {i % 50}"},
    )
    stage = activity.staff_action(
        kind="change",
        at=at + timedelta(days=1),
        actor=STAFF,
        changes={"stage": {"from": STAGES[(i - 1) % len(STAGES)], "to": STAGES[i % len(STAGES)]}},
        details={},
        request_id=stage_request,
    )
    note = activity.staff_action(
        kind="note",
        at=at + timedelta(days=2),
        actor=STAFF,
        changes={},
        details={
            "text": "Called back: prefers a morning shoot, sending the proposal.",
            "noteId": note_id,
        },
        request_id=None,
    )
    return [
        (activity.submission_entry_id(sent), form),
        (activity.staff_entry_id(stage_request), stage),
        (activity.staff_entry_id(note_id), note),
    ]


def seed(client: Any, start: int, stop: int, timelines: bool) -> None:
    """Customers start..stop (with their timelines if asked), eight batches at a time."""
    per_batch = BATCH_WRITES // (1 + ENTRIES_PER_CUSTOMER) if timelines else BATCH_WRITES

    def commit(first: int) -> None:
        batch = client.batch()
        for i in range(first, min(first + per_batch, stop)):
            batch.set(client.collection("customers").document(key(i)), customer(i))
            for entry_id, entry in entries(i) if timelines else ():
                batch.set(activity.entry_ref(client, key(i), entry_id), entry)
        batch.commit()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(commit, range(start, stop, per_batch)))


def owner_token(accounts: Accounts) -> str:
    """An ID token of a new owner, signed in with a password on the Auth emulator."""
    uid = accounts.create("owner", uid=f"bench-owner-{uuid.uuid4().hex[:8]}")
    return accounts.sign_in(f"{uid}@hearth.test")


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def export(
    client: Any, token: str, what: str, fmt: str, on_piece: Callable[[], None]
) -> tuple[int, int]:
    """Stream one export, counting rows and bytes; nothing of the body is kept."""
    response = client.get(
        "/",
        query_string={"format": fmt, "what": what},
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
    # CSV: one line per row (customer or entry) after the header (no value here holds a
    # line break). JSON: one line per row between the opening line and the closing "]}".
    return (newlines - 1 if fmt == "csv" else newlines - 2), size


def release_free_memory() -> None:
    """Give freed heap back to the OS, so RSS growth is the export's, not left-over slack."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: growth may read low
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def timed(client: Any, token: str, what: str, fmt: str) -> Run:
    release_free_memory()
    baseline = rss_bytes()
    peak = baseline

    def sample() -> None:
        nonlocal peak
        peak = max(peak, rss_bytes())

    start = time.perf_counter()
    rows, size = export(client, token, what, fmt, sample)
    seconds = time.perf_counter() - start
    return Run(rows, size, seconds, (peak - baseline) / 2**20)


def traced_peak_mb(client: Any, token: str, what: str, fmt: str) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        export(client, token, what, fmt, lambda: None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


@dataclass(frozen=True)
class Result:
    what: str
    customers: int
    fmt: str
    run: Run
    peak_mb: float


# Per export: the table's title and what the flat peak rests on.
TITLES = {
    "customers": "Export benchmark (owner, every customer; emulators on this machine)",
    "timeline": (
        f"Timeline export benchmark (owner, every customer's timeline, "
        f"{ENTRIES_PER_CUSTOMER} entries each; rows = entries; emulators on this machine)"
    ),
}
PAGING = {
    "customers": "pages of 500, pieces of 64 KB",
    "timeline": "customers in pages of 500, timelines in pages of 100, 8 read ahead, "
    "pieces of 64 KB",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2500, 10000])
    parser.add_argument("--what", nargs="+", choices=WHAT, default=list(WHAT))
    args = parser.parse_args()
    what = [name for name in WHAT if name in args.what]
    results: list[Result] = []
    with ExitStack() as stack:
        _, auth_emulator = own_emulators(stack, "export")

        import functions_framework

        from hearth.store import client as db

        db.reset()
        token = owner_token(Accounts(auth_emulator))
        app = functions_framework.create_app(
            target="export", source=str(ROOT / "functions/main.py")
        ).test_client()
        for name in what:  # warm: imports, token keys, gRPC channel
            export(app, token, name, "csv", lambda: None)

        seeded = 0
        for size in sorted(args.sizes):
            with_timelines = "timeline" in what
            print(
                f"Seeding {size - seeded} customers (up to {size})"
                + (f" with {ENTRIES_PER_CUSTOMER} timeline entries each" if with_timelines else "")
                + "…",
                flush=True,
            )
            seed(db.client(), seeded, size, with_timelines)
            seeded = size
            for name in what:
                for fmt in ("csv", "json"):
                    run = timed(app, token, name, fmt)
                    peak = traced_peak_mb(app, token, name, fmt)
                    results.append(Result(name, size, fmt, run, peak))
                    print(f"  {name} {fmt} done in {run.seconds:.1f} s", flush=True)
        max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    for name in what:
        print()
        print(TITLES[name])
        print(
            f"  {'customers':>9} {'format':>6} {'rows':>7} {'body MB':>8} {'seconds':>8} "
            f"{'rows/s':>7} {'py peak MB':>11} {'RSS growth MB':>14}"
        )
        for result in results:
            if result.what != name:
                continue
            run = result.run
            print(
                f"  {result.customers:>9} {result.fmt:>6} {run.rows:>7} "
                f"{run.body_bytes / 2**20:>8.2f} {run.seconds:>8.2f} "
                f"{run.rows / run.seconds:>7.0f} {result.peak_mb:>11.2f} {run.rss_growth_mb:>14.2f}"
            )
        print(
            f"  target: Python peak < {TARGET_PEAK_MB} MB and the same at every size "
            f"({PAGING[name]}); process max RSS {max_rss:.0f} MB"
        )


if __name__ == "__main__":
    main()
