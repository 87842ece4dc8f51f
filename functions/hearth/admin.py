"""The admin write API: signed-in staff change customers, and every change is recorded.

Clients may read Firestore but never write it, so every change to a customer comes
through here, where the caller is verified, their role checked the way
firestore.rules would, the request validated, and the write committed together with a
timeline entry saying who changed what from what to what.

Routes (the function is served at /admin; the path below is what follows it):

    PATCH /customers/{key}             change fields          (changes.PatchRequest)
    PUT   /customers/{key}/owed        set what is pending    (payments.OwedRequest)
    POST  /customers/{key}/payments    record a payment       (payments.PaymentRequest)
    POST  /customers/{key}/archive     archive                (changes.ArchiveRequest)
    POST  /customers/{key}/unarchive   bring back             (changes.ArchiveRequest)
    POST  /customers/{key}/notes       add a note             (changes.NoteRequest)
    PUT   /settings/booking, PUT|DELETE /booking-links/{source}   (booking_admin.py)

Refusals, in the order they are decided: 404 unknown route, 405 wrong method, 403
origin not allowed, 401 no valid token, 403 a role that writes nothing, 413/415/400 the
body, 403 a field the role may not change, 404 no such customer (also for a rep's
request about a customer that is not theirs: existence is not revealed), 409 the
customer changed since the client saw it, 400 a value that cannot apply (a stage not in
the pipeline, paying more than is pending), 503 the store is unreachable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Request, Response
from pydantic import BaseModel, ValidationError

from hearth import activity, auth, booking_admin, changes, config, payments, timestamps
from hearth.changes import (
    ArchiveRequest,
    NotAllowedError,
    NoteRequest,
    PatchRequest,
    Plan,
    RefusedError,
)
from hearth.guarded_write import Result, Seen, Skip, Write
from hearth.http import (
    HttpError,
    check_origin,
    cors_headers,
    error_response,
    json_body,
    json_response,
    method_not_allowed,
    preflight,
)
from hearth.intake import RESERVED_NAME, field_errors, store_errors_as_503
from hearth.payments import OwedRequest, PaymentRequest
from hearth.roles import Principal, can_write_any, can_write_customer
from hearth.stages import pipeline_stage_ids

METHODS = "POST, PUT, PATCH, DELETE, OPTIONS"
# Firestore's own limit on a document id, in UTF-8 bytes.
MAX_KEY_BYTES = 1500
# Fields kept out of answers: the search index is internal and is most of a record's size.
HIDDEN_FIELDS = frozenset({"search"})


@dataclass(frozen=True)
class Operation:
    method: str
    model: type[BaseModel]
    kind: str  # the activity entry type it writes
    id_field: str  # the body field whose value keys the timeline entry (retry safety)


# Keyed by the path segment after the customer key (None: the customer itself).
OPERATIONS: dict[str | None, Operation] = {
    None: Operation("PATCH", PatchRequest, "change", "request_id"),
    "owed": Operation("PUT", OwedRequest, "owed", "request_id"),
    "payments": Operation("POST", PaymentRequest, "payment", "payment_id"),
    "archive": Operation("POST", ArchiveRequest, "archive", "request_id"),
    "unarchive": Operation("POST", ArchiveRequest, "unarchive", "request_id"),
    "notes": Operation("POST", NoteRequest, "note", "note_id"),
}


class ConflictError(HttpError):
    """409 carrying the customer as it is now, so the page can show what changed."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__(
            409,
            "conflict",
            "Someone else changed this customer after you opened it. Nothing was saved: "
            "here are the current values; review them and make your change again.",
        )
        self.current = current

    def body(self) -> dict[str, Any]:
        return {**super().body(), "current": self.current}


def handle(request: Request) -> Response:
    settings = config.load()
    cors = cors_headers(request.headers.get("Origin"), settings.allowed_origins, METHODS)
    if request.method == "OPTIONS":
        return preflight(request, cors)
    if booking_admin.handles(request.path):
        try:
            check_origin(request, settings.allowed_origins)
        except HttpError as error:
            return error_response(error, cors)
        return booking_admin.handle(
            request, settings, cors, lambda: json_body(request, settings.max_body_bytes)
        )
    try:
        key, action = route(request.path)
        operation = OPERATIONS[action]
        if request.method != operation.method:
            raise method_not_allowed(
                request.method, f"{operation.method}, OPTIONS", f"Use {operation.method} here."
            )
        check_origin(request, settings.allowed_origins)
        principal = auth.principal(request)
        if not can_write_any(principal):
            raise HttpError(
                403,
                "forbidden",
                "Your role may not change customers. Ask the owner if you need to.",
            )
        body = parse(operation.model, json_body(request, settings.max_body_bytes))
        if isinstance(body, PatchRequest):
            try:
                changes.check_allowed(principal, body.changes)
            except NotAllowedError as exc:
                raise _not_allowed(exc) from None
        result = _apply(principal, key, action, operation, body, settings)
    except HttpError as error:
        return error_response(error, cors)
    return json_response(
        {"customer": customer_view(key, result.customer), "outcome": result.outcome}, 200, cors
    )


