"""The team's comings and goings over HTTP: three routes of the admin function.

    PUT  /admin/team/{uid}/away                       away dates {from, until}
    POST /admin/team/{uid}/handover                   start or resume a hand-over job
    POST /admin/team/{uid}/handover/{job_id}/stop     stop it (calling again resumes)

Who may do what, and every refusal, is hearth.handover's.
"""

from __future__ import annotations

import functools

from flask import Request

from hearth import handover
from hearth.errors import NotFound
from hearth.web.endpoint import Call, Handler, Reply, parse
from hearth.web.routes import admin_path, only

NO_ROUTE = (
    "No such team operation. Use PUT /admin/team/{uid}/away, POST "
    "/admin/team/{uid}/handover or POST /admin/team/{uid}/handover/{job_id}/stop."
)


def admin_route(request: Request) -> Handler | None:
    """The handler for a team path of /admin, None for any other path; 404 for a path
    under team/ that is no operation, 405 for another method, as the admin router does."""
    path = admin_path(request)
    if path != "team" and not path.startswith("team/"):
        return None
    parts = path.split("/")
    if len(parts) < 3 or not handover.usable_uid(parts[1]):
        raise NotFound(NO_ROUTE)
    uid = parts[1]
    if len(parts) == 3 and parts[2] == "away":
        only(request, "PUT")
        return functools.partial(_away, uid=uid)
    if len(parts) == 3 and parts[2] == "handover":
        only(request, "POST")
        return functools.partial(_handover, uid=uid)
    stop = len(parts) == 5 and parts[2] == "handover" and parts[4] == "stop"
    if stop and handover.usable_job_id(parts[3]):
        only(request, "POST")
        return functools.partial(_stop, uid=uid, job_id=parts[3])
    raise NotFound(NO_ROUTE)


def _away(call: Call, *, uid: str) -> Reply:
    principal = call.principal()
    body = parse(handover.AwayRequest, call.json())
    return Reply(handover.set_away(principal, uid, body, call.settings))


def _handover(call: Call, *, uid: str) -> Reply:
    principal = call.principal()
    body = parse(handover.HandoverRequest, call.json())
    return Reply(handover.run(principal, uid, body, call.settings))


def _stop(call: Call, *, uid: str, job_id: str) -> Reply:
    return Reply(handover.stop(call.principal(), uid, job_id, call.settings))
