"""The owner's pipeline settings and managed sources in the store.

``settings/pipeline`` holds the stages; ``sources/{id}`` one document per lead source.
Counting who is in a stage, or came from a source, uses an aggregation count: a refusal
to remove a stage must cost one read per thousand customers, not one per customer.

A stage change and a stage removal must never both land on their own reads (a customer
would sit in a stage that no longer exists). Both sides are guarded by the document's
version (its update time, or "absent"): a stage change commits only if the pipeline is
still the one it checked the stage against (:func:`guard`, a write that changes
nothing), and the owner's save is written only over the version it read
(:func:`write_pipeline`). The removal itself is two saves (see hearth.pipeline.stages).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hearth.store.calls import call_options

SETTINGS, PIPELINE = "settings", "pipeline"
# Fields of settings/pipeline a save may leave out, and so removes.
CLEARED = ("closing",)
SOURCES = "sources"
CUSTOMERS = "customers"


def pipeline_ref(client: Any) -> Any:
    return client.collection(SETTINGS).document(PIPELINE)


def source_ref(client: Any, source_id: str) -> Any:
    return client.collection(SOURCES).document(source_id)


def read_pipeline(client: Any, timeout: float) -> dict[str, Any] | None:
    snapshot = pipeline_ref(client).get(**call_options(timeout))
    return (snapshot.to_dict() or {}) if snapshot.exists else None


class PipelineMovedError(Exception):
    """settings/pipeline is no longer the version that was read."""


@dataclass(frozen=True)
class Versioned:
    """The pipeline document (None when absent) and the version it was read at."""

    document: dict[str, Any] | None
    version: Any  # its update time; None when absent


def read_versioned(client: Any, timeout: float) -> Versioned:
    snapshot = pipeline_ref(client).get(**call_options(timeout))
    if not snapshot.exists:
        return Versioned(None, None)
    return Versioned(snapshot.to_dict() or {}, snapshot.update_time)


def write_pipeline(
    client: Any, document: dict[str, Any], version: Any, timeout: float
) -> Versioned:
    """Replace the stored pipeline only if it is still at ``version`` (None: still
    absent); raises PipelineMovedError otherwise. Fields left out of ``document`` are removed
    (the removal's ``closing`` mark among them)."""
    from google.api_core.exceptions import AlreadyExists, FailedPrecondition, NotFound
    from google.cloud.firestore import DELETE_FIELD

    ref, call = pipeline_ref(client), call_options(timeout)
    try:
        if version is None:
            result = ref.create(document, **call)
        else:
            cleared = {name: DELETE_FIELD for name in CLEARED if name not in document}
            option = client.write_option(last_update_time=version)
            result = ref.update({**document, **cleared}, option=option, **call)
    except (AlreadyExists, FailedPrecondition, NotFound):
        raise PipelineMovedError from None
    return Versioned(document, result.update_time)


def remove_pipeline(client: Any, version: Any, timeout: float) -> None:
    """Back to no document (the defaults), only if it is still at ``version``."""
    from google.api_core.exceptions import FailedPrecondition, NotFound

    option = client.write_option(last_update_time=version)
    try:
        pipeline_ref(client).delete(option=option, **call_options(timeout))
    except (FailedPrecondition, NotFound):
        raise PipelineMovedError from None


def guard(client: Any, batch: Any, version: Any) -> None:
    """Make ``batch`` commit only if settings/pipeline is still at ``version`` (None:
    still absent), without writing to it: stage changes to different customers must not
    contend with each other on this one document."""
    from google.cloud.firestore_v1.types import common, document, write

    ref = pipeline_ref(client)
    if version is None:
        # Deleting what is absent changes nothing; the precondition fails if it exists.
        batch.delete(ref, option=client.write_option(exists=False))
        return
    # The client has no public "verify" write: an update of no field, under a precondition.
    batch._add_write_pbs(
        [
            write.Write(
                update=document.Document(name=ref._document_path),
                update_mask=common.DocumentMask(field_paths=[]),
                current_document=common.Precondition(update_time=version),
            )
        ]
    )


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
