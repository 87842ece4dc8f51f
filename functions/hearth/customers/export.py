"""GET /export?format=csv|json[&consent=given|not-given]: the customers a signed-in
user may take away (``consent`` keeps only those who gave, or did not give, marketing
consent: a mailing list is made from the first). ``&what=timeline`` takes their
timelines instead (timeline_export.py), through the same checks and the same streaming.

The owner exports every customer (archived ones too, with an ``archived`` column: an
export is the business's full copy); a rep exports the customers they own; nobody else
exports. It is the one read that goes through a function rather than the rules, so the
role check here is the boundary.

Memory stays bounded whatever the number of customers: the body is a generator, and
Firestore is read in pages ordered by id (hearth.store.exports), each dropped once
written. A first pass reads only each customer's ``custom`` map, to know the
custom-field columns before the header is written; the second pass writes the rows.

Both passes read the same instant: the first page's read time pins every later page
(Firestore's ``read_time``), so a customer added or changed during a long download is
neither half in the file nor a row with a custom field that has no column. The export
says which instant in ``exported_at`` (JSON). Firestore serves such reads for an hour,
far longer than an export of a small business's customers takes.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hearth import config
from hearth.errors import Forbidden, Invalid
from hearth.fields import FieldSettings, load_settings, shown
from hearth.rules import csvsafe, money
from hearth.rules.json_values import iso, plain
from hearth.rules.roles import Principal, can_export
from hearth.store import client as db
from hearth.store.calls import call_options
from hearth.store.exports import CONSENT, customers_of, documents, read_time_of

log = logging.getLogger(__name__)

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
WHAT = ("customers", "timeline")  # what a file holds: one row per customer, or per entry
CHUNK_CHARS = 64 * 1024  # body pieces handed to the server: few enough writes, little memory

# One column per field, in this order, then one per defined custom field (settings
# order), then one per other custom key found (sorted).
COLUMNS = (
    "email",
    "name",
    "company",
    "mobile",
    "mobile_valid",
    "stage",
    "first_source",
    "last_source",
    "sources",
    "marketing_consent",
    "consent_at",
    "pending",
    "paid",
    "currency",
    "owner_uid",
    "segment",
    "archived",
    "created_at",
    "updated_at",
    "last_contact_at",
)
CUSTOM_PREFIX = "custom."
LIST_SEPARATOR = "; "

# What is read of each customer: what the columns show. Never the search tokens, which
# are an index, not data, and never anything the columns do not name.
FIELDS = (
    "email",
    "name",
    "company",
    "mobile",
    "mobileValid",
    "stage",
    "firstSource",
    "lastSource",
    "sources",
    "consent",
    "balances",
    "ownerUid",
    "segment",
    "archived",
    "custom",
    "createdAt",
    "updatedAt",
    "lastContactAt",
)


@dataclass(frozen=True)
class Snapshot:
    """What the first pass learnt: the columns, and the instant every page is read at."""

    custom_keys: tuple[str, ...]
    read_time: datetime | None  # None when there was nothing to export
    rows: int


def check_may_export(principal: Principal) -> None:
    if not can_export(principal):
        raise Forbidden(
            "Only the owner and reps can export customers.",
            {
                "role": f"The {principal.role} role may not export."
                if principal.role
                else "A user without a role may not export."
            },
        )


def check_consent(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip().lower()
    if value not in CONSENT:
        raise Invalid({"consent": f"Use given or not-given, not {value[:40]!r}."})
    return value


def check_format(kind: str) -> str:
    kind = kind.strip().lower()
    if kind not in FORMATS:
        raise Invalid(
            {"format": f"Use csv or json, not {kind[:40]!r}."},
            "Choose an export format: csv or json.",
        )
    return kind


def check_what(value: str | None) -> str:
    """The customers unless the timeline is asked for; a typo is refused, not ignored,
    so nobody saves the customers believing they hold the timeline."""
    if value is None or not value.strip():
        return WHAT[0]
    value = value.strip().lower()
    if value not in WHAT:
        raise Invalid(
            {"what": f"Use customers or timeline, not {value[:40]!r}."},
            "Choose what to export: customers or timeline.",
        )
    return value


@dataclass(frozen=True)
class Export:
    """A download ready to stream: its body pieces, type and file name."""

    chunks: Iterator[bytes]
    content_type: str
    filename: str


def start(
    principal: Principal, kind: str, settings: config.Settings, consent: str | None = None
) -> Export:
    """Read the first pass now (so a store outage is a clean 503 before any byte goes
    out); the rows are read while the body streams."""
    client = db.client()
    call = call_options(settings.store_timeout_s)
    definitions = load_settings(client, settings.store_timeout_s)
    snapshot = take_snapshot(client, principal, call, definitions, consent)
    log.info(
        "export: %d customers as %s for %s (%s)", snapshot.rows, kind, principal.uid, principal.role
    )
    exported_at = snapshot.read_time or datetime.now(UTC)
    customers = read_customers(client, principal, snapshot, call, consent)
    records = (record(doc, definitions) for doc in customers)
    body = (
        csv_chunks(
            header(snapshot.custom_keys), (csv_row(r, snapshot.custom_keys) for r in records)
        )
        if kind == "csv"
        else json_chunks(exported_at, "customers", records)
    )
    return Export(
        chunks=cut_short_on_failure(body),
        content_type=FORMATS[kind],
        filename=file_name("customers", exported_at, kind),
    )


def file_name(what: str, exported_at: datetime, kind: str) -> str:
    """``hearth-customers-2024-05-01.csv``: dated by the instant the file was read at."""
    return f"hearth-{what}-{exported_at.astimezone(UTC):%Y-%m-%d}.{kind}"


# --- reading ------------------------------------------------------------------------------------


def take_snapshot(
    client: Any,
    principal: Principal,
    call: Mapping[str, Any],
    definitions: FieldSettings | None = None,
    consent: str | None = None,
) -> Snapshot:
    """First pass: the custom columns (every defined field, even one nobody has filled
    yet, then the other keys found), and the read time that pins both passes."""
    defined = [field.key for field in definitions.fields] if definitions else []
    keys: set[str] = set()
    rows = 0
    read_time: datetime | None = None
    query = customers_of(client, principal, consent).select(["custom"])
    for doc in documents(query, None, call):
        read_time = read_time or read_time_of(doc)
        rows += 1
        custom = (doc.to_dict() or {}).get("custom")
        if isinstance(custom, Mapping):
            keys.update(str(key) for key in custom)
    others = sorted(keys - set(defined))
    return Snapshot(custom_keys=(*defined, *others), read_time=read_time, rows=rows)


def read_customers(
    client: Any,
    principal: Principal,
    snapshot: Snapshot,
    call: Mapping[str, Any],
    consent: str | None = None,
) -> Iterator[Mapping[str, Any]]:
    """Second pass: each customer's exported fields, as of the snapshot's instant."""
    if snapshot.read_time is None:
        return
    query = customers_of(client, principal, consent).select(list(FIELDS))
    for doc in documents(query, snapshot.read_time, call):
        yield doc.to_dict() or {}


# --- one customer -------------------------------------------------------------------------------


def record(customer: Mapping[str, Any], definitions: FieldSettings | None = None) -> dict[str, Any]:
    """One customer as exported, with JSON's types: what the JSON export holds per customer.

    Balances come both as integer minor units (``pending_minor``: exact, for programs)
    and as a decimal amount in the currency's own decimals (``pending``: for people);
    a money custom field comes as its decimal amount too.
    """
    defined = definitions.by_key() if definitions else {}
    balances = _mapping(customer.get("balances"))
    consent = _mapping(customer.get("consent"))
    currency = balances.get("currency")
    sources = customer.get("sources")
    return {
        "email": customer.get("email"),
        "name": customer.get("name"),
        "company": customer.get("company"),
        "mobile": customer.get("mobile"),
        "mobile_valid": customer.get("mobileValid"),
        "stage": customer.get("stage"),
        "first_source": customer.get("firstSource"),
        "last_source": customer.get("lastSource"),
        "sources": [plain(item) for item in sources] if isinstance(sources, list) else [],
        "marketing_consent": consent.get("marketing"),
        "consent_at": plain(consent.get("at")),
        "pending": _amount(balances.get("pending"), currency),
        "pending_minor": balances.get("pending"),
        "paid": _amount(balances.get("paid"), currency),
        "paid_minor": balances.get("paid"),
        "currency": currency,
        "owner_uid": customer.get("ownerUid"),
        "segment": customer.get("segment"),
        "archived": bool(customer.get("archived")),
        "created_at": plain(customer.get("createdAt")),
        "updated_at": plain(customer.get("updatedAt")),
        "last_contact_at": plain(customer.get("lastContactAt")),
        "custom": {
            str(key): plain(shown(defined[key], value, currency) if key in defined else value)
            for key, value in sorted(_mapping(customer.get("custom")).items())
        },
    }


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _amount(minor: Any, currency: Any) -> Decimal | Any:
    if isinstance(minor, int) and not isinstance(minor, bool):
        return money.amount(minor, currency if isinstance(currency, str) else None)
    return plain(minor)  # not a stored amount: shown as it is rather than hidden


# --- CSV ----------------------------------------------------------------------------------------


def header(custom_keys: Iterable[str]) -> list[str]:
    names = [*COLUMNS, *(CUSTOM_PREFIX + key for key in custom_keys)]
    return [csvsafe.cell(name) for name in names]


def csv_row(row: Mapping[str, Any], custom_keys: Iterable[str]) -> list[str]:
    """The record's cells in column order; every cell passes through csvsafe."""
    custom = row["custom"]
    values = [*(row[column] for column in COLUMNS), *(custom.get(key) for key in custom_keys)]
    return [csvsafe.cell(text(value)) for value in values]


