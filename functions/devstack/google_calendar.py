"""Google Calendar on one machine: the local fake, and the scheduled sync's loop.

Deployed, Cloud Scheduler calls the calendar_sync function every few minutes; the
local stack runs the same pass on a thread, and connects the functions to the fake
Calendar server (devstack/fake_calendar.py) unless a developer configured a real
calendar (HEARTH_GOOGLE_CALENDAR_ID) or asked for none (--no-calendar). The same
loop runs the analytics rollover once per business day (deployed: analytics_rollover)
and the tasks' sweep every minute (deployed: sweep), so it runs with or without a
calendar (the calendar pass then does nothing).
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from devstack.fake_calendar import FakeCalendar

SYNC_EVERY_S = 60.0
DEMO_CALENDAR = "studio@studio-lumen.test"


def connect_fake(port: int, data_dir: Path) -> FakeCalendar | None:
    """Start the fake and point the functions at it; None when a real one is set."""
    if os.environ.get("HEARTH_GOOGLE_CALENDAR_ID"):
        return None
    fake = FakeCalendar(port=port).start()
    os.environ.update(fake.dev_env(data_dir, calendar_id=DEMO_CALENDAR))
    return fake


class SyncLoop:
    """The scheduled retry of calendar copies, every minute, until stopped (and the
    analytics rollover, once a day). Started with or without a calendar: run_pending
    returns at once when none is configured."""

    def __init__(self, every_s: float = SYNC_EVERY_S) -> None:
        self.every_s = every_s
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="calendar-sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _loop(self) -> None:
        from hearth import config
        from hearth.calendar import sync as calendar_sync
        from hearth.store import client as db

        rolled_over: str | None = None
        while not self._stopped.wait(self.every_s):
            rolled_over = _analytics_rollover(rolled_over)
            _sweep()
            try:
                counts = calendar_sync.run_pending(db.client(), config.load())
            except Exception as exc:  # the next pass tries again; the stack carries on
                print(f"Calendar sync failed: {exc}", file=sys.stderr, flush=True)
                continue
            if counts["synced"] or counts["failed"]:
                print(f"Calendar sync: {counts}", flush=True)

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)


def _sweep() -> None:
    """Deployed, the scheduler calls sweep every minute; here the loop does, and an
    error waits for the next minute like the scheduler's retry would."""
    from hearth import config, tasks

    try:
        done = tasks.sweep(config.load())
    except Exception as exc:  # the next pass tries again; the stack carries on
        print(f"Sweep failed: {exc}", file=sys.stderr, flush=True)
        return
    if done["overdue"]:
        print(f"Sweep: {done}", flush=True)


def _analytics_rollover(done_for: str | None) -> str | None:
    """Deployed, the scheduler calls analytics_rollover every hour; here the loop runs
    it once per business day (at its first pass, then after each midnight), which is
    all it has to do. Returns the day it has run for."""
    from datetime import UTC, datetime

    from hearth import analytics, config
    from hearth.rules import traffic

    settings = config.load()
    today = traffic.day_key(traffic.business_day(datetime.now(UTC), settings.time_zone))
    if today == done_for:
        return done_for
    try:
        done = analytics.rollover(settings)
    except Exception as exc:  # the next pass tries again; the stack carries on
        print(f"Analytics rollover failed: {exc}", file=sys.stderr, flush=True)
        return done_for
    if done["compacted"] or done["months"]:
        print(f"Analytics rollover: {done}", flush=True)
    return today
