"""A local stand-in for Google Calendar's HTTP API, for the dev stack and the tests.

Hearth's real client (hearth.calendar.google, google-api-python-client) talks to it unchanged:
HEARTH_GOOGLE_API_ROOT points every request here, the OAuth token refresh included, so
what is tested is the code that runs against Google. It keeps events in memory and
answers the few calls Hearth makes, in Google's shapes:

    POST   /token                                      OAuth refresh or JWT grant
    POST   /calendar/v3/freeBusy                       busy = events + added blocks
    POST   /calendar/v3/calendars/{cal}/events         insert (Meet link, 409 on a reused id)
    GET    /calendar/v3/calendars/{cal}/events/{id}
    PATCH  /calendar/v3/calendars/{cal}/events/{id}
    DELETE /calendar/v3/calendars/{cal}/events/{id}    404 unknown, 410 deleted already

A test or a developer steers it from Python (``FakeCalendar``) or, when it runs in
another process (``python -m devstack``), over HTTP under /_fake/:

    POST /_fake/outage {"down": true|false}    every Calendar API call answers 503
    POST /_fake/busy {"start", "end"}          the owner's other meetings
    GET  /_fake/requests                       what the client sent
    GET  /_fake/events, /_fake/events/{id}     what it has made
    POST /_fake/reset                          forget all of that

The token endpoint stays up during an outage: that is the Calendar API's outage, and
Google's auth library answers a 503 from /token with seconds of its own retries.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import threading
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, time, tzinfo
from pathlib import Path
from typing import Any, TypedDict
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from werkzeug.wrappers import Request, Response

from devstack.fake_server import FakeServer
from devstack.server import HOST

_EVENTS = re.compile(r"^/calendar/v3/calendars/(?P<calendar>[^/]+)/events(?:/(?P<event>[^/]+))?$")
_EVENT_ID = re.compile(r"^[a-v0-9]{5,1024}$")
_MEET_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_REASONS = {
    400: ("badRequest", "INVALID_ARGUMENT"),
    401: ("authError", "UNAUTHENTICATED"),
    404: ("notFound", "NOT_FOUND"),
    405: ("methodNotAllowed", "INVALID_ARGUMENT"),
    409: ("duplicate", "ALREADY_EXISTS"),
    410: ("deleted", "NOT_FOUND"),
    503: ("backendError", "UNAVAILABLE"),
}


class Recorded(TypedDict):
    """One request the client sent, as /_fake/requests lists it."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    form: dict[str, str] | None


