"""GET /export?what=timeline: every timeline entry of the customers a user may take away.

The issue asks for one ordered timeline per customer in the customer export, beside the
customers themselves: a business leaving Hearth, or keeping its own copy, takes what
each person sent and what was done with them, not only where things stand today.

It is the customer export with another row: the same who-may (export.check_may_export),
the same ``consent`` filter over the customers, the same file shapes and streaming
(export.csv_chunks, json_chunks, cut_short_on_failure). One row per entry of
customers/{key}/activity, by customer (key order: the lower-cased e-mail) and, within
one customer, oldest first: a customer's story reads downwards.

Memory stays flat: customers come a page at a time (their e-mail only), and each
customer's timeline a page at a time too, the next few read ahead while one is written
(hearth.store.exports.timelines), all at the instant of the first page of customers,
which is read before any byte goes out so a store outage is a clean 503. That costs
one query per customer, even for one with no entry.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from itertools import chain
from typing import Any

from hearth import config
from hearth.customers import export
from hearth.rules import csvsafe, timeline_summary
from hearth.rules.json_values import plain
from hearth.rules.roles import Principal
from hearth.store import client as db
from hearth.store.calls import call_options
from hearth.store.exports import customers_of, documents, read_time_of, timelines

log = logging.getLogger(__name__)

COLUMNS = ("customer_email", "at", "type", "direction", "summary", "actor", "details")
# An entry's fields with a column of their own; everything else goes into ``details``.
OWN_COLUMNS = frozenset({"type", "at", "direction", "actor"})


def start(
    principal: Principal, kind: str, settings: config.Settings, consent: str | None = None
) -> export.Export:
    """Read the first page of customers now (an outage is a 503, not a short file) and
    pin its instant; the entries are read while the body streams."""
    export.check_may_export(principal)
    client = db.client()
    call = call_options(settings.store_timeout_s)
    customers = documents(customers_of(client, principal, consent).select(["email"]), None, call)
    first = next(customers, None)
    read_time = read_time_of(first) if first is not None else None
    log.info("export: timeline as %s for %s (%s)", kind, principal.uid, principal.role)
    exported_at = read_time or datetime.now(UTC)
    everyone: Iterable[Any] = chain([first], customers) if first is not None else ()
    records = (
        record(_email(customer), entry.to_dict() or {}, settings.time_zone)
        for customer, entries in timelines(client, everyone, read_time, call)
        for entry in entries
    )
    body = (
        export.csv_chunks(header(), (csv_row(row) for row in records))
        if kind == "csv"
        else export.json_chunks(exported_at, "timeline", records)
    )
    return export.Export(
        chunks=export.cut_short_on_failure(body),
        content_type=export.FORMATS[kind],
        filename=export.file_name("timeline", exported_at, kind),
    )


def _email(customer: Any) -> str:
    return str((customer.to_dict() or {}).get("email") or customer.id)


def record(email: str, entry: Mapping[str, Any], zone: str = "UTC") -> dict[str, Any]:
    """One entry as exported, with JSON's types: what the JSON export holds per entry
    (``actor`` and ``details`` as objects; the CSV writes them as text)."""
    return {
        "customer_email": email,
        "at": plain(entry.get("at")),
        "type": plain(entry.get("type")),
        "direction": plain(entry.get("direction")),
        "summary": timeline_summary.summary(entry, zone),
        "actor": plain(entry.get("actor")),
        "details": plain({key: entry[key] for key in sorted(entry) if key not in OWN_COLUMNS}),
    }


def header() -> list[str]:
    return [csvsafe.cell(name) for name in COLUMNS]


def csv_row(row: Mapping[str, Any]) -> list[str]:
    """The entry's cells in column order: who did it in words, the details as compact
    JSON; every cell passes through csvsafe."""
    values = {
        **row,
        "actor": timeline_summary.actor(row["actor"]),
        "details": json.dumps(
            row["details"], ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str
        ),
    }
    return [csvsafe.cell(export.text(values[column])) for column in COLUMNS]
