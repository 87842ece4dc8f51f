"""Merging two customers into one, and undoing it: the only module that moves timeline
entries from one customer to another (each created through ``timeline.entry_ref``),
and the keeper of aliases (``aliases/{old key}``), merge records (``merges/{id}``) and
dismissed duplicate pairs (``duplicateDismissals/{pair id}``).

Why one commit in the usual case: a merge touches the survivor, the other customer,
every entry, booking, task and message of the other, the alias and the record; if any
of it landed without the rest, someone would see half a person. A batch of up to
``MAX_WRITES`` writes is atomic, and it is guarded by both customers' update times, so
a form or an edit that lands between the read and the commit makes it decide again.

Beyond one batch (a customer with hundreds of entries) the merge is resumable instead:
``merges/{id}`` says ``moving``, the entries are copied to the survivor and the calls,
tasks and messages re-pointed in batches, the other's entries deleted, and the LAST
commit writes the survivor's merged fields, the alias, the deletion of the other
customer and ``done``. Every step is idempotent (copies are set at fixed ids, updates
set fixed values), so posting the same merge id again continues where it stopped. Undo
works the same way, backwards.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hearth.store import consumers
from hearth.store import events as domain_events
from hearth.store import tasks as task_store
from hearth.store import timeline as activity
from hearth.store.calls import ContentionError, call_options

# store.customers reads aliases (and store.bookings imports store.customers), so the
# bookings collection is named here rather than imported.
BOOKINGS = "bookings"
MERGES, ALIASES, DISMISSALS, MESSAGES = "merges", "aliases", "duplicateDismissals", "messages"
CUSTOMERS = activity.CUSTOMERS
MOVING, DONE, UNDONE = "moving", "done", "undone"
# Firestore takes 500 writes in one commit; the rest is headroom for the fixed writes.
MAX_WRITES = 450
FIXED_WRITES = 10
ATTEMPTS = 5
# stage too (beyond the design's list): the pair cards show it, and it is a short string.
SCAN_FIELDS = (
    "email",
    "name",
    "company",
    "mobile",
    "mobileValid",
    "createdAt",
    "ownerUid",
    "stage",
)


def alias_ref(client: Any, key: str) -> Any:
    return client.collection(ALIASES).document(key)


def merge_ref(client: Any, merge_id: str) -> Any:
    return client.collection(MERGES).document(merge_id)


def record(client: Any, merge_id: str, timeout: float) -> dict[str, Any] | None:
    snapshot = merge_ref(client, merge_id).get(**call_options(timeout))
    return snapshot.to_dict() if snapshot.exists else None


def scan(client: Any, page_size: int, timeout: float) -> Iterator[dict[str, Any]]:
    """Every live customer's few identifying fields, in pages by key: a duplicates scan
    never loads whole documents (search tokens, custom fields) it does not compare."""
    from google.cloud.firestore import FieldFilter
    from google.cloud.firestore_v1.field_path import FieldPath

    query = (
        client.collection(CUSTOMERS)
        .where(filter=FieldFilter("archived", "==", False))
        .select(SCAN_FIELDS)
        .order_by(FieldPath.document_id())
        .limit(page_size)
    )
    last = None
    while True:
        page = list((query.start_after(last) if last else query).stream(**call_options(timeout)))
        for snapshot in page:
            yield {"key": snapshot.id, **(snapshot.to_dict() or {})}
        if len(page) < page_size:
            return
        last = page[-1]


def customers(client: Any, keys: list[str], timeout: float) -> dict[str, dict[str, Any]]:
    """Whole customer documents by key, in one round trip; missing keys are left out."""
    refs = [client.collection(CUSTOMERS).document(key) for key in keys]
    return {
        snapshot.id: snapshot.to_dict() or {}
        for snapshot in client.get_all(refs, **call_options(timeout))
        if snapshot.exists
    }


def records_of(client: Any, key: str) -> Any:
    """The merge records naming a customer, on either side (an erasure deletes them:
    they hold copies of both records)."""
    from google.cloud.firestore import FieldFilter

    return client.collection(MERGES).where(filter=FieldFilter("keys", "array_contains", key))


def dismissals_of(client: Any, key: str) -> Any:
    """The "not the same person" pairs naming a customer, on either side."""
    from google.cloud.firestore import FieldFilter, Or

    return client.collection(DISMISSALS).where(
        filter=Or([FieldFilter("a", "==", key), FieldFilter("b", "==", key)])
    )


def dismissed(client: Any, timeout: float) -> set[str]:
    """Ids of the pairs someone said are not the same person."""
    stream = client.collection(DISMISSALS).select([]).stream(**call_options(timeout))
    return {snapshot.id for snapshot in stream}


def dismiss(client: Any, pair_id: str, document: dict[str, Any], timeout: float) -> None:
    """Remember a pair as two people; saying it twice changes nothing."""
    client.collection(DISMISSALS).document(pair_id).set(document, **call_options(timeout))


@dataclass
class Gathered:
    """Both customers as read, and everything of the other's that moves."""

    survivor: Any
    other: Any
    entries: list[Any]
    taken: set[str]  # ids of the other's entries the survivor already has
    bookings: list[Any]
    tasks: list[Any]
    messages: list[Any]
    aliases: list[Any]
    clocks: dict[str, dict[str, Any] | None]

    @property
    def writes(self) -> int:
        moves = len(self.bookings) + len(self.tasks) + len(self.messages) + len(self.aliases)
        return 2 * len(self.entries) + moves + FIXED_WRITES

    def counts(self) -> dict[str, int]:
        return {
            "entries": len(self.entries),
            "bookings": len(self.bookings),
            "tasks": len(self.tasks),
            "messages": len(self.messages),
        }


