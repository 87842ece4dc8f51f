"""What a staff request changes on a customer, decided without touching the store.

The admin API reads the customer, asks this module what the request would change, then
commits exactly that together with its timeline entry. Keeping the deciding pure means
every rule (who may change which field, which stages exist, how a mobile is kept, what
a null in ``custom`` means) is tested without an emulator, and the store code has one
job: apply a Plan atomically or not at all.

The request models are here too, beside the rules that read them, so the shape a
client sends and what it does are found in one place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from hearth.errors import Forbidden, Invalid
from hearth.rules import custom_fields, search
from hearth.rules.custom_fields import FieldSettings
from hearth.rules.fields import ID_PATTERN, AnswerValue, refuse_reserved_names, trimmed
from hearth.rules.phones import Mobile, parse_mobile
from hearth.rules.roles import Principal, can_change_field
from hearth.rules.timestamps import Instant, parse_instant

# A customer is one document: an unbounded custom map would eventually hit Firestore's
# 1 MiB document limit and slow every read of the list.
MAX_CUSTOM_FIELDS = 100
MAX_CUSTOM_CHANGES = 50
MAX_NOTE_LENGTH = 5000


class RefusedError(Invalid):
    """The request is well formed but cannot apply to this customer (400, per field)."""


class NotAllowedError(Forbidden):
    """The caller's role may not change these fields (403, per field)."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        super().__init__("Your role may not change some of these fields.", fields)


@dataclass(frozen=True)
class Plan:
    """One request's effect: the customer fields to write and the timeline's account.

    ``updates`` holds whole top-level fields (a map such as ``custom`` or ``balances`` is
    written entire), which is safe because the write is guarded by the read it was
    planned from, and keeps field names with dots or spaces out of Firestore paths.
    """

    kind: str  # the activity entry type: change, owed, payment, archive, unarchive, note
    updates: dict[str, Any]
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)  # field: {from, to}
    details: dict[str, Any] = field(default_factory=dict)  # amount, note, text...


def _instant(value: str) -> str:
    parse_instant(value)
    return value


ClientId = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        description="Client-made id (8-128 of A-Z a-z 0-9 _ -): a retry with it is done once.",
    ),
]
SeenAt = Annotated[
    str,
    Field(
        max_length=64,
        description="The customer's updatedAt as you were shown it (ISO 8601 with a zone).",
    ),
    AfterValidator(_instant),
]
CustomKey = Annotated[str, Field(min_length=1, max_length=64)]
Text = Annotated[str | None, Field(max_length=200)]


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


