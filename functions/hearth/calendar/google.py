"""Google Calendar: the owner's busy times, and one event with a Meet link per booking.

Bookings never depend on this module: ``connect`` answers None when no calendar is
connected, and every failure here is one of two exceptions, so the caller can decide
without knowing Google's libraries. ``CalendarUnavailable`` means "try later" (the
scheduled /calendar_sync does; nothing here retries inline, so a slow Google never
holds a visitor's request for longer than one timeout). ``CalendarRefused`` means
Google understood and said no, and asking again will not change its mind.

The client is built from the discovery document bundled with google-api-python-client,
so building it never touches the network, and ``HEARTH_GOOGLE_API_ROOT`` sends every
request, the OAuth token refresh included, to a stand-in (devstack.fake_calendar).
Google's libraries are imported on first use: a function that never books should not
pay for them at cold start.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from hearth.config import Settings
from hearth.errors import HearthError, Unavailable

if TYPE_CHECKING:
    import httplib2
    from google.auth.credentials import Credentials
    from googleapiclient.discovery import Resource
    from googleapiclient.http import HttpRequest

# Least privilege: write events, read free/busy. A domain-wide delegation grant in
# Google Workspace must list exactly these.
SCOPES = (
    "https://www.googleapis.com/auth/calendar.events",
    "https://www.googleapis.com/auth/calendar.freebusy",
)
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
# Google's event ids: base32hex digits, 5 to 1024 of them.
_EVENT_ID_ALPHABET = frozenset("abcdefghijklmnopqrstuv0123456789")
_EVENT_ID_PREFIX = "hearth"
_MAX_EVENT_ID = 1024
# Errors that mean "not now": overload, outage, or credentials Google would not take
# this time (a revoked grant is fixed by the owner, after which the sync catches up).
_TRY_LATER_STATUSES = frozenset({401, 403, 408, 429})


class CalendarError(HearthError):
    """Anything that kept a calendar call from doing its job; the message says why.

    Bookings catch these to fall back (answer from the store, leave the copy pending),
    so one only reaches a caller when nothing could be done without Google.
    """

    code = "calendar_error"


# Named for what the caller decides on, as the bookings contract spells them.
class CalendarUnavailable(CalendarError, Unavailable):  # noqa: N818
    """Google could not be reached or would not answer now: keep the work and retry later."""

    code = "calendar_unavailable"


class CalendarRefused(CalendarError):  # noqa: N818
    """Google answered that this request is wrong; sending it again will not help."""

    code = "calendar_refused"


@dataclass(frozen=True)
class EventSpec:
    """What the calendar event for one booking should say.

    ``request_id`` asks Google for a Meet conference and must be new for each booking
    (Google ignores a request id it has seen); ``event_id`` comes from ``event_id_for``
    so that an insert sent twice makes one event.
    """

    event_id: str
    request_id: str
    summary: str
    description: str
    start: datetime
    end: datetime
    time_zone: str
    attendee_email: str
    attendee_name: str | None = None


@dataclass(frozen=True)
class EventResult:
    """What Hearth keeps of an event: its id and the links people will click."""

    event_id: str
    video_link: str | None
    html_link: str | None
    # Google makes the Meet link asynchronously now and then: get() later to read it.
    conference_pending: bool


def event_id_for(booking_id: str) -> str:
    """The Google event id of a booking: the same id every time, so a retried insert
    finds the first one instead of making a second event.

    The booking id's UTF-8 bytes in lowercase base32hex (Google's alphabet for event
    ids) after a fixed prefix: distinct booking ids give distinct event ids, and an id
    seen in Google Calendar can be decoded back to its booking.
    """
    if not booking_id:
        raise ValueError("A booking id is needed to name its calendar event.")
    encoded = base64.b32hexencode(booking_id.encode("utf-8")).decode("ascii")
    event_id = _EVENT_ID_PREFIX + encoded.rstrip("=").lower()
    if len(event_id) > _MAX_EVENT_ID:
        raise ValueError("This booking id is too long to name a Google Calendar event.")
    return event_id


def connect(settings: Settings) -> Calendar | None:
    """The connected calendar, or None when none is configured (bookings work without).

    Never raises and does no I/O: unreadable credentials surface as
    ``CalendarUnavailable`` on the first call, where the caller already handles an
    unreachable Google, so a broken key file delays calendar sync instead of failing
    a booking.
    """
    if not settings.google_calendar_id:
        return None
    return Calendar(settings.google_calendar_id, lambda: _service_for(settings))


def api_endpoint(api_root: str) -> str:
    """The Calendar API base under a stand-in root, shaped like Google's own
    (https://www.googleapis.com/calendar/v3/): paths then match the real API's."""
    return api_root.rstrip("/") + "/calendar/v3/"


def token_uri(api_root: str | None) -> str:
    """Where OAuth tokens are refreshed: Google, or the stand-in's /token."""
    return api_root.rstrip("/") + "/token" if api_root else GOOGLE_TOKEN_URI


class Calendar:
    """One Google calendar. Holds an httplib2 connection, which is not thread-safe:
    make one per request (``connect`` is cheap; tokens are shared between them)."""

    def __init__(self, calendar_id: str, open_service: Callable[[], Resource]) -> None:
        self.calendar_id = calendar_id
        self._open_service = open_service
        self._service: Resource | None = None

    @classmethod
    def over_http(cls, http: Any, calendar_id: str, api_root: str | None = None) -> Calendar:
        """A calendar speaking through a given httplib2-like object (an AuthorizedHttp,
        or googleapiclient's HttpMockSequence in tests)."""
        return cls(calendar_id, lambda: build_service(http, api_root))

    def busy(
        self, start: datetime, end: datetime, time_zone: str
    ) -> list[tuple[datetime, datetime]]:
        """The owner's busy intervals overlapping [start, end), as aware UTC datetimes.

        A calendar Google reports an error for (not shared with us, not found) counts
        as unavailable, not as free: offering times over unseen meetings is worse
        than saying the calendar could not be checked.
        """
        body = freebusy_body(self.calendar_id, start, end, time_zone)
        response = self._run(lambda api: api.freebusy().query(body=body), "read free/busy times")
        return parse_busy(response, self.calendar_id)

    def insert(self, spec: EventSpec) -> EventResult:
        """Create the booking's event with a Meet link, inviting the customer.

        The event carries its own id, so when an earlier attempt did reach Google
        (a timeout after the write) Google answers 409 and the existing event is
        returned instead of a second one.
        """
        body = insert_body(spec)
        try:
            response = self._run(
                lambda api: api.events().insert(
                    calendarId=self.calendar_id,
                    body=body,
                    conferenceDataVersion=1,
                    sendUpdates="all",
                ),
                "create the event",
            )
        except _Conflict:
            return self._existing(spec)
        return parse_event(response)

    def update(self, event_id: str, spec: EventSpec) -> EventResult:
        """Move or rename the event; Google e-mails the customer the change."""
        body = patch_body(spec)
        response = self._run(
            lambda api: api.events().patch(
                calendarId=self.calendar_id,
                eventId=event_id,
                body=body,
                conferenceDataVersion=1,
                sendUpdates="all",
            ),
            "update the event",
        )
        return parse_event(response)

    def cancel(self, event_id: str) -> None:
        """Delete the event and tell the customer; an event already gone is fine."""
        try:
            self._run(
                lambda api: api.events().delete(
                    calendarId=self.calendar_id, eventId=event_id, sendUpdates="all"
                ),
                "cancel the event",
                gone_ok=True,
            )
        except _Gone:
            return

    def get(self, event_id: str) -> EventResult:
        """The event as Google has it now (e.g. to read a Meet link that was pending)."""
        response = self._run(
            lambda api: api.events().get(calendarId=self.calendar_id, eventId=event_id),
            "read the event",
        )
        return parse_event(response)

    def _existing(self, spec: EventSpec) -> EventResult:
        """The event an earlier attempt made, brought up to date with ``spec``.

        It may differ: the booking can have moved while Google was unreachable. It is
        patched only then, so the customer is not e-mailed about a change that is none.
        Refused when someone deleted it since: Google never lets an id be used again.
        """
        response = self._run(
            lambda api: api.events().get(calendarId=self.calendar_id, eventId=spec.event_id),
            "read the existing event",
        )
        if response.get("status") == "cancelled":
            raise CalendarRefused(
                f"Event {spec.event_id} was deleted from the calendar and cannot be made again."
            )
        if not event_matches(response, spec):
            return self.update(spec.event_id, spec)
        return parse_event(response)

    def _api(self) -> Resource:
        if self._service is None:
            self._service = self._open_service()
        return self._service

    def _run(
        self, make: Callable[[Resource], HttpRequest], what: str, gone_ok: bool = False
    ) -> Any:
        """One call; its answer must be a JSON object, except for a delete (``gone_ok``).

        A body that is not JSON (a proxy's error page) reaches us as a string from
        googleapiclient, not as an error: that is an outage too.
        """
        answer = execute(lambda: make(self._api()), what, gone_ok=gone_ok)
        if not gone_ok and not isinstance(answer, dict):
            raise CalendarUnavailable(f"Could not {what}: unreadable answer from Google.")
        return answer


class _Conflict(CalendarRefused):
    """409 from Google: an insert whose event id exists already (handled inside)."""


class _Gone(CalendarRefused):
    """404 or 410 where that is the wished-for state (a delete)."""


def execute(make: Callable[[], HttpRequest], what: str, gone_ok: bool = False) -> Any:
    """Build and send one request, turning every failure into one of our two errors.

    ``what`` completes "Could not ..." in messages, which may end up in a booking's
    calendar.lastError for the owner to read.
    """
    import http.client

    import httplib2
    from google.auth.exceptions import GoogleAuthError
    from googleapiclient.errors import Error as ApiClientError
    from googleapiclient.errors import HttpError

    try:
        return make().execute(num_retries=0)
    except CalendarError:
        raise
    except HttpError as exc:
        raise classify(exc.status_code, exc.reason, what, gone_ok) from exc
    except GoogleAuthError as exc:
        raise CalendarUnavailable(f"Could not {what}: Google sign-in failed ({exc}).") from exc
    except (httplib2.HttpLib2Error, http.client.HTTPException, OSError) as exc:
        detail = str(exc) or type(exc).__name__
        raise CalendarUnavailable(f"Could not {what}: Google did not answer ({detail}).") from exc
    except (ApiClientError, ValueError) as exc:
        raise CalendarUnavailable(f"Could not {what}: unreadable answer from Google.") from exc


def classify(status: int, reason: str, what: str, gone_ok: bool = False) -> CalendarError:
    """Which of our errors an HTTP status from Google is."""
    if status >= 500 or status in _TRY_LATER_STATUSES:
        return CalendarUnavailable(f"Could not {what}: Google answered {status} ({reason}).")
    if status == 409:
        return _Conflict(f"Could not {what}: it exists already ({reason}).")
    if gone_ok and status in (404, 410):
        return _Gone(f"Nothing to {what}: it is gone already.")
    return CalendarRefused(f"Could not {what}: Google refused it with {status} ({reason}).")


# Requests and answers, pure.


def freebusy_body(
    calendar_id: str, start: datetime, end: datetime, time_zone: str
) -> dict[str, Any]:
    """freebusy.query's body; times in UTC so the window is the same on every machine."""
    return {
        "timeMin": _utc_text(start),
        "timeMax": _utc_text(end),
        "timeZone": time_zone,
        "items": [{"id": calendar_id}],
    }


def parse_busy(response: Mapping[str, Any], calendar_id: str) -> list[tuple[datetime, datetime]]:
    """The busy intervals of our calendar in a freebusy answer, in UTC."""
    entry = (response.get("calendars") or {}).get(calendar_id)
    if entry is None:
        raise CalendarUnavailable(f"Google's free/busy answer left out calendar {calendar_id}.")
    errors = entry.get("errors") or []
    if errors:
        reasons = ", ".join(str(error.get("reason", "unknown")) for error in errors)
        raise CalendarUnavailable(
            f"Google could not read free/busy times of calendar {calendar_id} ({reasons})."
        )
    try:
        return [
            (_parse_instant(block["start"]), _parse_instant(block["end"]))
            for block in entry.get("busy") or []
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise CalendarUnavailable("Google's free/busy answer could not be read.") from exc


def insert_body(spec: EventSpec) -> dict[str, Any]:
    """events.insert's body: the event with its own id, the customer, and a Meet request."""
    attendee: dict[str, str] = {"email": spec.attendee_email}
    if spec.attendee_name:
        attendee["displayName"] = spec.attendee_name
    return {
        "id": spec.event_id,
        **patch_body(spec),
        "attendees": [attendee],
        "conferenceData": {
            "createRequest": {
                "requestId": spec.request_id,
                "conferenceSolutionKey": {"type": "hangoutsMeet"},
            }
        },
    }


def patch_body(spec: EventSpec) -> dict[str, Any]:
    """What a reschedule changes. Times carry the business's zone and its offset on
    that day, so the event reads right in Google Calendar on either side of a DST change."""
    return {
        "summary": spec.summary,
        "description": spec.description,
        "start": _event_time(spec.start, spec.time_zone),
        "end": _event_time(spec.end, spec.time_zone),
    }


def parse_event(response: Mapping[str, Any]) -> EventResult:
    """Our view of an event resource."""
    event_id = response.get("id")
    if not isinstance(event_id, str) or not event_id:
        raise CalendarUnavailable("Google's answer about the event had no event id.")
    conference = response.get("conferenceData") or {}
    status = ((conference.get("createRequest") or {}).get("status") or {}).get("statusCode")
    return EventResult(
        event_id=event_id,
        video_link=_video_link(response),
        html_link=response.get("htmlLink"),
        conference_pending=status == "pending",
    )


def event_matches(event: Mapping[str, Any], spec: EventSpec) -> bool:
    """Whether an event already says what ``spec`` says (same times and text)."""
    try:
        start = _parse_instant(event["start"]["dateTime"])
        end = _parse_instant(event["end"]["dateTime"])
    except (KeyError, TypeError, ValueError):
        return False
    return (
        start == spec.start
        and end == spec.end
        and event.get("summary", "") == spec.summary
        and event.get("description", "") == spec.description
    )


def _video_link(event: Mapping[str, Any]) -> str | None:
    if event.get("hangoutLink"):
        return str(event["hangoutLink"])
    for entry in (event.get("conferenceData") or {}).get("entryPoints") or []:
        if entry.get("entryPointType") == "video" and entry.get("uri"):
            return str(entry["uri"])
    return None


def _event_time(instant: datetime, time_zone: str) -> dict[str, str]:
    _require_aware(instant)
    local = instant.astimezone(ZoneInfo(time_zone))
    return {"dateTime": local.isoformat(timespec="seconds"), "timeZone": time_zone}


def _utc_text(instant: datetime) -> str:
    _require_aware(instant)
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_instant(text: str) -> datetime:
    parsed = datetime.fromisoformat(text)
    _require_aware(parsed)
    return parsed.astimezone(UTC)


def _require_aware(instant: datetime) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("A calendar time needs a time zone; naive datetimes are ambiguous.")


# The client: credentials, transport, service.


def build_service(http: Any, api_root: str | None = None) -> Resource:
    """The Calendar API client from the bundled discovery document: no network."""
    from google.api_core.client_options import ClientOptions
    from googleapiclient.discovery import build

    options = ClientOptions(api_endpoint=api_endpoint(api_root)) if api_root else None
    return build(
        "calendar",
        "v3",
        http=http,
        client_options=options,
        static_discovery=True,
        cache_discovery=False,
    )


def _service_for(settings: Settings) -> Resource:
    import google_auth_httplib2
    import httplib2

    credentials = _credentials(settings)
    transport: httplib2.Http = httplib2.Http(timeout=settings.google_timeout_s)
    authorized = google_auth_httplib2.AuthorizedHttp(credentials, http=transport)
    return build_service(authorized, settings.google_api_root)


_MAX_CACHED_CREDENTIALS = 16
_credentials_lock = threading.Lock()
_credentials_cache: dict[tuple[Any, ...], Credentials] = {}


def _credentials(settings: Settings) -> Credentials:
    """Credentials for the configured file, shared between requests so a token is
    refreshed once an hour rather than once per booking. A changed file (new mtime or
    size) or a changed setting makes new ones."""
    path = settings.google_service_account_file or settings.google_oauth_file
    if not path:
        raise CalendarUnavailable(
            "A Google calendar is configured but no credentials are: set "
            "HEARTH_GOOGLE_SERVICE_ACCOUNT_FILE or HEARTH_GOOGLE_OAUTH_FILE."
        )
    try:
        stat = Path(path).stat()
        key = (
            path,
            stat.st_mtime_ns,
            stat.st_size,
            settings.google_service_account_file is not None,
            settings.google_delegated_user,
            settings.google_api_root,
        )
        with _credentials_lock:
            if key not in _credentials_cache:
                if len(_credentials_cache) >= _MAX_CACHED_CREDENTIALS:
                    _credentials_cache.clear()  # files replaced many times: start over
                _credentials_cache[key] = _load_credentials(settings)
            return _credentials_cache[key]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CalendarUnavailable(f"Google credentials in {path} cannot be used: {exc}") from exc


def _load_credentials(settings: Settings) -> Credentials:
    if settings.google_service_account_file:
        return service_account_credentials(
            settings.google_service_account_file,
            settings.google_delegated_user,
            settings.google_api_root,
        )
    assert settings.google_oauth_file is not None
    return oauth_credentials(settings.google_oauth_file, settings.google_api_root)


def service_account_credentials(
    path: str, delegated_user: str | None, api_root: str | None
) -> Credentials:
    """A service account key; with domain-wide delegation it acts as ``delegated_user``
    (needed for Meet links and for inviting attendees from a Workspace calendar)."""
    from google.oauth2 import service_account

    credentials = service_account.Credentials.from_service_account_file(path, scopes=SCOPES)
    if api_root:
        credentials = credentials.with_token_uri(token_uri(api_root))
    if delegated_user:
        credentials = credentials.with_subject(delegated_user)
    return credentials


def oauth_credentials(path: str, api_root: str | None) -> Credentials:
    """An OAuth client and a refresh token the owner granted (a personal Gmail calendar).

    No scopes are asked for on refresh: the grant already says what the token may do,
    and asking for others would fail the refresh.
    """
    from google.oauth2.credentials import Credentials as OAuthCredentials

    info = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(info, dict):
        raise ValueError("expected a JSON object")
    missing = [key for key in ("client_id", "client_secret", "refresh_token") if not info.get(key)]
    if missing:
        raise ValueError("missing " + ", ".join(missing))
    return OAuthCredentials(
        token=None,
        refresh_token=info["refresh_token"],
        client_id=info["client_id"],
        client_secret=info["client_secret"],
        token_uri=token_uri(api_root) if api_root else info.get("token_uri") or GOOGLE_TOKEN_URI,
    )
