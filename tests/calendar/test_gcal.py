"""Google Calendar through the real client: what goes over the wire, what comes back,
and which failures mean "later" and which mean "never".

Request and answer shapes are Google's documented ones (tests/fixtures/calendar),
sent through googleapiclient's own HttpMockSequence; the end-to-end cases go over HTTP
to devstack.fake_calendar, OAuth token refresh included.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import threading
import time
import urllib.parse
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from googleapiclient.http import HttpMockSequence

from devstack.fake_calendar import FakeCalendar, meet_code
from hearth import config
from hearth.calendar import google as gcal

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "calendar"
MEET = re.compile(r"^https://meet\.google\.com/[a-z]{3}-[a-z]{4}-[a-z]{3}$")
CALENDAR = "agent1@example.mt"


def fixture(name: str) -> dict[str, Any]:
    body = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    body.pop("_comment", None)
    return body


def ok(body: Any) -> tuple[dict[str, str], str]:
    return {"status": "200", "content-type": "application/json"}, json.dumps(body)


def fail(
    status: int, message: str = "nope", reason: str = "backendError"
) -> tuple[dict[str, str], str]:
    body = {"error": {"code": status, "message": message, "errors": [{"reason": reason}]}}
    return {"status": str(status), "content-type": "application/json"}, json.dumps(body)


def mocked(
    *answers: tuple[dict[str, str], str], calendar_id: str = CALENDAR, api_root: str | None = None
):
    http = HttpMockSequence(list(answers))
    return gcal.Calendar.over_http(http, calendar_id, api_root), http


def sent(http: HttpMockSequence, index: int = 0) -> tuple[str, str, dict[str, str], Any]:
    """(method, path, query, JSON body) of one request the client made."""
    uri, method, body, _ = http.request_sequence[index]
    parts = urllib.parse.urlsplit(uri)
    query = dict(urllib.parse.parse_qsl(parts.query))
    return (
        method,
        parts.scheme + "://" + parts.netloc + parts.path,
        query,
        json.loads(body) if body else None,
    )


def meet_spec(**changes: Any) -> gcal.EventSpec:
    """The booking the fixture's insert request describes (10:00 Malta = 08:00 UTC)."""
    spec = gcal.EventSpec(
        event_id=gcal.event_id_for("bk-7f3c2a"),
        request_id="crm-booking-7f3c2a",
        summary="Property viewing - Maria Borg",
        description="Intro call booked through Hearth.",
        start=datetime(2026, 7, 24, 8, 0, tzinfo=UTC),
        end=datetime(2026, 7, 24, 8, 30, tzinfo=UTC),
        time_zone="Europe/Malta",
        attendee_email="maria@example.com",
        attendee_name=None,
    )
    return replace(spec, **changes)


# Free/busy.


def test_freebusy_asks_for_the_window_in_utc_for_our_calendar_only() -> None:
    calendar, http = mocked(ok(fixture("freebusy_response.json")))
    calendar.busy(
        datetime(2026, 7, 20, 9, 0, tzinfo=gcal.ZoneInfo("Europe/Malta")),
        datetime(2026, 7, 20, 17, 0, tzinfo=UTC),
        "Europe/Malta",
    )
    method, url, _, body = sent(http)
    assert (method, url) == ("POST", "https://www.googleapis.com/calendar/v3/freeBusy")
    expected = fixture("freebusy_request.json")
    expected["items"] = [{"id": CALENDAR}]
    assert body == expected


def test_busy_times_come_back_as_utc_instants() -> None:
    calendar, _ = mocked(ok(fixture("freebusy_response.json")))
    busy = calendar.busy(
        datetime(2026, 7, 20, 7, tzinfo=UTC), datetime(2026, 7, 20, 17, tzinfo=UTC), "Europe/Malta"
    )
    assert busy == [
        (datetime(2026, 7, 20, 7, 0, tzinfo=UTC), datetime(2026, 7, 20, 8, 0, tzinfo=UTC)),
        (datetime(2026, 7, 20, 11, 30, tzinfo=UTC), datetime(2026, 7, 20, 12, 0, tzinfo=UTC)),
    ]
    assert all(start.utcoffset() == timedelta(0) for start, _ in busy)


