"""Messages (``messages/{id}``): every WhatsApp message and e-mail, in and out.

A message is written with its timeline entry and its ``message.received`` event in one
commit, so the conversation, the timeline and the automations never disagree. A
webhook delivered twice finds all three and changes nothing. Only the status changes
later (sent, delivered, read, failed), on the message document alone, guarded by its
update time, and only forward (hearth.rules.whatsapp.next_status).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from hearth.store import events as domain_events
from hearth.store import timeline as activity
from hearth.store.calls import ContentionError, call_options
from hearth.store.customers import COLLECTION as CUSTOMERS

COLLECTION = "messages"
MAX_ATTEMPTS = 10


def ref(client: Any, message_id: str) -> Any:
    return client.collection(COLLECTION).document(message_id)


def record_inbound(
    client: Any,
    key: str,
    message: dict[str, Any],
    entry: dict[str, Any] | None,
    event: domain_events.Event,
    *,
    timeout: float,
) -> bool:
    """Create whatever is still missing of the message, its entry and its event, in one
    commit; False when all three were there (a redelivery). ``entry`` is None when the
    customer's creation already wrote it (a new phone-only lead).

    The same commit moves the customer's last contact to the message's time when it is
    later, as a form or an e-mail does: the list sorted by last contact puts the person
    who just wrote on top. That write is conditioned on the customer as read, so a late
    delivery never moves the date back over a newer contact; a change in between means
    reading again."""
    from google.api_core.exceptions import AlreadyExists, FailedPrecondition

    call = call_options(timeout)
    entry_id = activity.message_entry_id(message["id"])
    message_ref = ref(client, message["id"])
    entry_ref = activity.entry_ref(client, key, entry_id)
    customer_ref = client.collection(CUSTOMERS).document(key)
    event_ref = client.collection(domain_events.COLLECTION).document(
        domain_events.event_id(key, entry_id, event.type)
    )
    for _ in range(MAX_ATTEMPTS):
        found = {
            s.reference.path: s
            for s in client.get_all([message_ref, entry_ref, event_ref, customer_ref], **call)
            if s.exists
        }
        wanted = {message_ref.path, event_ref.path} | (
            {entry_ref.path} if entry is not None else set()
        )
        if wanted <= set(found):
            return False
        batch = client.batch()
        if message_ref.path not in found:
            batch.create(message_ref, message)
            _touch_contact(client, batch, found.get(customer_ref.path), message["at"])
        if entry is not None and entry_ref.path not in found:
            batch.create(entry_ref, entry)
        if event_ref.path not in found:
            domain_events.add(client, batch, key, entry_id, event)
        try:
            batch.commit(**call)
        except AlreadyExists:
            return False  # the same delivery, handled at the same moment by another instance
        except FailedPrecondition:
            continue  # the customer changed since it was read
        return True
    raise ContentionError(f"customer {key} kept changing while a message was recorded")


def _touch_contact(client: Any, batch: Any, customer: Any, at: datetime) -> None:
    if customer is None:
        return
    last = (customer.to_dict() or {}).get("lastContactAt")
    if last is None or last < at:
        batch.update(
            customer.reference,
            {"lastContactAt": at},
            option=client.write_option(last_update_time=customer.update_time),
        )


def by_provider_id(client: Any, provider_id: str, timeout: float) -> Any | None:
    """The message WhatsApp (or the mail server) knows by this id, as a snapshot."""
    from google.cloud.firestore import FieldFilter

    query = (
        client.collection(COLLECTION)
        .where(filter=FieldFilter("providerId", "==", provider_id))
        .limit(1)
    )
    found = list(query.stream(**call_options(timeout)))
    return found[0] if found else None


def move_status(
    client: Any,
    snapshot: Any,
    decide: Callable[[str | None], str | None],
    changes: Callable[[str], dict[str, Any]],
    *,
    at: datetime,
    timeout: float,
) -> str | None:
    """Apply a status update: ``decide(current)`` says the status to store (None: no
    change), ``changes(status)`` what else to write. Guarded by the document's update
    time, so two updates arriving together are applied one after the other."""
    from google.api_core.exceptions import FailedPrecondition

    call = call_options(timeout)
    for attempt in range(MAX_ATTEMPTS):
        data = snapshot.to_dict() or {}
        status = decide(data.get("status"))
        if status is None:
            return None
        option = client.write_option(last_update_time=snapshot.update_time)
        try:
            snapshot.reference.update(
                {"status": status, "statusAt": at, **changes(status)}, option=option, **call
            )
            return status
        except FailedPrecondition:
            time.sleep(random.uniform(0, 0.01 * (attempt + 1)))
            snapshot = snapshot.reference.get(**call)
    raise ContentionError(f"message {snapshot.id} stayed contended")


def get(client: Any, message_id: str, timeout: float) -> dict[str, Any] | None:
    snapshot = ref(client, message_id).get(**call_options(timeout))
    return snapshot.to_dict() if snapshot.exists else None


def last_inbound_at(client: Any, key: str, channel: str, timeout: float) -> datetime | None:
    """When the customer last wrote on this channel (WhatsApp's 24-hour window runs
    from it). Composite index (customer, channel, direction, at)."""
    from google.cloud.firestore import FieldFilter, Query

    query = (
        client.collection(COLLECTION)
        .where(filter=FieldFilter("customer", "==", key))
        .where(filter=FieldFilter("channel", "==", channel))
        .where(filter=FieldFilter("direction", "==", "in"))
        .order_by("at", direction=Query.DESCENDING)
        .limit(1)
    )
    found = list(query.stream(**call_options(timeout)))
    return (found[0].to_dict() or {}).get("at") if found else None


def start_outbound(
    client: Any, key: str, message: dict[str, Any], entry: dict[str, Any], *, timeout: float
) -> bool:
    """Create an outbound message (status ``sending``) and its timeline entry together,
    before anything is sent; False when this id exists already (a retried send, which
    must not send again)."""
    from google.api_core.exceptions import AlreadyExists

    batch = client.batch()
    batch.create(ref(client, message["id"]), message)
    batch.create(activity.entry_ref(client, key, activity.message_entry_id(message["id"])), entry)
    try:
        batch.commit(**call_options(timeout))
    except AlreadyExists:
        return False
    return True


def settle(client: Any, message_id: str, changes: dict[str, Any], timeout: float) -> None:
    """What the send's answer says (the provider's id and "accepted", a refusal, or
    "unconfirmed" when the answer was lost); a status webhook that came first wins."""
    from google.api_core.exceptions import FailedPrecondition

    call = call_options(timeout)
    for _ in range(MAX_ATTEMPTS):
        snapshot = ref(client, message_id).get(**call)
        current = (snapshot.to_dict() or {}).get("status")
        update = dict(changes)
        if current not in ("sending", None):
            update.pop("status", None)  # a webhook moved it already: keep what it said
        try:
            snapshot.reference.update(
                update, option=client.write_option(last_update_time=snapshot.update_time), **call
            )
            return
        except FailedPrecondition:
            continue
    raise ContentionError(f"message {message_id} stayed contended")


TEMPLATES = "whatsappTemplates"
SYNCED = "_synced"


def templates_synced_at(client: Any, timeout: float) -> datetime | None:
    snapshot = client.collection(TEMPLATES).document(SYNCED).get(**call_options(timeout))
    return (snapshot.to_dict() or {}).get("at") if snapshot.exists else None


def template_names(client: Any, timeout: float) -> set[str]:
    """The names of the approved templates as last synced (any language)."""
    found = client.collection(TEMPLATES).select(["name"]).stream(**call_options(timeout))
    return {name for s in found if s.id != SYNCED and (name := (s.to_dict() or {}).get("name"))}


def replace_templates(
    client: Any, offered: list[dict[str, Any]], at: datetime, timeout: float
) -> int:
    """The business account's approved templates as ``whatsappTemplates/{name}__{lang}``
    (staff read them to compose); those gone from the account are removed. One batch:
    an account has far fewer than 500 templates."""
    call = call_options(timeout)
    collection = client.collection(TEMPLATES)
    keep = {f"{t['name']}__{t['language']}": t for t in offered}
    batch = client.batch()
    for snapshot in collection.select([]).stream(**call):
        if snapshot.id != SYNCED and snapshot.id not in keep:
            batch.delete(snapshot.reference)
    for template_id, template in keep.items():
        batch.set(collection.document(template_id), {**template, "syncedAt": at})
    batch.set(collection.document(SYNCED), {"at": at, "count": len(keep)})
    batch.commit(**call)
    return len(keep)


SETTINGS, EMAIL_TEMPLATES = "settings", "emailTemplates"


def email_templates(client: Any, timeout: float) -> dict[str, Any] | None:
    """settings/emailTemplates as stored (None: never saved)."""
    snapshot = client.collection(SETTINGS).document(EMAIL_TEMPLATES).get(**call_options(timeout))
    return (snapshot.to_dict() or {}) if snapshot.exists else None


def save_email_templates(client: Any, document: dict[str, Any], timeout: float) -> None:
    client.collection(SETTINGS).document(EMAIL_TEMPLATES).set(document, **call_options(timeout))


def retry_outbound(client: Any, message_id: str, timeout: float) -> bool:
    """Take back a send that certainly did not go out (``not_sent``) for another try:
    True for exactly one caller, guarded by the message's update time."""
    from google.api_core.exceptions import FailedPrecondition

    call = call_options(timeout)
    snapshot = ref(client, message_id).get(**call)
    if (snapshot.to_dict() or {}).get("status") != "not_sent":
        return False
    try:
        snapshot.reference.update(
            {"status": "sending"},
            option=client.write_option(last_update_time=snapshot.update_time),
            **call,
        )
    except FailedPrecondition:
        return False
    return True
