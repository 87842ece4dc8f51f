"""Reading a customer file: which export it is, which column means what, and what one
row says, decided without I/O so the preview, the admin page's import and the command
line read every row the same way.

A file's columns are mapped to Hearth's fields once per header set (the owner's choice
is remembered under ``header_key``). Known exports (Hearth's own, HubSpot's contacts,
Pipedrive's people) are recognised by their headers; any other file gets a guess from
common spellings, which the owner corrects in the preview. A row is then either values
for the intake rules (a valid e-mail, a parsed mobile, checked custom values) or a
problem naming its line and why: one bad row never stops the rest.

Stage, owner and balances are never read from a file: they are the team's decisions
in Hearth, and an old export's value would silently overrule them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hearth.rules import csvsafe, emails, sources
from hearth.rules.custom_fields import FieldSettings, check
from hearth.rules.phones import Mobile, parse_mobile

TARGETS = (
    "email",
    "name",
    "first_name",
    "last_name",
    "company",
    "mobile",
    "consent",
    "source",
    "ignore",
)
CUSTOM = "custom."
IGNORE = "ignore"
FIRST_LINE = 2  # line 1 is the header: a row's line is the spreadsheet's row number
CHUNK = 500  # rows per request and per stored chunk result
PREVIEW_ROWS = 20
MAX_COLUMNS = 200
MAX_CELL = 5000
# The lengths a form may send (hearth.intake.submission): a file is held to the same.
LIMITS = {"name": 200, "company": 200, "mobile": 40}
# A mailing list's words too (Pipedrive's "Marketing status" column, mapped by hand).
YES = frozenset({"yes", "true", "1", "x", "y", "subscribed", "opted in", "opt-in"})
NO = frozenset({"no", "false", "0", "n", "unsubscribed", "no consent", "opted out", "opt-out"})
ERASED = "erased on request: not re-imported"


def fold(header: str) -> str:
    """A header as compared: lower case, one space between words, no BOM."""
    return re.sub(r"[\s_]+", " ", header.replace("\ufeff", "").strip().lower())


HEARTH, HUBSPOT, PIPEDRIVE = "hearth", "hubspot", "pipedrive"

# Hearth's own export (hearth.customers.export.COLUMNS): only what a file may fill.
HEARTH_COLUMNS = {
    "email": "email",
    "name": "name",
    "company": "company",
    "mobile": "mobile",
    "marketing_consent": "consent",
}
HEARTH_SIGNATURE = frozenset({"email", "mobile_valid", "first_source", "owner_uid", "stage"})

# HubSpot's contacts export (Contacts > Export, the default properties).
HUBSPOT_COLUMNS = {
    "email": "email",
    "first name": "first_name",
    "last name": "last_name",
    "company name": "company",
    "mobile phone number": "mobile",
}
HUBSPOT_SIGNATURE = frozenset({"record id", "first name", "last name", "email"})

# Pipedrive's people export (Contacts > People > Export): "Person - " before each field.
PIPEDRIVE_COLUMNS = {
    "person - email - work": "email",
    "person - email - home": "email",
    "person - email - other": "email",
    "person - email": "email",
    "person - name": "name",
    "person - first name": "first_name",
    "person - last name": "last_name",
    "person - organization": "company",
    "person - phone - mobile": "mobile",
}
PIPEDRIVE_SIGNATURE = frozenset({"person - name"})

KNOWN = {
    name: {fold(header): target for header, target in columns.items()}
    for name, columns in (
        (HEARTH, HEARTH_COLUMNS),
        (HUBSPOT, HUBSPOT_COLUMNS),
        (PIPEDRIVE, PIPEDRIVE_COLUMNS),
    )
}
SIGNATURES = {
    name: frozenset(fold(header) for header in signature)
    for name, signature in (
        (HEARTH, HEARTH_SIGNATURE),
        (HUBSPOT, HUBSPOT_SIGNATURE),
        (PIPEDRIVE, PIPEDRIVE_SIGNATURE),
    )
}

# Any other file: common spellings, compared folded (case, spacing, punctuation).
SYNONYMS = {
    "email": ("email", "e-mail", "email address", "e-mail address", "mail", "emailaddress"),
    "name": ("name", "full name", "fullname", "contact name", "contact"),
    "first_name": ("first name", "firstname", "given name", "forename"),
    "last_name": ("last name", "lastname", "surname", "family name"),
    "company": ("company", "company name", "organization", "organisation", "business"),
    "mobile": ("mobile", "phone", "mobile phone", "mobile number", "telephone", "tel", "cell"),
    "consent": ("consent", "marketing consent", "marketing_consent", "opt in", "newsletter"),
    "source": ("source", "lead source"),
}


def header_key(headers: Sequence[str]) -> str:
    """The remembered mapping's id: the same columns in any order give the same key."""
    text = "\n".join(sorted(header.strip().lower() for header in headers))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def job_id(digest: str, source: str) -> str:
    """The same file imported for the same source is the same job, so it resumes."""
    return f"{digest[:32]}_{source}"


JOB_ID = re.compile(r"[0-9a-f]{32}_[a-z0-9.-]{1,100}")


def recognise(headers: Sequence[str]) -> str | None:
    folded = {fold(header) for header in headers}
    for name in (HEARTH, HUBSPOT):
        if folded >= SIGNATURES[name]:
            return name
    pipedrive = all(header.startswith("person - ") for header in folded if header)
    return PIPEDRIVE if pipedrive and folded >= SIGNATURES[PIPEDRIVE] else None


