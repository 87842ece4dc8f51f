"""Stored values as JSON carries them: the customer export and a person's own export
(and the receipts and requests of hearth.privacy) must write a timestamp, a map or a
byte string the same way, so one copy decides it."""

from __future__ import annotations

import math
from base64 import b64encode
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, e.g. 2024-05-01T10:00:00Z (microseconds when there are any)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def plain(value: Any) -> Any:
    """Timestamps ISO, bytes base64, maps and lists deep; an amount (Decimal) is left for
    the writer, which prints it exactly; a float that JSON cannot hold becomes text."""
    if value is None or isinstance(value, str | bool | int | Decimal):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, bytes):
        return b64encode(value).decode("ascii")
    return str(value)
