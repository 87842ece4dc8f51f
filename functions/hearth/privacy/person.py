"""GET /admin/customers/{key}/personal-data: everything kept about one person, for them.

The right of access (GDPR Art. 15) and to portability (Art. 20): the customer record
(every field but the search tokens, which are an index, not data about anyone), every
timeline entry, call, task and message, their consent answers and their stage history,
as JSON for a program and as a readable page for the person. The owner exports anyone;
a rep the customers they own (they answer that person's requests); nobody else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hearth import config
from hearth.errors import Forbidden, Invalid, NotFound
from hearth.rules import json_values, privacy
from hearth.rules.roles import Principal, Role
from hearth.store import client as db
from hearth.store import erasure as store

FORMATS = {"json": "application/json", "html": "text/html; charset=utf-8"}
NOT_YOURS = "You may export only the customers you own."
NO_CUSTOMER = "There is no such customer."
# Index and bookkeeping fields that say nothing about the person.
LEFT_OUT = frozenset({"search"})


@dataclass(frozen=True)
class Download:
    body: str
    content_type: str
    filename: str


def check_may_export(principal: Principal) -> None:
    if principal.role not in (Role.OWNER, Role.REP):
        raise Forbidden(
            "Only the owner, or the rep who owns the customer, may export a person's data.",
            {"role": f"The {principal.role or 'missing'} role may not export personal data."},
        )


def check_format(kind: str) -> str:
    kind = kind.strip().lower()
    if kind not in FORMATS:
        raise Invalid({"format": f"Use json or html, not {kind[:40]!r}."})
    return kind


def collect(principal: Principal, key: str, settings: config.Settings) -> dict[str, Any]:
    """The export's content with JSON's types (timestamps ISO 8601, UTC)."""
    check_may_export(principal)
    found = store.person(db.client(), key, settings.store_timeout_s)
    if found is None:
        raise NotFound(NO_CUSTOMER)
    customer = found["customer"]
    if principal.role is Role.REP and customer.get("ownerUid") != principal.uid:
        raise Forbidden(NOT_YOURS, {"key": NOT_YOURS})
    timeline = sorted(found["timeline"], key=lambda entry: _at(entry.get("at")))
    events = sorted(found["events"], key=lambda event: (_at(event.get("at")), event.get("id")))
    return json_values.plain(
        {
            "exportedAt": datetime.now(UTC),
            "key": key,
            "customer": {k: v for k, v in customer.items() if k not in LEFT_OUT},
            "timeline": timeline,
            "bookings": found["bookings"],
            "tasks": found["tasks"],
            "messages": found["messages"],
            "consentHistory": privacy.consent_history(timeline),
            "stageHistory": [
                {
                    "at": event.get("at"),
                    "type": event.get("type"),
                    "data": event.get("data"),
                    "by": event.get("by"),
                }
                for event in events
            ],
        }
    )


def export_person(principal: Principal, key: str, kind: str, settings: config.Settings) -> Download:
    import json

    kind = check_format(kind)
    data = collect(principal, key, settings)
    body = (
        json.dumps(data, ensure_ascii=False, indent=2, default=str)
        if kind == "json"
        else privacy.readable(data, settings.business_name)
    )
    safe = "".join(ch if ch.isalnum() or ch in "@._-" else "_" for ch in key)[:120]
    return Download(body, FORMATS[kind], f"hearth-{safe}.{kind}")


def _at(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.min.replace(tzinfo=UTC)
