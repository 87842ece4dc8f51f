"""Booking benchmark: what free times, a booking and its changes cost, and that a race books once.

Prints figures; the one thing it checks is the race, because a double booking is a bug
and not a slow figure: every race must end with exactly one 201 (the rest 409) and one
booking in the store, or the script exits 1 after printing everything.

Starts its own Firestore emulator on a free port (never a running `make dev`'s: it
writes settings/booking and clears the database between cases), so the booking counts
are exact. The functions run in-process through functions_framework.create_app, the way
the tests call them, and the main figures are repeated over HTTP through
`python -m devstack serve`. Reads and writes are counted on the client's real gRPC
channel, as Firestore bills them: each document a get or query returns (a missing
document counts, a query that returns nothing costs one), each write of a commit that
succeeded.

The booking settings open every day 00:00-24:00 (Europe/Malta hours, visitors in
Europe/London), with no minimum notice and a 366-day horizon, so slots exist whatever
the day it runs; no Google Calendar is connected (HEARTH_GOOGLE_* are unset), so the
figures are Hearth's and Firestore's alone.

    .venv/bin/python bench/booking.py [--n 15] [--bookings 40]
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

# bench/common.py first: it puts functions/ on the import path for devstack and hearth.
from common import ROOT, StoreCounter, functions_over_http, own_firestore, percentiles, timed

from devstack import emulators

HOURS_ZONE = "Europe/Malta"
VISITOR = ZoneInfo("Europe/London")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Open around the clock, every day, bookable now and up to a year ahead: whatever the
# date, every window below is full of slots. Types, step and buffer keep their defaults
# (30-minute intro call, 30-minute step, 15-minute buffer).
SETTINGS = {
    "timeZone": HOURS_ZONE,
    "hours": {day: ["00:00-24:00"] for day in WEEKDAYS},
    "minNoticeMinutes": 0,
    "horizonDays": 366,
}
WINDOWS = (14, 62)
LOADS = (0, 200, 1000)
RACES = (20, 50)
# Bookings made one after another are 26 hours apart: more than the day (plus buffer)
# `book` looks back for calls running into the new one, so each booking's check sees
# none of the others and the figures do not drift with the sample count.
APART = timedelta(hours=26)


@dataclass(frozen=True)
class Figures:
    """p50/p95 in ms, and reads/writes per call (NaN when not counted: over HTTP)."""

    p50: float
    p95: float
    reads: float = math.nan
    writes: float = math.nan


@dataclass(frozen=True)
class AvailabilityCase:
    days: int
    bookings: int
    overlapping: bool
    in_process: Figures
    over_http: Figures
    query_ms: float
    days_read: int
    open_slots_ms: float
    free_slots: int
    body_kb: float


@dataclass(frozen=True)
class Race:
    where: str
    racers: int
    codes: Counter[int]
    stored: int
    seconds: float
    reads: float
    writes: float

    @property
    def ok(self) -> bool:
        return self.codes == Counter({201: 1, 409: self.racers - 1}) and self.stored == 1


def measure(fn: Callable[[int], object], n: int, counter: StoreCounter | None) -> Figures:
    """Time n sequential calls; count the store on the way when the calls are in-process."""
    if counter is None:
        return Figures(*percentiles(timed(fn, n)))
    with counter.per(n) as per:
        samples = timed(fn, n)
    return Figures(*percentiles(samples), per["reads"], per["writes"])


def z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def booking_body(email: str, start: datetime, **changes: Any) -> dict[str, Any]:
    """POST /book as the widget sends it (a person's fill time, so not taken for a bot)."""
    return {
        "email": email,
        "name": "Bench Person",
        "mobile": "7912 3456",
        "start": z(start),
        "tz": VISITOR.key,
        "type": "intro",
        "notes": "From the booking benchmark.",
        "consent": True,
        "submission_id": uuid.uuid4().hex,
        "elapsed_ms": 5000,
        **changes,
    }


def token_of(view: dict[str, Any]) -> str:
    return parse_qs(urlsplit(view["manageUrl"]).query)["token"][0]


def seed_bookings(client: Any, starts: list[datetime], run: str) -> None:
    """Confirmed calls stored in the shape `book` stores them, with their busy days.

    Through the store's `put` (bookings/{id} and busyDays/{day}, not the slot cells nor
    the timeline): seeding 1,000 calls through /book would spend the time budget on what
    the next section measures, and the overlapping case could not be booked at all.
    """
    from hearth.rules import slots
    from hearth.store import bookings

    meeting = slots.MeetingType(id="intro", label="Intro call", minutes=30)
    at = datetime.now(UTC)
    documents = {}
    for i, start in enumerate(starts):
        new = bookings.NewBooking(
            id=f"bk_seed{run}{i:05d}",
            customer_key=f"seed-{i}@example.org",
            email=f"seed-{i}@example.org",
            name=f"Seed {i}",
            owner_uid=None,
            start=start,
            end=start + timedelta(minutes=30),
            tz=VISITOR.key,
            hours_time_zone=HOURS_ZONE,
            meeting=meeting,
            source="booking",
            notes=None,
            submission_id=f"seed{run}{i:05d}",
            actor={"kind": "public_form"},
            video_link=None,
            calendar_connected=False,
        )
        locks = bookings.lock_ids(new.start, new.end, 15)
        documents[new.id] = bookings.new_document(new, locks, at)
    ids = list(documents)
    for first in range(0, len(ids), 200):  # a batch stays well under 500 writes
        chunk = {booking_id: documents[booking_id] for booking_id in ids[first : first + 200]}
        bookings.put(client, chunk, 30)


def spread(start: datetime, end: datetime, n: int) -> tuple[list[datetime], bool]:
    """n call starts spread evenly over [start, end), and whether they must overlap.

    On the hour while the window has an hour per call, so no two are closer than the
    30-minute call plus its 15-minute buffer, as the store would hold them; a window
    too short for that (1,000 calls in 14 days: 336 fit) gets them every few minutes,
    overlapping, which only a direct write could store.
    """
    hours = int((end - start) / timedelta(hours=1))
    if n <= hours:
        return [start + timedelta(hours=i * hours // n) for i in range(n)], False
    cells = int((end - start) / timedelta(minutes=5))
    return [start + timedelta(minutes=5 * (i * cells // n)) for i in range(n)], True


def fresh(firestore: emulators.Firestore, client: Any) -> None:
    """An empty store with the bench's booking settings: every case starts alike."""
    firestore.clear()
    client.collection("settings").document("booking").set(SETTINGS)


def availability_case(
    firestore: emulators.Firestore,
    client: Any,
    counter: StoreCounter,
    app: Any,
    base: str,
    days: int,
    load: int,
    n: int,
    warm: int,
) -> AvailabilityCase:
    import requests

    from hearth.bookings import settings as booking_settings
    from hearth.rules import slots
    from hearth.store import bookings

    fresh(firestore, client)
    first = datetime.now(VISITOR).date() + timedelta(days=1)  # a whole day, all of it ahead
    last = first + timedelta(days=days - 1)
    window = slots.local_window(first, last, VISITOR)
    starts, overlapping = spread(window.start, window.end, load)
    seed_bookings(client, starts, uuid.uuid4().hex[:6])
    query = {
        "type": "intro",
        "from": first.isoformat(),
        "to": last.isoformat(),
        "tz": VISITOR.key,
    }

    def in_process(_: int) -> Any:
        response = app.get("/", query_string=query)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response

    session = requests.Session()

    def over_http(_: int) -> None:
        response = session.get(f"{base}/availability", params=query, timeout=30)
        assert response.status_code == 200, response.text

    for i in range(warm):  # imports, the channel, the server's first request; the store
        in_process(i)
        over_http(i)
    answer = in_process(0)
    free = sum(len(day["slots"]) for day in answer.get_json()["days"])
    in_process_figures = measure(in_process, n, counter)
    over_http_figures = measure(over_http, n, None)

    # The two parts of a request that may grow with the calls in the window, alone.
    margin = timedelta(minutes=15)
    rules = booking_settings.parse(SETTINGS).rules(HOURS_ZONE)
    meeting = rules.types["intro"]
    busy: list[slots.Interval] = []

    def busy_query(_: int) -> None:
        nonlocal busy
        busy = bookings.busy_between(client, window.start - margin, window.end + margin, 10)

    query_ms, _ = percentiles(timed(busy_query, n))
    now = datetime.now(UTC)
    open_ms, _ = percentiles(
        timed(lambda _: slots.open_slots(rules, meeting, window, busy, now), n)
    )
    assert len(busy) == load, (len(busy), load)
    return AvailabilityCase(
        days=days,
        bookings=load,
        overlapping=overlapping,
        in_process=in_process_figures,
        over_http=over_http_figures,
        query_ms=query_ms,
        days_read=len(bookings.busy_days(window.start - margin, window.end + margin)),
        open_slots_ms=open_ms,
        free_slots=free,
        body_kb=len(answer.get_data()) / 1024,
    )


class Slots:
    """Free starts for sequential bookings, APART from each other and from today."""

    def __init__(self, first: datetime) -> None:
        self.next = first

    def take(self) -> datetime:
        start, self.next = self.next, self.next + APART
        return start


def race(
    racers: int,
    start: datetime,
    post: Callable[[dict[str, Any]], int],
    client: Any,
    where: str,
    counter: StoreCounter | None,
) -> Race:
    """racers people press Book for one time at once, released together by a barrier.

    The wall time runs from the release to the last answer; the store is counted (when
    the racers are in-process) for the race alone, not for the check of what it left.
    """
    from google.cloud.firestore_v1.base_query import FieldFilter

    run = uuid.uuid4().hex[:6]
    barrier = threading.Barrier(racers)
    released: list[float] = []
    finished: list[float] = []

    def attempt(i: int) -> int:
        email = f"racer-{run}-{i}@example.org"
        body = booking_body(email, start, name=f"Racer {i}")
        barrier.wait()
        released.append(time.perf_counter())
        code = post(body)
        finished.append(time.perf_counter())
        return code

    uncounted = {"reads": math.nan, "writes": math.nan}
    counting = counter.per(1) if counter else nullcontext(uncounted)
    with counting as per, ThreadPoolExecutor(racers) as pool:
        codes = Counter(pool.map(attempt, range(racers)))
    stored = [
        snapshot
        for snapshot in client.collection("bookings")
        .where(filter=FieldFilter("start", "==", start))
        .stream()
        if snapshot.get("status") == "confirmed"
    ]
    seconds = max(finished) - min(released)
    return Race(where, racers, codes, len(stored), seconds, per["reads"], per["writes"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=15, help="requests per availability case")
    parser.add_argument("--bookings", type=int, default=40, help="bookings per booking figure")
    args = parser.parse_args()
    if not 1 <= args.bookings <= 100:
        # 3 x bookings (+ a few) sequential bookings, 26 hours apart, within 366 days.
        parser.error("--bookings must be 1 to 100: each booking takes 26 h of the horizon")
    for name in [*os.environ]:
        if name.startswith("HEARTH_GOOGLE_") or name in ("HEARTH_PROJECT",):
            os.environ.pop(name)
    os.environ.pop("FIRESTORE_EMULATOR_HOST", None)
    os.environ["GOOGLE_CLOUD_PROJECT"] = emulators.PROJECT
    began = time.perf_counter()

    with own_firestore("booking") as firestore:
        import functions_framework
        import requests

        from hearth.store import client as db

        db.reset()
        client = db.client()
        counter = StoreCounter()
        counter.attach(client)
        source = str(ROOT / "functions/main.py")
        apps = {
            name: functions_framework.create_app(target=name, source=source).test_client()
            for name in ("availability", "book", "booking", "calendar_sync")
        }
        with functions_over_http() as base:
            print("Measuring GET /availability…", flush=True)
            cases = [
                availability_case(
                    firestore,
                    client,
                    counter,
                    apps["availability"],
                    base,
                    days,
                    load,
                    args.n,
                    warm=1 if index else 3,  # the first case also warms the imports
                )
                for index, (days, load) in enumerate(itertools.product(WINDOWS, LOADS))
            ]

            print("Measuring POST /book, cancel and reschedule…", flush=True)
            fresh(firestore, client)
            today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
            free = Slots(today + timedelta(days=2))
            run = uuid.uuid4().hex[:6]
            session = requests.Session()
            made: dict[str, list[dict[str, Any]]] = {"new": [], "returning": []}

            def book_in_process(email: str, kind: str | None = None) -> dict[str, Any]:
                response = apps["book"].post("/", json=booking_body(email, free.take()))
                assert response.status_code == 201, response.get_data(as_text=True)
                view = response.get_json()["booking"]
                if kind:
                    made[kind].append(view)
                return view

            def book_over_http(i: int) -> None:
                body = booking_body(f"http-{run}-{i}@example.org", free.take())
                response = session.post(f"{base}/book", json=body, timeout=30)
                assert response.status_code == 201, response.text

            for i in range(3):  # warm both paths
                book_in_process(f"warm-{run}-{i}@example.org")
                book_over_http(10_000 + i)
            n = args.bookings
            new = measure(lambda i: book_in_process(f"p-{run}-{i}@example.org", "new"), n, counter)
            returning = measure(
                lambda i: book_in_process(f"p-{run}-{i}@example.org", "returning"), n, counter
            )
            new_http = measure(book_over_http, n, None)
            cells = len(
                client.collection("bookings").document(made["new"][0]["id"]).get().get("lockIds")
            )

            # Beside a full day: `book` reads the busy days its time and buffer touch,
            # however many calls they hold.
            full_day = free.take() + timedelta(days=2)
            seed_bookings(client, [full_day + timedelta(hours=h) for h in range(24)], run)
            after = full_day + timedelta(days=1, minutes=30)
            with counter.per(5) as beside_full:
                for k in range(5):
                    response = apps["book"].post(
                        "/",
                        json=booking_body(
                            f"full-{run}-{k}@example.org", after + timedelta(hours=2 * k)
                        ),
                    )
                    assert response.status_code == 201, response.get_data(as_text=True)
            free.next = after + timedelta(days=3)

            def cancel(i: int) -> None:
                view = made["new"][i]
                response = apps["booking"].post(
                    f"/{view['id']}/cancel", json={"token": token_of(view), "reason": "Bench"}
                )
                assert response.status_code == 200, response.get_data(as_text=True)

            def reschedule(i: int) -> None:
                view = made["returning"][i]
                later = datetime.fromisoformat(view["start"]) + timedelta(hours=2)
                response = apps["booking"].post(
                    f"/{view['id']}/reschedule", json={"token": token_of(view), "start": z(later)}
                )
                assert response.status_code == 200, response.get_data(as_text=True)

            cancelled = measure(cancel, n, counter)
            moved = measure(reschedule, n, counter)

            print("Racing for one slot…", flush=True)

            def post_in_process(body: dict[str, Any]) -> int:
                return apps["book"].post("/", json=body).status_code

            def post_over_http(body: dict[str, Any]) -> int:
                return requests.post(f"{base}/book", json=body, timeout=60).status_code

            races = [
                *(
                    race(racers, free.take(), post_in_process, client, "in-process", counter)
                    for racers in RACES
                ),
                race(RACES[-1], free.take(), post_over_http, client, "over HTTP", None),
            ]

            print("Running the calendar sync with nothing to do…", flush=True)

            def sync(_: int) -> None:
                response = apps["calendar_sync"].post("/")
                assert response.status_code == 200, response.get_data(as_text=True)

            idle = {}
            for connected in (False, True):
                # Connected means a calendar id is set: with no call waiting, Google is
                # never asked (credentials are read on the first call), only the store.
                if connected:
                    os.environ["HEARTH_GOOGLE_CALENDAR_ID"] = "bench@example.org"
                idle[connected] = measure(sync, args.n, counter)
                os.environ.pop("HEARTH_GOOGLE_CALENDAR_ID", None)
    elapsed = time.perf_counter() - began

    print()
    print(
        "Booking benchmark (emulator on this machine; hours every day 00:00-24:00 "
        f"{HOURS_ZONE}, no notice, no Google Calendar)"
    )
    print(
        f"GET /availability, intro call, visitor in {VISITOR.key} ({args.n} requests each; "
        "reads per request in-process)"
    )
    print(
        f"  {'days':>4} {'calls':>6} {'p50 ms':>8} {'p95 ms':>8} {'HTTP p50':>9} {'HTTP p95':>9}"
        f" {'reads':>7} {'query ms':>9} {'open_slots ms':>14} {'free slots':>11} {'body KB':>8}"
    )
    for case in cases:
        mark = "*" if case.overlapping else " "
        print(
            f"  {case.days:>4} {case.bookings:>5}{mark} {case.in_process.p50:>8.2f}"
            f" {case.in_process.p95:>8.2f} {case.over_http.p50:>9.2f} {case.over_http.p95:>9.2f}"
            f" {case.in_process.reads:>7.1f} {case.query_ms:>9.2f} {case.open_slots_ms:>14.2f}"
            f" {case.free_slots:>11} {case.body_kb:>8.1f}"
        )
    print(
        "  query ms: reading the busy days (bookings.busy_between) alone; open_slots ms: "
        "slots.open_slots alone (pure)"
    )
    for days in WINDOWS:
        same = [case for case in cases if case.days == days]
        figures = ", ".join(f"{case.in_process.reads:g}" for case in same)
        calls = ", ".join(f"{case.bookings:,}" for case in same)
        print(
            f"  reads per request, {days} days: {figures} with {calls} calls"
            f" ({same[0].days_read} UTC days the window and its buffer touch, + the settings)"
        )
    if any(case.overlapping for case in cases):
        print(
            "  * more calls than the window holds (one an hour around the clock: 336 in 14 days),"
            " so they overlap; stored through the store's put, not booked"
        )
    print(f"POST /book, 30-min intro call ({args.bookings} sequential bookings each)")
    print(f"  {'':34}{'p50 ms':>9}{'p95 ms':>9}{'reads':>8}{'writes':>8}")
    for label, figures in (
        ("new customer (in-process)", new),
        ("returning customer (in-process)", returning),
        ("new customer over HTTP (stack)", new_http),
    ):
        counted = "" if math.isnan(figures.reads) else f"{figures.reads:8.2f}{figures.writes:8.2f}"
        print(f"  {label:34}{figures.p50:9.2f}{figures.p95:9.2f}{counted}")
    print(
        f"  writes include {cells} slot-lock cells (30 min + 15 min buffer, 5-min cells), "
        "the booking, its timeline entry, its booking.created event and its busy day"
    )
    print(
        f"  beside a full day (24 calls in the day before): {beside_full['reads']:.2f} reads, "
        f"{beside_full['writes']:.2f} writes per booking"
    )
    print(f"/booking/{{id}} with the signed link ({args.bookings} each, in-process)")
    print(f"  {'':34}{'p50 ms':>9}{'p95 ms':>9}{'reads':>8}{'writes':>8}")
    for label, figures in (("cancel", cancelled), ("reschedule (+2 h)", moved)):
        print(
            f"  {label:34}{figures.p50:9.2f}{figures.p95:9.2f}"
            f"{figures.reads:8.2f}{figures.writes:8.2f}"
        )
    print("Race: concurrent POST /book for one slot (exactly one 201 expected)")
    for outcome in races:
        codes = ", ".join(f"{count} x {code}" for code, count in sorted(outcome.codes.items()))
        store = (
            ""
            if math.isnan(outcome.reads)
            else f"; {outcome.reads:.0f} reads, {outcome.writes:.0f} writes in all"
        )
        print(
            f"  {outcome.racers} racers {outcome.where:>10}: {codes} in {outcome.seconds:.2f} s;"
            f" {outcome.stored} booking stored{store}   {'OK' if outcome.ok else 'FAILED'}"
        )
    print("calendar_sync with no call waiting (the scheduler runs it every minute)")
    for connected, figures in idle.items():
        label = "Google Calendar connected" if connected else "no calendar connected"
        print(f"  {label}: {figures.reads:.2f} reads, {figures.writes:.2f} writes per run")
    print(f"  whole benchmark: {elapsed:.0f} s")
    if not all(outcome.ok for outcome in races):
        print("A race did not end with exactly one booking.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
