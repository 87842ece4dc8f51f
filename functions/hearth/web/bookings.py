"""The booking functions' HTTP edge: /availability, /book, /booking/{id} and the
owner's booking settings routes inside /admin.

What is HTTP about a booking lives here: which path and method is which operation,
who the caller is (a visitor, a signed link, or staff with a token), the .ics file as
a download, and the URL the answers point back to. What a booking is, and every
refusal, is hearth.bookings'.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime
from typing import Any

from flask import Request, Response

from hearth import config, intake
from hearth.bookings import admin, manage
from hearth.bookings import availability as free_times
from hearth.bookings import book as new_booking
from hearth.bookings import view as booking_view
from hearth.errors import MethodNotAllowed, NotFound
from hearth.rules import sources, spam
from hearth.rules.fields import ID_PATTERN
from hearth.rules.roles import Role
from hearth.web.endpoint import Call, Handler, Reply, endpoint, parse, serve
from hearth.web.routes import admin_path, only

BOOKING_ID = re.compile(r"bk_" + ID_PATTERN.strip("^$"))
# /booking/{id}[/action] and the method each action takes.
ACTIONS = {None: "GET", "ics": "GET", "cancel": "POST", "reschedule": "POST", "sync": "POST"}
NO_OPERATION = (
    "No such booking operation. Use /booking/{id}, /booking/{id}.ics, "
    "/booking/{id}/cancel, /booking/{id}/reschedule or /booking/{id}/sync."
)
NO_LINK = (
    "A booking link is named by its source slug: lowercase letters, digits, "
    "'-' and '.', as /booking-links/spring-show-2026."
)
ADMIN_PATHS = ("settings/booking", "booking-links/")


def functions_url(request: Request, settings: config.Settings) -> str:
    """Where the /booking function answers: configured, else this request's own host
    (all functions share one host locally and on Cloud Functions' first generation)."""
    return settings.functions_url or f"{request.scheme}://{request.host}"


@endpoint(methods="GET, OPTIONS", wrong_method="Ask for free times with GET.")
def availability(call: Call) -> Reply:
    query = parse(free_times.AvailabilityQuery, call.args())
    staff = call.signed_in()
    # Staff (the admin page sends its token) may book at short notice, as /book allows.
    notice = staff is None or staff.role not in (Role.OWNER, Role.REP)
    return Reply(free_times.answer(query, call.settings, datetime.now(UTC), notice=notice))


@endpoint(methods="POST, OPTIONS", wrong_method="Book with POST.")
def book(call: Call) -> Reply:
    settings = call.settings
    staff = call.signed_in()
    if staff is not None:
        new_booking.check_staff(staff)
    data, _ = call.body()
    if staff is None and (reason := spam.verdict(data, settings.min_fill_ms)):
        intake.count_spam(reason)
        # Like intake: a bot told "done" moves on; it holds no slot and is stored nowhere.
        return Reply({"ok": True, "booking": None}, 201)
    body = parse(new_booking.BookingRequest, data)
    submission_id = body.submission_id or call.idempotency_key()
    booking_id, booked, created = new_booking.book(body, submission_id, staff, settings)
    view = booking_view.view(
        booking_id,
        booked,
        settings,
        functions_url(call.request, settings),
        staff=staff is not None,
    )
    return Reply({"ok": True, "booking": view}, 201 if created else 200)


def _booking_route(request: Request) -> Handler:
    """/booking/{id}[.ics|/cancel|/reschedule|/sync]: 404 for any other path, 405 for
    the wrong method, before the origin or the caller is looked at."""
    parts = request.path.strip("/").split("/")
    if parts and parts[0] == "booking":
        parts = parts[1:]
    if len(parts) == 1 and parts[0].endswith(".ics"):
        parts = [parts[0][: -len(".ics")], "ics"]
    if len(parts) not in (1, 2):
        raise NotFound(NO_OPERATION)
    booking_id, action = parts[0], (parts[1] if len(parts) == 2 else None)
    if not BOOKING_ID.fullmatch(booking_id) or action not in ACTIONS:
        raise NotFound(NO_OPERATION)
    method = ACTIONS[action]
    if request.method != method:
        raise MethodNotAllowed(request.method, f"{method}, OPTIONS", f"Use {method} here.")
    return functools.partial(_manage, booking_id=booking_id, action=action)


def _manage(call: Call, *, booking_id: str, action: str | None) -> Reply:
    settings = call.settings
    body: dict[str, Any] = call.json() if call.request.method == "POST" else {}
    token = body.get("token") or call.args().get("token")
    staff = call.signed_in()
    found = manage.authorised(booking_id, token, staff, settings)
    if action == "ics":
        return Reply.raw(_ics(*manage.ics_file(booking_id, found, settings)))
    if action == "cancel":
        found = manage.cancel(booking_id, parse(manage.CancelRequest, body), staff, settings)
    elif action == "reschedule":
        request = parse(manage.RescheduleRequest, body)
        found = manage.reschedule(booking_id, found, request, staff, settings)
    elif action == "sync":
        found = manage.sync_again(booking_id, staff, settings)
    base_url = functions_url(call.request, settings)
    view = booking_view.view(booking_id, found, settings, base_url, staff=staff is not None)
    return Reply({"booking": view})


booking = serve(_booking_route, methods="GET, POST, OPTIONS")


def _ics(body: str, filename: str) -> Response:
    return Response(
        body,
        200,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


# The owner's booking settings and links: routes of the admin function (web.admin).


def admin_route(request: Request) -> Handler | None:
    """The handler for a booking-settings path of /admin, None for any other path.

    PUT /admin/settings/booking, PUT|DELETE /admin/booking-links/{source}; 404 for a
    source that is not a slug and 405 for another method, as the admin router does.
    """
    path = admin_path(request)
    if not path.startswith(ADMIN_PATHS):
        return None
    if path == "settings/booking":
        only(request, "PUT")
        return _save_settings
    source = path.removeprefix("booking-links/")
    if "/" in source or not source or sources.normalise(source) != source:
        raise NotFound(NO_LINK)
    only(request, "PUT", "DELETE")
    if request.method == "DELETE":
        return functools.partial(_delete_link, source=source)
    return functools.partial(_save_link, source=source)


def _save_settings(call: Call) -> Reply:
    owner = admin.owner(call.principal())
    return Reply({"settings": admin.save_settings(call.json(), owner, call.settings)})


def _save_link(call: Call, *, source: str) -> Reply:
    owner = admin.owner(call.principal())
    return Reply({"link": admin.save_link(source, call.json(), owner, call.settings)})


def _delete_link(call: Call, *, source: str) -> Reply:
    admin.owner(call.principal())
    admin.delete_link(source, call.settings)
    return Reply({"deleted": source})