class CustomerChanges(BaseModel):
    """The fields to change; a field left out is left alone.

    An empty string or null clears a text field; in ``custom`` a null removes that key.
    The e-mail is the customer's key and so is not changeable here.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Text = None
    company: Text = None
    mobile: Annotated[
        str | None, Field(max_length=40, description="Any format; kept as typed if unparsed.")
    ] = None
    stage: Annotated[
        str | None, Field(min_length=1, max_length=64, description="A settings/pipeline stage id.")
    ] = None
    source: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=100,
            description="Owner only: the id of a source (sources/{id}) the customer came from.",
        ),
    ] = None
    custom: Annotated[
        dict[CustomKey, AnswerValue | None] | None,
        Field(max_length=MAX_CUSTOM_CHANGES, description="Keys to set; null removes a key."),
    ] = None
    segment: Annotated[str | None, Field(max_length=64)] = None
    owner_uid: Annotated[
        str | None,
        Field(alias="ownerUid", max_length=128, description="Owner role only; null unassigns."),
    ] = None
    currency: Annotated[
        str | None,
        Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code of the balances."),
        trimmed(str.upper),
    ] = None

    @field_validator("name", "company", "mobile", "segment", "owner_uid", mode="before")
    @classmethod
    def _clear(cls, value: Any) -> Any:
        return _blank_is_none(value)

    @field_validator("stage", "source", "custom", "currency", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Only runs for a value actually sent: a customer always has a stage, a currency
        # and a custom map, so null here is a client mistake rather than "clear it".
        if value is None:
            raise ValueError("This field cannot be null: leave it out to keep it.")
        return value

    @field_validator("custom")
    @classmethod
    def _storable_keys(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        refuse_reserved_names(value, "field")
        return value

    def sent(self) -> set[str]:
        """Names (as clients spell them) of the fields this request touches."""
        fields = type(self).model_fields
        return {fields[name].alias or name for name in self.model_fields_set}


class PatchRequest(BaseModel):
    """PATCH /admin/customers/{key}: change fields, if nobody changed them since."""

    model_config = ConfigDict(extra="forbid", title="CustomerPatch")

    expected_updated_at: SeenAt
    changes: CustomerChanges
    request_id: ClientId | None = None

    @field_validator("changes")
    @classmethod
    def _something(cls, value: CustomerChanges) -> CustomerChanges:
        if not value.model_fields_set:
            raise ValueError("Name at least one field to change.")
        return value

    @property
    def expected(self) -> Instant:
        return parse_instant(self.expected_updated_at)


class ArchiveRequest(BaseModel):
    """POST .../archive or .../unarchive; the body may be empty."""

    model_config = ConfigDict(extra="forbid", title="ArchiveRequest")

    request_id: ClientId | None = None


class NoteRequest(BaseModel):
    """POST .../notes: a note on the timeline."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, title="NoteRequest")

    text: Annotated[str, Field(min_length=1, max_length=MAX_NOTE_LENGTH)]
    note_id: ClientId


OWNER_ONLY_REASONS = {
    "ownerUid": "Only the owner may change who a customer belongs to.",
    "segment": (
        "Only the owner may change a customer's segment: it decides which partner sees them."
    ),
    "source": "Only the owner may change where a customer came from: reports count by it.",
}


def check_allowed(principal: Principal, changes: CustomerChanges) -> None:
    """Refuse fields this role may not change (a rep: ``ownerUid``, ``segment``), before any read:
    the answer depends only on who asks, so it reveals nothing about the customer."""
    refused = {
        f"changes.{name}": OWNER_ONLY_REASONS.get(name, "Your role may not change this field.")
        for name in sorted(changes.sent())
        if not can_change_field(principal, name)
    }
    if refused:
        raise NotAllowedError(refused)


def plan_change(
    principal: Principal,
    customer: Mapping[str, Any],
    changes: CustomerChanges,
    stages: Sequence[str],
    region: str,
    fields: FieldSettings | None = None,
    currency: str | None = None,
) -> Plan | None:
    """The updates and from/to record for a PATCH; None when nothing would change.

    ``fields`` are the owner's custom field definitions: a defined key's value is checked
    by its type (money becomes minor units of the customer's currency, else ``currency``).

    Values equal to what is stored are dropped, so the timeline shows only real changes
    and a resent form does not pile up empty "changed" entries.
    """
    check_allowed(principal, changes)
    sent = changes.sent()
    updates: dict[str, Any] = {}
    record: dict[str, dict[str, Any]] = {}

    def put(name: str, new: Any) -> None:
        old = customer.get(name)
        if not _same(old, new):
            updates[name] = new
            record[name] = {"from": old, "to": new}

    for name in ("name", "company", "segment"):
        if name in sent:
            put(name, getattr(changes, name))
    if "ownerUid" in sent:
        put("ownerUid", changes.owner_uid)
    if "stage" in sent:
        if changes.stage not in stages:
            raise RefusedError(
                {
                    "changes.stage": f"{changes.stage!r} is not a stage of the pipeline: "
                    f"use one of {', '.join(stages)}."
                }
            )
        put("stage", changes.stage)
    if "source" in sent:  # an id of the sources list (the caller checked it exists)
        put("firstSource", changes.source)

    mobile: Mobile | None = None
    if "mobile" in sent:
        mobile = parse_mobile(changes.mobile, region) if changes.mobile else None
        put("mobile", mobile.stored if mobile else None)
        if "mobile" in updates:
            updates["mobileValid"] = mobile.valid if mobile else None

    if "custom" in sent:
        sent_custom = _typed_custom(customer, changes.custom or {}, fields, currency)
        _plan_custom(customer, sent_custom, updates, record)

    if "currency" in sent:
        balances = dict(customer.get("balances") or {})
        if balances.get("currency") != changes.currency:
            updates["balances"] = {**balances, "currency": changes.currency}
            record["balances.currency"] = {
                "from": balances.get("currency"),
                "to": changes.currency,
            }

    if not updates:
        return None
    if {"name", "company", "mobile"} & updates.keys():
        merged = {**customer, **updates}
        updates["search"] = search.customer_tokens(
            name=merged.get("name"),
            company=merged.get("company"),
            email=customer.get("email"),
            mobile=mobile if "mobile" in updates else _stored_mobile(customer, region),
        )
    return Plan(kind="change", updates=updates, changes=record)