@dataclass(frozen=True)
class MergeWrite:
    """What the domain decided for the survivor, from the documents as gathered."""

    updates: dict[str, Any]  # the survivor's merged fields
    record: dict[str, Any]  # merges/{id}: who, when, before, applied, chosen
    entry: dict[str, Any]  # the ``merged`` timeline entry
    event: domain_events.Event
    clock_from_other: bool  # the survivor takes the other's stage (and so its clock)
    owner_uid: str | None  # the survivor's owner after: the moved calls and open tasks get it


@dataclass(frozen=True)
class UndoWrite:
    """What undo sets on the survivor, and its two timeline entries and event."""

    updates: dict[str, Any]
    kept: list[str]
    survivor_entry: dict[str, Any]
    other_entry: dict[str, Any]
    event: domain_events.Event
    other: dict[str, Any]  # the other customer as it was before the merge


@dataclass
class _Ops:
    """Writes in order; ``final`` ones must land together in the last commit."""

    steps: list[Callable[[Any], None]] = field(default_factory=list)
    final: list[Callable[[Any], None]] = field(default_factory=list)


def _where(client: Any, collection: str, name: str, value: str) -> list[Any]:
    from google.cloud.firestore import FieldFilter

    return list(client.collection(collection).where(filter=FieldFilter(name, "==", value)).stream())


def gather(client: Any, survivor_key: str, other_key: str, timeout: float) -> Gathered:
    """Read both customers and what of the other's moves (a handful of round trips)."""
    call = call_options(timeout)
    clock_refs = [
        client.collection(consumers.CLOCKS).document(k) for k in (survivor_key, other_key)
    ]
    refs = [client.collection(CUSTOMERS).document(k) for k in (survivor_key, other_key)]
    found = {s.reference.path: s for s in client.get_all([*refs, *clock_refs], **call)}
    entries = list(activity.entries(client, other_key).stream(**call))
    mirrors = [activity.entry_ref(client, survivor_key, e.id) for e in entries]
    taken = {s.id for s in client.get_all(mirrors, **call) if s.exists} if mirrors else set()
    clocks = {
        side: (found[ref.path].to_dict() if found[ref.path].exists else None)
        for side, ref in zip(("survivor", "other"), clock_refs, strict=True)
    }
    return Gathered(
        survivor=found[refs[0].path],
        other=found[refs[1].path],
        entries=entries,
        taken=taken,
        bookings=_where(client, BOOKINGS, "customerKey", other_key),
        tasks=task_store.of_customer(client, other_key, timeout),
        messages=_where(client, MESSAGES, "customer", other_key),
        aliases=_where(client, ALIASES, "customer", other_key),
        clocks=clocks,
    )