def text(value: Any) -> str | int | float | Decimal:
    """How a value reads in a spreadsheet cell; numbers stay numbers (see csvsafe.cell)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float | Decimal):
        return value
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(text(item)) for item in value)
    return json.dumps(value, ensure_ascii=False, default=str)


def csv_chunks(header_cells: list[str], rows: Iterable[list[str]]) -> Iterator[bytes]:
    """RFC 4180 CSV (quoted where needed, CRLF line ends), UTF-8 without a BOM, in pieces
    of about CHUNK_CHARS; the cells come neutralised (csvsafe) by the caller."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header_cells)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() >= CHUNK_CHARS:
            yield _drain(buffer)
    yield _drain(buffer)


# --- JSON ---------------------------------------------------------------------------------------


def json_chunks(
    exported_at: datetime, name: str, records: Iterable[Mapping[str, Any]]
) -> Iterator[bytes]:
    """{"exported_at": ..., "<name>": [...]} written one record at a time."""
    buffer = io.StringIO()
    buffer.write(f'{{"exported_at": {json.dumps(iso(exported_at))}, {json.dumps(name)}: [')
    separator = "\n"
    for row in records:
        buffer.write(separator)
        buffer.write(json.dumps(row, ensure_ascii=False, default=_json_default))
        separator = ",\n"
        if buffer.tell() >= CHUNK_CHARS:
            yield _drain(buffer)
    buffer.write("\n]}\n")
    yield _drain(buffer)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # "1500.50": a string keeps the currency's decimals exactly
    raise TypeError(f"{type(value).__name__} is not JSON")


# --- streaming -----------------------------------------------------------------------------------


def _drain(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


def cut_short_on_failure(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """A store failure mid-download aborts the response rather than ending it cleanly.

    The status line has gone out by then; breaking the chunked body is the only way left
    to tell the client the file is incomplete instead of letting it save a short one.
    """
    try:
        yield from chunks
    except Exception:
        log.exception("export failed part-way: the download is cut short")
        raise