def test_a_calendar_google_reports_an_error_for_is_unavailable_not_free() -> None:
    calendar, _ = mocked(ok(fixture("freebusy_response.json")), calendar_id="primary")
    with pytest.raises(gcal.CalendarUnavailable, match="notFound"):
        calendar.busy(
            datetime(2026, 7, 20, 7, tzinfo=UTC), datetime(2026, 7, 20, 17, tzinfo=UTC), "UTC"
        )


def test_an_answer_without_our_calendar_is_unavailable() -> None:
    calendar, _ = mocked(ok({"kind": "calendar#freeBusy", "calendars": {}}))
    with pytest.raises(gcal.CalendarUnavailable):
        calendar.busy(
            datetime(2026, 7, 20, 7, tzinfo=UTC), datetime(2026, 7, 20, 17, tzinfo=UTC), "UTC"
        )


def test_a_naive_window_is_refused_before_anything_is_sent() -> None:
    calendar, http = mocked()
    with pytest.raises(ValueError, match="time zone"):
        calendar.busy(datetime(2026, 7, 20, 7), datetime(2026, 7, 20, 17), "UTC")
    assert http.request_sequence == []


# Events.


def test_insert_sends_the_documented_meet_request_with_our_event_id() -> None:
    calendar, http = mocked(ok(fixture("events_insert_meet_response.json")))
    calendar.insert(meet_spec())
    method, url, query, body = sent(http)
    assert method == "POST"
    assert url == "https://www.googleapis.com/calendar/v3/calendars/agent1%40example.mt/events"
    assert query == {"conferenceDataVersion": "1", "sendUpdates": "all", "alt": "json"}
    expected = fixture("events_insert_meet_request.json")
    expected["id"] = gcal.event_id_for("bk-7f3c2a")
    expected["description"] = "Intro call booked through Hearth."
    assert body == expected


def test_the_attendee_is_named_when_we_know_the_name() -> None:
    calendar, http = mocked(ok(fixture("events_insert_meet_response.json")))
    calendar.insert(meet_spec(attendee_name="Maria Borg"))
    assert sent(http)[3]["attendees"] == [
        {"email": "maria@example.com", "displayName": "Maria Borg"}
    ]


def test_event_times_carry_the_business_offset_across_dst() -> None:
    calendar, http = mocked(ok(fixture("events_insert_meet_response.json")))
    winter = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    calendar.insert(meet_spec(start=winter, end=winter + timedelta(minutes=30)))
    body = sent(http)[3]
    assert body["start"] == {"dateTime": "2026-11-24T09:00:00+01:00", "timeZone": "Europe/Malta"}
    assert body["end"] == {"dateTime": "2026-11-24T09:30:00+01:00", "timeZone": "Europe/Malta"}


def test_the_inserted_event_gives_its_id_and_meet_link() -> None:
    calendar, _ = mocked(ok(fixture("events_insert_meet_response.json")))
    assert calendar.insert(meet_spec()) == gcal.EventResult(
        event_id="evt123abc",
        video_link="https://meet.google.com/abc-defg-hij",
        html_link="https://www.google.com/calendar/event?eid=ZXZ0MTIzYWJj",
        conference_pending=False,
    )


def test_the_video_link_is_read_from_the_entry_points_without_a_hangout_link() -> None:
    response = fixture("events_insert_meet_response.json")
    del response["hangoutLink"]
    calendar, _ = mocked(ok(response))
    assert calendar.insert(meet_spec()).video_link == "https://meet.google.com/abc-defg-hij"


