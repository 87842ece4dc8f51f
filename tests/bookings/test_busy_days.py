"""Free times cost the same whatever is booked, and the busy days say exactly what is.

/availability is public: every visitor who opens the widget, and every bot, pays for it.
It reads one busyDays document per UTC day of the window (and the settings), never one
document per booked call, so these tests count what one request reads, on the real
emulator and the client's real gRPC channel, with 0, 10 and 50 calls in the window; and
they compare the busy days with the confirmed bookings after booking, cancelling,
rescheduling, retrying and racing.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from tests.bookings.test_book import book as widget_book
from tests.store_counter import StoreCounter

MALTA = ZoneInfo("Europe/Malta")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Open around the clock, bookable now: calls may run over midnight, and every window is
# full of slots whatever the day the tests run.
ALL_DAY = {
    "timeZone": "Europe/Malta",
    "hours": {day: ["00:00-24:00"] for day in WEEKDAYS},
    "minNoticeMinutes": 0,
    "horizonDays": 366,
}


pytestmark = pytest.mark.usefixtures("settings_env")


@pytest.fixture
def clients(db, function_client) -> dict[str, Any]:
    db.collection("settings").document("booking").set(ALL_DAY)
    return {name: function_client(name) for name in ("availability", "book", "booking")}


@pytest.fixture
def counter(db) -> Iterator[StoreCounter]:
    """Counts what the functions read: they share the server client the db fixture made."""
    counting = StoreCounter()
    counting.attach(db)
    yield counting


def z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def book(clients: dict[str, Any], at: datetime, **changes: Any) -> Any:
    """POST /book as the widget sends it, each time for a new caller."""
    caller = {"email": f"caller-{uuid.uuid4().hex[:8]}@example.org", "name": "A Caller"}
    return widget_book(clients, at, **{**caller, **changes})


def booked(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["booking"]


def token_of(view: dict[str, Any]) -> str:
    return parse_qs(urlsplit(view["manageUrl"]).query)["token"][0]


def first_day() -> date:
    return datetime.now(MALTA).date() + timedelta(days=2)


def free_starts(clients: dict[str, Any], first: date, last: date) -> set[str]:
    query = {"from": first.isoformat(), "to": last.isoformat(), "type": "intro"}
    response = clients["availability"].get("/", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return {slot["start"] for day in response.get_json()["days"] for slot in day["slots"]}


def reads_of_one_request(
    clients: dict[str, Any], counter: StoreCounter, first: date, last: date
) -> tuple[float, set[str]]:
    with counter.per(1) as per:
        starts = free_starts(clients, first, last)
    return per["reads"], starts


def utc_days(first: date, last: date, buffer: timedelta) -> list[str]:
    """The UTC days Malta's days first..last touch, with the buffer either side."""
    start = datetime.combine(first, datetime.min.time(), MALTA) - buffer
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), MALTA) + buffer
    day, days = start.astimezone(UTC).date(), []
    while datetime.combine(day, datetime.min.time(), UTC) < end:
        days.append(day.isoformat())
        day += timedelta(days=1)
    return days


def confirmed_calls(db) -> dict[str, tuple[datetime, datetime]]:
    return {
        snapshot.id: (snapshot.get("start"), snapshot.get("end"))
        for snapshot in db.collection("bookings").stream()
        if snapshot.get("status") == "confirmed"
    }


def assert_busy_days_are_the_confirmed_calls(db) -> None:
    """Every confirmed call is in each UTC day it touches and in no other; nothing else is."""
    wanted: dict[str, dict[str, tuple[datetime, datetime]]] = {}
    for booking_id, (start, end) in confirmed_calls(db).items():
        day = start.astimezone(UTC).date()
        while datetime(day.year, day.month, day.day, tzinfo=UTC) < end:
            wanted.setdefault(day.isoformat(), {})[booking_id] = (start, end)
            day += timedelta(days=1)
    stored = {
        snapshot.id: {
            booking_id: (call["start"], call["end"])
            for booking_id, call in (snapshot.to_dict() or {}).get("calls", {}).items()
        }
        for snapshot in db.collection("busyDays").stream()
    }
    assert {day: calls for day, calls in stored.items() if calls} == wanted


def test_free_times_cost_the_same_reads_with_0_10_and_50_calls(clients, db, counter) -> None:
    first = first_day()
    last = first + timedelta(days=13)  # the widget's two weeks
    reads, starts = reads_of_one_request(clients, counter, first, last)
    # One per UTC day the window and its 15-minute buffer touch (16 for 14 Malta days), and
    # the settings; nothing per call.
    assert reads == len(utc_days(first, last, buffer=timedelta(minutes=15))) + 1
    opening = datetime(first.year, first.month, first.day, 9, tzinfo=MALTA)
    calls = [opening + timedelta(hours=2 * n) for n in range(50)]  # over four days
    made = 0
    for count in (10, 50):
        for start in calls[made:count]:
            booked(book(clients, start))
        made = count
        after, now_free = reads_of_one_request(clients, counter, first, last)
        assert after == reads, (count, after, reads)
        # The calls are really there: none is offered, nor the half hours beside them.
        for start in calls[:count]:
            for near in (-30, 0, 30):
                assert z(start + timedelta(minutes=near)) not in now_free
        assert now_free < starts
    assert len(confirmed_calls(db)) == 50
    assert_busy_days_are_the_confirmed_calls(db)