def _typed_custom(
    customer: Mapping[str, Any],
    sent: Mapping[str, Any],
    fields: FieldSettings | None,
    currency: str | None,
) -> dict[str, Any]:
    """The custom changes with each defined field's value as stored; 400 naming
    ``changes.custom.<key>`` for a value its type refuses (or a required one cleared)."""
    if fields is None or not fields.fields:
        return dict(sent)
    balances = customer.get("balances")
    stored_currency = balances.get("currency") if isinstance(balances, Mapping) else None
    values, errors = custom_fields.check(fields, sent, stored_currency or currency)
    if errors:
        raise RefusedError({f"changes.custom.{key}": message for key, message in errors.items()})
    return {**sent, **values}


def _plan_custom(
    customer: Mapping[str, Any],
    sent: Mapping[str, Any],
    updates: dict[str, Any],
    record: dict[str, dict[str, Any]],
) -> None:
    stored = customer.get("custom")
    custom = dict(stored) if isinstance(stored, Mapping) else {}
    changed = False
    for key, value in sent.items():
        old = custom.get(key)
        if value is None:
            if key in custom:
                del custom[key]
                record[f"custom.{key}"] = {"from": old, "to": None}
                changed = True
        elif key not in custom or not _same(old, value):
            custom[key] = value
            record[f"custom.{key}"] = {"from": old, "to": value}
            changed = True
    if len(custom) > MAX_CUSTOM_FIELDS:
        raise RefusedError(
            {
                "changes.custom": f"A customer holds at most {MAX_CUSTOM_FIELDS} custom "
                "fields: remove some (send null) before adding more."
            }
        )
    if changed:
        updates["custom"] = custom


def plan_archive(customer: Mapping[str, Any], archived: bool) -> Plan | None:
    """Archive or bring back; None when already so (nothing to record twice).

    Only a flag: an archived customer keeps every field and its whole timeline, so
    bringing them back restores exactly what was there.
    """
    before = bool(customer.get("archived"))
    if before == archived:
        return None
    return Plan(
        kind="archive" if archived else "unarchive",
        updates={"archived": archived},
        changes={"archived": {"from": before, "to": archived}},
    )


def plan_note(note: NoteRequest) -> Plan:
    """A note changes no field: it is a timeline entry (and moves updatedAt, so a client
    holding the older time learns someone wrote on this customer)."""
    return Plan(kind="note", updates={}, details={"text": note.text, "noteId": note.note_id})


def _same(old: Any, new: Any) -> bool:
    # 1 == True and 1 == 1.0 in Python, but a custom field holding true is not one holding 1.
    return type(old) is type(new) and old == new


def _stored_mobile(customer: Mapping[str, Any], region: str) -> Mobile | None:
    stored = customer.get("mobile")
    return parse_mobile(stored, region) if isinstance(stored, str) and stored else None
