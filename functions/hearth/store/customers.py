"""The customer record: one per e-mail address, filled in by every form, never overwritten.

The upsert is written for contention rather than with a read-write transaction: a
launch or a giveaway makes many submissions for the same few addresses at once, and
Firestore transactions on one document mostly fail under that load (measured: 49 of
50 failed). Instead every step is a single atomic batch commit guarded by a
precondition:

1. create the customer, the activity entry and the customer.created event together
   (0 reads for a new customer);
2. if the customer exists, read it once and commit the fill-in plus the activity entry,
   guarded by the snapshot's update time only when there is something to fill, so
   concurrent submissions that merely touch "last contact" never fight;
3. a guarded commit that lost the race re-reads and tries again.

The activity entry is created with the submission id as its key, so a retried
submission (same id) fails its create and is answered as the duplicate it is.

The submission's count in the day's analytics roll-up (its form; a lead of its source
when it made the customer) is an increment on a random shard in the same batch: no
read, no precondition, so it adds no contention, and it lands exactly when the
submission does (a retry's refused commit counts nothing).

A source seen for the first time is added to the sources list (kind ``inbound``) by a
create in the same batch, so it lands exactly when the customer holding it does; the
one read that finds it new also reads the pipeline, whose first stage a new customer
starts in.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hearth.rules import search
from hearth.rules.phones import Mobile, phone_key
from hearth.rules.stages import FIRST_STAGE, first_stage
from hearth.store import analytics, merges, pipeline, routing, suppressions
from hearth.store import events as domain_events
from hearth.store import timeline as activity
from hearth.store.calls import ContentionError, call_options

COLLECTION = activity.CUSTOMERS
MAX_ATTEMPTS = 25

# Fields a form may fill while they are empty. Anything else is the owner's to change.
FILLABLE = ("name", "company", "mobile")


@dataclass(frozen=True)
class Incoming:
    """What one submission says about its customer."""

    email: str
    form: str
    source: str
    at: datetime
    submission_id: str
    name: str | None = None
    company: str | None = None
    mobile: Mobile | None = None
    consent: bool | None = None
    # Defined custom fields this submission's answers fill (valid values, by key); the
    # money ones are minor units of custom_currency, so they fill only a customer whose
    # balances are in it (another currency's customer keeps them in the answers).
    custom: Mapping[str, Any] = field(default_factory=dict)
    custom_money: frozenset[str] = frozenset()
    custom_currency: str | None = None
    # The suppression keys of this e-mail and valid mobile (rules.suppression): a person
    # erased before gets a note on the new record, and fresh consent lifts them.
    suppression_keys: tuple[str, ...] = ()
    # False for an import row: a file is not a contact, so an existing customer keeps its
    # last contact, sources and forms, consent is only filled, and nothing to fill means
    # no write at all (importing the same file twice changes nothing).
    contact: bool = True


@dataclass(frozen=True)
class Merge:
    """What a submission changes on an existing customer, decided without I/O."""

    updates: dict[str, Any]
    conflicts: dict[str, dict[str, Any]]
    guarded: bool  # True when the update depends on what was read (fill-in, consent)


@dataclass(frozen=True)
class Outcome:
    created: bool
    duplicate: bool
    conflicts: dict[str, dict[str, Any]] = field(default_factory=dict)
    pending: bool = False  # a new customer the router is to give an owner
    key: str = ""  # the customer it landed on: an alias's survivor, else the key given
    phone: str | None = None  # a phone-only customer (tel:+...) with the submission's mobile
    unchanged: bool = False  # an import row with nothing to fill: nothing was written


def _incoming_values(incoming: Incoming) -> dict[str, Any]:
    return {
        "name": incoming.name,
        "company": incoming.company,
        "mobile": incoming.mobile.stored if incoming.mobile else None,
    }


def _consent(incoming: Incoming) -> dict[str, Any]:
    return {
        "marketing": incoming.consent,
        "at": incoming.at if incoming.consent is not None else None,
        "submissionId": incoming.submission_id if incoming.consent is not None else None,
    }


def new_customer(
    incoming: Incoming, currency: str, stage: str = FIRST_STAGE, *, routed: bool = True
) -> dict[str, Any]:
    """The full document for an address seen for the first time, in the pipeline's first
    stage; pending for the router when the owner has routing rules (``routed``), else
    left unassigned as it always was, saying why."""
    from google.cloud.firestore import SERVER_TIMESTAMP

    values = _incoming_values(incoming)
    return {
        "email": incoming.email or None,  # None: a person known by their mobile alone
        **values,
        "mobileValid": incoming.mobile.valid if incoming.mobile else None,
        "stage": stage,
        "sources": [incoming.source],
        "firstSource": incoming.source,
        "lastSource": incoming.source,
        "forms": [incoming.form],
        "consent": _consent(incoming),
        "balances": {"pending": 0, "paid": 0, "currency": currency},
        "ownerUid": None,
        # The router gives the owner (hearth.routing) and clears this, exactly once.
        **(
            {"routing": routing.PENDING}
            if routed
            else {"routing": routing.DONE, "routedBy": {"rule": None, "reason": routing.NO_RULES}}
        ),
        "segment": None,
        "archived": False,
        "custom": dict(incoming.custom),
        "createdAt": incoming.at,
        "updatedAt": SERVER_TIMESTAMP,
        "lastContactAt": incoming.at,
        "search": search.customer_tokens(
            name=incoming.name,
            company=incoming.company,
            email=incoming.email,
            mobile=incoming.mobile,
        ),
    }


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _same(field_name: str, stored: Any, submitted: Any) -> bool:
    if field_name == "mobile":
        return str(stored) == str(submitted)
    return search.fold(str(stored)) == search.fold(str(submitted))


def merge(existing: Mapping[str, Any], incoming: Incoming) -> Merge:
    """Fill only what is empty; keep a differing value as a conflict, never overwrite."""
    from google.cloud.firestore import SERVER_TIMESTAMP, ArrayUnion

    fills: dict[str, Any] = {}
    conflicts: dict[str, dict[str, Any]] = {}
    for name, submitted in _incoming_values(incoming).items():
        if _empty(submitted):
            continue
        stored = existing.get(name)
        if _empty(stored):
            fills[name] = submitted
            if name == "mobile" and incoming.mobile:
                fills["mobileValid"] = incoming.mobile.valid
        elif not _same(name, stored, submitted):
            conflicts[name] = {"stored": stored, "submitted": submitted}

    updates: dict[str, Any] = (
        {
            "lastContactAt": incoming.at,
            "lastSource": incoming.source,
            "sources": ArrayUnion([incoming.source]),
            "forms": ArrayUnion([incoming.form]),
            "updatedAt": SERVER_TIMESTAMP,
        }
        if incoming.contact
        else {}
    )
    guarded = False
    if fills:
        guarded = True
        updates.update(fills)
        merged = {**existing, **fills}
        updates["search"] = search.customer_tokens(
            name=merged.get("name"),
            company=merged.get("company"),
            email=existing.get("email") or incoming.email,
            mobile=incoming.mobile if "mobile" in fills else _stored_mobile(existing),
        )
    stored_custom = existing.get("custom")
    stored_custom = stored_custom if isinstance(stored_custom, Mapping) else {}
    balances = existing.get("balances")
    currency = balances.get("currency") if isinstance(balances, Mapping) else None
    for key, value in incoming.custom.items():
        if key in incoming.custom_money and currency != incoming.custom_currency:
            continue
        if _empty(stored_custom.get(key)) or stored_custom.get(key) == []:
            # A defined field's key is a slug, so it is a safe field path.
            guarded = True
            updates[f"custom.{key}"] = value
    if _empty(existing.get("firstSource")):
        guarded = True
        updates["firstSource"] = incoming.source
    stored_consent = (existing.get("consent") or {}).get("marketing")
    if incoming.consent is not None and not incoming.contact:
        # An old file's answer never replaces one the person gave: it fills a gap only.
        if stored_consent is None:
            updates["consent"] = _consent(incoming)
            guarded = True
        elif stored_consent != incoming.consent:
            conflicts["consent"] = {"stored": stored_consent, "submitted": incoming.consent}
    elif incoming.consent is not None:
        updates["consent"] = _consent(incoming)
        guarded = guarded or stored_consent != incoming.consent
    if updates and not incoming.contact:
        updates["updatedAt"] = SERVER_TIMESTAMP
    return Merge(updates=updates, conflicts=conflicts, guarded=guarded)


def _stored_mobile(existing: Mapping[str, Any]) -> Mobile | None:
    from hearth.rules.phones import parse_mobile

    stored = existing.get("mobile")
    return parse_mobile(stored) if isinstance(stored, str) and stored else None


def upsert(
    client: Any,
    key: str,
    incoming: Incoming,
    entry: dict[str, Any],
    *,
    currency: str,
    timeout: float,
    tally: analytics.Tally | None = None,
    entry_id: str | None = None,
) -> Outcome:
    """Create or fill the customer and add the submission to its timeline (and to the
    day's roll-up, given a ``tally``), atomically. ``entry_id`` names the timeline entry
    when it is not a submission's (an import row's)."""
    from google.api_core.exceptions import Aborted, AlreadyExists, FailedPrecondition, NotFound

    call = call_options(timeout)
    source_ref = pipeline.source_ref(client, incoming.source)
    sight = _first_sight(client, source_ref, call, key, incoming)
    add_source, stage, routed, phone = sight.new_source, sight.stage, sight.routed, sight.phone
    if sight.survivor is not None:  # this key was merged into another customer: it lands there
        key, entry = sight.survivor, {**entry, "via": key}
    erased = sight.erased
    # Only the person's own fresh consent lifts a suppression, never a file's column.
    lift = list(erased) if erased and incoming.consent is True and incoming.contact else []
    erased_before = {"erasedBefore": {"at": min(erased.values())}} if erased else {}
    ref = client.collection(COLLECTION).document(key)
    entry_ref = activity.entry_ref(
        client, key, entry_id or activity.submission_entry_id(incoming.submission_id)
    )
    source = pipeline.new_source(incoming.source, "inbound", incoming.at)
    need_create = True
    for attempt in range(MAX_ATTEMPTS):
        if need_create:
            created = new_customer(incoming, currency, stage, routed=routed)
            batch = client.batch()
            batch.create(ref, created)
            batch.create(
                entry_ref, {**entry, "conflicts": {}, "customerCreated": True, **erased_before}
            )
            suppressions.lift(batch, client, lift)
            domain_events.add(client, batch, key, entry_ref.id, _created_event(created, entry))
            if add_source:
                batch.create(source_ref, source)
            if tally is not None:
                analytics.add_tally(batch, client, tally, created=True)
            try:
                batch.commit(**call)
                return Outcome(True, False, pending=routed, key=key, phone=phone)
            except Aborted:
                # Lost a lock to a transaction (the router's, holding a batch of new
                # customers): nothing was written, so the same create is tried again.
                time.sleep(random.uniform(0, 0.05 * (attempt + 1)))
                continue
            except AlreadyExists:
                if add_source and source_ref.get(**call).exists:
                    add_source = False  # another submission added it first: try again
                    continue
                need_create = False

        snapshot = ref.get(**call)
        if not snapshot.exists:
            need_create = True  # removed between the two calls; start again with a create
            continue
        change = merge(snapshot.to_dict() or {}, incoming)
        if not change.updates:  # only an import row comes here: nothing to fill
            return Outcome(
                created=False, duplicate=False, conflicts=change.conflicts, unchanged=True
            )
        option = (
            client.write_option(last_update_time=snapshot.update_time) if change.guarded else None
        )
        batch = client.batch()
        batch.update(ref, change.updates, option=option)
        batch.create(entry_ref, {**entry, "conflicts": change.conflicts, "customerCreated": False})
        suppressions.lift(batch, client, lift)
        if add_source:
            batch.create(source_ref, source)
        if tally is not None:
            analytics.add_tally(batch, client, tally, created=False)
        try:
            batch.commit(**call)
            return Outcome(False, False, change.conflicts, key=key, phone=phone)
        except AlreadyExists:
            if add_source and source_ref.get(**call).exists:
                add_source = False
                continue
            return Outcome(created=False, duplicate=True, key=key)
        except (Aborted, FailedPrecondition, NotFound):
            # Another submission changed the customer after our read (or a transaction
            # held it): decide again.
            time.sleep(random.uniform(0, 0.01 * (attempt + 1)))
    raise ContentionError(f"customer {key} stayed contended for {MAX_ATTEMPTS} attempts")


def _created_event(created: Mapping[str, Any], entry: Mapping[str, Any]) -> domain_events.Event:
    """customer.created carries the first stage, so a stage history starts with it."""
    return domain_events.Event(
        domain_events.CUSTOMER_CREATED,
        created["createdAt"],
        domain_events.by_actor(entry.get("actor")),
        created.get("ownerUid"),
        {"stage": created["stage"], "source": created["firstSource"]},
    )


@dataclass(frozen=True)
class _Sight:
    """What one read before the first write tells the upsert."""

    new_source: bool  # the source is new to the sources list: added in the same commit
    stage: str  # the pipeline's first stage, for a new customer
    routed: bool  # the owner has routing rules: a new customer waits for the router
    survivor: str | None  # the customer a merged-away address now points to (an alias)
    phone: str | None  # a phone-only customer (tel:+...) with this mobile, to merge
    erased: dict[str, Any]  # the person's suppression keys held: key -> when erased


def _first_sight(
    client: Any, source_ref: Any, call: dict[str, Any], key: str, incoming: Incoming
) -> _Sight:
    """Everything the upsert must know before it writes, in one round trip: no source a
    customer holds is ever missing from the list, a new customer starts in the
    pipeline's first stage and waits for the router only when there are rules, an
    address merged into another customer lands on that one, a phone-only record of the
    same mobile is found to merge, and a person erased before is recognised."""
    pipeline_ref = pipeline.pipeline_ref(client)
    routing_ref = routing.settings_ref(client)
    alias_ref = merges.alias_ref(client, key)
    e164 = incoming.mobile.e164 if incoming.mobile else None
    phone_ref = client.collection(COLLECTION).document(phone_key(e164 or "-"))
    held = [suppressions.ref(client, k) for k in incoming.suppression_keys]
    refs = [source_ref, pipeline_ref, routing_ref, alias_ref, *([phone_ref] if e164 else []), *held]
    found = {snapshot.reference.path: snapshot for snapshot in client.get_all(refs, **call)}

    def data(ref: Any) -> dict[str, Any] | None:
        snapshot = found.get(ref.path)
        return (snapshot.to_dict() or {}) if snapshot is not None and snapshot.exists else None

    alias, rules = data(alias_ref), data(routing_ref)
    return _Sight(
        new_source=data(source_ref) is None,
        stage=first_stage(data(pipeline_ref)),
        routed=rules is not None and routing.has_rules(rules),
        survivor=alias.get("customer") if alias is not None else None,
        phone=phone_ref.id if e164 and data(phone_ref) is not None else None,
        erased={
            ref.id: found_ref.get("at") for ref in held if (found_ref := data(ref)) is not None
        },
    )


def by_mobile(client: Any, e164: str, timeout: float) -> tuple[str, str | None] | None:
    """The customer whose valid mobile this is, and their owner (a live one before an
    archived one, the older first): where a WhatsApp message from that number belongs."""
    from google.cloud.firestore import FieldFilter

    query = (
        client.collection(COLLECTION)
        .where(filter=FieldFilter("mobile", "==", e164))
        .select(["mobileValid", "archived", "createdAt", "ownerUid"])
        .limit(20)
    )
    found = [(s.id, s.to_dict() or {}) for s in query.stream(**call_options(timeout))]
    valid = [(key, data) for key, data in found if data.get("mobileValid") is True]
    if not valid:
        return None
    valid.sort(key=lambda item: (bool(item[1].get("archived")), str(item[1].get("createdAt"))))
    key, data = valid[0]
    return key, data.get("ownerUid")


def owner_of(client: Any, key: str, timeout: float) -> str | None:
    """Who owns the customer now (the rules let that rep read what is written for it)."""
    snapshot = (
        client.collection(COLLECTION).document(key).get(["ownerUid"], **call_options(timeout))
    )
    return (snapshot.to_dict() or {}).get("ownerUid") if snapshot.exists else None
