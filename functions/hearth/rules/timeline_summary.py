"""One timeline entry as a line a person reads, and who did it, in plain words.

The timeline export (hearth.customers.timeline_export) gives every entry a ``summary``
so a spreadsheet of thousands of entries can be read down one column, without opening
each entry's JSON. The line follows what the admin page's timeline says as its title
(web/src/views/customer/timeline.js), so the file and the screen tell the same story.
Entries are written by many hands over the years, so every field may be missing or of
another type: a summary never raises, it says less.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hearth.rules import money

NOBODY = "—"  # a value that was empty, as the admin page shows it
SNIPPET = 200  # a note or message longer than this is cut in the summary (details keep it)


def summary(entry: Mapping[str, Any], zone: str = "UTC") -> str:
    """The line for one entry; times in ``zone`` (the business's), named after it."""
    kind = entry.get("type")
    kind = kind if isinstance(kind, str) and kind else "entry"
    line = _LINES.get(kind)
    text = line(entry, _zone(zone)) if line else humanise(kind)
    return _one_line(text) or humanise(kind)


def actor(value: Any) -> str:
    """Who made the entry: a staff member's address and role at the time, or what did."""
    if not isinstance(value, Mapping):
        return ""
    kind = _text(value.get("kind"))
    if kind == "staff":
        who = _text(value.get("email")) or _text(value.get("uid")) or "staff"
        role = _text(value.get("role"))
        return f"{who} ({role})" if role else who
    if kind == "public_form":
        return "public form"
    if kind == "customer":
        channel = _text(value.get("channel"))
        return f"the customer ({_CHANNELS.get(channel, channel)})" if channel else "the customer"
    if kind == "automation":
        rule = _text(value.get("rule"))
        return f"automation rule {rule}" if rule else "automation"
    if kind == "cli":
        return "command line"
    return humanise(kind).lower() if kind else ""


def humanise(name: str) -> str:
    """``booking_cancelled`` → ``Booking cancelled``; ``doneOnReply`` → ``Done on reply``."""
    words: list[str] = []
    for part in name.replace("-", "_").split("_"):
        word = ""
        for char in part:
            if char.isupper() and word and word[-1].islower():
                words.append(word)
                word = ""
            word += char
        if word:
            words.append(word)
    text = " ".join(word.lower() for word in words)
    return text[:1].upper() + text[1:] if text else name


# --- one line per kind of entry -----------------------------------------------------------------


def _form_submission(entry: Mapping[str, Any], zone: ZoneInfo) -> str:
    return f"Form {_text(entry.get('form')) or 'unknown'} sent"


def _change(entry: Mapping[str, Any], zone: ZoneInfo) -> str:
    changes = _mapping(entry.get("changes"))
    parts = []
    if "stage" in changes:
        move = _mapping(changes["stage"])
        parts.append(f"Stage {_value(move.get('from'))} → {_value(move.get('to'))}")
    others = [_field(name) for name in sorted(changes) if name != "stage"]
    if others:
        parts.append(("changed " if parts else "Changed ") + ", ".join(others))
    return "; ".join(parts) or "Changed"


def _owed(entry: Mapping[str, Any], zone: ZoneInfo) -> str:
    pending = _mapping(_mapping(entry.get("changes")).get("balances.pending")).get("to")
    shown = _money(pending, entry.get("currency"))
    return f"Amount owed set to {shown}" if shown else "Amount owed set"


def _payment(entry: Mapping[str, Any], zone: ZoneInfo) -> str:
    shown = _money(entry.get("amount"), entry.get("currency"))
    return f"Payment of {shown} recorded" if shown else "Payment recorded"


def _note(entry: Mapping[str, Any], zone: ZoneInfo) -> str:
    return _snippet(entry.get("text")) or "Note"


def _booking(entry: Mapping[str, Any], zone: ZoneInfo) -> str:
    label = _text(entry.get("typeLabel")) or _text(entry.get("bookingType")) or "call"
    start = _when(entry.get("start"), zone)
    kind = entry.get("type")
    if kind == "booking_rescheduled":
        before = _when(_mapping(entry.get("previous")).get("start"), zone)
        moved = (
            "Call moved" + (f" from {before}" if before else "") + (f" to {start}" if start else "")
        )
        return f"{moved}: {label}"
    if kind == "booking_cancelled":
        reason = _snippet(entry.get("reason"))
        line = "Call cancelled" + (f" for {start}" if start else "") + f": {label}"
        return f"{line} ({reason})" if reason else line
    return "Call booked" + (f" for {start}" if start else "") + f": {label}"


def _task(entry: Mapping[str, Any], zone: ZoneInfo) -> str:
    title = _snippet(entry.get("title"))
    line = "Follow-up set" + (f": {title}" if title else "")
    due = _when(entry.get("due"), zone)
    return f"{line}, due {due}" if due else line


def _task_done(entry: Mapping[str, Any], zone: ZoneInfo) -> str:
    title = _snippet(entry.get("title"))
    line = "Follow-up done" + (f": {title}" if title else "")
    reason = _text(_mapping(entry.get("actor")).get("reason"))
    return f"{line} ({reason})" if reason else line


def _whatsapp(entry: Mapping[str, Any], zone: ZoneInfo) -> str:
    return _snippet(entry.get("summary")) or _snippet(entry.get("text")) or "WhatsApp message"


def _email(entry: Mapping[str, Any], zone: ZoneInfo) -> str:
    subject = _snippet(entry.get("subject")) or "(no subject)"
    if entry.get("direction") == "out":
        return f"E-mail sent: {subject}"
    sender = _text(entry.get("from")) or "the customer"
    return f"E-mail from {sender}: {subject}"


def _merged(entry: Mapping[str, Any], zone: ZoneInfo) -> str:
    other = _text(entry.get("otherEmail")) or _text(entry.get("other")) or "another record"
    return f"Merged with {other}"


def _unmerged(entry: Mapping[str, Any], zone: ZoneInfo) -> str:
    other = _text(entry.get("other"))
    return f"Merge undone: {other} is a customer again" if other else "Merge undone"


def _routed(entry: Mapping[str, Any], zone: ZoneInfo) -> str:
    reason = _snippet(entry.get("text"))
    who = _text(entry.get("ownerName")) or _text(entry.get("ownerUid"))
    line = f"Routed to {who}" if who else "Not routed"
    return f"{line}: {reason}" if reason else line


def _handover(entry: Mapping[str, Any], zone: ZoneInfo) -> str:
    if text := _snippet(entry.get("text")):
        return text
    before = _text(_mapping(entry.get("from")).get("name"))
    after = _text(_mapping(entry.get("to")).get("name"))
    return f"Handed over from {before or NOBODY} to {after or NOBODY}"


def _import(entry: Mapping[str, Any], zone: ZoneInfo) -> str:
    where = _text(entry.get("file")) or "a file"
    line = entry.get("line")
    at = f", line {line}" if isinstance(line, int) and not isinstance(line, bool) else ""
    return f"Imported from {where}{at}"


_LINES: dict[str, Callable[[Mapping[str, Any], ZoneInfo], str]] = {
    "form_submission": _form_submission,
    "change": _change,
    "owed": _owed,
    "payment": _payment,
    "note": _note,
    "archive": lambda entry, zone: "Archived",
    "unarchive": lambda entry, zone: "Brought back from the archive",
    "booking": _booking,
    "booking_cancelled": _booking,
    "booking_rescheduled": _booking,
    "task": _task,
    "task_done": _task_done,
    "whatsapp": _whatsapp,
    "email": _email,
    "merged": _merged,
    "unmerged": _unmerged,
    "routed": _routed,
    "handover": _handover,
    "import": _import,
}
_CHANNELS = {"whatsapp": "WhatsApp", "email": "e-mail"}
_FIELDS = {
    "ownerUid": "owner",
    "firstSource": "source",
    "balances.currency": "currency",
    "balances.pending": "amount owed",
    "balances.paid": "amount paid",
}


# --- values -------------------------------------------------------------------------------------


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _when(value: Any, zone: ZoneInfo) -> str:
    """``2024-05-03 10:00 (Europe/Malta)``: unambiguous in any country, sorts as text."""
    if not isinstance(value, datetime):
        return ""
    moment = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone)
    return f"{moment:%Y-%m-%d %H:%M} ({zone.key})"


def _money(minor: Any, currency: Any) -> str:
    if not isinstance(minor, int) or isinstance(minor, bool):
        return ""
    code = currency if isinstance(currency, str) and currency else None
    shown = str(money.amount(minor, code))
    return f"{shown} {code}" if code else shown


def _field(name: str) -> str:
    if name.startswith("custom."):
        return f"{humanise(name[len('custom.') :]).lower()} (custom)"
    return _FIELDS.get(name, humanise(name).lower())


def _value(value: Any) -> str:
    return NOBODY if value is None or value == "" else _one_line(str(value))


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _snippet(value: Any) -> str:
    text = _one_line(_text(value))
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1].rstrip() + "…"


def _one_line(text: str) -> str:
    """A summary is one line: line breaks and runs of spaces become one space."""
    return " ".join(text.split())


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