def test_a_meet_room_still_being_made_is_pending_without_a_link() -> None:
    response = fixture("events_insert_meet_response.json")
    del response["hangoutLink"]
    response["conferenceData"] = {
        "createRequest": {
            "requestId": "crm-booking-7f3c2a",
            "conferenceSolutionKey": {"type": "hangoutsMeet"},
            "status": {"statusCode": "pending"},
        }
    }
    calendar, _ = mocked(ok(response))
    result = calendar.insert(meet_spec())
    assert result.conference_pending is True
    assert result.video_link is None


def test_a_retried_insert_returns_the_event_the_first_one_made() -> None:
    existing = fixture("events_insert_meet_response.json")
    existing["id"] = gcal.event_id_for("bk-7f3c2a")
    existing["description"] = "Intro call booked through Hearth."
    calendar, http = mocked(
        fail(409, "The requested identifier already exists.", "duplicate"), ok(existing)
    )
    result = calendar.insert(meet_spec())
    assert result.event_id == gcal.event_id_for("bk-7f3c2a")
    assert result.video_link == "https://meet.google.com/abc-defg-hij"
    method, url, _, _ = sent(http, 1)
    assert method == "GET"
    assert url.endswith(f"/calendars/agent1%40example.mt/events/{gcal.event_id_for('bk-7f3c2a')}")
    assert len(http.request_sequence) == 2  # nothing changed: no patch, no e-mail


def test_a_retried_insert_of_a_booking_moved_meanwhile_moves_the_event() -> None:
    existing = fixture("events_insert_meet_response.json")
    existing["id"] = gcal.event_id_for("bk-7f3c2a")
    moved = meet_spec(
        start=datetime(2026, 7, 24, 12, 0, tzinfo=UTC),
        end=datetime(2026, 7, 24, 12, 30, tzinfo=UTC),
    )
    calendar, http = mocked(fail(409, reason="duplicate"), ok(existing), ok(existing))
    calendar.insert(moved)
    method, _, query, body = sent(http, 2)
    assert method == "PATCH"
    assert query["sendUpdates"] == "all"
    assert body["start"] == {"dateTime": "2026-07-24T14:00:00+02:00", "timeZone": "Europe/Malta"}


def test_an_event_deleted_by_hand_is_not_silently_taken_as_made() -> None:
    existing = fixture("events_insert_meet_response.json") | {"status": "cancelled"}
    calendar, _ = mocked(fail(409, reason="duplicate"), ok(existing))
    with pytest.raises(gcal.CalendarRefused, match="deleted"):
        calendar.insert(meet_spec())


def test_update_patches_times_and_text_and_tells_the_attendee() -> None:
    calendar, http = mocked(ok(fixture("events_insert_meet_response.json")))
    result = calendar.update("evt123abc", meet_spec(summary="Project call: Maria Borg"))
    method, url, query, body = sent(http)
    assert method == "PATCH"
    assert (
        url
        == "https://www.googleapis.com/calendar/v3/calendars/agent1%40example.mt/events/evt123abc"
    )
    assert query["sendUpdates"] == "all"
    assert body == {
        "summary": "Project call: Maria Borg",
        "description": "Intro call booked through Hearth.",
        "start": {"dateTime": "2026-07-24T10:00:00+02:00", "timeZone": "Europe/Malta"},
        "end": {"dateTime": "2026-07-24T10:30:00+02:00", "timeZone": "Europe/Malta"},
    }
    assert result.video_link == "https://meet.google.com/abc-defg-hij"


def test_cancel_deletes_and_tells_the_attendee() -> None:
    calendar, http = mocked(({"status": "204"}, ""))
    assert calendar.cancel("evt123abc") is None
    method, url, query, body = sent(http)
    assert (method, query, body) == ("DELETE", {"sendUpdates": "all"}, None)
    assert url.endswith("/calendars/agent1%40example.mt/events/evt123abc")