def target_id(entry_id: str, other_key: str, taken: set[str]) -> str:
    """The entry's id under the survivor: its own, unless the survivor has one by that
    name (the same form sent from both addresses), then suffixed by the other's key."""
    if entry_id not in taken:
        return entry_id
    return f"{entry_id}__{hashlib.sha256(other_key.encode()).hexdigest()[:8]}"


def merge(
    client: Any,
    merge_id: str,
    survivor_key: str,
    other_key: str,
    decide: Callable[[Gathered], MergeWrite],
    timeout: float,
) -> dict[str, Any] | None:
    """Merge ``other_key`` into ``survivor_key`` under this merge id, or find it done;
    the record after, None when either customer is gone (and no merge of this id ran).
    ``decide`` runs on each attempt, on the documents as read."""
    from google.api_core.exceptions import AlreadyExists, FailedPrecondition, NotFound

    for _ in range(ATTEMPTS):
        existing = record(client, merge_id, timeout)
        if existing is not None and existing.get("state") in (DONE, UNDONE):
            return existing
        gathered = gather(client, survivor_key, other_key, timeout)
        if not (gathered.survivor.exists and gathered.other.exists):
            return None
        write = decide(gathered)
        moving = existing is not None or gathered.writes > MAX_WRITES
        try:
            if moving:
                _merge_in_steps(
                    client, merge_id, survivor_key, other_key, gathered, write, existing, timeout
                )
            else:
                batch = client.batch()
                ops = _merge_ops(client, merge_id, survivor_key, other_key, gathered, write, None)
                for op in [*ops.steps, *ops.final]:
                    op(batch)
                batch.commit(**call_options(timeout))
        except (AlreadyExists, FailedPrecondition, NotFound):
            continue  # someone changed either customer meanwhile: decide again
        return record(client, merge_id, timeout)
    raise ContentionError(f"merge {merge_id} kept meeting changes for {ATTEMPTS} attempts")


def _moved(gathered: Gathered, other_key: str, earlier: dict[str, Any]) -> dict[str, Any]:
    """What moves and what each moved thing held before (undo puts it back), joined to
    what an interrupted run of the same merge moved already."""
    entries = {m["from"]: m for m in earlier.get("entries", [])}
    for entry in gathered.entries:
        if entry.id not in entries:  # a resumed merge keeps the ids it copied to
            entries[entry.id] = {
                "from": entry.id,
                "to": target_id(entry.id, other_key, gathered.taken),
            }
    bookings = {m["id"]: m for m in earlier.get("bookings", [])}
    for booking in gathered.bookings:
        data = booking.to_dict() or {}
        bookings[booking.id] = {"id": booking.id, "ownerUid": data.get("ownerUid")}
    tasks = {m["id"]: m for m in earlier.get("tasks", [])}
    for task in gathered.tasks:
        data = task.to_dict() or {}
        tasks[task.id] = {
            "id": task.id,
            "ownerUid": data.get("ownerUid"),
            "done": bool(data.get("done")),
        }
    messages = {m["id"]: m for m in earlier.get("messages", [])}
    for message in gathered.messages:
        messages[message.id] = {"id": message.id}
    aliases = sorted({*earlier.get("aliases", []), *(a.id for a in gathered.aliases)})
    return {
        "entries": list(entries.values()),
        "bookings": list(bookings.values()),
        "tasks": list(tasks.values()),
        "messages": list(messages.values()),
        "aliases": aliases,
        "clocks": earlier.get("clocks") or gathered.clocks,
    }


