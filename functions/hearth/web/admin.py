"""/admin/...: the write API of the admin page, one function for every staff change.

Routes (the function is served at /admin; the path below is what follows it):

    PATCH /customers/{key}             change fields
    PUT   /customers/{key}/owed        set what is pending
    POST  /customers/{key}/payments    record a payment
    POST  /customers/{key}/archive     archive
    POST  /customers/{key}/unarchive   bring back
    POST  /customers/{key}/notes       add a note
    PUT   /settings/booking, PUT|DELETE /booking-links/{source}   (web.bookings)
    PUT   /settings/pipeline, PUT|DELETE /sources/{id}             (web.pipeline)
    POST  /tasks, POST /tasks/{id}/done                           (web.tasks)
    PUT   /settings/fields                                      (web.fields)
    PUT   /settings/automations, POST /settings/automations/preview  (web.automations)
    PUT   /settings/routing, POST /settings/routing/preview          (web.routing)
    PUT   /team/{uid}/away, POST /team/{uid}/handover[/{job_id}/stop] (web.team)
    GET /duplicates, POST /duplicates/{pair}/dismiss, /merges[/preview|/{id}/undo] (web.merges)
    POST  /imports[/preview], POST /imports/{job}/rows, GET /imports/{job}[/report] (web.imports)

Refusals decided here, before the domain's own (hearth.customers.operations): 404 an
unknown route, 405 the wrong method, then (in the endpoint) 403 an origin not allowed,
401 no valid token, 413/415/400 the body.
"""

from __future__ import annotations

from functools import partial

from flask import Request

from hearth.customers import operations
from hearth.errors import MethodNotAllowed, NotFound
from hearth.web import (
    automations,
    bookings,
    fields,
    imports,
    merges,
    messages,
    pipeline,
    privacy,
    routing,
    tasks,
    team,
)
from hearth.web.endpoint import Call, Handler, Reply, parse, serve

METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
# Each concern's admin routes live in its own adapter; a path none of them claims is a
# customer operation (or a 404).
ADAPTERS = (
    bookings,
    pipeline,
    tasks,
    fields,
    automations,
    routing,
    team,
    privacy,
    merges,
    imports,
    messages,
)


def route(request: Request) -> Handler:
    """The handler for this path and method; 404 and 405 before anything is checked."""
    for adapter in ADAPTERS:
        handler = adapter.admin_route(request)
        if handler is not None:
            return handler
    key, action = _customer_route(request.path)
    operation = operations.OPERATIONS[action]
    if request.method != operation.method:
        raise MethodNotAllowed(
            request.method, f"{operation.method}, OPTIONS", f"Use {operation.method} here."
        )
    return partial(_customer_operation, key, action)


def _customer_operation(key: str, action: str | None, call: Call) -> Reply:
    principal = call.principal()
    operations.check_may_write(principal)
    body = parse(operations.OPERATIONS[action].model, call.json())
    return Reply(operations.run(principal, key, action, body, call.settings))


def _customer_route(path: str) -> tuple[str, str | None]:
    """(customer key, action) from the path; 404 for anything else.

    The key is one path segment: the client URL-encodes it, and customer keys never hold
    "/" (emails.customer_key escapes it), so splitting on "/" cannot cut a key in two.
    """
    parts = path.strip("/").split("/")
    if parts and parts[0] == "admin":  # served behind a proxy that keeps the prefix
        parts = parts[1:]
    if len(parts) in (2, 3) and parts[0] == "customers":
        key = parts[1]
        action = parts[2] if len(parts) == 3 else None
        if operations.usable_key(key) and action in operations.OPERATIONS:
            return key, action
    raise NotFound(
        "No such admin operation. Use /admin/customers/{key} and its "
        "/owed, /payments, /archive, /unarchive or /notes."
    )


handle = serve(route, methods=METHODS)
