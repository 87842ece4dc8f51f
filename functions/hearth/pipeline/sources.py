"""Lead sources: the owner's list of where customers come from.

A source is an id customers hold as ``firstSource`` (and in ``sources``); its label,
kind and a show's dates and place live here, so a report can group by kind ("which
trade show closes?") and a renamed show keeps its customers. Doors that meet a new
source (intake, booking links) add it themselves, so none is ever missing from the list.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from hearth import config
from hearth.errors import Conflict, Invalid
from hearth.rules import timestamps
from hearth.rules.roles import Principal
from hearth.rules.sources import SourceKind as Kind
from hearth.store import client as db
from hearth.store import pipeline as store

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _day(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        if not _DAY.fullmatch(value):
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        raise ValueError("Use a date as YYYY-MM-DD.") from None
    return value


def _zone(value: str | None) -> str | None:
    if not value:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("Use an IANA time zone such as Europe/Malta.") from None
    return value


Day = Annotated[str | None, Field(max_length=10), AfterValidator(_day)]


class SourceRequest(BaseModel):
    """PUT /admin/sources/{id}: what the owner says about one source."""

    model_config = ConfigDict(
        extra="ignore", str_strip_whitespace=True, populate_by_name=True, title="Source"
    )

    label: Annotated[str, Field(min_length=1, max_length=100)]
    kind: Kind
    starts_on: Day = Field(default=None, alias="startsOn")
    ends_on: Day = Field(default=None, alias="endsOn")
    place: Annotated[str | None, Field(max_length=200)] = None
    time_zone: Annotated[str | None, Field(max_length=64), AfterValidator(_zone)] = Field(
        default=None, alias="timeZone"
    )


def save_source(
    source_id: str, body: SourceRequest, owner: Principal, settings: config.Settings
) -> dict[str, Any]:
    """Create or replace one source; its first creation time is kept."""
    if body.starts_on and body.ends_on and body.ends_on < body.starts_on:
        raise Invalid({"endsOn": "The last day cannot be before the first."})
    client, timeout = db.client(), settings.store_timeout_s
    now = datetime.now(UTC)
    existing = store.read_source(client, source_id, timeout) or {}
    document = {
        "id": source_id,
        **{
            key: value
            for key, value in body.model_dump(by_alias=True).items()
            if value not in (None, "")
        },
        "createdAt": existing.get("createdAt") or now,
        "updatedAt": now,
        "updatedBy": {"uid": owner.uid, "email": owner.email},
    }
    store.save_source(client, source_id, document, timeout)
    return timestamps.jsonable(document)


def delete_source(source_id: str, settings: config.Settings) -> None:
    """Remove a source no customer came from; refused, naming how many, otherwise."""
    client, timeout = db.client(), settings.store_timeout_s
    count = store.count_customers(client, "firstSource", source_id, timeout)
    if count:
        label = (store.read_source(client, source_id, timeout) or {}).get("label") or source_id
        who = "1 customer came" if count == 1 else f"{count} customers came"
        raise Conflict(
            "A source that customers came from cannot be removed.",
            {"source": f"{who} from “{label}”: give them another source first."},
            code="source_in_use",
        )
    store.delete_source(client, source_id, timeout)


def ensure_source(
    source_id: str, kind: str, settings: config.Settings, label: str | None = None
) -> None:
    """Add a source a door met for the first time; an existing one is left as it is."""
    store.add_source_if_missing(
        db.client(),
        source_id,
        store.new_source(source_id, kind, datetime.now(UTC), label),
        settings.store_timeout_s,
    )
