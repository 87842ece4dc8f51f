"""Booking a call on the real Firestore emulator, with Google Calendar as a local fake.

The functions run in-process the way the framework serves them; Google Calendar is
the real google-api-python-client talking HTTP to devstack's fake Calendar server, so
what Google would be sent (and an outage) is exactly what these tests see.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
from google.cloud.firestore_v1.base_query import FieldFilter

from devstack.fake_calendar import FakeCalendar
from tests.outage import store_down

MALTA = ZoneInfo("Europe/Malta")
FALLBACK = "https://meet.example.org/studio-lumen"


@pytest.fixture(scope="module")
def fake_calendar() -> Iterator[FakeCalendar]:
    with FakeCalendar() as fake:
        yield fake


pytestmark = pytest.mark.usefixtures("settings_env")


@pytest.fixture
def calendar(
    fake_calendar: FakeCalendar, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> FakeCalendar:
    """Google Calendar connected (to the fake), emptied for this test."""
    fake_calendar.reset()
    for name, value in fake_calendar.dev_env(tmp_path, calendar_id="studio@example.org").items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HEARTH_GOOGLE_TIMEOUT_S", "3")
    return fake_calendar


@pytest.fixture
def clients(db, function_client) -> dict[str, Any]:
    return {
        name: function_client(name) for name in ("availability", "book", "booking", "calendar_sync")
    }


def malta(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=MALTA).astimezone(UTC)


def next_weekday(weekday: int = 1, at_least_days: int = 2) -> date:
    """A working day comfortably beyond the minimum notice (Tuesday by default)."""
    day = datetime.now(MALTA).date() + timedelta(days=at_least_days)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def book(clients: dict[str, Any], at: datetime, **changes: Any) -> Any:
    """POST /book as the widget sends it; a change of None leaves that field out."""
    body = {
        "email": "ana.borg@example.org",
        "name": "Ana Borg",
        "start": z(at),
        "tz": "Europe/Malta",
        "type": "intro",
        "consent": True,
        "submission_id": uuid.uuid4().hex,
        "elapsed_ms": 5000,
    }
    body.update(changes)
    return clients["book"].post("/", json={k: v for k, v in body.items() if v is not None})


def booked(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["booking"]


def day_slots(clients: dict[str, Any], day: date, **params: str) -> list[str]:
    query = {"from": day.isoformat(), "to": day.isoformat(), "type": "intro", **params}
    response = clients["availability"].get("/", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    (only,) = response.get_json()["days"]
    return [slot["start"] for slot in only["slots"]]


def settings(db, **values: Any) -> None:
    db.collection("settings").document("booking").set(values)


def token_of(view: dict[str, Any]) -> str:
    return parse_qs(urlsplit(view["manageUrl"]).query)["token"][0]


# --- availability ---------------------------------------------------------------------


def test_a_working_day_offers_office_hours_in_malta_time(clients) -> None:
    day = next_weekday()
    starts = day_slots(clients, day)
    assert starts[0] == z(malta(day, 9))
    assert starts[-1] == z(malta(day, 16, 30))
    assert len(starts) == 16  # every half hour from 09:00 to 16:30


def test_weekends_are_closed_and_every_asked_day_is_listed(clients) -> None:
    saturday = next_weekday(5)
    response = clients["availability"].get(
        "/",
        query_string={"from": saturday.isoformat(), "to": (saturday + timedelta(1)).isoformat()},
    )
    days = response.get_json()["days"]
    assert [d["date"] for d in days] == [
        saturday.isoformat(),
        (saturday + timedelta(1)).isoformat(),
    ]
    assert all(d["slots"] == [] for d in days)


def test_slots_come_in_the_visitors_time_zone(clients) -> None:
    day = next_weekday()
    response = clients["availability"].get(
        "/",
        query_string={"from": day.isoformat(), "to": day.isoformat(), "tz": "America/New_York"},
    )
    answer = response.get_json()
    assert answer["timeZone"] == "Europe/Malta"
    assert answer["visitorTimeZone"] == "America/New_York"
    first = answer["days"][0]["slots"][0]
    assert first["start"] == z(malta(day, 9))  # 09:00 in Malta is the small hours in New York
    assert first["time"] == malta(day, 9).astimezone(ZoneInfo("America/New_York")).strftime("%H:%M")
    assert first["local"].endswith("-05:00") or first["local"].endswith("-04:00")


def test_the_malta_spring_switch_moves_office_hours_an_hour_earlier_in_utc(clients, db) -> None:
    settings(db, hours={day: ["09:00-17:00"] for day in ("sat", "sun")}, horizonDays=366)
    saturday, sunday = date(2027, 3, 27), date(2027, 3, 28)
    assert day_slots(clients, saturday)[0] == "2027-03-27T08:00:00Z"  # CET, UTC+1
    assert day_slots(clients, sunday)[0] == "2027-03-28T07:00:00Z"  # CEST from 02:00, UTC+2
    assert len(day_slots(clients, sunday)) == 16


def test_a_booked_call_and_its_buffer_are_not_offered(clients) -> None:
    day = next_weekday()
    booked(book(clients, malta(day, 10)))
    starts = day_slots(clients, day)
    # 10:00 is taken; 09:30 and 10:30 would leave less than the 15-minute buffer.
    for hour, minute in ((9, 30), (10, 0), (10, 30)):
        assert z(malta(day, hour, minute)) not in starts
    assert z(malta(day, 9)) in starts and z(malta(day, 11)) in starts


def test_busy_times_in_google_calendar_are_not_offered(clients, calendar) -> None:
    day = next_weekday()
    calendar.add_busy(malta(day, 13), malta(day, 14))
    response = clients["availability"].get(
        "/", query_string={"from": day.isoformat(), "to": day.isoformat()}
    )
    assert response.get_json()["calendarChecked"] is True
    starts = [s["start"] for s in response.get_json()["days"][0]["slots"]]
    assert z(malta(day, 13)) not in starts and z(malta(day, 12, 30)) not in starts
    assert z(malta(day, 14, 30)) in starts
    (query,) = [r for r in calendar.requests if r["path"].endswith("/freeBusy")]
    assert query["json"]["items"] == [{"id": "studio@example.org"}]


def test_a_calendar_outage_still_answers_from_the_bookings(clients, calendar) -> None:
    calendar.set_down(True)
    day = next_weekday()
    response = clients["availability"].get(
        "/", query_string={"from": day.isoformat(), "to": day.isoformat()}
    )
    assert response.status_code == 200
    assert response.get_json()["calendarChecked"] is False
    assert len(response.get_json()["days"][0]["slots"]) == 16


def test_a_booking_link_keeps_its_hours_in_its_own_time_zone(clients, db) -> None:
    db.collection("bookingLinks").document("spring-show-2026").set(
        {"label": "Spring Show", "timeZone": "America/New_York"}
    )
    day = next_weekday()
    starts = day_slots(clients, day, source="spring-show-2026")
    new_york = datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo("America/New_York"))
    assert starts[0] == z(new_york)
    response = booked(book(clients, new_york, source="spring-show-2026"))
    assert response["source"] == "spring-show-2026"
    customer = db.collection("customers").document("ana.borg@example.org").get().to_dict()
    assert customer["firstSource"] == "spring-show-2026"


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ({"type": "lunch"}, "type", "Unknown meeting type"),
        ({"tz": "Mars/Olympus"}, "tz", "not a time zone"),
        ({"tz": "../../etc/passwd"}, "tz", "not a time zone"),
        ({"from": "tomorrow"}, "from", "date"),
        ({"from": "2030-01-10", "to": "2030-01-01"}, "to", "before"),
        ({"from": "2030-01-01", "to": "2030-06-01"}, "to", "at most"),
        # At the ends of the calendar a day's arithmetic would overflow: refused first.
        ({"from": "9999-12-31"}, "from", "between the years"),
        ({"from": "0001-01-01", "to": "0001-01-02"}, "from", "between the years"),
    ],
)
def test_bad_availability_questions_name_the_field(clients, query, field, words) -> None:
    response = clients["availability"].get("/", query_string=query)
    assert response.status_code == 400
    assert words.lower() in response.get_json()["fields"][field].lower()


# --- booking --------------------------------------------------------------------------


def test_booking_makes_the_customer_the_booking_and_the_meet_event(clients, calendar, db) -> None:
    day = next_weekday()
    view = booked(book(clients, malta(day, 10), mobile="7912 3456", notes="A new logo"))
    assert view["status"] == "confirmed"
    assert view["start"] == z(malta(day, 10)) and view["end"] == z(malta(day, 10, 30))
    assert view["videoLink"].startswith("https://meet.google.com/")
    assert view["calendar"] == "synced"

    stored = db.collection("bookings").document(view["id"]).get().to_dict()
    assert stored["customerKey"] == "ana.borg@example.org"
    assert stored["status"] == "confirmed" and stored["source"] == "booking"
    assert stored["calendarEventId"] and stored["videoLink"] == view["videoLink"]
    customer = db.collection("customers").document("ana.borg@example.org").get().to_dict()
    assert customer["name"] == "Ana Borg" and customer["mobile"] == "+35679123456"
    assert "booking" in customer["forms"] and customer["consent"]["marketing"] is True
    kinds = {
        e.to_dict()["type"]
        for e in db.collection("customers/ana.borg@example.org/activity").stream()
    }
    assert kinds == {"form_submission", "booking"}

    (insert,) = [r for r in calendar.requests if r["method"] == "POST" and "/events" in r["path"]]
    assert insert["query"]["conferenceDataVersion"] == "1"
    assert insert["query"]["sendUpdates"] == "all"
    assert insert["json"]["attendees"] == [
        {"email": "ana.borg@example.org", "displayName": "Ana Borg"}
    ]
    assert insert["json"]["conferenceData"]["createRequest"]["conferenceSolutionKey"] == {
        "type": "hangoutsMeet"
    }
    assert insert["json"]["start"]["timeZone"] == "Europe/Malta"


def test_each_booking_asks_google_for_a_fresh_meet_room(clients, calendar) -> None:
    day = next_weekday()
    booked(book(clients, malta(day, 10)))
    booked(book(clients, malta(day, 14), email="joe@example.org"))
    ids = [
        r["json"]["conferenceData"]["createRequest"]["requestId"]
        for r in calendar.requests
        if r["method"] == "POST" and "/events" in r["path"]
    ]
    assert len(ids) == 2 and len(set(ids)) == 2


def test_a_retried_booking_is_the_same_booking(clients, calendar, db) -> None:
    day = next_weekday()
    submission = uuid.uuid4().hex
    first = booked(book(clients, malta(day, 10), submission_id=submission))
    again = book(clients, malta(day, 10), submission_id=submission)
    assert again.status_code == 200
    assert again.get_json()["booking"]["id"] == first["id"]
    assert len(list(db.collection("bookings").stream())) == 1
    assert len(calendar.events) == 1


def test_a_submission_id_reused_for_another_time_is_refused(clients) -> None:
    day = next_weekday()
    submission = uuid.uuid4().hex
    booked(book(clients, malta(day, 10), submission_id=submission))
    response = book(clients, malta(day, 14), submission_id=submission)
    assert response.status_code == 400
    assert "already used" in response.get_json()["fields"]["submission_id"]


def test_twenty_people_racing_for_one_slot_get_one_booking(clients, db) -> None:
    day = next_weekday()
    start = malta(day, 11)
    barrier = threading.Barrier(20)

    def attempt(n: int) -> Any:
        barrier.wait()
        return book(clients, start, email=f"racer{n}@example.org", name=f"Racer {n}")

    with ThreadPoolExecutor(20) as pool:
        responses = list(pool.map(attempt, range(20)))
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * 19
    for response in responses:
        if response.status_code == 409:
            assert response.get_json()["error"] == "slot_taken"
            assert "just taken" in response.get_json()["message"]
    confirmed = list(
        db.collection("bookings").where(filter=FieldFilter("status", "==", "confirmed")).stream()
    )
    assert len(confirmed) == 1


def test_a_longer_call_blocks_the_shorter_ones_it_overlaps(clients) -> None:
    day = next_weekday()
    booked(book(clients, malta(day, 10), type="project"))  # 10:00–11:00
    response = book(clients, malta(day, 11), email="joe@example.org")  # inside the buffer
    assert response.status_code == 409
    booked(book(clients, malta(day, 11, 30), email="joe@example.org"))


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"start": "2020-01-07T10:00:00Z"}, "start", "passed"),
        ({"start": "NEXT_DAY_03:00"}, "start", "not an open time"),
        ({"start": "NEXT_DAY_10:07"}, "start", "not an open time"),
        ({"start": "2026-11-24T10:00:00"}, "start", "offset"),
        ({"start": "0001-01-01T00:30:00+01:00"}, "start", "between the years"),
        ({"start": "9999-12-31T23:30:00-01:00"}, "start", "between the years"),
        ({"start": "soon"}, "start", "datetime"),
        ({"start": None}, "start", "required"),
        ({"type": "lunch"}, "type", "Unknown meeting type"),
        ({"tz": "Europe/Atlantis"}, "tz", "not a time zone"),
        ({"email": "ana@"}, "email", "not a valid e-mail"),
        ({"notes": "x" * 2001}, "notes", "2000"),
        ({"submission_id": "short"}, "submission_id", "pattern"),
        ({"colour": "blue"}, "colour", "Unknown field"),
    ],
)
def test_bad_bookings_are_refused_with_the_field_and_why(clients, changes, field, words) -> None:
    day = next_weekday()
    if isinstance(changes.get("start"), str) and changes["start"].startswith("NEXT_DAY_"):
        hour, minute = changes["start"].removeprefix("NEXT_DAY_").split(":")
        changes = {**changes, "start": z(malta(day, int(hour), int(minute)))}
    response = book(clients, malta(day, 10), **changes)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert words.lower() in response.get_json()["fields"][field].lower()


def test_too_short_notice_and_too_far_ahead_are_refused(clients, db) -> None:
    settings(db, minNoticeMinutes=60 * 24 * 30)
    response = book(clients, malta(next_weekday(at_least_days=2), 10))
    assert response.status_code == 400 and "too soon" in response.get_json()["fields"]["start"]
    settings(db, horizonDays=14)
    response = book(clients, malta(next_weekday(at_least_days=20), 10))
    assert response.status_code == 400 and "too far" in response.get_json()["fields"]["start"]


def test_a_slot_busy_in_google_calendar_cannot_be_booked(clients, calendar) -> None:
    day = next_weekday()
    calendar.add_busy(malta(day, 10), malta(day, 11))
    response = book(clients, malta(day, 10))
    assert response.status_code == 409


def test_without_a_calendar_the_fallback_link_is_used(clients, db) -> None:
    settings(db, fallbackVideoLink=FALLBACK)
    view = booked(book(clients, malta(next_weekday(), 10)))
    assert view["videoLink"] == FALLBACK and view["calendar"] == "off"


def test_without_a_calendar_or_a_fallback_there_is_no_link_and_the_booking_stands(clients) -> None:
    view = booked(book(clients, malta(next_weekday(), 10)))
    assert view["videoLink"] is None and view["status"] == "confirmed"


def test_a_calendar_outage_keeps_the_booking_and_the_sync_catches_up(clients, calendar, db) -> None:
    calendar.set_down(True)
    day = next_weekday()
    view = booked(book(clients, malta(day, 10)))
    assert view["status"] == "confirmed" and view["calendar"] == "pending"
    assert view["videoLink"] is None
    stored = db.collection("bookings").document(view["id"]).get().to_dict()
    assert stored["calendar"]["state"] == "pending" and stored["calendar"]["lastError"]
    # Still down: the scheduled run tries, keeps it pending, makes nothing twice.
    assert clients["calendar_sync"].post("/").get_json()["pending"] == 1
    assert book(clients, malta(day, 10), email="joe@example.org").status_code == 409

    calendar.set_down(False)
    assert clients["calendar_sync"].post("/").get_json() == {
        "synced": 1,
        "pending": 0,
        "failed": 0,
    }
    stored = db.collection("bookings").document(view["id"]).get().to_dict()
    assert stored["calendar"]["state"] == "synced"
    assert stored["videoLink"].startswith("https://meet.google.com/")
    assert len(calendar.events) == 1
    assert clients["calendar_sync"].post("/").get_json()["synced"] == 0  # nothing left to do


def test_a_store_outage_is_a_503_to_retry(clients, monkeypatch) -> None:
    with store_down(monkeypatch):
        response = book(clients, malta(next_weekday(), 10))
    assert response.status_code == 503
    assert response.headers["Retry-After"]


def test_a_bot_is_answered_but_holds_no_slot(clients, db, monkeypatch) -> None:
    response = book(clients, malta(next_weekday(), 10), website="http://spam.example")
    assert response.status_code == 201 and response.get_json()["booking"] is None
    assert list(db.collection("bookings").stream()) == []


def test_only_allowed_sites_may_book_from_a_browser(clients) -> None:
    response = clients["book"].post("/", json={}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert clients["book"].get("/").status_code == 405


# --- managing a booking ---------------------------------------------------------------


def test_the_signed_link_shows_the_booking_and_a_wrong_one_shows_nothing(clients) -> None:
    view = booked(book(clients, malta(next_weekday(), 10)))
    token = token_of(view)
    shown = clients["booking"].get(f"/{view['id']}", query_string={"token": token})
    assert shown.status_code == 200 and shown.get_json()["booking"]["id"] == view["id"]
    for bad in ("", "x" * 43, token[:-1] + ("A" if token[-1] != "A" else "B")):
        response = clients["booking"].get(f"/{view['id']}", query_string={"token": bad})
        assert response.status_code == 404
    other = clients["booking"].get("/bk_nosuchbooking", query_string={"token": token})
    assert other.status_code == 404


def test_cancelling_frees_the_slot_and_removes_the_event(clients, calendar, db) -> None:
    day = next_weekday()
    view = booked(book(clients, malta(day, 10)))
    response = clients["booking"].post(
        f"/{view['id']}/cancel", json={"token": token_of(view), "reason": "Ill"}
    )
    assert response.status_code == 200
    assert response.get_json()["booking"]["status"] == "cancelled"
    assert z(malta(day, 10)) in day_slots(clients, day)
    assert [r["method"] for r in calendar.requests if "/events/" in r["path"]] == ["DELETE"]
    entries = [
        e.to_dict() for e in db.collection("customers/ana.borg@example.org/activity").stream()
    ]
    (cancelled,) = [e for e in entries if e["type"] == "booking_cancelled"]
    assert cancelled["reason"] == "Ill" and cancelled["actor"] == {"kind": "signed_link"}
    again = clients["booking"].post(f"/{view['id']}/cancel", json={"token": token_of(view)})
    assert again.status_code == 200  # a retry is answered as done
    booked(book(clients, malta(day, 10), email="joe@example.org"))


def test_rescheduling_moves_the_call_the_event_and_the_timeline(clients, calendar, db) -> None:
    day = next_weekday()
    view = booked(book(clients, malta(day, 10)))
    moved = clients["booking"].post(
        f"/{view['id']}/reschedule", json={"token": token_of(view), "start": z(malta(day, 10, 30))}
    )
    assert moved.status_code == 200, moved.get_data(as_text=True)
    assert moved.get_json()["booking"]["start"] == z(malta(day, 10, 30))
    starts = day_slots(clients, day)
    assert z(malta(day, 9)) in starts and z(malta(day, 10, 30)) not in starts
    (patch,) = [r for r in calendar.requests if r["method"] == "PATCH"]
    assert patch["json"]["start"]["dateTime"].startswith(f"{day.isoformat()}T10:30")
    entries = [
        e.to_dict() for e in db.collection("customers/ana.borg@example.org/activity").stream()
    ]
    (entry,) = [e for e in entries if e["type"] == "booking_rescheduled"]
    assert entry["previous"]["start"] == malta(day, 10)
    # The old time is free for someone else now.
    booked(book(clients, malta(day, 9), email="joe@example.org"))


def test_rescheduling_onto_a_taken_time_or_a_cancelled_call_is_refused(clients) -> None:
    day = next_weekday()
    mine = booked(book(clients, malta(day, 10)))
    booked(book(clients, malta(day, 14), email="joe@example.org"))
    clash = clients["booking"].post(
        f"/{mine['id']}/reschedule", json={"token": token_of(mine), "start": z(malta(day, 14))}
    )
    assert clash.status_code == 409 and clash.get_json()["error"] == "slot_taken"
    clients["booking"].post(f"/{mine['id']}/cancel", json={"token": token_of(mine)})
    late = clients["booking"].post(
        f"/{mine['id']}/reschedule", json={"token": token_of(mine), "start": z(malta(day, 16))}
    )
    assert late.status_code == 409 and late.get_json()["error"] == "cancelled"


def test_the_ics_file_opens_as_the_call(clients, db) -> None:
    settings(db, fallbackVideoLink=FALLBACK)
    day = next_weekday()
    view = booked(book(clients, malta(day, 10)))
    path = urlsplit(view["icsUrl"])
    response = clients["booking"].get(path.path.removeprefix("/booking"), query_string=path.query)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    (event,) = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    assert event.decoded("dtstart") == malta(day, 10)
    assert FALLBACK in str(event.get("description"))
    wrong = clients["booking"].get(path.path.removeprefix("/booking"), query_string="token=nope")
    assert wrong.status_code == 404


# --- staff, from the admin page -------------------------------------------------------


def test_the_owner_books_for_a_customer_at_short_notice_and_is_on_the_timeline(
    clients, users, db
) -> None:
    headers = users.headers("owner", uid="owner-1")
    settings(db, minNoticeMinutes=60 * 24 * 30)  # visitors could book nothing this month
    at = malta(next_weekday(), 10)
    assert book(clients, at).status_code == 400
    response = clients["book"].post(
        "/",
        json={"email": "joe@example.org", "name": "Joe", "start": z(at), "type": "intro"},
        headers=headers,
    )
    view = booked(response)
    stored = db.collection("bookings").document(view["id"]).get().to_dict()
    assert stored["actor"]["kind"] == "staff" and stored["actor"]["uid"] == "owner-1"
    entries = [e.to_dict() for e in db.collection("customers/joe@example.org/activity").stream()]
    assert {e["actor"]["kind"] for e in entries} == {"staff"}
    # Staff manage it without the link's token.
    cancelled = clients["booking"].post(f"/{view['id']}/cancel", json={}, headers=headers)
    assert cancelled.status_code == 200


def test_a_rep_books_and_manages_only_their_own_customers_calls(clients, users, db) -> None:
    rep = users.headers("rep", uid="rep-a")
    other_rep = users.headers("rep", uid="rep-b")
    day = next_weekday()
    mine = booked(book(clients, malta(day, 10), email="mine@example.org"))
    db.collection("customers").document("mine@example.org").update({"ownerUid": "rep-a"})
    response = clients["book"].post(
        "/",
        json={"email": "mine@example.org", "start": z(malta(day, 14)), "type": "intro"},
        headers=rep,
    )
    booked(response)
    stranger = clients["book"].post(
        "/",
        json={"email": "stranger@example.org", "start": z(malta(day, 15)), "type": "intro"},
        headers=rep,
    )
    assert stranger.status_code == 404
    # Booked before the customer was assigned, so it named no rep.
    assert clients["booking"].get(f"/{mine['id']}", headers=rep).status_code == 404
    mine_now = response.get_json()["booking"]["id"]
    assert clients["booking"].get(f"/{mine_now}", headers=rep).status_code == 200
    assert clients["booking"].get(f"/{mine_now}", headers=other_rep).status_code == 404


def test_reassigning_or_renaming_a_customer_carries_over_to_their_calls(
    clients, function_client, users, db
) -> None:
    rep = users.headers("rep", uid="rep-a")
    view = booked(book(clients, malta(next_weekday(), 10), email="mine@example.org"))
    assert clients["booking"].get(f"/{view['id']}", headers=rep).status_code == 404
    customer = db.collection("customers").document("mine@example.org").get().to_dict()
    seen = customer["updatedAt"].isoformat().replace("+00:00", "Z")
    response = function_client("admin").patch(
        "/customers/mine@example.org",
        json={"expected_updated_at": seen, "changes": {"ownerUid": "rep-a", "name": "Mina"}},
        headers=users.headers("owner"),
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    stored = db.collection("bookings").document(view["id"]).get().to_dict()
    assert stored["ownerUid"] == "rep-a" and stored["customerName"] == "Mina"
    assert clients["booking"].get(f"/{view['id']}", headers=rep).status_code == 200


def test_a_partner_or_manager_may_not_book(clients, users) -> None:
    at = z(malta(next_weekday(), 10))
    for role in ("manager", "partner"):
        response = clients["book"].post(
            "/", json={"email": "x@example.org", "start": at}, headers=users.headers(role)
        )
        assert response.status_code == 403
    forged = clients["book"].post(
        "/", json={"email": "x@example.org", "start": at}, headers={"Authorization": "Bearer x"}
    )
    assert forged.status_code == 401


def test_staff_see_times_inside_the_minimum_notice_and_visitors_do_not(clients, users, db) -> None:
    settings(db, minNoticeMinutes=60 * 24 * 30)
    day = next_weekday()
    assert day_slots(clients, day) == []
    response = clients["availability"].get(
        "/",
        query_string={"from": day.isoformat(), "to": day.isoformat()},
        headers=users.headers("owner"),
    )
    assert response.get_json()["days"][0]["slots"][0]["start"] == z(malta(day, 9))


def test_a_named_booking_link_is_told_to_the_page(clients, db) -> None:
    db.collection("bookingLinks").document("spring-show-2026").set({"label": "Spring Show 2026"})
    day = next_weekday()
    query = {"from": day.isoformat(), "to": day.isoformat()}
    named = clients["availability"].get("/", query_string={**query, "source": "Spring Show 2026"})
    assert named.get_json()["link"] == {"source": "spring-show-2026", "label": "Spring Show 2026"}
    plain = clients["availability"].get("/", query_string={**query, "source": "instagram"})
    assert plain.get_json()["link"] is None


# --- the owner's settings and links, from the admin page -------------------------------


def test_the_owner_sets_working_hours_and_visitors_see_them_at_once(
    clients, function_client, users, db
) -> None:
    admin = function_client("admin")
    hours = {"mon": [], "tue": ["13:00-15:00"], "wed": [], "thu": [], "fri": []}
    response = admin.put(
        "/settings/booking",
        json={"hours": hours, "types": {"intro": {"label": "Chat", "minutes": 20}}},
        headers=users.headers("owner", uid="owner-1"),
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["settings"]["types"] == {"intro": {"label": "Chat", "minutes": 20}}
    stored = db.collection("settings").document("booking").get().to_dict()
    assert stored["updatedBy"]["uid"] == "owner-1"
    tuesday = next_weekday(1)
    starts = day_slots(clients, tuesday)
    # 20-minute calls every half hour; 14:30 still ends (14:50) before 15:00.
    assert starts == [z(malta(tuesday, h, m)) for h, m in ((13, 0), (13, 30), (14, 0), (14, 30))]
    assert day_slots(clients, next_weekday(2)) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"hours": {"mon": ["9 to 5"]}}, "hours"),
        ({"types": {"intro": {"label": "", "minutes": 30}}}, "types.intro.label"),
        ({"bufferMinutes": 7}, "bufferMinutes"),
        ({"timeZone": "Malta"}, "timeZone"),
        ({"defaultType": "lunch"}, "defaultType"),
    ],
)
def test_settings_that_would_not_work_are_refused_and_nothing_is_saved(
    function_client, users, db, body, field
) -> None:
    response = function_client("admin").put(
        "/settings/booking", json=body, headers=users.headers("owner")
    )
    assert response.status_code == 400, response.get_data(as_text=True)
    assert any(name.startswith(field) for name in response.get_json()["fields"])
    assert not db.collection("settings").document("booking").get().exists


def test_only_the_owner_changes_booking_settings_and_links(function_client, users, db) -> None:
    admin = function_client("admin")
    for role in ("rep", "manager", "partner"):
        headers = users.headers(role)
        assert admin.put("/settings/booking", json={}, headers=headers).status_code == 403
        assert admin.put("/booking-links/fair", json={}, headers=headers).status_code == 403
    assert admin.put("/settings/booking", json={}).status_code == 401
    assert not db.collection("settings").document("booking").get().exists


def test_the_owner_makes_and_removes_a_booking_link_with_its_own_zone(
    clients, function_client, users, db
) -> None:
    admin = function_client("admin")
    owner = users.headers("owner")
    made = admin.put(
        "/booking-links/spring-show-2026",
        json={"label": "Spring Show", "timeZone": "America/New_York"},
        headers=owner,
    )
    assert made.status_code == 200, made.get_data(as_text=True)
    assert made.get_json()["link"]["url"].endswith("/site/book.html?source=spring-show-2026")
    day = next_weekday()
    new_york = datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo("America/New_York"))
    assert day_slots(clients, day, source="spring-show-2026")[0] == z(new_york)
    bad = admin.put("/booking-links/fair", json={"timeZone": "Atlantis"}, headers=owner)
    assert bad.status_code == 400 and "timeZone" in bad.get_json()["fields"]
    assert admin.put("/booking-links/Not A Slug", json={}, headers=owner).status_code == 404
    assert admin.delete("/booking-links/spring-show-2026", headers=owner).status_code == 200
    assert day_slots(clients, day, source="spring-show-2026")[0] == z(malta(day, 9))


def test_the_owner_retries_a_call_google_refused_once_the_cause_is_fixed(
    clients, calendar, users, db
) -> None:
    view = booked(book(clients, malta(next_weekday(), 10)))
    ref = db.collection("bookings").document(view["id"])
    ref.update({"calendar.state": "failed", "calendar.lastError": "403 forbidden"})
    owner = users.headers("owner")
    shown = clients["booking"].get(f"/{view['id']}", headers=owner).get_json()["booking"]
    assert shown["calendar"] == "failed" and shown["calendarError"] == "403 forbidden"
    public = clients["booking"].get(f"/{view['id']}", query_string={"token": token_of(view)})
    assert public.get_json()["booking"]["calendar"] == "pending"
    assert public.get_json()["booking"]["calendarError"] is None
    retried = clients["booking"].post(f"/{view['id']}/sync", headers=owner)
    assert retried.status_code == 200
    assert retried.get_json()["booking"]["calendar"] == "synced"
    assert ref.get().to_dict()["calendar"]["lastError"] is None
    assert len([e for e in calendar.events if e["status"] != "cancelled"]) == 1
    link_only = clients["booking"].post(f"/{view['id']}/sync", json={"token": token_of(view)})
    assert link_only.status_code == 404


def test_a_booking_link_makes_its_source_a_booking_link_and_keeps_a_described_one(
    function_client, users, db
) -> None:
    admin = function_client("admin")
    owner = users.headers("owner")
    db.collection("sources").document("spring-show-2026").set(
        {"id": "spring-show-2026", "label": "Spring show", "kind": "trade_show"}
    )

    for source in ("spring-show-2026", "winter-fair"):
        made = admin.put(f"/booking-links/{source}", json={"label": "Fair"}, headers=owner)
        assert made.status_code == 200, made.get_data(as_text=True)

    fair = db.collection("sources").document("winter-fair").get().to_dict()
    assert (fair["kind"], fair["label"]) == ("booking_link", "Fair")
    show = db.collection("sources").document("spring-show-2026").get().to_dict()
    assert (show["kind"], show["label"]) == ("trade_show", "Spring show")