def _merge_ops(
    client: Any,
    merge_id: str,
    survivor_key: str,
    other_key: str,
    gathered: Gathered,
    write: MergeWrite,
    earlier: dict[str, Any] | None,
) -> _Ops:
    from google.cloud.firestore import SERVER_TIMESTAMP

    ops = _Ops()
    owner = write.owner_uid
    moved = _moved(gathered, other_key, (earlier or {}).get("moved") or {})
    targets = {m["from"]: m["to"] for m in moved["entries"]}
    for entry in gathered.entries:
        target = activity.entry_ref(client, survivor_key, targets[entry.id])
        data = {**(entry.to_dict() or {}), "mergedFrom": other_key}
        ops.steps.append(lambda b, t=target, d=data: b.set(t, d))
    for booking in gathered.bookings:
        updates = {"customerKey": survivor_key, "ownerUid": owner}
        ops.steps.append(lambda b, r=booking.reference, u=updates: b.update(r, u))
    for task in gathered.tasks:
        updates = {"customer": survivor_key}
        if not (task.to_dict() or {}).get("done"):
            updates["ownerUid"] = owner
        ops.steps.append(lambda b, r=task.reference, u=updates: b.update(r, u))
    for message in gathered.messages:
        ops.steps.append(lambda b, r=message.reference: b.update(r, {"customer": survivor_key}))
    for alias in gathered.aliases:
        ops.steps.append(lambda b, r=alias.reference: b.update(r, {"customer": survivor_key}))
    for entry in gathered.entries:
        ops.steps.append(lambda b, r=entry.reference: b.delete(r))

    survivor_ref = gathered.survivor.reference
    other_ref = gathered.other.reference
    guard_survivor = client.write_option(last_update_time=gathered.survivor.update_time)
    guard_other = client.write_option(last_update_time=gathered.other.update_time)
    updates = {**write.updates, "updatedAt": SERVER_TIMESTAMP}
    ops.final.append(lambda b: b.update(survivor_ref, updates, option=guard_survivor))
    ops.final.append(lambda b: b.delete(other_ref, option=guard_other))
    ops.final.append(
        lambda b: b.set(
            alias_ref(client, other_key),
            {"customer": survivor_key, "merge": merge_id, "at": SERVER_TIMESTAMP},
        )
    )
    clocks = client.collection(consumers.CLOCKS)
    other_clock = gathered.clocks.get("other")
    took = other_clock is not None and (
        write.clock_from_other or gathered.clocks.get("survivor") is None
    )
    moved["clocks"] = {**moved["clocks"], "took": took}  # undo restores the survivor's then
    if other_clock is not None:
        ops.final.append(lambda b: b.delete(clocks.document(other_key)))
    if took:
        clock = {**other_clock, "customer": survivor_key}
        ops.final.append(lambda b: b.set(clocks.document(survivor_key), clock))
    entry_ref = activity.entry_ref(client, survivor_key, activity.merge_entry_id(merge_id))
    ops.final.append(lambda b: b.set(entry_ref, write.entry))
    ops.final.append(
        lambda b: domain_events.add(
            client, b, survivor_key, activity.merge_entry_id(merge_id), write.event, create=False
        )
    )
    done = {
        **write.record,
        "id": merge_id,
        "keys": [survivor_key, other_key],  # found by either side (the banner, an erasure)
        "state": DONE,
        "moved": moved,
        "counts": _counts(moved),
        "doneAt": SERVER_TIMESTAMP,
    }
    ref = merge_ref(client, merge_id)
    if earlier is None:
        ops.final.append(lambda b: b.create(ref, done))
    else:
        ops.final.append(lambda b: b.set(ref, done))
    return ops


def _counts(moved: dict[str, Any]) -> dict[str, int]:
    return {
        name: len(moved.get(name) or []) for name in ("entries", "bookings", "tasks", "messages")
    }


def _commit_steps(
    client: Any, steps: list[Callable[[Any], None]], after: Callable[[int], None], timeout: float
) -> None:
    """Commit ``steps`` in batches of MAX_WRITES, calling ``after(n done)`` between."""
    for start in range(0, len(steps), MAX_WRITES):
        batch = client.batch()
        for op in steps[start : start + MAX_WRITES]:
            op(batch)
        batch.commit(**call_options(timeout))
        after(min(start + MAX_WRITES, len(steps)))


