"""POST /admin/customers/{key}/erase: the right to erasure (GDPR Art. 17), for the owner.

What names the person goes: their calls (cancelled first through the bookings' own
cancel, which frees the time, then the Google Calendar copy deleted through the
calendar face), tasks, messages, timeline, aliases (their other addresses), stage clock
and report facts, and the customer. Their events stay, renamed to a pseudonym, so the
report figures built from them still add up but name nobody. What is kept: the receipt
(counts, who and when, a masked hint) and the suppressions, keyed hashes of the e-mail
and the mobile, so an import cannot silently bring the person back.

The job is ``erasures/{id}`` with id = a hash of the key and the page's request id: a
run stopped anywhere (a timeout, a closed tab) continues when asked again with the same
id, and every step counts what it removed in the same commit (hearth.store.erasure).
A calendar that is off or failing never blocks an erasure: the receipt says which event
could not be deleted, so the owner can remove it by hand.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from hearth import config
from hearth.calendar import sync_quietly
from hearth.errors import Forbidden, Invalid, NotFound
from hearth.rules import json_values, phones, privacy, suppression
from hearth.rules.fields import ID_PATTERN
from hearth.rules.roles import Principal, Role
from hearth.store import bookings, privacy_requests
from hearth.store import client as db
from hearth.store import erasure as store
from hearth.store.timeline import staff_actor

STEPS = ("bookings", *store.STEPS, "events", "finish")
OWNER_ONLY = "Only the owner may erase a customer."
REASON = "Erased on the person's request."


class EraseRequest(BaseModel):
    """POST /admin/customers/{key}/erase."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, title="EraseRequest")

    confirm: Annotated[
        str,
        Field(
            min_length=1,
            max_length=320,
            description="The customer's e-mail address, typed again: erasure cannot be undone.",
        ),
    ]
    id: Annotated[
        str | None,
        Field(
            default=None,
            pattern=ID_PATTERN,
            description="The page's id for this erasure: sending it again continues the same "
            "erasure where it stopped.",
        ),
    ]
    request: Annotated[
        str | None,
        Field(default=None, pattern=ID_PATTERN, description="The privacy request it answers."),
    ]


def check_owner(principal: Principal) -> None:
    if principal.role is not Role.OWNER:
        raise Forbidden(OWNER_ONLY, {"role": OWNER_ONLY})


def erasure_id(key: str, client_id: str) -> str:
    return hashlib.sha256(f"{key}\n{client_id}".encode()).hexdigest()[:32]


def erase(
    principal: Principal,
    key: str,
    body: EraseRequest,
    settings: config.Settings,
    steps: Sequence[str] = STEPS,
) -> dict[str, Any]:
    """Run (or continue) the erasure; answers the receipt. ``steps`` is every step in a
    real erasure; a test stops after one to show that the next call finishes."""
    check_owner(principal)
    client = db.client()
    timeout = settings.store_timeout_s
    job_id = erasure_id(key, body.id or uuid.uuid4().hex)
    job = store.get(client, job_id, timeout)
    if job is not None and job.get("state") == store.DONE:
        return receipt(job_id, job)
    customer = store.customer(client, key, timeout)
    if customer is None:
        raise NotFound("There is no such customer.")
    email = str(customer.get("email") or key)
    if body.confirm.strip().lower() not in (email.strip().lower(), key.lower()):
        raise Invalid(
            {"confirm": "Type the customer's e-mail address exactly to confirm."},
            "The confirmation does not match the customer's e-mail address.",
        )
    if body.request and job is None:
        _check_request(client, body.request, key, timeout)
    mobile = customer.get("mobile")
    valid = mobile if customer.get("mobileValid") and isinstance(mobile, str) else None
    merged = customer.get("mergedFrom")
    merged = [k for k in merged if isinstance(k, str)] if isinstance(merged, list) else []
    keys = _suppression_keys(settings.privacy_secret, key, valid, merged)
    if job is None:
        job = {
            "state": store.ERASING,
            "at": datetime.now(UTC),
            "by": {"uid": principal.uid, "email": principal.email},
            "hint": privacy.hint(email),
            "request": body.request,
            "pseudonym": privacy.pseudonym(job_id),
            "counts": {name: 0 for name in ("bookings", "calendarEvents", *store.STEPS, "events")},
            "problems": [],
            "suppressions": keys,
        }
        store.begin(client, job_id, job, timeout)
    event_keys = [key, *merged]
    for step in steps:
        if step == "bookings":
            _bookings(client, job_id, key, principal, settings)
        elif step == "events":
            for each in event_keys:
                while store.pseudonymise_page(
                    client, job_id, each, job["pseudonym"], timeout, event_keys
                ):
                    pass
        elif step == "finish":
            request = job.get("request")
            if request and privacy_requests.get(client, request, timeout) is None:
                request = None  # deleted meanwhile: the erasure still finishes
            store.finish(
                client,
                job_id,
                key,
                job["suppressions"],
                request,
                datetime.now(UTC),
                timeout,
            )
        else:
            while store.delete_page(client, job_id, step, key, timeout):
                pass
    return receipt(job_id, store.get(client, job_id, timeout) or job)


def _suppression_keys(
    secret: str, key: str, mobile: str | None, merged: Sequence[str]
) -> list[str]:
    """The person's e-mail and mobile, and every address merged into their record (an
    old address is theirs too: an import holding it must not bring them back)."""
    keys = suppression.keys(secret, key, mobile)
    for other in merged:
        if other.startswith(phones.PHONE_KEY_PREFIX):
            keys += suppression.keys(secret, None, other.removeprefix(phones.PHONE_KEY_PREFIX))
        else:
            keys += suppression.keys(secret, other, None)
    return list(dict.fromkeys(keys))


def _bookings(
    client: Any, job_id: str, key: str, principal: Principal, settings: config.Settings
) -> None:
    """Each call cancelled the way staff cancel one (its time freed), its calendar event
    deleted, then the booking itself deleted and counted."""
    timeout = settings.store_timeout_s
    connected = settings.google_calendar_id is not None
    for booking_id, booking in store.bookings_of(client, key, timeout):
        calendar = booking.get("calendar") or {}
        event = booking.get("calendarEventId")
        gone_already = booking.get("status") == bookings.CANCELLED and calendar.get("state") in (
            "synced",
            "off",
        )
        needs_delete = bool(event) and not gone_already
        if booking.get("status") != bookings.CANCELLED:
            bookings.cancel(client, booking_id, staff_actor(principal), REASON, connected, timeout)
        deleted = needs_delete and sync_quietly(client, booking_id, settings) == "synced"
        problem = None
        if needs_delete and not deleted:
            problem = f"calendar event could not be deleted: {event}"
        store.drop_booking(client, job_id, booking_id, deleted, problem, timeout)


def _check_request(client: Any, request_id: str, key: str, timeout: float) -> None:
    found = privacy_requests.get(client, request_id, timeout)
    if found is None or found.get("state") != privacy_requests.OPEN:
        raise Invalid({"request": "No open privacy request has this id."})
    if found.get("customer") not in (None, key):
        raise Invalid({"request": "That request is about another customer."})


def receipt(job_id: str, job: dict[str, Any]) -> dict[str, Any]:
    """What the owner keeps: what went, when, by whom; never who the person was."""
    shown = {
        name: job.get(name)
        for name in ("state", "at", "finishedAt", "by", "hint", "request", "counts", "problems")
    }
    return json_values.plain(
        {"id": job_id, **shown, "suppressed": len(job.get("suppressions") or [])}
    )
