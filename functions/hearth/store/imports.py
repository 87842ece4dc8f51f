"""Import jobs, their chunks' results and problems, and the remembered column mappings.

``imports/{job}`` holds only progress: which line comes next and the counts. Each
chunk's result is created in the same commit as the job's counters move
(``imports/{job}/chunks/{run}_{first}``), so a chunk sent twice (a retry after a lost
answer) finds its stored result and counts nothing twice; the rows themselves are
idempotent anyway, by their timeline entry's id. ``imports/{job}/problems/{run}_{line}``
are the rows of a run that were not imported, which the report CSV lists (a row
fixed since an earlier run is not reported again).

``importMappings/{header key}`` is the owner's last mapping for a header set, so the
next file with the same columns needs no choices.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from hearth.store import timeline as activity
from hearth.store.calls import call_options

COLLECTION = "imports"
MAPPINGS = "importMappings"
CHUNKS = "chunks"
PROBLEMS = "problems"
RUNNING, DONE = "running", "done"
COUNTS = ("created", "filled", "unchanged", "skipped", "errors", "routed")
PROBLEM_BATCH = 400
CUSTOMERS = activity.CUSTOMERS


def job_ref(client: Any, job_id: str) -> Any:
    return client.collection(COLLECTION).document(job_id)


def entry_id(job_id: str, run: int, line: int) -> str:
    """One timeline entry per row and run: a retried row finds it and adds nothing."""
    return f"imp_{job_id}_{line}" if run <= 1 else f"imp_{job_id}-{run}_{line}"


def entry_ref(client: Any, key: str, job_id: str, run: int, line: int) -> Any:
    return activity.entry_ref(client, key, entry_id(job_id, run, line))


def imported(
    *,
    at: datetime,
    job: str,
    line: int,
    file: str,
    source: str,
    fields: Mapping[str, Any],
    consent: bool | None,
    actor: Mapping[str, Any],
) -> dict[str, Any]:
    """The row as the file gave it, on the customer's timeline (upsert adds conflicts
    and whether it made the customer)."""
    return {
        "type": "import",
        "at": at,
        "job": job,
        "line": line,
        "file": file,
        "source": source,
        "fields": dict(fields),
        "consent": consent,
        "actor": dict(actor),
    }


# --- mappings -----------------------------------------------------------------------------------


def read_mapping(client: Any, key: str, timeout: float) -> dict[str, Any] | None:
    snapshot = client.collection(MAPPINGS).document(key).get(**call_options(timeout))
    return (snapshot.to_dict() or {}) if snapshot.exists else None


def save_mapping(
    client: Any, key: str, headers: list[str], mapping: list[str], by: str | None, timeout: float
) -> None:
    from google.cloud.firestore import SERVER_TIMESTAMP

    client.collection(MAPPINGS).document(key).set(
        {"headers": headers, "mapping": mapping, "updatedAt": SERVER_TIMESTAMP, "updatedBy": by},
        **call_options(timeout),
    )


# --- jobs ---------------------------------------------------------------------------------------


def read_job(client: Any, job_id: str, timeout: float) -> dict[str, Any] | None:
    snapshot = job_ref(client, job_id).get(**call_options(timeout))
    return (snapshot.to_dict() or {}) if snapshot.exists else None


def start_job(client: Any, job_id: str, document: dict[str, Any], timeout: float) -> dict:
    """The job: created, found running (resume), or, found done, started as a new run
    (import again) from its first line with fresh counts."""
    from google.api_core.exceptions import AlreadyExists, FailedPrecondition

    call = call_options(timeout)
    ref = job_ref(client, job_id)
    for _ in range(5):
        snapshot = ref.get(**call)
        if not snapshot.exists:
            try:
                ref.create(document, **call)
                return document
            except AlreadyExists:
                continue
        stored = snapshot.to_dict() or {}
        if stored.get("state") != DONE:
            return stored
        again = {
            **document,
            "run": int(stored.get("run") or 1) + 1,
            "startedAt": document["startedAt"],
        }
        try:
            ref.update(
                again, option=client.write_option(last_update_time=snapshot.update_time), **call
            )
            return again
        except FailedPrecondition:
            continue
    stored = read_job(client, job_id, timeout)
    assert stored is not None
    return stored


def chunk_result(client: Any, job_id: str, run: int, first: int, timeout: float) -> dict | None:
    snapshot = _chunk_ref(client, job_id, run, first).get(**call_options(timeout))
    return (snapshot.to_dict() or {}) if snapshot.exists else None


def _chunk_ref(client: Any, job_id: str, run: int, first: int) -> Any:
    return job_ref(client, job_id).collection(CHUNKS).document(f"{run}_{first}")


def record_chunk(
    client: Any,
    job_id: str,
    *,
    run: int,
    first: int,
    next_line: int,
    counts: Mapping[str, int],
    problems: list[dict[str, Any]],
    done: bool,
    timeout: float,
) -> dict[str, Any] | None:
    """Store the problems (set by line: a retry rewrites the same), then the chunk's
    result and the job's counters in one commit. Answers the stored result instead when
    this chunk was recorded already (nothing is counted twice)."""
    from google.api_core.exceptions import AlreadyExists
    from google.cloud.firestore import SERVER_TIMESTAMP, Increment

    call = call_options(timeout)
    problems_of = job_ref(client, job_id).collection(PROBLEMS)
    for start in range(0, len(problems), PROBLEM_BATCH):
        batch = client.batch()
        for problem in problems[start : start + PROBLEM_BATCH]:
            batch.set(problems_of.document(f"{run}_{problem['line']}"), {**problem, "run": run})
        batch.commit(**call)
    batch = client.batch()
    result = {"first": first, "counts": dict(counts), "nextLine": next_line, "at": SERVER_TIMESTAMP}
    batch.create(_chunk_ref(client, job_id, run, first), result)
    updates: dict[str, Any] = {
        f"counts.{name}": Increment(value) for name, value in counts.items() if value
    }
    updates["nextLine"] = next_line
    if done:
        updates.update({"state": DONE, "finishedAt": SERVER_TIMESTAMP})
    batch.update(job_ref(client, job_id), updates)
    try:
        batch.commit(**call)
    except AlreadyExists:
        return chunk_result(client, job_id, run, first, timeout)
    return None


def problems(client: Any, job_id: str, run: int, timeout: float) -> Iterator[dict[str, Any]]:
    """The run's problems in line order (at most one per row of the file)."""
    from google.cloud.firestore import FieldFilter

    query = job_ref(client, job_id).collection(PROBLEMS).where(filter=FieldFilter("run", "==", run))
    found = [snapshot.to_dict() or {} for snapshot in query.stream(**call_options(timeout))]
    yield from sorted(found, key=lambda problem: int(problem.get("line") or 0))


