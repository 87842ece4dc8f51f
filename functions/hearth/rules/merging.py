"""What two customers become when they are one person: the survivor's fields, field by
field, decided without I/O so the page's panel, the merge and its undo agree.

Defaults follow one idea: the older record is the one the business has known longest,
so its values win, and a gap in it is filled from the other. Some fields are not a
matter of taste: sources and forms are unions (both records' history is true), the
first source and the creation time are the older record's (reports count leads by
them), the last contact is the later, consent is the later answer (the person's most
recent word is the one that binds), balances add up (money owed to the business by
one person, recorded twice), and a customer is live if either record was. Stage and
owner stay the survivor's unless chosen: the user picked the survivor for a reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from hearth.rules import search
from hearth.rules.phones import Mobile

Side = Literal["survivor", "other"]
SIDES = ("survivor", "other")
# Fields a person may pick a side for; custom fields as ``custom.<key>``.
CHOOSABLE = ("name", "company", "mobile", "stage", "ownerUid")
# The survivor's fields a merge may write; undo restores each that still holds what
# the merge wrote.
WRITTEN = (
    "name",
    "company",
    "mobile",
    "mobileValid",
    "stage",
    "ownerUid",
    "consent",
    "custom",
    "sources",
    "forms",
    "firstSource",
    "lastSource",
    "createdAt",
    "lastContactAt",
    "balances",
    "archived",
    "mergedFrom",
)


class CurrencyClashError(ValueError):
    """Balances in two currencies cannot be added up; someone must settle one first."""


@dataclass(frozen=True)
class Plan:
    """The survivor's merged fields (``values``, each a whole value to set), which of
    them differ from what the survivor holds now (``changed``), and the side each
    choosable field that differed was taken from (``chosen``)."""

    values: dict[str, Any]
    changed: tuple[str, ...]
    chosen: dict[str, Side]


def _empty(value: Any) -> bool:
    return (
        value is None
        or value == ""
        or value == []
        or (isinstance(value, str) and not value.strip())
    )


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return search.fold(a) == search.fold(b)
    return a == b


def _older_is_survivor(survivor: Mapping[str, Any], other: Mapping[str, Any]) -> bool:
    mine, theirs = survivor.get("createdAt"), other.get("createdAt")
    if isinstance(mine, datetime) and isinstance(theirs, datetime):
        return mine <= theirs
    return not isinstance(theirs, datetime) or isinstance(mine, datetime)


def field_value(document: Mapping[str, Any], name: str) -> Any:
    if name.startswith("custom."):
        custom = document.get("custom")
        return custom.get(name[7:]) if isinstance(custom, Mapping) else None
    return document.get(name)


def choosable(survivor: Mapping[str, Any], other: Mapping[str, Any]) -> list[str]:
    """The choosable fields where both records hold a value and the values differ:
    the ones the merge panel asks about (a gap is simply filled)."""
    names = list(CHOOSABLE)
    for document in (survivor, other):
        custom = document.get("custom")
        if isinstance(custom, Mapping):
            names += [f"custom.{key}" for key in sorted(custom) if f"custom.{key}" not in names]
    return [
        name
        for name in names
        if not _empty(field_value(survivor, name))
        and not _empty(field_value(other, name))
        and not _same(field_value(survivor, name), field_value(other, name))
    ]


def defaults(survivor: Mapping[str, Any], other: Mapping[str, Any]) -> dict[str, Side]:
    """The side each differing field takes unless chosen: the older record's, except
    stage and owner, which are the survivor's."""
    older: Side = "survivor" if _older_is_survivor(survivor, other) else "other"
    return {
        name: ("survivor" if name in ("stage", "ownerUid") else older)
        for name in choosable(survivor, other)
    }


def _pick(
    name: str,
    survivor: Mapping[str, Any],
    other: Mapping[str, Any],
    side: Side,
) -> Any:
    mine, theirs = field_value(survivor, name), field_value(other, name)
    if _empty(mine):
        return theirs
    if _empty(theirs):
        return mine
    return mine if side == "survivor" else theirs


def _union(a: Any, b: Any) -> list[Any]:
    merged: list[Any] = []
    for item in [*(a or []), *(b or [])]:
        if item not in merged:
            merged.append(item)
    return merged


def _later(a: Any, b: Any) -> Any:
    if isinstance(a, datetime) and isinstance(b, datetime):
        return max(a, b)
    return a if isinstance(a, datetime) else b


def _consent(survivor: Mapping[str, Any], other: Mapping[str, Any]) -> Any:
    mine, theirs = survivor.get("consent") or {}, other.get("consent") or {}
    if theirs.get("marketing") is None:
        return survivor.get("consent")
    if mine.get("marketing") is None:
        return other.get("consent")
    at_mine, at_theirs = mine.get("at"), theirs.get("at")
    if isinstance(at_mine, datetime) and isinstance(at_theirs, datetime) and at_theirs > at_mine:
        return other.get("consent")
    return survivor.get("consent")


