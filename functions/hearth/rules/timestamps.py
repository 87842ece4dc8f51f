"""Times on the wire: ISO 8601 out, and the "updatedAt you saw" compared back in.

Optimistic concurrency hinges on the client echoing the exact ``updatedAt`` it was
shown, so the format out and the comparison in live together. Stored times carry up to
nanoseconds, while a browser's ``Date`` keeps only milliseconds (the admin page reads
Firestore directly and may send ``toISOString()``): a stored time therefore matches a
sent one when they agree to the precision the client sent. Two saves of one customer
within the same millisecond are not a realistic way to lose an edit, and the write's
own precondition still guards the moment between our read and our commit.

Everything here is pure: no Firestore, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

_ISO = re.compile(
    r"^(?P<base>\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2})"
    r"(?:\.(?P<fraction>\d{1,9}))?"
    r"(?P<zone>[Zz]|[+-]\d{2}:\d{2})$"
)
_NS_PER_S = 1_000_000_000


@dataclass(frozen=True)
class Instant:
    """A point in time as the client wrote it: nanoseconds since the epoch, and how many
    fractional digits they sent (what "the same time" can mean for this comparison)."""

    ns: int
    digits: int

    def matches(self, stored: Any) -> bool:
        """Whether a stored timestamp is the one the client saw, to the client's precision."""
        stored_ns = epoch_ns(stored)
        if stored_ns is None:
            return False
        unit = 10 ** (9 - self.digits)
        return stored_ns // unit == self.ns // unit


def parse_instant(text: str) -> Instant:
    """An ISO 8601 time with a zone ("Z" or "+02:00"); ValueError with a sentence otherwise.

    The zone is required: a time without one means a different instant on every
    machine, and a wrong guess here would answer "conflict" for ever.
    """
    match = _ISO.match(text.strip())
    if not match:
        raise ValueError(
            "Send the updatedAt you were shown, as ISO 8601 with a zone "
            "(2024-05-01T10:00:00.123456Z)."
        )
    zone = match["zone"].upper()
    try:
        base = datetime.fromisoformat(
            match["base"].replace("t", "T").replace(" ", "T") + ("+00:00" if zone == "Z" else zone)
        )
    except ValueError:
        raise ValueError("This is not a real date and time.") from None
    fraction = match["fraction"] or ""
    seconds = int((base - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds())
    return Instant(ns=seconds * _NS_PER_S + int(fraction.ljust(9, "0")), digits=len(fraction))


def epoch_ns(value: Any) -> int | None:
    """Nanoseconds since the epoch of a stored timestamp (full precision), None if not one."""
    if not isinstance(value, datetime):
        return None
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    delta = aware - datetime(1970, 1, 1, tzinfo=UTC)
    whole_us = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    # DatetimeWithNanoseconds keeps digits past the microsecond in .nanosecond.
    nanosecond = getattr(value, "nanosecond", 0) or 0
    extra = nanosecond % 1000 if nanosecond else 0
    return whole_us * 1000 + extra


def iso(value: datetime) -> str:
    """UTC, "Z", microseconds (nanoseconds when stored): exactly what ``parse_instant``
    reads back to the same instant, so a client can echo it unchanged."""
    ns = epoch_ns(value)
    assert ns is not None
    seconds, fraction = divmod(ns, _NS_PER_S)
    base = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    digits = f"{fraction:09d}"
    return f"{base}.{digits if fraction % 1000 else digits[:6]}Z"


def jsonable(value: Any) -> Any:
    """A stored value as JSON: timestamps become ISO 8601 strings, maps and lists are
    walked, and anything else JSON cannot hold (references, bytes) becomes its text."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
