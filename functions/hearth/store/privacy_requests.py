"""A person's requests under the GDPR (``privacyRequests/{id}``) and their deadlines.

``{kind, customer, note, receivedAt, due, state: open|done, doneAt, erasure, by}``:
the owner records a request when it arrives, and the page shows its deadline until it
is done. An erasure marks its request done in its own last commit (store.erasure), and
sets ``customer`` to None there, since the key is the person's e-mail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hearth.store.calls import call_options

COLLECTION = "privacyRequests"
OPEN, DONE = "open", "done"


def ref(client: Any, request_id: str) -> Any:
    return client.collection(COLLECTION).document(request_id)


def get(client: Any, request_id: str, timeout: float) -> dict[str, Any] | None:
    snapshot = ref(client, request_id).get(**call_options(timeout))
    return (snapshot.to_dict() or {}) if snapshot.exists else None


def create(client: Any, request_id: str, document: dict[str, Any], timeout: float) -> bool:
    """False when a request with this id exists already (a retried POST)."""
    from google.api_core.exceptions import AlreadyExists

    try:
        ref(client, request_id).create(document, **call_options(timeout))
    except AlreadyExists:
        return False
    return True


def done_fields(at: datetime, erasure: str | None = None) -> dict[str, Any]:
    fields: dict[str, Any] = {"state": DONE, "doneAt": at}
    if erasure is not None:
        fields.update({"erasure": erasure, "customer": None})
    return fields


def mark_done(client: Any, request_id: str, at: datetime, timeout: float) -> None:
    ref(client, request_id).update(done_fields(at), **call_options(timeout))
