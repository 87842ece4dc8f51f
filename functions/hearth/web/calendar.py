"""POST /calendar_sync: the scheduled retry of Google Calendar copies.

Deployed without public access: only Cloud Scheduler's service account may invoke it
(README), so there is no CORS and no origin to check. Repeating it is harmless.
"""

from __future__ import annotations

from flask import Request

from hearth import calendar
from hearth.errors import MethodNotAllowed
from hearth.store import client as db
from hearth.web.endpoint import Call, Handler, Reply, serve


def _route(request: Request) -> Handler:
    # The scheduler may be set to GET or POST; the Allow header names the one to use.
    if request.method not in ("GET", "POST"):
        raise MethodNotAllowed(request.method, "POST", "Run the sync with POST.")
    return _run


def _run(call: Call) -> Reply:
    return Reply(calendar.run_pending(db.client(), call.settings))


sync = serve(_route, methods="GET, POST", cors=False)
