"""Finding duplicate customers, merging two into one, and undoing a merge.

Who may: the owner only. A merge rewrites two people's records and moves their
history; a rep sees only their own customers and could not judge the other record.
The decisions are pure (rules.duplicates, rules.merging); the writes are
store.merges', which keeps a merge one commit, or resumable when it cannot be.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from hearth import config
from hearth.errors import Conflict, Forbidden, Invalid, NotFound
from hearth.rules import duplicates, merging
from hearth.rules.fields import ID_PATTERN
from hearth.rules.roles import Principal, Role
from hearth.rules.timestamps import jsonable
from hearth.store import client as db
from hearth.store import events as domain_events
from hearth.store import merges as store
from hearth.store import timeline as activity

OWNER_ONLY = "Only the owner may find and merge duplicate customers."
PAGE = 500
MAX_PAIRS = 200
KEY = r"^[^/\s]{3,320}$"
Key = Annotated[str, Field(pattern=KEY, description="A customer key (the e-mail, or tel:+...).")]


class PairRequest(BaseModel):
    """POST /admin/merges/preview: what merging ``other`` into ``survivor`` would do."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, title="MergePreview")

    survivor: Key
    other: Key


class MergeRequest(PairRequest):
    """POST /admin/merges: merge ``other`` into ``survivor``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, title="Merge")

    id: Annotated[
        str,
        Field(
            pattern=ID_PATTERN,
            description="Client-made id (8-128 of A-Za-z0-9_-): posting again with it "
            "finds the merge, or continues one that was cut short.",
        ),
    ]
    choices: dict[str, Literal["survivor", "other"]] = Field(
        default_factory=dict,
        description="Per differing field (name, company, mobile, stage, ownerUid, "
        "custom.<key>), which record's value the survivor keeps.",
    )


def check_owner(principal: Principal) -> None:
    if principal.role is not Role.OWNER:
        raise Forbidden(OWNER_ONLY, {"role": OWNER_ONLY})


def show_mobile(e164: str) -> str:
    """+35679123456 as people read it: +356 7912 3456."""
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _card(customer: Mapping[str, Any]) -> dict[str, Any]:
    return jsonable({name: customer.get(name) for name in ("key", *store.SCAN_FIELDS)})


def find(principal: Principal, settings: config.Settings) -> dict[str, Any]:
    """GET /admin/duplicates: the pairs worth a look, surest first, with both records."""
    check_owner(principal)
    client = db.client()
    timeout = settings.store_timeout_s
    people = {c["key"]: c for c in store.scan(client, PAGE, timeout)}
    found = duplicates.pairs(
        people.values(), store.dismissed(client, timeout), format_mobile=show_mobile
    )
    return {
        "pairs": [
            {**pair.as_dict(), "a": _card(people[pair.a]), "b": _card(people[pair.b])}
            for pair in found[:MAX_PAIRS]
        ],
        "more": len(found) > MAX_PAIRS,
    }


def dismiss(principal: Principal, pair_id: str, settings: config.Settings) -> dict[str, Any]:
    """POST /admin/duplicates/{pair}/dismiss: "not the same person", remembered."""
    check_owner(principal)
    keys = duplicates.keys_of(pair_id)
    if keys is None:
        raise NotFound("No such pair: a pair id is two customer keys joined by a space.")
    store.dismiss(
        db.client(),
        pair_id,
        {"a": keys[0], "b": keys[1], "at": datetime.now(UTC), "by": _by(principal)},
        settings.store_timeout_s,
    )
    return {"dismissed": pair_id}


def _by(principal: Principal) -> dict[str, Any]:
    return {"uid": principal.uid, "email": principal.email}


def _pair(client: Any, survivor: str, other: str, timeout: float) -> tuple[dict, dict]:
    if survivor == other:
        raise Invalid({"other": "Choose two different customers."})
    found = store.customers(client, [survivor, other], timeout)
    for field, key in (("survivor", survivor), ("other", other)):
        if key not in found:
            raise NotFound(f"No customer {key}.", {field: "No such customer."})
    return found[survivor], found[other]


def _plan(
    survivor: Mapping[str, Any],
    other: Mapping[str, Any],
    other_key: str,
    choices: Mapping[str, str] | None,
) -> merging.Plan:
    try:
        return merging.plan(survivor, other, other_key, choices)
    except merging.CurrencyClashError as clash:
        raise Conflict(str(clash), {"balances.currency": str(clash)}) from None


def preview(principal: Principal, body: PairRequest, settings: config.Settings) -> dict[str, Any]:
    """What the merge panel shows: each differing field with both values and its
    default side, and how much moves."""
    check_owner(principal)
    client = db.client()
    timeout = settings.store_timeout_s
    survivor, other = _pair(client, body.survivor, body.other, timeout)
    _plan(survivor, other, body.other, None)  # a currency clash is said before Confirm
    gathered = store.gather(client, body.survivor, body.other, timeout)
    fields = [
        {
            "field": name,
            "survivor": jsonable(merging.field_value(survivor, name)),
            "other": jsonable(merging.field_value(other, name)),
            "default": side,
        }
        for name, side in merging.defaults(survivor, other).items()
    ]
    return {
        "fields": fields,
        "moves": gathered.counts(),
        "oneCommit": gathered.writes <= store.MAX_WRITES,
    }


def merge(principal: Principal, body: MergeRequest, settings: config.Settings) -> dict[str, Any]:
    """POST /admin/merges: the owner merges two customers."""
    check_owner(principal)
    client = db.client()
    existing = store.record(client, body.id, settings.store_timeout_s)
    if existing is None:
        _pair(client, body.survivor, body.other, settings.store_timeout_s)
    elif (existing.get("survivor"), existing.get("other")) != (body.survivor, body.other):
        raise Conflict("This merge id was used for two other customers.", {"id": "Already used."})
    for name in body.choices:
        if name not in merging.CHOOSABLE and not name.startswith("custom."):
            raise Invalid({f"choices.{name}": "Not a field a merge chooses."})
    return {
        "merge": merge_customers(
            client,
            body.survivor,
            body.other,
            actor=activity.staff_actor(principal),
            choices=body.choices,
            merge_id=body.id,
            settings=settings,
        )
    }


def merge_customers(
    client: Any,
    survivor: str,
    other: str,
    *,
    actor: dict[str, Any],
    choices: Mapping[str, str] | None = None,
    merge_id: str | None = None,
    settings: config.Settings | None = None,
) -> dict[str, Any]:
    """Merge customer ``other`` into ``survivor`` (intake calls this when a phone-only
    record turns out to be an e-mail customer's); the merge as JSON. ``actor`` is the
    timeline's ({kind: staff, ...} or {kind: "intake"})."""
    settings = settings or config.load()
    merge_id = merge_id or _intake_id(survivor, other)
    now = datetime.now(UTC)

    def decide(gathered: store.Gathered) -> store.MergeWrite:
        mine = gathered.survivor.to_dict() or {}
        theirs = gathered.other.to_dict() or {}
        result = _plan(mine, theirs, other, choices)
        applied = {name: result.values[name] for name in result.changed}
        updates = {name: result.values[name] for name in (*result.changed, "search")}
        return store.MergeWrite(
            updates=updates,
            record={
                "survivor": survivor,
                "other": other,
                "otherEmail": theirs.get("email"),
                "at": now,
                "by": {k: actor.get(k) for k in ("kind", "uid", "email")},
                "before": {"survivor": mine, "other": theirs},
                "applied": applied,
                "chosen": result.chosen,
            },
            entry=activity.merged(
                at=now,
                actor=actor,
                merge_id=merge_id,
                other_key=other,
                other_email=theirs.get("email"),
                chosen=result.chosen,
                moved=gathered.counts(),
            ),
            event=domain_events.Event(
                domain_events.CUSTOMER_MERGED,
                now,
                domain_events.by_actor(actor),
                result.values.get("ownerUid"),
                {"from": other, "into": survivor},
            ),
            clock_from_other=result.values.get("stage") != mine.get("stage"),
            owner_uid=result.values.get("ownerUid"),
        )

    done = store.merge(client, merge_id, survivor, other, decide, settings.store_timeout_s)
    if done is None:
        raise NotFound("One of the two customers is gone.", {"other": "No such customer."})
    return view(done)


def _intake_id(survivor: str, other: str) -> str:
    import hashlib

    return "intake_" + hashlib.sha256(f"{other}>{survivor}".encode()).hexdigest()[:32]


def view(record: Mapping[str, Any]) -> dict[str, Any]:
    """A merge as the API answers it: no copies of the two documents."""
    return jsonable(
        {
            name: record.get(name)
            for name in (
                "id",
                "survivor",
                "other",
                "otherEmail",
                "state",
                "at",
                "by",
                "chosen",
                "counts",
                "moving",
                "kept",
                "undoneAt",
            )
            if name in record
        }
    )


def undo(principal: Principal, merge_id: str, settings: config.Settings) -> dict[str, Any]:
    """POST /admin/merges/{id}/undo: the two customers as they were, except fields
    edited since the merge (kept, and named)."""
    check_owner(principal)
    client = db.client()
    timeout = settings.store_timeout_s
    existing = store.record(client, merge_id, timeout)
    if existing is None:
        raise NotFound("No such merge.")
    if existing.get("state") == store.UNDONE:
        raise Conflict("This merge is already undone.", {"id": "already undone"})
    if existing.get("state") != store.DONE:
        raise Conflict(
            "This merge is still moving: post it again to finish it first.", {"id": "moving"}
        )
    if store.other_exists(client, existing["other"], timeout):
        raise Conflict(
            f"A customer {existing['other']} exists again, so the merge cannot be undone.",
            {"other": "exists again"},
        )
    now = datetime.now(UTC)
    actor = activity.staff_actor(principal)

    def decide(rec: dict[str, Any], survivor: Any) -> store.UndoWrite:
        from google.cloud.firestore import DELETE_FIELD

        current = survivor.to_dict() if survivor.exists else {}
        before = rec["before"]["survivor"]
        restored, removed, kept = merging.restore(before, rec.get("applied") or {}, current)
        updates: dict[str, Any] = {**restored, **{name: DELETE_FIELD for name in removed}}
        updates["search"] = (
            before.get("search") if not kept else merging.tokens({**current, **restored})
        )
        entry = {
            "at": now,
            "actor": actor,
            "merge_id": merge_id,
            "survivor_key": rec["survivor"],
            "other_key": rec["other"],
            "kept": kept,
        }
        return store.UndoWrite(
            updates=updates,
            kept=kept,
            survivor_entry=activity.unmerged(**entry),
            other_entry=activity.unmerged(**entry),
            event=domain_events.Event(
                domain_events.CUSTOMER_UNMERGED,
                now,
                domain_events.by_principal(principal),
                current.get("ownerUid"),
                {"from": rec["other"], "into": rec["survivor"]},
            ),
            other=rec["before"]["other"],
        )

    done = store.undo(client, merge_id, decide, timeout)
    if done is None:
        raise NotFound("No such merge.")
    return {"merge": view(done)}


def history_keys(customer: Mapping[str, Any], key: str) -> list[str]:
    """Every key a customer's events are under: its own and those merged into it."""
    return [key, *[k for k in customer.get("mergedFrom") or [] if isinstance(k, str)]]
