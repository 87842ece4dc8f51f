"""A person's rights, decided without I/O: what their consent history is, how an erased
person is hinted at on a receipt, when a request is due, and their data as a page.

The export (hearth.privacy) reads the documents; everything here turns them into what
the person or the owner is given, so it can be tested on plain dicts.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

# The GDPR's month (Art. 12(3)), counted as 30 days so a deadline never depends on the
# length of the month a request came in.
DEADLINE = timedelta(days=30)
PSEUDONYM_PREFIX = "erased_"
HIDDEN = "•••"


def due(received: datetime) -> datetime:
    return received + DEADLINE


def pseudonym(erasure_id: str) -> str:
    """The name an erased person's events carry instead of their key: the same for one
    erasure (so a resumed run renames to the same), pointing at nobody."""
    return PSEUDONYM_PREFIX + hashlib.sha256(erasure_id.encode("utf-8")).hexdigest()[:12]


def hint(email: str) -> str:
    """``ana@example.org`` → ``a•••@e•••.org``: enough for the owner to tell receipts
    apart, too little to name anyone."""
    local, _, domain = email.partition("@")
    name, dot, tld = domain.rpartition(".")
    if not dot:
        name, tld = domain, ""
    masked_domain = f"{name[:1]}{HIDDEN}{dot}{tld}" if domain else ""
    return f"{local[:1]}{HIDDEN}@{masked_domain}" if domain else f"{local[:1]}{HIDDEN}"


def consent_history(entries: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every consent answer a person gave, newest first: a form's (or a booking's)
    ``consent`` yes or no, and an import row's when the file had a consent column.
    A submission that did not ask leaves no line: it said nothing about consent."""
    found = []
    for entry in entries:
        kind = entry.get("type")
        consent = entry.get("consent")
        fields = entry.get("fields")
        if kind == "import" and consent is None and isinstance(fields, Mapping):
            consent = fields.get("consent")  # an import keeps what it read under fields
        if not isinstance(consent, bool):
            continue
        if kind == "form_submission":
            found.append(
                {
                    "at": entry.get("at"),
                    "marketing": consent,
                    "form": entry.get("form"),
                    "submissionId": entry.get("submissionId"),
                }
            )
        elif kind == "import":
            found.append({"at": entry.get("at"), "marketing": consent, "import": entry.get("job")})
    return sorted(found, key=lambda line: _moment(line.get("at")), reverse=True)


def _moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.min.replace(tzinfo=UTC)


# --- the readable copy ------------------------------------------------------------------

STYLE = """
body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;max-width:60rem;margin:2rem auto;
padding:0 1rem}h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #bbb;
padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f0f0f0}
pre{white-space:pre-wrap;margin:0;font:inherit}p.none{color:#444}
"""

SECTIONS = (
    ("consentHistory", "Consent history"),
    ("timeline", "Timeline"),
    ("bookings", "Booked calls"),
    ("tasks", "Tasks"),
    ("messages", "Messages"),
    ("stageHistory", "Stage history"),
)


def _cell(value: Any) -> str:
    """One value as escaped text: a map or list as indented JSON, itself escaped."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
        return f"<pre>{html.escape(text)}</pre>"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return html.escape(str(value))


def _table(rows: list[dict[str, Any]], caption: str) -> str:
    if not rows:
        return '<p class="none">None.</p>'
    columns: list[str] = []
    for row in rows:
        columns.extend(name for name in row if name not in columns)
    head = "".join(f'<th scope="col">{html.escape(name)}</th>' for name in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(row.get(name))}</td>" for name in columns) + "</tr>"
        for row in rows
    )
    return (
        f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def readable(data: Mapping[str, Any], business: str) -> str:
    """The export as one self-contained HTML page; every stored value is escaped."""
    customer = data.get("customer") or {}
    who = customer.get("name") or customer.get("email") or ""
    title = f"Personal data held by {business or 'this business'} about {who}"
    fields = "".join(
        f'<tr><th scope="row">{html.escape(str(name))}</th><td>{_cell(value)}</td></tr>'
        for name, value in sorted(customer.items())
    )
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<main><h1>{html.escape(title)}</h1>",
        f"<p>Exported {html.escape(str(data.get('exportedAt') or ''))}.</p>",
        "<h2>Customer record</h2>",
        f"<table><caption>Every field kept</caption><tbody>{fields}</tbody></table>",
    ]
    for name, heading in SECTIONS:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.append(_table(list(data.get(name) or []), heading))
    parts.append("</main></body></html>")
    return "\n".join(parts)
