"""/booking: look up, cancel, move or download one booked call.

Two kinds of caller, one set of rules: the customer, holding the signed link from
their confirmation (no account needed), and staff signed in to the admin page (the
owner for any call, a rep for their own customers' calls). Anyone else is told there is
no such booking, so ids reveal nothing. Every change goes on the customer's timeline
and then to Google Calendar, like a new booking.

    GET  /booking/{id}?token=            the booking
    GET  /booking/{id}.ics?token=        the call as a calendar file
    POST /booking/{id}/cancel            {"token"?, "reason"?}
    POST /booking/{id}/reschedule        {"token"?, "start", "tz"?}
    POST /booking/{id}/sync              staff: try Google Calendar again now
"""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Annotated, Any

from flask import Request, Response
from pydantic import BaseModel, ConfigDict, Field

from hearth import config
from hearth.bookings import view as booking_view
from hearth.bookings.availability import load_rules, settings_broken
from hearth.bookings.book import check_time, slot_taken
from hearth.bookings.settings import Instant, ZoneName
from hearth.calendar import sync as calendar_sync
from hearth.customers.admin import parse as parse_model
from hearth.intake.service import ID_PATTERN, store_errors_as_503
from hearth.rules import ics, signed_links, slots
from hearth.rules.roles import Principal, Role
from hearth.store import bookings
from hearth.web import auth
from hearth.web.http import (
    HttpError,
    check_origin,
    cors_headers,
    error_response,
    json_body,
    json_response,
    method_not_allowed,
    preflight,
)

METHODS = "GET, POST, OPTIONS"
ACTIONS = {None: "GET", "ics": "GET", "cancel": "POST", "reschedule": "POST", "sync": "POST"}


class CancelRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    token: Annotated[str | None, Field(max_length=100)] = None
    reason: Annotated[str | None, Field(max_length=500)] = None


class RescheduleRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    token: Annotated[str | None, Field(max_length=100)] = None
    start: Instant
    tz: ZoneName = None


def route(path: str) -> tuple[str, str | None]:
    parts = path.strip("/").split("/")
    if parts and parts[0] == "booking":
        parts = parts[1:]
    if len(parts) == 1 and parts[0].endswith(".ics"):
        parts = [parts[0][: -len(".ics")], "ics"]
    if len(parts) in (1, 2):
        booking_id = parts[0]
        action = parts[1] if len(parts) == 2 else None
        if _usable_id(booking_id) and action in ACTIONS:
            return booking_id, action
    raise HttpError(
        404,
        "not_found",
        "No such booking operation. Use /booking/{id}, /booking/{id}.ics, "
        "/booking/{id}/cancel, /booking/{id}/reschedule or /booking/{id}/sync.",
    )


def _usable_id(booking_id: str) -> bool:
    import re

    return bool(re.fullmatch(r"bk_" + ID_PATTERN.strip("^$"), booking_id))


def handle(request: Request) -> Response:
    settings = config.load()
    cors = cors_headers(request.headers.get("Origin"), settings.allowed_origins, METHODS)
    if request.method == "OPTIONS":
        return preflight(request, cors)
    try:
        booking_id, action = route(request.path)
        if request.method != ACTIONS[action]:
            raise method_not_allowed(
                request.method, f"{ACTIONS[action]}, OPTIONS", f"Use {ACTIONS[action]} here."
            )
        check_origin(request, settings.allowed_origins)
        body: dict[str, Any] = {}
        if request.method == "POST":
            body = json_body(request, settings.max_body_bytes)
        token = body.get("token") or request.args.get("token")
        staff = auth.principal(request) if request.headers.get("Authorization") else None
        booking = _authorised(booking_id, token, staff, settings)
        base_url = booking_view.functions_url(request, settings)
        if action == "ics":
            return _ics(booking_id, booking, settings)
        if action == "cancel":
            request_body = parse_model(CancelRequest, body)
            booking = _cancel(booking_id, request_body, staff, settings)
        elif action == "reschedule":
            request_body = parse_model(RescheduleRequest, body)
            booking = _reschedule(booking_id, booking, request_body, staff, settings)
        elif action == "sync":
            booking = _sync_again(booking_id, staff, settings)
    except HttpError as error:
        return error_response(error, cors)
    return json_response(
        {
            "booking": booking_view.view(
                booking_id, booking, settings, base_url, staff=staff is not None
            )
        },
        200,
        cors,
    )


def _not_found() -> HttpError:
    return HttpError(404, "not_found", "There is no booking here that you may see.")