# --- customers, read for a chunk ---------------------------------------------------------------


def customers_and_entries(
    client: Any, keys: list[str], entries: list[tuple[str, str]], timeout: float
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The existing customers among ``keys`` and the entries among (key, entry id) that
    exist: one round trip for a whole chunk."""
    refs = [client.collection(CUSTOMERS).document(key) for key in dict.fromkeys(keys)]
    refs += [activity.entry_ref(client, key, entry) for key, entry in entries]
    if not refs:
        return {}, {}
    customers: dict[str, dict[str, Any]] = {}
    found_entries: dict[str, dict[str, Any]] = {}
    for snapshot in client.get_all(refs, **call_options(timeout)):
        if not snapshot.exists:
            continue
        if snapshot.reference.parent.id == activity.COLLECTION:
            found_entries[snapshot.id] = snapshot.to_dict() or {}
        else:
            customers[snapshot.id] = snapshot.to_dict() or {}
    return customers, found_entries


def still_pending(client: Any, keys: list[str], timeout: float) -> int:
    """How many of these new customers the router has not reached yet."""
    from hearth.store.routing import PENDING

    refs = [client.collection(CUSTOMERS).document(key) for key in keys]
    if not refs:
        return 0
    return sum(
        1
        for snapshot in client.get_all(refs, field_paths=["routing"], **call_options(timeout))
        if snapshot.exists and (snapshot.to_dict() or {}).get("routing") == PENDING
    )
