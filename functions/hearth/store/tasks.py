"""Follow-up tasks (tasks/{id}): the one module that addresses the collection.

A task is created together with its timeline entry in one commit, and only ever
created with create(): its id is the request's (a manual follow-up) or
``{rule}.{event}`` (an automation), so a retried request or an event seen twice finds
the task it already made instead of making a second one. Done is a guarded update
with its own timeline entry in the same commit, keyed by the task, so it lands once.
The sweep marks overdue tasks in bounded batches, each a guarded commit: a pass
killed halfway leaves the rest unmarked for the next pass, which finds exactly them.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hearth.rules.roles import Principal
from hearth.store import timeline as activity
from hearth.store.calls import ContentionError, call_options

COLLECTION = "tasks"
CUSTOMERS = activity.CUSTOMERS
MAX_ATTEMPTS = 25
# Firestore takes up to 500 writes in one commit; a sweep's batch stays well below.
SWEEP_BATCH = 200
# One pass stops after this many batches (100 000 tasks): the next minute goes on.
SWEEP_MAX_BATCHES = 500


@dataclass(frozen=True)
class Done:
    """What marking a task done writes: the task's fields and the timeline entry."""

    updates: dict[str, Any]
    entry: dict[str, Any]


def task_ref(client: Any, task_id: str) -> Any:
    return client.collection(COLLECTION).document(task_id)


def rule_task_id(rule: str, event: str) -> str:
    """One task per (rule, event): the id says which, so a second run cannot add one."""
    return f"{rule}.{event}"


def new_task(
    *,
    customer: str,
    customer_name: str | None,
    owner_uid: str | None,
    title: str,
    due: datetime,
    rule: str | None = None,
    event: str | None = None,
) -> dict[str, Any]:
    """The full document: ownerUid is the assignee, which the rules filter on."""
    from google.cloud.firestore import SERVER_TIMESTAMP

    return {
        "customer": customer,
        "customerName": customer_name,
        "ownerUid": owner_uid,
        "title": title,
        "due": due,
        "done": False,
        "doneAt": None,
        "doneBy": None,
        "overdue": False,
        "rule": rule,
        "event": event,
        "createdAt": SERVER_TIMESTAMP,
    }


def customer(client: Any, key: str, timeout: float) -> dict[str, Any] | None:
    """The customer a task is for, as stored (its owner is the task's assignee)."""
    snapshot = client.collection(CUSTOMERS).document(key).get(**call_options(timeout))
    return snapshot.to_dict() if snapshot.exists else None


def of_customer(client: Any, key: str, timeout: float) -> list[Any]:
    """Every task of one customer, done or not, as snapshots (a merge moves them all)."""
    return list(customer_query(client, key).stream(**call_options(timeout)))


def get(client: Any, task_id: str, timeout: float) -> dict[str, Any] | None:
    snapshot = task_ref(client, task_id).get(**call_options(timeout))
    return snapshot.to_dict() if snapshot.exists else None


def create(
    client: Any, task_id: str, task: dict[str, Any], actor: Principal | None, *, timeout: float
) -> tuple[dict[str, Any], bool]:
    """Create the task and its timeline entry together; (stored task, created).

    When the id is taken (a retry, an event seen again) nothing is written and the
    stored task comes back with created False, for the caller to judge.
    """
    from google.api_core.exceptions import AlreadyExists
    from google.cloud.firestore import SERVER_TIMESTAMP

    call = call_options(timeout)
    ref = task_ref(client, task_id)
    batch = client.batch()
    batch.create(ref, {"id": task_id, **task})
    batch.create(
        activity.entry_ref(client, task["customer"], activity.task_entry_id(task_id)),
        activity.task_added(task_id=task_id, task=task, at=SERVER_TIMESTAMP, actor=actor),
    )
    try:
        batch.commit(**call)
        created = True
    except AlreadyExists:
        created = False
    return ref.get(**call).to_dict() or {}, created