@pytest.mark.parametrize("status", [404, 410])
def test_cancelling_an_event_already_gone_is_fine(status: int) -> None:
    calendar, _ = mocked(fail(status, "Not Found", "notFound"))
    calendar.cancel("evt123abc")


def test_get_reads_the_event_as_it_is_now() -> None:
    calendar, http = mocked(ok(fixture("events_insert_meet_response.json")))
    assert calendar.get("evt123abc").video_link == "https://meet.google.com/abc-defg-hij"
    assert sent(http)[:2] == (
        "GET",
        "https://www.googleapis.com/calendar/v3/calendars/agent1%40example.mt/events/evt123abc",
    )


# Which failures are worth retrying.


@pytest.mark.parametrize("status", [500, 502, 503, 429, 401, 403])
def test_outages_overload_and_auth_failures_mean_try_later(status: int) -> None:
    calendar, http = mocked(fail(status, "Backend Error"))
    with pytest.raises(gcal.CalendarUnavailable, match=str(status)):
        calendar.insert(meet_spec())
    assert len(http.request_sequence) == 1  # no inline retry: the scheduled sync retries


@pytest.mark.parametrize(
    ("status", "call"),
    [
        (400, lambda c: c.insert(meet_spec())),
        (404, lambda c: c.get("evt123abc")),
        (404, lambda c: c.update("evt123abc", meet_spec())),
        (400, lambda c: c.cancel("evt123abc")),
    ],
)
def test_a_request_google_rejects_is_refused_with_googles_reason(status: int, call: Any) -> None:
    calendar, _ = mocked(fail(status, "Invalid attendee email."))
    with pytest.raises(gcal.CalendarRefused, match="Invalid attendee email") as caught:
        call(calendar)
    assert not isinstance(caught.value, gcal.CalendarUnavailable)


def test_an_answer_that_is_not_json_is_unavailable() -> None:
    calendar, _ = mocked(
        ({"status": "200", "content-type": "application/json"}, "<html>proxy</html>")
    )
    with pytest.raises(gcal.CalendarUnavailable):
        calendar.get("evt123abc")


# Event ids.


def test_event_ids_are_valid_for_google_and_the_same_every_time() -> None:
    for booking_id in ("a", "Xy7Q2mN0pLkRtVbC9dEf", "sub_3f6c2a4e-5b1d", "ħażż"):
        event_id = gcal.event_id_for(booking_id)
        assert re.fullmatch(r"[a-v0-9]{5,1024}", event_id), event_id
        assert event_id == gcal.event_id_for(booking_id)


def test_event_ids_keep_booking_ids_apart_even_by_case_and_decode_back() -> None:
    ids = ["AbC12", "abc12", "ABC12", "abc12-", "abc12_"]
    events = [gcal.event_id_for(booking_id) for booking_id in ids]
    assert len(set(events)) == len(ids)
    for booking_id, event_id in zip(ids, events, strict=True):
        encoded = event_id.removeprefix("hearth").upper()
        padded = encoded + "=" * (-len(encoded) % 8)
        assert base64.b32hexdecode(padded).decode() == booking_id


def test_an_unusable_booking_id_gives_no_event_id() -> None:
    with pytest.raises(ValueError):
        gcal.event_id_for("")
    with pytest.raises(ValueError):
        gcal.event_id_for("x" * 700)


# Connecting.


def settings(**google: Any) -> config.Settings:
    return replace(config.load(), **google)


def test_no_calendar_configured_means_no_calendar() -> None:
    assert gcal.connect(settings(google_calendar_id=None, google_oauth_file="/x.json")) is None


def test_missing_credentials_show_up_as_unavailable_on_first_use_not_at_connect() -> None:
    calendar = gcal.connect(
        settings(
            google_calendar_id="primary", google_oauth_file=None, google_service_account_file=None
        )
    )
    assert calendar is not None
    with pytest.raises(gcal.CalendarUnavailable, match="HEARTH_GOOGLE_OAUTH_FILE"):
        calendar.get("evt123abc")


