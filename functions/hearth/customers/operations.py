"""What staff may do to a customer, decided in pure code and written with its timeline
entry and its domain events (stage changed, payment recorded) in one guarded commit.

Clients may read Firestore but never write it, so every change to a customer comes
through here (by way of the admin API in hearth.web.admin), where the caller's role is
checked the way firestore.rules would, and the write lands together with a timeline
entry saying who changed what from what to what.

Operations, by the path segment after the customer's key:

    PATCH (none)       change fields          (changes.PatchRequest)
    PUT   owed         set what is pending    (payments.OwedRequest)
    POST  payments     record a payment       (payments.PaymentRequest)
    POST  archive      archive                (changes.ArchiveRequest)
    POST  unarchive    bring back             (changes.ArchiveRequest)
    POST  notes        add a note             (changes.NoteRequest)

Refusals, in the order they are decided: 403 a role that writes nothing, 403 a field
the role may not change, 404 no such customer (also for a rep's request about a
customer that is not theirs: existence is not revealed), 409 the customer changed
since the client saw it, 400 a value that cannot apply (a stage not in the pipeline,
a source not in the sources list, paying more than is pending); the store being
unreachable is a 503 (hearth.errors).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from hearth import config
from hearth.customers import changes, payments
from hearth.customers.changes import ArchiveRequest, NoteRequest, PatchRequest, Plan
from hearth.customers.payments import OwedRequest, PaymentRequest
from hearth.errors import Conflict, Forbidden, Invalid, NotFound
from hearth.fields import FieldSettings, load_settings
from hearth.rules import timestamps
from hearth.rules.fields import RESERVED_NAME
from hearth.rules.roles import Principal, can_write_any, can_write_customer
from hearth.rules.stages import pipeline_stage_ids
from hearth.store import client as db
from hearth.store import events as domain_events
from hearth.store import guarded
from hearth.store import timeline as activity
from hearth.store.guarded import Seen, Skip, Write

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


class ConflictError(Conflict):
    """409 carrying the customer as it is now, so the page can show what changed."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__(
            "Someone else changed this customer after you opened it. Nothing was saved: "
            "here are the current values; review them and make your change again."
        )
        self.current = current


def usable_key(key: str) -> bool:
    """Ids Firestore refuses: asking for them would be a store error, not "not found"."""
    return (
        bool(key)
        and key not in (".", "..")
        and not RESERVED_NAME.fullmatch(key)
        and len(key.encode("utf-8")) <= MAX_KEY_BYTES
    )


def check_may_write(principal: Principal) -> None:
    if not can_write_any(principal):
        raise Forbidden("Your role may not change customers. Ask the owner if you need to.")


@dataclass(frozen=True)
class Job:
    """One staff request about one customer, as every step of deciding it needs it."""

    principal: Principal
    key: str
    action: str | None
    body: Any
    settings: config.Settings
    fields: FieldSettings | None = None  # custom field definitions, read when custom is sent

    @property
    def operation(self) -> Operation:
        return OPERATIONS[self.action]


def run(
    principal: Principal, key: str, action: str | None, body: Any, settings: config.Settings
) -> dict[str, Any]:
    """Apply one operation; the answer is the customer as stored afterwards."""
    definitions = None
    if isinstance(body, PatchRequest):
        changes.check_allowed(principal, body.changes)
        if "source" in body.changes.sent():
            _check_source(body.changes.source, settings)
        if "custom" in body.changes.sent():
            definitions = load_settings(db.client(), settings.store_timeout_s)
    job = Job(principal, key, action, body, settings, definitions)
    result = guarded.write(
        db.client(),
        key,
        activity.staff_entry_id(getattr(body, job.operation.id_field, None)),
        lambda seen: _decide(job, seen),
        pipeline=isinstance(body, PatchRequest) and "stage" in body.changes.sent(),
        timeout=settings.store_timeout_s,
    )
    if isinstance(body, PatchRequest) and {"ownerUid", "name"} & body.changes.sent():
        # Calls follow their customer: the new rep sees them in the calendar, and a
        # corrected name shows there too. Also on a retry ("duplicate"): the first
        # attempt may have stopped here.
        from hearth.store import bookings

        bookings.follow_customer(db.client(), key, result.customer, settings.store_timeout_s)
    return {"customer": customer_view(key, result.customer), "outcome": result.outcome}


