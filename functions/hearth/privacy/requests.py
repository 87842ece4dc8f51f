"""A person's requests (access, erasure, rectification, objection) and their deadline.

The GDPR gives a business one month to answer (Art. 12(3)); the owner records each
request when it arrives, and the admin page shows how long is left until it is marked
done (an erasure made for it marks it done itself). Owner only: a request names a
person, and answering it is the business's duty, not a rep's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from hearth import config
from hearth.errors import Forbidden, Invalid, NotFound
from hearth.rules import json_values, privacy
from hearth.rules.fields import ID_PATTERN
from hearth.rules.roles import Principal, Role
from hearth.store import client as db
from hearth.store import erasure as customers
from hearth.store import privacy_requests as store

OWNER_ONLY = "Only the owner may record or close a privacy request."


class PrivacyRequest(BaseModel):
    """POST /admin/privacy/requests."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, title="PrivacyRequest")

    id: Annotated[
        str, Field(pattern=ID_PATTERN, description="Client-made id: a retry finds the same.")
    ]
    kind: Literal["erasure", "access", "rectification", "objection"]
    customer: Annotated[
        str | None,
        Field(default=None, min_length=1, max_length=320, description="The customer's key."),
    ]
    note: Annotated[str | None, Field(default=None, max_length=2000)]
    received: Annotated[
        date | None,
        Field(default=None, description="The day it arrived (today when left out)."),
    ]


def check_owner(principal: Principal) -> None:
    if principal.role is not Role.OWNER:
        raise Forbidden(OWNER_ONLY, {"role": OWNER_ONLY})


def create_request(
    principal: Principal, body: PrivacyRequest, settings: config.Settings
) -> dict[str, Any]:
    check_owner(principal)
    client = db.client()
    timeout = settings.store_timeout_s
    now = datetime.now(UTC)
    received = datetime.combine(body.received, time(12), tzinfo=UTC) if body.received else now
    if received > now:
        raise Invalid({"received": "A request cannot arrive in the future."})
    if body.customer is not None and customers.customer(client, body.customer, timeout) is None:
        raise Invalid({"customer": "There is no such customer."})
    document = {
        "kind": body.kind,
        "customer": body.customer,
        "note": body.note,
        "receivedAt": received,
        "due": privacy.due(received),
        "state": store.OPEN,
        "doneAt": None,
        "erasure": None,
        "by": {"uid": principal.uid, "email": principal.email},
    }
    store.create(client, body.id, document, timeout)
    stored = store.get(client, body.id, timeout) or document
    return {"request": json_values.plain({"id": body.id, **stored})}


def finish_request(
    principal: Principal, request_id: str, settings: config.Settings
) -> dict[str, Any]:
    check_owner(principal)
    client = db.client()
    timeout = settings.store_timeout_s
    found = store.get(client, request_id, timeout)
    if found is None:
        raise NotFound("There is no such privacy request.")
    if found.get("state") != store.DONE:
        store.mark_done(client, request_id, datetime.now(UTC), timeout)
        found = store.get(client, request_id, timeout) or found
    return {"request": json_values.plain({"id": request_id, **found})}
