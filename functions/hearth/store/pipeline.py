"""The owner's pipeline settings and managed sources in the store.

``settings/pipeline`` holds the stages; ``sources/{id}`` one document per lead source.
Counting who is in a stage, or came from a source, uses an aggregation count: a refusal
to remove a stage must cost one read per thousand customers, not one per customer.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from hearth.store.calls import call_options

SETTINGS, PIPELINE = "settings", "pipeline"
SOURCES = "sources"
CUSTOMERS = "customers"


def pipeline_ref(client: Any) -> Any:
    return client.collection(SETTINGS).document(PIPELINE)


def source_ref(client: Any, source_id: str) -> Any:
    return client.collection(SOURCES).document(source_id)


def read_pipeline(client: Any, timeout: float) -> dict[str, Any] | None:
    snapshot = pipeline_ref(client).get(**call_options(timeout))
    return (snapshot.to_dict() or {}) if snapshot.exists else None


def save_pipeline(client: Any, document: dict[str, Any], timeout: float) -> None:
    pipeline_ref(client).set(document, **call_options(timeout))


def count_customers(client: Any, field: str, value: str, timeout: float) -> int:
    """How many customers hold ``value`` in ``field`` (archived ones too: they keep it)."""
    from google.cloud.firestore_v1.base_query import FieldFilter

    query = client.collection(CUSTOMERS).where(filter=FieldFilter(field, "==", value))
    [[result]] = query.count().get(**call_options(timeout))
    return int(result.value)


def read_source(client: Any, source_id: str, timeout: float) -> dict[str, Any] | None:
    snapshot = source_ref(client, source_id).get(**call_options(timeout))
    return (snapshot.to_dict() or {}) if snapshot.exists else None


def save_source(client: Any, source_id: str, document: dict[str, Any], timeout: float) -> None:
    source_ref(client, source_id).set(document, **call_options(timeout))


def delete_source(client: Any, source_id: str, timeout: float) -> None:
    source_ref(client, source_id).delete(**call_options(timeout))


def new_source(source_id: str, kind: str, at: datetime | Any, label: str | None = None) -> dict:
    """A source first seen by a door (a form, a booking link), labelled by its id until
    the owner names it."""
    return {
        "id": source_id,
        "label": label or source_id,
        "kind": kind,
        "createdAt": at,
        "updatedAt": at,
    }


def add_source_if_missing(
    client: Any, source_id: str, document: Mapping[str, Any], timeout: float
) -> bool:
    """Create the source unless it exists; never overwrite what the owner wrote.
    True when this call created it."""
    from google.api_core.exceptions import AlreadyExists

    try:
        source_ref(client, source_id).create(dict(document), **call_options(timeout))
    except AlreadyExists:
        return False
    return True
