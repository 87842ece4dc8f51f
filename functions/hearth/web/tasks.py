"""Follow-up tasks over HTTP: two routes of the admin function, and the scheduled sweep.

    POST /admin/tasks               add a follow-up {customer, title, due, task_id?}
    POST /admin/tasks/{id}/done     mark it done (again: nothing changes)
    POST /sweep                     the scheduler's pass (no CORS: browsers never call it)

What a task is, and every refusal, is hearth.tasks'.
"""

from __future__ import annotations

import functools

from flask import Request

from hearth import tasks
from hearth.errors import MethodNotAllowed, NotFound
from hearth.web.endpoint import Call, Handler, Reply, parse, serve
from hearth.web.routes import admin_path, only

NO_ROUTE = "No such task operation. Use POST /admin/tasks or POST /admin/tasks/{id}/done."


def admin_route(request: Request) -> Handler | None:
    """The handler for a tasks path of /admin, None for any other path; 404 for a path
    under tasks/ that is no operation, 405 for another method, as the admin router does."""
    path = admin_path(request)
    if path != "tasks" and not path.startswith("tasks/"):
        return None
    parts = path.split("/")
    if len(parts) == 1:
        only(request, "POST")
        return _add
    if len(parts) == 3 and parts[2] == "done" and tasks.usable_task_id(parts[1]):
        only(request, "POST")
        return functools.partial(_done, task_id=parts[1])
    raise NotFound(NO_ROUTE)


def _add(call: Call) -> Reply:
    principal = call.principal()
    tasks.check_staff(principal)
    body = parse(tasks.NewTask, call.json())
    task, created = tasks.add(principal, body, call.settings)
    return Reply(
        {"task": task, "outcome": "applied" if created else "duplicate"}, 201 if created else 200
    )


def _done(call: Call, *, task_id: str) -> Reply:
    principal = call.principal()
    task, outcome = tasks.complete(principal, task_id, call.settings)
    return Reply({"task": task, "outcome": outcome})


def _sweep_route(request: Request) -> Handler:
    # The scheduler may be set to GET or POST; the Allow header names the one to use.
    if request.method not in ("GET", "POST"):
        raise MethodNotAllowed(request.method, "POST", "Run the sweep with POST.")
    return _sweep


def _sweep(call: Call) -> Reply:
    return Reply(tasks.sweep(call.settings))


sweep = serve(_sweep_route, methods="GET, POST", cors=False)