def test_an_unreadable_key_file_is_unavailable(tmp_path: Path) -> None:
    broken = tmp_path / "oauth.json"
    broken.write_text('{"client_id": "x"}', encoding="utf-8")
    for path in (broken, tmp_path / "missing.json"):
        calendar = gcal.connect(settings(google_calendar_id="primary", google_oauth_file=str(path)))
        assert calendar is not None
        with pytest.raises(gcal.CalendarUnavailable, match="cannot be used"):
            calendar.get("evt123abc")


def test_the_token_refresh_goes_to_the_api_root_too(tmp_path: Path) -> None:
    import google_auth_httplib2

    grant = {
        "client_id": "c",
        "client_secret": "s",
        "refresh_token": "r",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    (tmp_path / "oauth.json").write_text(json.dumps(grant), encoding="utf-8")
    credentials = gcal.oauth_credentials(str(tmp_path / "oauth.json"), "http://stand-in.test:5003/")
    http = HttpMockSequence(
        [ok({"access_token": "t-1", "expires_in": 3600}), ok(fixture("freebusy_response.json"))]
    )
    calendar = gcal.Calendar.over_http(
        google_auth_httplib2.AuthorizedHttp(credentials, http=http),
        CALENDAR,
        "http://stand-in.test:5003/",
    )
    calendar.busy(
        datetime(2026, 7, 20, 7, tzinfo=UTC), datetime(2026, 7, 20, 17, tzinfo=UTC), "UTC"
    )
    (token_uri, _, token_body, _), (api_uri, _, _, api_headers) = http.request_sequence
    assert token_uri == "http://stand-in.test:5003/token"
    assert dict(urllib.parse.parse_qsl(token_body.decode()))["refresh_token"] == "r"
    assert api_uri.startswith("http://stand-in.test:5003/calendar/v3/freeBusy")
    assert api_headers["authorization"] == "Bearer t-1"


# End to end against the fake Google over HTTP.


@pytest.fixture
def fake():
    with FakeCalendar() as server:
        yield server


@pytest.fixture
def connected(fake: FakeCalendar, tmp_path: Path) -> gcal.Calendar:
    env = fake.dev_env(tmp_path)
    calendar = gcal.connect(
        settings(
            google_calendar_id=env["HEARTH_GOOGLE_CALENDAR_ID"],
            google_oauth_file=env["HEARTH_GOOGLE_OAUTH_FILE"],
            google_service_account_file=None,
            google_api_root=env["HEARTH_GOOGLE_API_ROOT"],
            google_timeout_s=5.0,
        )
    )
    assert calendar is not None
    return calendar


def booking_spec(booking_id: str = "bk1", hour: int = 8) -> gcal.EventSpec:
    start = datetime(2026, 11, 24, hour, 0, tzinfo=UTC)
    return gcal.EventSpec(
        event_id=gcal.event_id_for(booking_id),
        request_id=f"req-{booking_id}",
        summary="Intro call: Ana Borg",
        description="Booked through Hearth.",
        start=start,
        end=start + timedelta(minutes=30),
        time_zone="Europe/Malta",
        attendee_email="ana@example.org",
        attendee_name="Ana Borg",
    )


WINDOW = (datetime(2026, 11, 24, 0, tzinfo=UTC), datetime(2026, 11, 25, 0, tzinfo=UTC))


def test_a_booking_makes_one_event_with_a_meet_link_after_a_token_refresh(
    fake: FakeCalendar, connected: gcal.Calendar
) -> None:
    result = connected.insert(booking_spec())
    assert MEET.match(result.video_link or "")
    assert result.video_link == f"https://meet.google.com/{meet_code('req-bk1')}"
    token, insert = fake.requests
    assert (token["method"], token["path"]) == ("POST", "/token")
    assert token["form"]["grant_type"] == "refresh_token"
    assert insert["path"] == "/calendar/v3/calendars/primary/events"
    assert insert["query"]["conferenceDataVersion"] == "1"
    [event] = fake.events
    assert event["attendees"][0]["email"] == "ana@example.org"


def test_an_insert_sent_twice_still_makes_one_event(
    fake: FakeCalendar, connected: gcal.Calendar
) -> None:
    first = connected.insert(booking_spec())
    second = connected.insert(booking_spec())
    assert second == first
    assert len(fake.events) == 1


def test_the_booked_time_and_the_owners_meetings_are_busy(
    fake: FakeCalendar, connected: gcal.Calendar
) -> None:
    connected.insert(booking_spec(hour=8))
    fake.add_busy(datetime(2026, 11, 24, 13, tzinfo=UTC), datetime(2026, 11, 24, 14, tzinfo=UTC))
    assert connected.busy(*WINDOW, "Europe/Malta") == [
        (datetime(2026, 11, 24, 8, 0, tzinfo=UTC), datetime(2026, 11, 24, 8, 30, tzinfo=UTC)),
        (datetime(2026, 11, 24, 13, 0, tzinfo=UTC), datetime(2026, 11, 24, 14, 0, tzinfo=UTC)),
    ]


def test_moving_and_cancelling_free_the_old_time(
    fake: FakeCalendar, connected: gcal.Calendar
) -> None:
    made = connected.insert(booking_spec(hour=8))
    moved = connected.update(made.event_id, booking_spec(hour=10))
    assert moved.video_link == made.video_link
    assert connected.busy(*WINDOW, "UTC")[0][0] == datetime(2026, 11, 24, 10, tzinfo=UTC)
    connected.cancel(made.event_id)
    connected.cancel(made.event_id)  # a second cancel (a retry) is fine
    assert connected.busy(*WINDOW, "UTC") == []
    assert fake.events[0]["status"] == "cancelled"


def test_an_outage_is_unavailable_and_the_calendar_recovers(
    fake: FakeCalendar, connected: gcal.Calendar
) -> None:
    connected.busy(*WINDOW, "UTC")
    fake.set_down(True)
    with pytest.raises(gcal.CalendarUnavailable, match="503"):
        connected.insert(booking_spec())
    with pytest.raises(gcal.CalendarUnavailable):
        connected.busy(*WINDOW, "UTC")
    fake.set_down(False)
    assert connected.insert(booking_spec()).video_link
    assert len(fake.events) == 1


def test_a_revoked_grant_is_unavailable_until_the_owner_fixes_it(tmp_path: Path) -> None:
    with FakeCalendar(refresh_token="the-current-grant") as fake:
        env = fake.dev_env(tmp_path)
        path = Path(env["HEARTH_GOOGLE_OAUTH_FILE"])
        path.write_text(
            json.dumps({"client_id": "c", "client_secret": "s", "refresh_token": "an-old-grant"})
        )
        calendar = gcal.connect(
            settings(
                google_calendar_id="primary",
                google_oauth_file=str(path),
                google_service_account_file=None,
                google_api_root=fake.url,
            )
        )
        assert calendar is not None
        with pytest.raises(gcal.CalendarUnavailable, match="sign-in"):
            calendar.busy(*WINDOW, "UTC")
        assert [r["path"] for r in fake.requests] == ["/token"]


def test_google_out_of_reach_is_unavailable(fake: FakeCalendar, connected: gcal.Calendar) -> None:
    fake.stop()
    with pytest.raises(gcal.CalendarUnavailable, match="did not answer"):
        connected.busy(*WINDOW, "UTC")


def test_a_google_that_never_answers_is_unavailable_after_the_timeout(tmp_path: Path) -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def hold() -> None:
        silent.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(silent.accept()[0])
            except TimeoutError:
                continue

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    try:
        root = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        grant = tmp_path / "oauth.json"
        grant.write_text(json.dumps({"client_id": "c", "client_secret": "s", "refresh_token": "r"}))
        calendar = gcal.connect(
            settings(
                google_calendar_id="primary",
                google_oauth_file=str(grant),
                google_service_account_file=None,
                google_api_root=root,
                google_timeout_s=0.5,
            )
        )
        assert calendar is not None
        began = time.monotonic()
        with pytest.raises(gcal.CalendarUnavailable):
            calendar.busy(*WINDOW, "UTC")
        assert time.monotonic() - began < 5
    finally:
        stop.set()
        holder.join()
        for connection in accepted:
            connection.close()
        silent.close()


def test_a_service_account_acts_as_the_delegated_user_through_the_api_root(
    tmp_path: Path, fake: FakeCalendar
) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    account = {
        "type": "service_account",
        "project_id": "demo-hearth",
        "private_key_id": "k1",
        "private_key": pem,
        "client_email": "hearth@demo-hearth.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    (tmp_path / "sa.json").write_text(json.dumps(account))
    calendar = gcal.connect(
        settings(
            google_calendar_id="owner@studio-lumen.test",
            google_service_account_file=str(tmp_path / "sa.json"),
            google_delegated_user="owner@studio-lumen.test",
            google_oauth_file=None,
            google_api_root=fake.url + "/",
        )
    )
    assert calendar is not None
    assert calendar.busy(*WINDOW, "UTC") == []
    token = fake.requests[0]
    assert token["path"] == "/token"
    assert token["form"]["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    payload = token["form"]["assertion"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["sub"] == "owner@studio-lumen.test"
    assert set(claims["scope"].split()) == set(gcal.SCOPES)


# The fake steered over HTTP, as a test does when it runs in another process.


def test_the_fake_is_steered_over_http(fake: FakeCalendar, connected: gcal.Calendar) -> None:
    base = fake.url
    answer = requests.post(
        f"{base}/_fake/busy",
        json={"start": "2026-11-24T10:00:00+01:00", "end": "2026-11-24T11:00:00+01:00"},
        timeout=5,
    )
    assert answer.status_code == 201
    assert connected.busy(*WINDOW, "UTC") == [
        (datetime(2026, 11, 24, 9, tzinfo=UTC), datetime(2026, 11, 24, 10, tzinfo=UTC))
    ]
    connected.insert(booking_spec())
    listed = requests.get(f"{base}/_fake/requests", timeout=5).json()["requests"]
    assert [r["path"] for r in listed] == [
        "/token",
        "/calendar/v3/freeBusy",
        "/calendar/v3/calendars/primary/events",
    ]
    assert listed[1]["json"]["items"] == [{"id": "primary"}]
    [event] = requests.get(f"{base}/_fake/events", timeout=5).json()["events"]
    assert event["hangoutLink"] == f"https://meet.google.com/{meet_code('req-bk1')}"

    assert requests.post(f"{base}/_fake/outage", json={"down": True}, timeout=5).json() == {
        "down": True
    }
    with pytest.raises(gcal.CalendarUnavailable):
        connected.get(event["id"])
    requests.post(f"{base}/_fake/outage", json={"down": False}, timeout=5)
    assert connected.get(event["id"]).event_id == event["id"]

    assert requests.post(f"{base}/_fake/reset", timeout=5).json() == {"ok": True}
    assert requests.get(f"{base}/_fake/events", timeout=5).json() == {"events": []}
    assert connected.busy(*WINDOW, "UTC") == []


def test_the_fake_refuses_calls_without_a_token_it_issued(fake: FakeCalendar) -> None:
    answer = requests.post(
        f"{fake.url}/calendar/v3/freeBusy",
        json={},
        headers={"Authorization": "Bearer made-up"},
        timeout=5,
    )
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == 401


def test_a_taken_port_is_named_instead_of_exiting(fake: FakeCalendar) -> None:
    from devstack.server import PortInUseError

    with pytest.raises(PortInUseError, match=str(fake.port)):
        FakeCalendar(port=fake.port).start()