def _merge_in_steps(
    client: Any,
    merge_id: str,
    survivor_key: str,
    other_key: str,
    gathered: Gathered,
    write: MergeWrite,
    existing: dict[str, Any] | None,
    timeout: float,
) -> None:
    """The resumable path: say ``moving`` (with what moves, for undo and resumption),
    move in batches, then the last commit."""
    from google.api_core.exceptions import AlreadyExists
    from google.cloud.firestore import SERVER_TIMESTAMP

    ref = merge_ref(client, merge_id)
    call = call_options(timeout)
    earlier = existing or {}
    moved = _moved(gathered, other_key, earlier.get("moved") or {})
    ops = _merge_ops(client, merge_id, survivor_key, other_key, gathered, write, {"moved": moved})
    total = len(ops.steps)
    progress = {"moving": {"done": 0, "total": total}, "moved": moved}
    if existing is None:
        try:
            ref.create(
                {
                    "id": merge_id,
                    "survivor": survivor_key,
                    "other": other_key,
                    "keys": [survivor_key, other_key],  # the page's banner asks by either
                    "state": MOVING,
                    "startedAt": SERVER_TIMESTAMP,
                    **progress,
                },
                **call,
            )
        except AlreadyExists:
            ref.update(progress, **call)
    else:
        ref.update(progress, **call)
    _commit_steps(client, ops.steps, lambda n: ref.update({"moving.done": n}, **call), timeout)
    batch = client.batch()
    for op in ops.final:
        op(batch)
    batch.commit(**call)


def undo(
    client: Any,
    merge_id: str,
    decide: Callable[[dict[str, Any], Any], UndoWrite],
    timeout: float,
) -> dict[str, Any] | None:
    """Put the other customer back from the record: its entries, calls, tasks,
    messages, aliases and stage clock, and the survivor's fields as ``decide`` says;
    the record after (None when there is none). Guarded by the record's update time, so
    two undos cannot both land; the second finds ``undone``."""
    from google.api_core.exceptions import AlreadyExists, FailedPrecondition, NotFound

    call = call_options(timeout)
    for _ in range(ATTEMPTS):
        rec_snapshot = merge_ref(client, merge_id).get(**call)
        if not rec_snapshot.exists:
            return None
        rec = rec_snapshot.to_dict() or {}
        if rec.get("state") != DONE:
            return rec
        steps, final = _undo_ops(client, merge_id, rec_snapshot, decide, timeout)
        try:
            if len(steps) + len(final) > MAX_WRITES:
                _commit_steps(client, steps, lambda n: None, timeout)
                steps = []
            batch = client.batch()
            for op in [*steps, *final]:
                op(batch)
            batch.commit(**call)
        except (AlreadyExists, FailedPrecondition, NotFound):
            continue
        return record(client, merge_id, timeout)
    raise ContentionError(f"undo of merge {merge_id} kept meeting changes for {ATTEMPTS} attempts")