def _authorised(
    booking_id: str, token: Any, staff: Principal | None, settings: config.Settings
) -> dict[str, Any]:
    """The booking, if this caller may touch it; the same 404 whatever the reason not."""
    from hearth.store import client as db

    link_ok = isinstance(token, str) and signed_links.valid(settings.link_secret, booking_id, token)
    if not link_ok and staff is None:
        raise _not_found()
    with store_errors_as_503():
        try:
            booking, _ = bookings.get(db.client(), booking_id, settings.store_timeout_s)
        except bookings.NotFoundError:
            raise _not_found() from None
    if link_ok or staff is None:
        return booking
    if staff.role is Role.OWNER:
        return booking
    if staff.role is Role.REP and booking.get("ownerUid") == staff.uid:
        return booking
    raise _not_found()


def _actor(staff: Principal | None) -> dict[str, Any]:
    if staff is None:
        return {"kind": "signed_link"}
    return {
        "kind": "staff",
        "uid": staff.uid,
        "email": staff.email,
        "role": staff.role.value if staff.role else None,
    }


def _cancel(
    booking_id: str, body: CancelRequest, staff: Principal | None, settings: config.Settings
) -> dict[str, Any]:
    from hearth.store import client as db

    client = db.client()
    with store_errors_as_503():
        booking, changed = bookings.cancel(
            client,
            booking_id,
            _actor(staff),
            body.reason,
            settings.google_calendar_id is not None,
            settings.store_timeout_s,
        )
    return _after_change(client, booking_id, booking, changed, settings)


def _reschedule(
    booking_id: str,
    booking: dict[str, Any],
    body: RescheduleRequest,
    staff: Principal | None,
    settings: config.Settings,
) -> dict[str, Any]:
    from hearth.store import client as db

    if booking.get("status") == bookings.CANCELLED:
        raise _cancelled()
    client = db.client()
    try:
        _, rules, _ = load_rules(client, settings, booking.get("source"))
    except ValueError as exc:
        raise settings_broken(exc) from None
    meeting = slots.MeetingType(
        id=booking["type"], label=booking.get("typeLabel") or "", minutes=booking["minutes"]
    )
    if body.start != booking["start"]:
        own = slots.Interval(booking["start"], booking["end"])
        rules = _with_type(rules, meeting)
        check_time(rules, meeting, body.start, settings, client, notice=staff is None, own=own)
    with store_errors_as_503():
        try:
            booking, changed = bookings.reschedule(
                client,
                booking_id,
                body.start,
                body.start + timedelta(minutes=meeting.minutes),
                body.tz,
                rules.buffer_minutes,
                _actor(staff),
                settings.google_calendar_id is not None,
                settings.store_timeout_s,
            )
        except bookings.SlotTakenError:
            raise slot_taken() from None
        except bookings.CancelledError:
            raise _cancelled() from None
    return _after_change(client, booking_id, booking, changed, settings)


def _with_type(rules: slots.Rules, meeting: slots.MeetingType) -> slots.Rules:
    """The rules still know a booking's type even if the owner has since removed it."""
    from dataclasses import replace

    return replace(rules, types={**rules.types, meeting.id: meeting})


def _after_change(
    client: Any,
    booking_id: str,
    booking: dict[str, Any],
    changed: bool,
    settings: config.Settings,
) -> dict[str, Any]:
    if changed and (booking.get("calendar") or {}).get("state") == "pending":
        calendar_sync.sync_quietly(client, booking_id, settings)
        with store_errors_as_503():
            booking, _ = bookings.get(client, booking_id, settings.store_timeout_s)
    return booking


def _sync_again(
    booking_id: str, staff: Principal | None, settings: config.Settings
) -> dict[str, Any]:
    """The owner's "try again" for a call Google refused or missed: the scheduled sync
    gives up after many failures, a person who fixed the cause need not wait for it."""
    from hearth.store import client as db

    if staff is None:
        raise _not_found()
    if settings.google_calendar_id is None:
        raise HttpError(
            409, "no_calendar", "No Google Calendar is connected: there is nothing to sync."
        )
    client = db.client()
    with store_errors_as_503():
        client.collection(bookings.COLLECTION).document(booking_id).update(
            {"calendar.state": "pending", "calendar.attempts": 0}
        )
    return _after_change(client, booking_id, {"calendar": {"state": "pending"}}, True, settings)


def _cancelled() -> HttpError:
    return HttpError(
        409,
        "cancelled",
        "This call was cancelled, so it cannot be moved. Please book a new one.",
    )


def _ics(booking_id: str, booking: dict[str, Any], settings: config.Settings) -> Response:
    manage = signed_links.manage_url(settings.site_url, settings.link_secret, booking_id)
    body = ics.booking_ics(booking, booking_id, settings.business_name, manage)
    day = booking["start"].astimezone(UTC).strftime("%Y-%m-%d")
    return Response(
        body,
        200,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="call-{day}.ics"',
            "Cache-Control": "no-store",
        },
    )
