"""Keeping Google Calendar in step with the bookings, never the other way round.

The booking in Firestore is the truth; the calendar event is a copy made after it. A
booking is confirmed the moment it is stored, whether or not Google answers: when the
calendar is down, the booking is marked "pending" and the scheduled sync (the
calendar_sync function) makes the event later. Each step is safe to repeat: the event
id is derived from the booking id, so a retried insert finds the event it already made
instead of making a second one.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from hearth import config
from hearth.calendar import google as gcal
from hearth.store import bookings

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# After this many failed runs a booking is "failed": shown to the owner, no longer retried.
FAILED_AFTER = 20


class Action(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    CANCEL = "cancel"
    NONE = "none"


def plan(booking: Mapping[str, Any]) -> Action:
    """What the calendar needs so that it shows this booking as it is now."""
    calendar = booking.get("calendar") or {}
    if calendar.get("state") not in ("pending", "failed"):
        return Action.NONE
    has_event = bool(booking.get("calendarEventId"))
    if booking.get("status") == bookings.CANCELLED:
        return Action.CANCEL if has_event else Action.NONE
    return Action.UPDATE if has_event else Action.INSERT


def event_spec(booking_id: str, booking: Mapping[str, Any], business_name: str) -> gcal.EventSpec:
    """The owner's calendar entry: who, what and where to reach them."""
    name = booking.get("customerName") or booking.get("customerEmail")
    lines = [f"{booking.get('typeLabel')} booked through Hearth (source: {booking.get('source')})."]
    if booking.get("notes"):
        lines.append(f"Notes: {booking['notes']}")
    if booking.get("videoLink"):
        lines.append(f"Video link: {booking['videoLink']}")
    return gcal.EventSpec(
        event_id=gcal.event_id_for(booking_id),
        request_id=(booking.get("calendar") or {}).get("requestId") or booking_id,
        summary=f"{booking.get('typeLabel')}: {name}",
        description="\n".join(lines),
        start=booking["start"],
        end=booking["end"],
        time_zone=booking.get("hoursTimeZone") or "UTC",
        attendee_email=booking["customerEmail"],
        attendee_name=booking.get("customerName"),
    )


def sync(client: Any, calendar: gcal.Calendar, booking_id: str, settings: config.Settings) -> str:
    """Bring one booking's event up to date; answers the booking's calendar state."""
    timeout = settings.store_timeout_s
    for _ in range(MAX_ATTEMPTS):
        booking, updated = bookings.get(client, booking_id, timeout)
        action = plan(booking)
        if action is Action.NONE:
            return (booking.get("calendar") or {}).get("state", "off")
        updates = _apply(calendar, booking_id, booking, action, settings)
        # Guarded: a booking moved while Google answered stays pending for the next run.
        if bookings.update_unless_changed(client, booking_id, updates, updated, timeout):
            return updates["calendar.state"]
    return "pending"


def _apply(
    calendar: gcal.Calendar,
    booking_id: str,
    booking: Mapping[str, Any],
    action: Action,
    settings: config.Settings,
) -> dict[str, Any]:
    state = booking.get("calendar") or {}
    attempts = int(state.get("attempts") or 0) + 1
    try:
        if action is Action.CANCEL:
            calendar.cancel(booking["calendarEventId"])
            result = None
        elif action is Action.UPDATE:
            spec = event_spec(booking_id, booking, settings.business_name)
            result = calendar.update(booking["calendarEventId"], spec)
        else:
            result = calendar.insert(event_spec(booking_id, booking, settings.business_name))
    except gcal.CalendarUnavailable as exc:
        log.warning("calendar unavailable for %s: %s", booking_id, exc)
        return _failed(attempts, str(exc), give_up=attempts >= FAILED_AFTER)
    except gcal.CalendarRefused as exc:
        log.error("calendar refused %s: %s", booking_id, exc)
        return _failed(attempts, str(exc), give_up=True)
    updates: dict[str, Any] = {
        "calendar.state": "synced",
        "calendar.attempts": attempts,
        "calendar.lastError": None,
        "calendar.syncedAt": datetime.now(UTC),
    }
    if result is not None:
        updates["calendarEventId"] = result.event_id
        updates["calendar.htmlLink"] = result.html_link
        if result.conference_pending:
            # Google is still making the Meet room: ask again on the next run.
            updates["calendar.state"] = "pending"
        # The first link a customer was given stays theirs; Meet fills it only when empty.
        if result.video_link and not booking.get("videoLink"):
            updates["videoLink"] = result.video_link
    return updates


def _failed(attempts: int, error: str, give_up: bool) -> dict[str, Any]:
    return {
        "calendar.state": "failed" if give_up else "pending",
        "calendar.attempts": attempts,
        "calendar.lastError": error[:500],
    }


def sync_quietly(client: Any, booking_id: str, settings: config.Settings) -> str:
    """The inline attempt right after a booking changes: never fails the request.

    The booking is already stored; whatever happens here, the scheduled sync finishes it.
    """
    try:
        calendar = gcal.connect(settings)
        if calendar is None:
            return "off"
        return sync(client, calendar, booking_id, settings)
    except Exception:
        log.exception("calendar sync of %s left for the scheduled run", booking_id)
        return "pending"


def run_pending(client: Any, settings: config.Settings, limit: int = 100) -> dict[str, int]:
    """One scheduled pass over the bookings the calendar has not seen yet; repeating
    it is harmless (the scheduled calendar_sync function, and devstack's loop)."""
    counts = {"synced": 0, "pending": 0, "failed": 0}
    calendar = gcal.connect(settings)
    if calendar is None:
        return counts
    for booking_id in bookings.pending_calendar(client, limit, settings.store_timeout_s):
        state = sync(client, calendar, booking_id, settings)
        counts[state if state in counts else "synced"] += 1
    return counts