def guess(headers: Sequence[str], defined: Sequence[str] = ()) -> list[str]:
    """A target per column: the known export's, else a synonym's, else a defined custom
    field's key or label; anything else is ignored (the owner can choose otherwise)."""
    known = KNOWN.get(recognise(headers) or "")
    synonyms = {fold(word): target for target, words in SYNONYMS.items() for word in words}
    keys = {fold(key): key for key in defined}
    mapping: list[str] = []
    for header in headers:
        folded = fold(header)
        if known is not None:
            target = known.get(folded)
            if target is None and folded.startswith(CUSTOM) and folded[len(CUSTOM) :] in keys:
                target = CUSTOM + keys[folded[len(CUSTOM) :]]
            mapping.append(target or IGNORE)
            continue
        if folded in synonyms:
            mapping.append(synonyms[folded])
        elif folded.removeprefix(CUSTOM) in keys:
            mapping.append(CUSTOM + keys[folded.removeprefix(CUSTOM)])
        else:
            mapping.append(IGNORE)
    return mapping


def check_mapping(headers: Sequence[str], mapping: Sequence[str], defined: Sequence[str]) -> dict:
    """``mapping.<i>`` -> why that column's choice is refused; empty when it is usable."""
    refused: dict[str, str] = {}
    if len(mapping) != len(headers):
        return {"mapping": f"Give one choice per column: {len(headers)}, not {len(mapping)}."}
    for index, (header, target) in enumerate(zip(headers, mapping, strict=True)):
        if target.startswith(CUSTOM):
            if target[len(CUSTOM) :] not in defined:
                refused[f"mapping.{index}"] = (
                    f"Column {header!r}: there is no custom field {target[len(CUSTOM) :]!r}; "
                    "define it in Settings first or ignore the column."
                )
        elif target not in TARGETS:
            refused[f"mapping.{index}"] = (
                f"Column {header!r}: {target!r} is not a field; choose one of "
                f"{', '.join(TARGETS)} or custom.<key>."
            )
    if "email" not in mapping:
        refused.setdefault("mapping", "Map one column to email: customers are keyed by it.")
    return refused


def cell(text: str) -> str:
    """A cell as the person typed it: the export's formula guard (a leading ') undone."""
    text = text.strip()
    if text.startswith(csvsafe.PREFIX) and csvsafe.is_risky(text[1:]):
        return text[1:]
    return text


def consent(text: str) -> bool | None:
    folded = text.strip().lower()
    if folded in YES:
        return True
    if folded in NO:
        return False
    return None


@dataclass(frozen=True)
class Row:
    """What one row says, checked: ready for the intake rules."""

    line: int
    email: str
    key: str
    name: str | None = None
    company: str | None = None
    mobile: Mobile | None = None
    consent: bool | None = None
    source: str | None = None
    custom: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """A row that cannot be imported, and why, in words for the owner."""

    line: int
    email: str
    reason: str


def read_row(
    line: int,
    cells: Sequence[str],
    mapping: Sequence[str],
    *,
    definitions: FieldSettings,
    region: str,
    currency: str,
) -> Row | Problem:
    """One row through the intake rules. Where several columns map to one field, the
    first that is not empty wins (Pipedrive's work, home and other e-mail)."""
    values: dict[str, str] = {}
    for target, raw in zip(mapping, cells, strict=False):
        if target == IGNORE:
            continue
        text = cell(raw)[:MAX_CELL]
        if text and not values.get(target):
            values[target] = text
    typed = values.get("email", "")
    if not typed:
        return Problem(line, "", "no e-mail address")
    try:
        email = emails.normalise(typed)
    except emails.InvalidEmailError as exc:
        return Problem(line, typed, str(exc))
    name = values.get("name") or " ".join(
        part for part in (values.get("first_name"), values.get("last_name")) if part
    )
    for target, limit in LIMITS.items():
        value = name if target == "name" else values.get(target, "")
        if len(value) > limit:
            return Problem(line, email, f"{target}: at most {limit} characters, not {len(value)}")
    custom_sent = {
        target[len(CUSTOM) :]: value
        for target, value in values.items()
        if target.startswith(CUSTOM)
    }
    defined = definitions.by_key()
    for key, value in custom_sent.items():
        if key in defined and defined[key].type == "multi_select":
            custom_sent[key] = [item.strip() for item in value.split(";") if item.strip()]
    custom, errors = check(definitions, custom_sent, currency)
    if errors:
        key, reason = next(iter(errors.items()))
        return Problem(line, email, f"{CUSTOM}{key}: {reason}")
    mobile = parse_mobile(values["mobile"], region) if values.get("mobile") else None
    source = sources.normalise(values["source"]) if values.get("source") else None
    return Row(
        line=line,
        email=email,
        key=emails.customer_key(email),
        name=name or None,
        company=values.get("company") or None,
        mobile=mobile,
        consent=consent(values.get("consent", "")),
        source=source,
        custom={key: value for key, value in custom.items() if value is not None},
    )


def shown(values: Mapping[str, Any]) -> dict[str, Any]:
    """Fills and conflicts as the preview shows them: plain values, no store markers."""
    return {
        key: value.get("marketing") if key == "consent" and isinstance(value, Mapping) else value
        for key, value in values.items()
        if key not in ("updatedAt", "search", "mobileValid", "firstSource")
    }