def _balances(survivor: Mapping[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    mine, theirs = survivor.get("balances") or {}, other.get("balances") or {}
    currency = mine.get("currency") or theirs.get("currency")
    owes = any(int(theirs.get(k) or 0) for k in ("pending", "paid"))
    if owes and theirs.get("currency") and mine.get("currency") != theirs.get("currency"):
        raise CurrencyClashError(
            f"The two records keep balances in {mine.get('currency')} and "
            f"{theirs.get('currency')}: settle one record's balance first."
        )
    return {
        "pending": int(mine.get("pending") or 0) + int(theirs.get("pending") or 0),
        "paid": int(mine.get("paid") or 0) + int(theirs.get("paid") or 0),
        "currency": currency,
    }


def plan(
    survivor: Mapping[str, Any],
    other: Mapping[str, Any],
    other_key: str,
    choices: Mapping[str, str] | None = None,
) -> Plan:
    """The survivor's fields after the merge; ``choices`` ({field: side}) override the
    defaults for fields that differ (a choice for a field that no longer differs
    changes nothing). Raises CurrencyClashError when balances cannot be added."""
    choices = dict(choices or {})
    older_first = _older_is_survivor(survivor, other)
    older, newer = (survivor, other) if older_first else (other, survivor)
    chosen: dict[str, Side] = {}
    for name, side in defaults(survivor, other).items():
        picked = choices.get(name, side)
        chosen[name] = "other" if picked == "other" else "survivor"

    values: dict[str, Any] = {}
    for name in ("name", "company", "stage", "ownerUid"):
        values[name] = _pick(name, survivor, other, chosen.get(name, "survivor"))
    take_other = _empty(survivor.get("mobile")) or chosen.get("mobile") == "other"
    mobile_from = other if take_other and not _empty(other.get("mobile")) else survivor
    values["mobile"] = mobile_from.get("mobile")
    values["mobileValid"] = mobile_from.get("mobileValid")

    custom: dict[str, Any] = {}
    mine = survivor.get("custom") if isinstance(survivor.get("custom"), Mapping) else {}
    theirs = other.get("custom") if isinstance(other.get("custom"), Mapping) else {}
    for key in [*mine, *[k for k in theirs if k not in mine]]:
        custom[key] = _pick(
            f"custom.{key}", survivor, other, chosen.get(f"custom.{key}", "survivor")
        )
    values["custom"] = custom

    values["consent"] = _consent(survivor, other)
    values["sources"] = _union(older.get("sources"), newer.get("sources"))
    values["forms"] = _union(older.get("forms"), newer.get("forms"))
    values["firstSource"] = older.get("firstSource") or newer.get("firstSource")
    later_contact = _later(survivor.get("lastContactAt"), other.get("lastContactAt"))
    values["lastContactAt"] = later_contact
    values["lastSource"] = (
        other.get("lastSource")
        if later_contact is not None
        and later_contact == other.get("lastContactAt")
        and later_contact != survivor.get("lastContactAt")
        else survivor.get("lastSource")
    ) or other.get("lastSource")
    values["createdAt"] = older.get("createdAt") or newer.get("createdAt")
    values["balances"] = _balances(survivor, other)
    values["archived"] = bool(survivor.get("archived")) and bool(other.get("archived"))
    values["mergedFrom"] = _union(
        survivor.get("mergedFrom"), [other_key, *(other.get("mergedFrom") or [])]
    )
    changed = tuple(name for name in WRITTEN if values.get(name) != survivor.get(name))
    values["search"] = tokens({**survivor, **values})
    return Plan(values=values, changed=changed, chosen=chosen)


def tokens(document: Mapping[str, Any]) -> list[str]:
    """Search tokens for a customer document as stored (mobile kept E.164 when valid)."""
    stored = document.get("mobile")
    mobile = None
    if isinstance(stored, str) and stored:
        valid = bool(document.get("mobileValid")) and stored.startswith("+")
        mobile = Mobile(typed=stored, e164=stored if valid else None, region=None)
    return search.customer_tokens(
        name=document.get("name"),
        company=document.get("company"),
        email=document.get("email"),
        mobile=mobile,
    )


def restore(
    before: Mapping[str, Any], applied: Mapping[str, Any], now: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str], list[str]]:
    """What undo does to the survivor: for each field the merge wrote (``applied``), the
    value it had ``before`` (set), or its removal when it had none (the second list),
    unless it was edited since and no longer holds the merged value: such a field is
    kept and named in the third list, so the undo can say so."""
    restored: dict[str, Any] = {}
    removed: list[str] = []
    kept: list[str] = []
    for name, merged in applied.items():
        if now.get(name) != merged:
            kept.append(name)
        elif name in before:
            restored[name] = before[name]
        else:
            removed.append(name)
    return restored, removed, kept
