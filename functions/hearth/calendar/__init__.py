"""The owner's Google Calendar: busy times to keep free, and a copy of every booked call.

``google`` is the only code that talks to Google (its errors are HearthErrors:
CalendarUnavailable is an Unavailable, "try later"); ``sync`` brings a booking's
calendar copy up to date and is safe to repeat. The booking in the store is the truth,
so bookings never wait for, or fail because of, the calendar. May import store, rules,
errors and config; other domains use what is named here.
"""

from hearth.calendar.google import CalendarUnavailable, connect
from hearth.calendar.sync import run_pending, sync_quietly

__all__ = ["CalendarUnavailable", "connect", "run_pending", "sync_quietly"]