def route(path: str) -> tuple[str, str | None]:
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
        if _usable_key(key) and action in OPERATIONS:
            return key, action
    raise HttpError(
        404,
        "not_found",
        "No such admin operation. Use /admin/customers/{key} and its "
        "/owed, /payments, /archive, /unarchive or /notes.",
    )


def _usable_key(key: str) -> bool:
    # Ids Firestore refuses: asking for them would be a store error, not "not found".
    return (
        bool(key)
        and key not in (".", "..")
        and not RESERVED_NAME.fullmatch(key)
        and len(key.encode("utf-8")) <= MAX_KEY_BYTES
    )


def parse(model: type[BaseModel], data: dict[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise HttpError(400, "invalid", "Some fields need attention.", field_errors(exc)) from None


def _apply(
    principal: Principal,
    key: str,
    action: str | None,
    operation: Operation,
    body: Any,
    settings: config.Settings,
) -> Result:
    from hearth import db, guarded_write

    client_id = getattr(body, operation.id_field, None)
    decide = _decider(principal, key, action, operation, body, settings)
    needs_pipeline = isinstance(body, PatchRequest) and "stage" in body.changes.sent()
    with store_errors_as_503():
        result = guarded_write.write(
            db.client(),
            key,
            activity.staff_entry_id(client_id),
            decide,
            pipeline=needs_pipeline,
            timeout=settings.store_timeout_s,
        )
        if isinstance(body, PatchRequest) and {"ownerUid", "name"} & body.changes.sent():
            # Calls follow their customer: the new rep sees them in the calendar, and a
            # corrected name shows there too. Also on a retry ("duplicate"): the first
            # attempt may have stopped here.
            from hearth import bookings

            bookings.follow_customer(db.client(), key, result.customer, settings.store_timeout_s)
        return result


def _decider(
    principal: Principal,
    key: str,
    action: str | None,
    operation: Operation,
    body: Any,
    settings: config.Settings,
) -> Callable[[Seen], Write | Skip]:
    """The pure decision for this request, run on each fresh read of the customer."""

    def decide(seen: Seen) -> Write | Skip:
        customer = seen.customer
        if customer is None or not can_write_customer(principal, customer):
            raise _not_found()
        if seen.entry is not None:
            _check_same_request(seen.entry, operation, body)
            return Skip.DUPLICATE
        expected = getattr(body, "expected", None)  # the updatedAt the client saw, if asked
        if expected is not None and not expected.matches(customer.get("updatedAt")):
            raise ConflictError(customer_view(key, customer))
        plan = _plan(principal, customer, action, body, seen, settings)
        if plan is None:
            return Skip.UNCHANGED
        return Write(updates=plan.updates, entry=_entry(principal, plan, body, operation))

    return decide


def _plan(
    principal: Principal,
    customer: dict[str, Any],
    action: str | None,
    body: Any,
    seen: Seen,
    settings: config.Settings,
) -> Plan | None:
    try:
        if action is None:
            stages = pipeline_stage_ids(seen.pipeline)
            return changes.plan_change(
                principal, customer, body.changes, stages, settings.phone_region
            )
        if action == "owed":
            return payments.plan_owed(customer, body, settings.currency)
        if action == "payments":
            return payments.plan_payment(customer, body, settings.currency)
        if action in ("archive", "unarchive"):
            return changes.plan_archive(customer, archived=action == "archive")
        return changes.plan_note(body)
    except RefusedError as exc:
        raise HttpError(400, "invalid", "Some fields need attention.", exc.fields) from None
    except NotAllowedError as exc:
        raise _not_allowed(exc) from None


def _entry(principal: Principal, plan: Plan, body: Any, operation: Operation) -> dict[str, Any]:
    from google.cloud.firestore import SERVER_TIMESTAMP

    # The entry's time is the commit's, like the customer's updatedAt beside it.
    return activity.staff_action(
        kind=plan.kind,
        at=SERVER_TIMESTAMP,
        actor=principal,
        changes=plan.changes,
        details=plan.details,
        request_id=getattr(body, "request_id", None),
    )


def _check_same_request(entry: Mapping[str, Any], operation: Operation, body: Any) -> None:
    """A retry is answered as done only if it is the same request: an id reused for a
    different operation or amount is a client bug that must not pass as success."""
    same = entry.get("type") == operation.kind
    if isinstance(body, PaymentRequest):
        same = same and entry.get("amount") == body.amount
    if isinstance(body, NoteRequest):
        same = same and entry.get("text") == body.text
    if not same:
        raise HttpError(
            400,
            "invalid",
            "Some fields need attention.",
            {
                operation.id_field: "This id was already used for a different request: "
                "make a new one."
            },
        )


def customer_view(key: str, customer: Mapping[str, Any]) -> dict[str, Any]:
    """The customer as JSON for an answer: timestamps in ISO 8601, index fields left out."""
    visible = {name: value for name, value in customer.items() if name not in HIDDEN_FIELDS}
    return {"key": key, **timestamps.jsonable(visible)}


def _not_found() -> HttpError:
    # The same answer whether the customer is missing or belongs to another rep.
    return HttpError(404, "not_found", "There is no customer with this key that you may change.")


def _not_allowed(exc: NotAllowedError) -> HttpError:
    return HttpError(403, "forbidden", "Your role may not change some of these fields.", exc.fields)
