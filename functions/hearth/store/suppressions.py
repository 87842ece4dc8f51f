"""Suppressions: the keyed hashes of erased people (hearth.rules.suppression says why).

``suppressions/{key}``: ``{kind, at, erasure}``; no e-mail, mobile or name is ever in
it. Written by the erasure (``put``) and lifted (``lift``) by a fresh form submission
with marketing consent; read by intake and the import before they create a customer.
No client reads the collection.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from hearth.store.calls import call_options

COLLECTION = "suppressions"


def ref(client: Any, key: str) -> Any:
    return client.collection(COLLECTION).document(key)


def found(client: Any, keys: Iterable[str], timeout: float) -> set[str]:
    """Which of these keys are suppressed: one round trip whatever their number."""
    refs = [ref(client, key) for key in dict.fromkeys(keys)]
    if not refs:
        return set()
    return {
        snapshot.id for snapshot in client.get_all(refs, **call_options(timeout)) if snapshot.exists
    }


def put(batch: Any, client: Any, key: str, *, at: datetime, erasure: str) -> None:
    """Added in the erasure's own batch, so a person is never erased unsuppressed."""
    kind = key.split("_", 1)[0]
    batch.set(ref(client, key), {"kind": kind, "at": at, "erasure": erasure})


def lift(batch: Any, client: Any, keys: Iterable[str]) -> None:
    """Removed in the batch of the submission that gave fresh consent."""
    for key in keys:
        batch.delete(ref(client, key))