def _undo_ops(
    client: Any,
    merge_id: str,
    rec_snapshot: Any,
    decide: Callable[[dict[str, Any], Any], UndoWrite],
    timeout: float,
) -> tuple[list[Callable[[Any], None]], list[Callable[[Any], None]]]:
    """The moves back (in order) and the last commit of one undo attempt."""
    from google.cloud.firestore import SERVER_TIMESTAMP

    call = call_options(timeout)
    rec = rec_snapshot.to_dict() or {}
    survivor_key, other_key = rec["survivor"], rec["other"]
    survivor = client.collection(CUSTOMERS).document(survivor_key).get(**call)
    write = decide(rec, survivor)
    moved = rec.get("moved") or {}
    entries = moved.get("entries", [])
    mirrors = [activity.entry_ref(client, survivor_key, m["to"]) for m in entries]
    present = {s.id: s for s in client.get_all(mirrors, **call) if s.exists} if mirrors else {}
    steps: list[Callable[[Any], None]] = []
    for m in entries:
        snapshot = present.get(m["to"])
        if snapshot is not None:
            data = {k: v for k, v in (snapshot.to_dict() or {}).items() if k != "mergedFrom"}
            back = activity.entry_ref(client, other_key, m["from"])
            steps.append(lambda b, t=back, d=data: b.set(t, d))
    steps += _put_back(client, moved, other_key, timeout)
    steps += [lambda b, r=s.reference: b.delete(r) for s in present.values()]
    final: list[Callable[[Any], None]] = []
    unmerge_id = activity.unmerge_entry_id(merge_id)
    if survivor.exists:
        guard = client.write_option(last_update_time=survivor.update_time)
        updates = {**write.updates, "updatedAt": SERVER_TIMESTAMP}
        final.append(lambda b: b.update(survivor.reference, updates, option=guard))
        entry = activity.entry_ref(client, survivor_key, unmerge_id)
        final.append(lambda b: b.set(entry, write.survivor_entry))
    other_ref = client.collection(CUSTOMERS).document(other_key)
    final.append(lambda b: b.create(other_ref, {**write.other, "updatedAt": SERVER_TIMESTAMP}))
    other_entry = activity.entry_ref(client, other_key, unmerge_id)
    final.append(lambda b: b.set(other_entry, write.other_entry))
    final.append(lambda b: b.delete(alias_ref(client, other_key)))
    final += _clocks_back(client, moved.get("clocks") or {}, survivor_key, other_key)
    final.append(
        lambda b: domain_events.add(client, b, survivor_key, unmerge_id, write.event, create=False)
    )
    record_guard = client.write_option(last_update_time=rec_snapshot.update_time)
    done = {"state": UNDONE, "undoneAt": SERVER_TIMESTAMP, "kept": write.kept}
    final.append(lambda b: b.update(rec_snapshot.reference, done, option=record_guard))
    return steps, final


def other_exists(client: Any, key: str, timeout: float) -> bool:
    return client.collection(CUSTOMERS).document(key).get(**call_options(timeout)).exists


def _put_back(
    client: Any, moved: dict[str, Any], other_key: str, timeout: float
) -> list[Callable[[Any], None]]:
    """Calls, tasks, messages and aliases back to the other customer (those still there)."""
    refs: list[tuple[Any, dict[str, Any]]] = []
    for m in moved.get("bookings", []):
        ref = client.collection(BOOKINGS).document(m["id"])
        refs.append((ref, {"customerKey": other_key, "ownerUid": m.get("ownerUid")}))
    for m in moved.get("tasks", []):
        ref = task_store.task_ref(client, m["id"])
        refs.append((ref, {"customer": other_key, "ownerUid": m.get("ownerUid")}))
    for m in moved.get("messages", []):
        refs.append((client.collection(MESSAGES).document(m["id"]), {"customer": other_key}))
    for alias in moved.get("aliases", []):
        refs.append((alias_ref(client, alias), {"customer": other_key}))
    if not refs:
        return []
    present = {
        s.reference.path
        for s in client.get_all([r for r, _ in refs], **call_options(timeout))
        if s.exists
    }
    return [
        (lambda b, r=ref, u=updates: b.update(r, u)) for ref, updates in refs if ref.path in present
    ]


def _clocks_back(
    client: Any, clocks: dict[str, Any], survivor_key: str, other_key: str
) -> list[Callable[[Any], None]]:
    """The other's stage clock back, and the survivor's as it was when the merge gave it
    the other's (a clock the merge left alone may have moved on since: it stays)."""
    collection = client.collection(consumers.CLOCKS)
    ops: list[Callable[[Any], None]] = []
    sides = (
        (("survivor", survivor_key), ("other", other_key))
        if clocks.get("took")
        else (("other", other_key),)
    )
    for side, key in sides:
        clock = clocks.get(side)
        ref = collection.document(key)
        if clock is None:
            ops.append(lambda b, r=ref: b.delete(r))
        else:
            ops.append(lambda b, r=ref, c=clock: b.set(r, c))
    return ops