def create_for(
    client: Any,
    rule: str,
    event: str,
    *,
    customer: str,
    customer_name: str | None,
    owner_uid: str | None,
    title: str,
    due: datetime,
    timeout: float,
) -> tuple[dict[str, Any], bool]:
    """An automation's task for one event: at most one per (rule, event), however
    often the rule runs for it. (stored task, created)."""
    task = new_task(
        customer=customer,
        customer_name=customer_name,
        owner_uid=owner_uid,
        title=title,
        due=due,
        rule=rule,
        event=event,
    )
    return create(client, rule_task_id(rule, event), task, None, timeout=timeout)


def complete(
    client: Any,
    task_id: str,
    decide: Callable[[dict[str, Any] | None], Done | None],
    *,
    timeout: float,
) -> tuple[dict[str, Any], str]:
    """Mark a task done with its timeline entry, guarded by the task as read.

    ``decide`` refuses by raising, answers None when there is nothing to do (already
    done), or the write; it is asked again after a lost race. (task, "applied" or
    "duplicate").
    """
    from google.api_core.exceptions import AlreadyExists, FailedPrecondition, NotFound

    call = call_options(timeout)
    ref = task_ref(client, task_id)
    for attempt in range(MAX_ATTEMPTS):
        snapshot = ref.get(**call)
        task = snapshot.to_dict() if snapshot.exists else None
        decision = decide(task)
        if decision is None or task is None:
            return task or {}, "duplicate"
        batch = client.batch()
        batch.update(
            ref, decision.updates, option=client.write_option(last_update_time=snapshot.update_time)
        )
        batch.create(
            activity.entry_ref(client, task["customer"], activity.task_done_entry_id(task_id)),
            decision.entry,
        )
        try:
            batch.commit(**call)
        except (AlreadyExists, FailedPrecondition, NotFound):
            time.sleep(random.uniform(0, 0.01 * (attempt + 1)))
            continue
        return ref.get(**call).to_dict() or {}, "applied"
    raise ContentionError(f"task {task_id} stayed contended for {MAX_ATTEMPTS} attempts")


def mark_overdue(
    client: Any,
    now: datetime,
    *,
    timeout: float,
    batch_size: int = SWEEP_BATCH,
    max_batches: int = SWEEP_MAX_BATCHES,
) -> int:
    """Mark open tasks due by ``now`` as overdue; how many were marked.

    The query asks only for tasks not marked yet, so each batch finds the next ones and
    a second pass finds none. Each batch is one commit guarded per task by its update
    time: a task done meanwhile fails the batch, which is asked again, so a done task
    is never marked overdue.
    """
    from google.api_core.exceptions import FailedPrecondition, NotFound
    from google.cloud.firestore import FieldFilter

    call = call_options(timeout)
    query = (
        client.collection(COLLECTION)
        .where(filter=FieldFilter("done", "==", False))
        .where(filter=FieldFilter("overdue", "==", False))
        .where(filter=FieldFilter("due", "<=", now))
        .order_by("due")
        .limit(batch_size)
    )
    marked = 0
    lost = 0
    for _ in range(max_batches):
        snapshots = list(query.stream(**call))
        if not snapshots:
            break
        batch = client.batch()
        for snapshot in snapshots:
            batch.update(
                snapshot.reference,
                {"overdue": True},
                option=client.write_option(last_update_time=snapshot.update_time),
            )
        try:
            batch.commit(**call)
        except (FailedPrecondition, NotFound):
            lost += 1
            if lost >= MAX_ATTEMPTS:
                raise ContentionError("the overdue sweep kept losing races") from None
            continue
        marked += len(snapshots)
    return marked


def customer_query(client: Any, customer_key: str) -> Any:
    """The query of one customer's tasks, done or not: a person's export reads them and an
    erasure deletes them (hearth.store.erasure)."""
    from google.cloud.firestore import FieldFilter

    return client.collection(COLLECTION).where(filter=FieldFilter("customer", "==", customer_key))


def open_of_customer(client: Any, customer_key: str, timeout: float) -> list[dict[str, Any]]:
    """A customer's open tasks (each with its ``id``): few, so read whole."""
    from google.cloud.firestore import FieldFilter

    query = customer_query(client, customer_key).where(filter=FieldFilter("done", "==", False))
    return [{**(s.to_dict() or {}), "id": s.id} for s in query.stream(**call_options(timeout))]