def _check_source(source: str | None, settings: config.Settings) -> None:
    """A customer's source must be one of the owner's list, or reports would credit a
    source nobody can find, rename or group by kind."""
    from hearth.store import pipeline

    timeout = settings.store_timeout_s
    if source is None or pipeline.read_source(db.client(), source, timeout) is None:
        raise changes.RefusedError(
            {"changes.source": f"{source!r} is not one of the sources: add it to the list first."}
        )


def _decide(job: Job, seen: Seen) -> Write | Skip:
    """The pure decision for this request, run again on each fresh read of the customer."""
    customer = seen.customer
    if customer is None or not can_write_customer(job.principal, customer):
        raise _not_found()
    if seen.entry is not None:
        _check_same_request(seen.entry, job.operation, job.body)
        return Skip.DUPLICATE
    expected = getattr(job.body, "expected", None)  # the updatedAt the client saw, if asked
    if expected is not None and not expected.matches(customer.get("updatedAt")):
        raise ConflictError(customer_view(job.key, customer))
    plan = _plan(job, customer, seen)
    if plan is None:
        return Skip.UNCHANGED
    return Write(updates=plan.updates, entry=_entry(job, plan), events=_events(job, customer, plan))


def _plan(job: Job, customer: dict[str, Any], seen: Seen) -> Plan | None:
    settings, body = job.settings, job.body
    if job.action is None:
        stages = pipeline_stage_ids(seen.pipeline)
        return changes.plan_change(
            job.principal,
            customer,
            body.changes,
            stages,
            settings.phone_region,
            fields=job.fields,
            currency=settings.currency,
        )
    if job.action == "owed":
        return payments.plan_owed(customer, body, settings.currency)
    if job.action == "payments":
        return payments.plan_payment(customer, body, settings.currency)
    if job.action in ("archive", "unarchive"):
        return changes.plan_archive(customer, archived=job.action == "archive")
    return changes.plan_note(body)


def _entry(job: Job, plan: Plan) -> dict[str, Any]:
    from google.cloud.firestore import SERVER_TIMESTAMP

    # The entry's time is the commit's, like the customer's updatedAt beside it.
    return activity.staff_action(
        kind=plan.kind,
        at=SERVER_TIMESTAMP,
        actor=job.principal,
        changes=plan.changes,
        details=plan.details,
        request_id=getattr(job.body, "request_id", None),
    )


def _events(job: Job, customer: Mapping[str, Any], plan: Plan) -> tuple[domain_events.Event, ...]:
    """The domain events this change causes, committed with it: a stage move as it is
    (backward or skipping stages alike) and a payment with the paid total it makes."""
    from google.cloud.firestore import SERVER_TIMESTAMP

    by = domain_events.by_principal(job.principal)
    owner = plan.updates.get("ownerUid", customer.get("ownerUid"))
    found = []
    if "stage" in plan.changes:
        move = plan.changes["stage"]
        found.append(
            domain_events.Event(
                domain_events.STAGE_CHANGED,
                SERVER_TIMESTAMP,
                by,
                owner,
                {"from": move["from"], "to": move["to"]},
            )
        )
    if plan.kind == "payment":
        found.append(
            domain_events.Event(
                domain_events.PAYMENT_RECORDED,
                SERVER_TIMESTAMP,
                by,
                owner,
                {
                    "amount": plan.details["amount"],
                    "currency": plan.details["currency"],
                    "paidTotal": plan.updates["balances"]["paid"],
                },
            )
        )
    return tuple(found)


def _check_same_request(entry: Mapping[str, Any], operation: Operation, body: Any) -> None:
    """A retry is answered as done only if it is the same request: an id reused for a
    different operation or amount is a client bug that must not pass as success."""
    same = entry.get("type") == operation.kind
    if isinstance(body, PaymentRequest):
        same = same and entry.get("amount") == body.amount
    if isinstance(body, NoteRequest):
        same = same and entry.get("text") == body.text
    if not same:
        raise Invalid(
            {
                operation.id_field: "This id was already used for a different request: "
                "make a new one."
            }
        )


def customer_view(key: str, customer: Mapping[str, Any]) -> dict[str, Any]:
    """The customer as JSON for an answer: timestamps in ISO 8601, index fields left out."""
    visible = {name: value for name, value in customer.items() if name not in HIDDEN_FIELDS}
    return {"key": key, **timestamps.jsonable(visible)}


def _not_found() -> NotFound:
    # The same answer whether the customer is missing or belongs to another rep.
    return NotFound("There is no customer with this key that you may change.")
