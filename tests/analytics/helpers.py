"""What the analytics tests share: a hit sent the way /track.js sends it, and a day's
roll-up read the way a report reads it (every document of the day, summed)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from google.cloud.firestore_v1.base_query import FieldFilter

from hearth.rules import traffic

SITE = "https://studio.example"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
)
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IP = "203.0.113.7"
ZONE = "Europe/Malta"


def body(name: str = "pageview", path: str = "/", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": str(uuid.uuid4()), "name": name, "url": SITE + path}
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


def send(
    track: Any,
    data: dict[str, Any] | str | bytes,
    *,
    ua: str | None = CHROME,
    ip: str = IP,
    headers: dict[str, str] | None = None,
) -> Any:
    """POST the hit as sendBeacon does: a JSON string sent as text/plain."""
    raw = data if isinstance(data, str | bytes) else json.dumps(data)
    sent = {**({"User-Agent": ua} if ua is not None else {}), **(headers or {})}
    return track.post(
        "/",
        data=raw,
        content_type="text/plain;charset=UTF-8",
        headers=sent,
        environ_base={"REMOTE_ADDR": ip},
    )


def today() -> str:
    return traffic.day_key(traffic.business_day(datetime.now(UTC), ZONE))


def rollup(db: Any, day: str) -> dict[str, Any]:
    """The day's figures as a reader sums them: every document of the day, any shard."""
    query = db.collection("analytics_days").where(filter=FieldFilter("day", "==", day))
    return traffic.fold(snapshot.to_dict() for snapshot in query.stream())


def documents(db: Any, collection: str) -> list[dict[str, Any]]:
    return [snapshot.to_dict() for snapshot in db.collection(collection).stream()]