class FakeCalendar(FakeServer):
    """The fake server: ``FakeCalendar(port=0).start()``, then point
    HEARTH_GOOGLE_API_ROOT at ``.url`` (``dev_env`` writes the rest)."""

    label = "fake Google Calendar"

    def __init__(self, port: int = 0, host: str = HOST, refresh_token: str | None = None) -> None:
        """``refresh_token``: the only one /token accepts (None: any non-empty one),
        so a test can show what a revoked grant does."""
        super().__init__(port, host)
        self.refresh_token = refresh_token
        self._lock = threading.Lock()
        self._tokens: set[str] = set()
        self._issued = 0
        self._clear()

    def dev_env(self, directory: Path, calendar_id: str = "primary") -> dict[str, str]:
        """The HEARTH_GOOGLE_* variables that connect Hearth to this fake, with an OAuth
        file (invented values) written into ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "fake-google-oauth.json"
        grant = {
            "client_id": "hearth-dev.apps.googleusercontent.com",
            "client_secret": "fake-client-secret",
            "refresh_token": self.refresh_token or "fake-refresh-token",
        }
        path.write_text(json.dumps(grant), encoding="utf-8")
        return {
            "HEARTH_GOOGLE_CALENDAR_ID": calendar_id,
            "HEARTH_GOOGLE_OAUTH_FILE": str(path),
            "HEARTH_GOOGLE_API_ROOT": self.url + "/",
        }

    # Steering.

    @property
    def requests(self) -> list[Recorded]:
        with self._lock:
            return copy.deepcopy(self._requests)

    @property
    def events(self) -> list[dict[str, Any]]:
        """Every event made, deleted ones too (status "cancelled"), with its calendarId."""
        with self._lock:
            return [
                {"calendarId": calendar, **copy.deepcopy(event)}
                for (calendar, _), event in self._events.items()
            ]

    def add_busy(self, start: datetime, end: datetime, calendar_id: str | None = None) -> None:
        """A meeting Hearth did not make; on every calendar unless one is named."""
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("Busy times need a time zone.")
        with self._lock:
            self._busy.append((start.astimezone(UTC), end.astimezone(UTC), calendar_id))

    def set_down(self, down: bool) -> None:
        with self._lock:
            self._down = down

    def reset(self) -> None:
        """Forget events, busy blocks, recorded requests and any outage. Issued tokens
        stay valid, as Google's do, so a client that is still running carries on."""
        with self._lock:
            self._clear()

    def _clear(self) -> None:
        self._events: dict[tuple[str, str], dict[str, Any]] = {}
        self._busy: list[tuple[datetime, datetime, str | None]] = []
        self._requests: list[Recorded] = []
        self._down = False
        self._made = 0

    # HTTP.

    def respond(self, request: Request) -> Response:
        if request.path.startswith("/_fake/"):
            return self._control(request)
        body = _json_body(request)
        with self._lock:
            self._record(request, body)
            if request.path == "/token":
                return self._token(request)
            if self._down and request.path.startswith("/calendar/"):
                return _error(503, "The service is currently unavailable.")
            if not self._authorized(request):
                return _error(401, "Request had invalid authentication credentials.")
            return self._api(request, body)

    def _record(self, request: Request, body: Any) -> None:
        form = dict(request.form) if request.mimetype.endswith("x-www-form-urlencoded") else None
        self._requests.append(
            {
                "method": request.method,
                "path": request.path,
                "query": dict(request.args),
                "json": body,
                "form": form,
            }
        )

    def _token(self, request: Request) -> Response:
        grant = request.form.get("grant_type", "")
        if grant == "refresh_token":
            given = request.form.get("refresh_token", "")
            if not given or (self.refresh_token is not None and given != self.refresh_token):
                return _oauth_error("invalid_grant", "Token has been expired or revoked.")
            if not request.form.get("client_id") or not request.form.get("client_secret"):
                return _oauth_error("invalid_client", "The OAuth client was not found.")
        elif grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            if not request.form.get("assertion"):
                return _oauth_error("invalid_grant", "Missing assertion.")
        else:
            return _oauth_error("unsupported_grant_type", f"Unsupported grant: {grant}.")
        self._issued += 1
        token = f"fake-access-token-{self._issued}"
        self._tokens.add(token)
        return _json({"access_token": token, "expires_in": 3599, "token_type": "Bearer"})

    def _authorized(self, request: Request) -> bool:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and token in self._tokens

    def _api(self, request: Request, body: Any) -> Response:
        if request.path == "/calendar/v3/freeBusy":
            if request.method != "POST":
                return _error(405, "Use POST.")
            return self._freebusy(body)
        match = _EVENTS.match(request.path)
        if match is None:
            return _error(404, f"Not found: {request.path}")
        calendar, event_id = match["calendar"], match["event"]
        if event_id is None:
            if request.method != "POST":
                return _error(405, "Only insert is served here.")
            return self._insert(calendar, body, request)
        handlers = {"GET": self._get, "PATCH": self._patch, "DELETE": self._delete}
        handler = handlers.get(request.method)
        if handler is None:
            return _error(405, f"{request.method} is not served here.")
        return handler(calendar, event_id, body, request)

    def _freebusy(self, body: Any) -> Response:
        try:
            start = _instant(body["timeMin"])
            end = _instant(body["timeMax"])
            items = [str(item["id"]) for item in body.get("items") or []]
        except (KeyError, TypeError, ValueError):
            return _error(400, "timeMin, timeMax and items are required.")
        zone = _zone(body.get("timeZone"))
        calendars = {
            calendar: {
                "busy": [_busy_json(a, b, zone) for a, b in self._busy_in(calendar, start, end)]
            }
            for calendar in items
        }
        return _json(
            {
                "kind": "calendar#freeBusy",
                "timeMin": _google_time(start),
                "timeMax": _google_time(end),
                "calendars": calendars,
            }
        )

    def _busy_in(
        self, calendar: str, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime]]:
        blocks = [(a, b) for a, b, only in self._busy if only in (None, calendar)]
        blocks += [
            _event_span(event)
            for (owner, _), event in self._events.items()
            if owner == calendar and _blocks_time(event)
        ]
        return merge(clip(blocks, start, end))

    def _insert(self, calendar: str, body: Any, request: Request) -> Response:
        if not isinstance(body, dict):
            return _error(400, "An event needs a JSON body.")
        event_id = body.get("id")
        if event_id is None:
            self._made += 1
            event_id = f"fake{self._made:08d}"
        if not isinstance(event_id, str) or not _EVENT_ID.match(event_id):
            return _error(400, "Invalid resource id value.")
        if (calendar, event_id) in self._events:
            return _error(409, "The requested identifier already exists.")
        try:
            _event_span(body)
        except (KeyError, TypeError, ValueError):
            return _error(400, "Start and end times are required.")
        now = _google_time(datetime.now(UTC))
        event = {
            "kind": "calendar#event",
            "id": event_id,
            "status": "confirmed",
            "htmlLink": f"{request.host_url.rstrip('/')}/_fake/events/{event_id}",
            "created": now,
            "updated": now,
            "sequence": 0,
            "organizer": {"email": calendar, "self": True},
            **{key: value for key, value in body.items() if key not in ("id", "conferenceData")},
        }
        event["attendees"] = [
            {"responseStatus": "needsAction", **attendee}
            for attendee in body.get("attendees") or []
        ]
        self._add_conference(event, body, request)
        self._events[(calendar, event_id)] = event
        return _json(event)

    def _get(self, calendar: str, event_id: str, body: Any, request: Request) -> Response:
        event = self._events.get((calendar, event_id))
        return _json(event) if event is not None else _error(404, "Not Found")

    def _patch(self, calendar: str, event_id: str, body: Any, request: Request) -> Response:
        event = self._events.get((calendar, event_id))
        if event is None:
            return _error(404, "Not Found")
        if not isinstance(body, dict):
            return _error(400, "A patch needs a JSON body.")
        moved = (
            body.get("start", event["start"]) != event["start"]
            or body.get("end", event["end"]) != event["end"]
        )
        event.update(
            {key: value for key, value in body.items() if key not in ("id", "conferenceData")}
        )
        if moved:
            event["sequence"] = int(event.get("sequence", 0)) + 1
        event["updated"] = _google_time(datetime.now(UTC))
        if "conferenceData" not in event:
            self._add_conference(event, body, request)
        return _json(event)

    def _delete(self, calendar: str, event_id: str, body: Any, request: Request) -> Response:
        event = self._events.get((calendar, event_id))
        if event is None:
            return _error(404, "Not Found")
        if event.get("status") == "cancelled":
            return _error(410, "Resource has been deleted")
        event["status"] = "cancelled"
        event["updated"] = _google_time(datetime.now(UTC))
        return Response(status=204)

    @staticmethod
    def _add_conference(event: dict[str, Any], body: Mapping[str, Any], request: Request) -> None:
        """A Meet room, only when asked the way Google requires (conferenceDataVersion=1)."""
        create = (body.get("conferenceData") or {}).get("createRequest")
        if request.args.get("conferenceDataVersion") != "1" or not create:
            return
        event.update(conference(str(create.get("requestId", ""))))

    # Control over HTTP.

    def _control(self, request: Request) -> Response:
        route = (request.method, request.path)
        body = _json_body(request) or {}
        if route == ("POST", "/_fake/outage"):
            self.set_down(bool(body.get("down")))
            return _json({"down": bool(body.get("down"))})
        if route == ("POST", "/_fake/busy"):
            try:
                self.add_busy(
                    _instant(body["start"]), _instant(body["end"]), body.get("calendarId")
                )
            except (KeyError, TypeError, ValueError) as exc:
                return _json(
                    {"error": "invalid", "message": f"start and end, ISO 8601 with a zone: {exc}"},
                    400,
                )
            return _json({"ok": True}, 201)
        if route == ("GET", "/_fake/requests"):
            return _json({"requests": self.requests})
        if route == ("GET", "/_fake/events"):
            return _json({"events": self.events})
        if request.method == "GET" and request.path.startswith("/_fake/events/"):
            wanted = request.path.removeprefix("/_fake/events/")
            found = [event for event in self.events if event["id"] == wanted]
            return _json({"events": found}, 200 if found else 404)
        if route == ("POST", "/_fake/reset"):
            self.reset()
            return _json({"ok": True})
        return _json(
            {"error": "not_found", "message": f"No control at {request.method} {request.path}."},
            404,
        )


