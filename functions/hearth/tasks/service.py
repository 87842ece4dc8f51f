"""Adding a follow-up, marking one done, and the scheduled sweep.

Who may do what mirrors firestore.rules for tasks: the owner any task; a rep adds
tasks only for their own customers and finishes only the tasks assigned to them; a
manager or a partner neither. A rep asking about another rep's customer is told there
is no such customer (as the customer API answers), but finishing another rep's task
is refused outright: the task list the rep sees never shows it, so a request for it
is a mistake to name, and the id reveals nothing a rep does not know.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hearth import automations, config, deals, messaging, routing
from hearth.errors import Forbidden, Invalid, NotFound
from hearth.rules import timestamps
from hearth.rules.fields import ID_PATTERN
from hearth.rules.roles import Principal, Role, can_write_customer
from hearth.store import client as db
from hearth.store import tasks as store
from hearth.store import timeline as activity

MAX_TITLE = 200
# Task ids: a manual task's "manual.<client id>", an automation's "<rule>.<event>".
TASK_ID = re.compile(r"[A-Za-z0-9_.-]{1,300}")
NOT_YOUR_CUSTOMER = "There is no customer with this key that you may add a task for."
NOT_YOUR_TASK = "This task is assigned to someone else: only they or the owner may finish it."


class NewTask(BaseModel):
    """POST /admin/tasks: a follow-up for one customer."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, title="NewTask")

    customer: Annotated[str, Field(min_length=1, max_length=1500)]
    title: Annotated[str, Field(min_length=1, max_length=MAX_TITLE)]
    due: AwareDatetime
    task_id: Annotated[
        str | None,
        Field(
            default=None,
            pattern=ID_PATTERN,
            description="Client-made id (8-128 of A-Za-z0-9_-): a retry adds the task once.",
        ),
    ]


def usable_task_id(task_id: str) -> bool:
    return bool(TASK_ID.fullmatch(task_id)) and task_id not in (".", "..") and "__" not in task_id


def check_staff(principal: Principal) -> None:
    if principal.role not in (Role.OWNER, Role.REP):
        raise Forbidden("Your role may not add or finish tasks. Ask the owner if you need to.")


def add(principal: Principal, body: NewTask, settings: config.Settings) -> tuple[dict, bool]:
    """Add a follow-up; (the task as JSON, created). A retry with the same task_id is
    answered with the task it made; the same id for another follow-up is a 400."""
    check_staff(principal)
    client = db.client()
    timeout = settings.store_timeout_s
    found = store.customer(client, body.customer, timeout)
    if found is None or not can_write_customer(principal, found):
        raise NotFound(NOT_YOUR_CUSTOMER, fields={"customer": NOT_YOUR_CUSTOMER})
    task_id = f"manual.{body.task_id or uuid.uuid4().hex}"
    task = store.new_task(
        customer=body.customer,
        customer_name=found.get("name") or found.get("email"),
        # The customer's owner is the assignee; an unassigned customer's task is the
        # creator's own, so that somebody sees it in their list.
        owner_uid=found.get("ownerUid") or principal.uid,
        title=body.title,
        due=body.due.astimezone(UTC),
    )
    stored, created = store.create(client, task_id, task, principal, timeout=timeout)
    if not created and (stored.get("customer"), stored.get("title")) != (body.customer, body.title):
        raise Invalid({"task_id": "This id was already used for another task: make a new one."})
    return view(stored), created


def complete(principal: Principal, task_id: str, settings: config.Settings) -> tuple[dict, str]:
    """Mark a task done; doing it again changes nothing. (task as JSON, outcome)."""
    check_staff(principal)

    def decide(task: dict[str, Any] | None) -> store.Done | None:
        if task is None:
            raise NotFound("There is no such task.")
        if principal.role is not Role.OWNER and task.get("ownerUid") != principal.uid:
            raise Forbidden(NOT_YOUR_TASK)
        if task.get("done"):
            return None
        from google.cloud.firestore import SERVER_TIMESTAMP

        by = {"uid": principal.uid, "role": principal.role.value if principal.role else None}
        return store.Done(
            updates={"done": True, "doneAt": SERVER_TIMESTAMP, "doneBy": by},
            entry=activity.task_done(
                task_id=task_id, task=task, at=SERVER_TIMESTAMP, actor=principal
            ),
        )

    stored, outcome = store.complete(db.client(), task_id, decide, timeout=settings.store_timeout_s)
    return view(stored), outcome


def sweep(settings: config.Settings, now: datetime | None = None) -> dict[str, int]:
    """The scheduled pass: customers still pending are routed first (the backstop of
    the nudge after each commit; ``routed``: how many got an owner), so the new-lead
    task goes to the routed rep; the automations make their tasks (new events, then
    the stale check), the reports fold the same new events (``reports``: how many),
    then open tasks whose time has come are marked overdue, a just-made one included;
    once an hour the WhatsApp templates are read from the business account.
    Safe to run twice or to cut short; the next pass finishes what one left."""
    when = now or datetime.now(UTC)
    routed = routing.route_pending(settings, when)
    made = automations.run(settings, when)
    folded = deals.run(settings, when)
    marked = store.mark_overdue(db.client(), when, timeout=settings.store_timeout_s)
    templates = messaging.sync_templates(settings, when)  # hourly; 0 when off
    return {
        "overdue": marked,
        **made,
        "reports": folded,
        "routed": routed,
        "whatsappTemplates": templates,
    }


def view(task: dict[str, Any]) -> dict[str, Any]:
    return timestamps.jsonable(task)