def test_booking_checks_its_time_against_one_day_not_every_call(clients, db, counter) -> None:
    opening = datetime.combine(first_day(), datetime.min.time(), MALTA) + timedelta(hours=12)
    for n in range(10):  # the day is full of calls before the one being counted
        booked(book(clients, opening - timedelta(hours=n + 1)))
    with counter.per(1) as busy_day:
        booked(book(clients, opening + timedelta(hours=2)))
    with counter.per(1) as empty_day:
        booked(book(clients, opening + timedelta(days=3)))
    assert busy_day["reads"] == empty_day["reads"]


def test_busy_days_follow_book_cancel_reschedule_and_retries(clients, db) -> None:
    day = first_day()
    at = datetime.combine(day, datetime.min.time(), MALTA)
    plain = booked(book(clients, at + timedelta(hours=10)))
    # 23:30 to 00:30 UTC (early morning in Malta, summer or winter): in both UTC days.
    over_midnight_at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(
        days=1, minutes=-30
    )
    over_midnight = booked(book(clients, over_midnight_at, type="project"))
    cancelled = booked(book(clients, at + timedelta(hours=14)))
    moved_far = booked(book(clients, at + timedelta(hours=16)))
    moved_near = booked(book(clients, at + timedelta(hours=18)))
    assert_busy_days_are_the_confirmed_calls(db)
    assert {plain["id"], over_midnight["id"]} <= set(confirmed_calls(db))

    # A retry of the same booking (same submission id) stores nothing twice.
    retry_id = uuid.uuid4().hex
    retry = {"submission_id": retry_id, "email": "twice@example.org"}
    booked(book(clients, at + timedelta(hours=20), **retry))
    again = book(clients, at + timedelta(hours=20), **retry)
    assert again.status_code in (200, 201), again.get_data(as_text=True)
    assert_busy_days_are_the_confirmed_calls(db)

    manage = clients["booking"]
    for _ in range(2):  # cancelling twice is a retry, not a second change
        response = manage.post(f"/{cancelled['id']}/cancel", json={"token": token_of(cancelled)})
        assert response.status_code == 200, response.get_data(as_text=True)
    for view, start in (
        (moved_far, at + timedelta(days=5, hours=9)),
        (moved_near, at + timedelta(hours=19)),
        (over_midnight, at + timedelta(days=2, hours=9)),
    ):
        response = manage.post(
            f"/{view['id']}/reschedule", json={"token": token_of(view), "start": z(start)}
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        assert_busy_days_are_the_confirmed_calls(db)
    # What was left is free again, what was taken is not.
    starts = free_starts(clients, day - timedelta(days=1), day + timedelta(days=6))
    assert z(at + timedelta(hours=14)) in starts
    assert z(at + timedelta(hours=16)) in starts
    assert z(over_midnight_at) in starts
    assert z(at + timedelta(days=5, hours=9)) not in starts
    assert z(at + timedelta(hours=10)) not in starts


@pytest.mark.parametrize("racers", [20, 50])
def test_a_race_for_one_slot_leaves_one_call_in_the_busy_day(clients, db, racers) -> None:
    start = datetime.combine(first_day(), datetime.min.time(), MALTA) + timedelta(hours=11)
    barrier = threading.Barrier(racers)

    def attempt(n: int) -> int:
        barrier.wait()
        return book(clients, start, email=f"racer{n}@example.org").status_code

    with ThreadPoolExecutor(racers) as pool:
        codes = sorted(pool.map(attempt, range(racers)))
    assert codes == [201] + [409] * (racers - 1)
    assert len(confirmed_calls(db)) == 1
    assert_busy_days_are_the_confirmed_calls(db)


def test_calls_booked_at_once_on_one_day_are_all_in_its_busy_day(clients, db) -> None:
    """Ten people book ten different times of one day at the same moment: every one is
    booked and none is lost from the day, since each writes only its own entry."""
    opening = datetime.combine(first_day(), datetime.min.time(), MALTA) + timedelta(hours=8)
    barrier = threading.Barrier(10)

    def attempt(n: int) -> int:
        barrier.wait()
        return book(clients, opening + timedelta(hours=n)).status_code

    with ThreadPoolExecutor(10) as pool:
        assert list(pool.map(attempt, range(10))) == [201] * 10
    assert len(confirmed_calls(db)) == 10
    assert_busy_days_are_the_confirmed_calls(db)


def test_slot_cells_and_busy_days_expire_a_day_after_their_time(clients, db) -> None:
    """Firestore's TTL policy (deploy/functions.toml) deletes them then: a past time is
    never offered or checked again, so nothing about it needs keeping."""
    at = datetime.combine(first_day(), datetime.min.time(), MALTA) + timedelta(hours=10)
    view = booked(book(clients, at))
    rescheduled_to = at + timedelta(days=1)
    moved = clients["booking"].post(
        f"/{view['id']}/reschedule", json={"token": token_of(view), "start": z(rescheduled_to)}
    )
    assert moved.status_code == 200, moved.get_data(as_text=True)

    cells = list(db.collection("slotLocks").stream())
    assert cells  # the rescheduled call's cells, made by reschedule
    for snapshot in cells:
        cell = datetime.strptime(snapshot.id, "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
        assert snapshot.get("expiresAt") == cell + timedelta(days=1)
    day = rescheduled_to.astimezone(UTC).date()
    day_starts = datetime.combine(day, datetime.min.time(), UTC)
    busy = db.collection("busyDays").document(day.isoformat()).get()
    assert busy.get("expiresAt") == day_starts + timedelta(days=2)  # the day's end, + 1 day