# Pure helpers.


def meet_code(request_id: str) -> str:
    """A Meet-shaped room code (abc-defg-hij) that depends only on the request id, so
    tests and a retried insert see the same link."""
    digest = hashlib.sha256(request_id.encode("utf-8")).digest()
    letters = "".join(_MEET_LETTERS[byte % 26] for byte in digest[:10])
    return f"{letters[:3]}-{letters[3:7]}-{letters[7:10]}"


def conference(request_id: str) -> dict[str, Any]:
    """The conference fields Google adds to an event once its Meet room exists."""
    code = meet_code(request_id)
    uri = f"https://meet.google.com/{code}"
    return {
        "hangoutLink": uri,
        "conferenceData": {
            "createRequest": {
                "requestId": request_id,
                "conferenceSolutionKey": {"type": "hangoutsMeet"},
                "status": {"statusCode": "success"},
            },
            "entryPoints": [
                {"entryPointType": "video", "uri": uri, "label": f"meet.google.com/{code}"}
            ],
            "conferenceSolution": {"key": {"type": "hangoutsMeet"}, "name": "Google Meet"},
            "conferenceId": code,
        },
    }


def clip(
    blocks: Iterable[tuple[datetime, datetime]], start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """The parts of ``blocks`` inside [start, end)."""
    return [(max(a, start), min(b, end)) for a, b in blocks if a < end and b > start]


def merge(blocks: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Sorted, with overlapping or touching blocks joined, as Google answers busy times."""
    merged: list[tuple[datetime, datetime]] = []
    for a, b in sorted(blocks):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _blocks_time(event: Mapping[str, Any]) -> bool:
    """Whether an event makes its owner busy: not deleted, not marked "free"."""
    return event.get("status") != "cancelled" and event.get("transparency") != "transparent"


def _event_span(event: Mapping[str, Any]) -> tuple[datetime, datetime]:
    return _event_time(event["start"]), _event_time(event["end"])


def _event_time(value: Mapping[str, Any]) -> datetime:
    """A Google event time: dateTime with an offset, or an all-day date in its zone."""
    if value.get("dateTime"):
        return _instant(value["dateTime"])
    day = datetime.strptime(value["date"], "%Y-%m-%d").date()
    return datetime.combine(day, time(), tzinfo=_zone(value.get("timeZone"))).astimezone(UTC)


def _instant(text: Any) -> datetime:
    parsed = datetime.fromisoformat(str(text))
    if parsed.tzinfo is None:
        raise ValueError(f"{text} has no time zone")
    return parsed.astimezone(UTC)


def _zone(name: Any) -> tzinfo:
    try:
        return ZoneInfo(str(name)) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _busy_json(start: datetime, end: datetime, zone: tzinfo) -> dict[str, str]:
    """Busy times in the asked zone, with its offset, as Google writes them."""
    return {"start": _zoned(start, zone), "end": _zoned(end, zone)}


def _zoned(instant: datetime, zone: tzinfo) -> str:
    if zone is UTC:
        return instant.strftime("%Y-%m-%dT%H:%M:%SZ")
    return instant.astimezone(zone).isoformat(timespec="seconds")


def _google_time(instant: datetime) -> str:
    return (
        instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{instant.microsecond // 1000:03d}Z"
    )


def _json_body(request: Request) -> Any:
    if not request.is_json:
        return None
    return request.get_json(silent=True)


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _error(status: int, message: str) -> Response:
    """Google's error envelope, which googleapiclient reads the reason from."""
    reason, code = _REASONS.get(status, ("unknown", "UNKNOWN"))
    body = {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"domain": "global", "reason": reason, "message": message}],
            "status": code,
        }
    }
    return _json(body, status)


def _oauth_error(error: str, description: str) -> Response:
    return _json({"error": error, "error_description": description}, 400)
