"""Entries on a customer's timeline (customers/{key}/activity).

Entries are only ever created, never changed: the timeline is the record of what
each person sent and what was done, including consent answers, so it must read the
same tomorrow as it does today. The one exception is a merge of two customers (and its
undo), which moves entries whole, content kept, from one customer to the other
(store/merges.py, creating each through ``entry_ref``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from hearth.rules.phones import Mobile
from hearth.rules.roles import Principal

COLLECTION = "activity"
CUSTOMERS = "customers"


def entry_ref(client: Any, customer_key: str, entry_id: str) -> Any:
    """The one place a timeline entry is addressed: every writer creates through this, so
    "who writes the timeline" has one answer. Entries are created, never updated."""
    return (
        client.collection(CUSTOMERS)
        .document(customer_key)
        .collection(COLLECTION)
        .document(entry_id)
    )


def entries(client: Any, customer_key: str) -> Any:
    """Every entry of one customer: read whole by a person's export and by a merge, which
    moves them (hearth.store.merges), a page at a time by the timeline export
    (hearth.store.exports), and deleted by an erasure, the one time entries go
    (hearth.store.erasure)."""
    return client.collection(CUSTOMERS).document(customer_key).collection(COLLECTION)


def submission_entry_id(submission_id: str) -> str:
    """Keyed by the client's submission id, so a retried submission is found, not doubled."""
    return f"sub_{submission_id}"


def form_submission(
    *,
    form: str,
    submission_id: str,
    at: datetime,
    email: str,
    name: str | None,
    company: str | None,
    mobile: Mobile | None,
    message: str | None,
    consent: bool | None,
    source: str,
    page: str | None,
    answers: dict[str, Any],
) -> dict[str, Any]:
    """The whole submission as it arrived, so nothing a person sent is ever lost."""
    return {
        "type": "form_submission",
        "at": at,
        "form": form,
        "submissionId": submission_id,
        "fields": {
            "email": email,
            "name": name,
            "company": company,
            "mobile": mobile.typed if mobile else None,
            "message": message,
        },
        "mobile": (
            {"typed": mobile.typed, "e164": mobile.e164, "valid": mobile.valid} if mobile else None
        ),
        "consent": consent,
        "source": source,
        "page": page,
        "answers": answers,
        "actor": {"kind": "public_form"},
    }


def staff_entry_id(client_id: str | None) -> str:
    """Keyed by the client's request, payment or note id, so a retried request fails its
    create and is recognised as done; without an id every request is its own entry."""
    return f"op_{client_id or uuid.uuid4().hex}"


def staff_action(
    *,
    kind: str,
    at: Any,
    actor: Principal,
    changes: dict[str, dict[str, Any]],
    details: dict[str, Any],
    request_id: str | None,
) -> dict[str, Any]:
    """What a signed-in person did: who (uid, e-mail and role at the time, since roles
    change later), when, and each field's value before and after, so the timeline alone
    can answer "who set this, and what was it?"."""
    return {
        "type": kind,
        "at": at,
        "actor": staff_actor(actor),
        "changes": changes,
        **details,
        "requestId": request_id,
    }


def staff_actor(actor: Principal) -> dict[str, Any]:
    """Who did it, as they were at the time (roles change later)."""
    return {
        "kind": "staff",
        "uid": actor.uid,
        "email": actor.email,
        "role": actor.role.value if actor.role else None,
    }


def task_entry_id(task_id: str) -> str:
    """Keyed by the task, so the entry and its task are created once, together."""
    return f"task_{task_id}"


def task_done_entry_id(task_id: str) -> str:
    """Keyed by the task: a task is done once, so a repeated Done adds nothing."""
    return f"taskdone_{task_id}"


def task_added(
    *,
    task_id: str,
    task: dict[str, Any],
    at: Any,
    actor: Principal | None,
) -> dict[str, Any]:
    """A follow-up was set: what, for when and for whom, and whether a person or an
    automation rule (with the event it answered) made it, so the timeline alone says
    why a task exists."""
    return {
        "type": "task",
        "at": at,
        "taskId": task_id,
        "title": task["title"],
        "due": task["due"],
        "assignee": task["ownerUid"],
        "rule": task.get("rule"),
        "event": task.get("event"),
        "actor": staff_actor(actor)
        if actor is not None
        else {"kind": "automation", "rule": task.get("rule")},
    }


def task_done(*, task_id: str, task: dict[str, Any], at: Any, actor: Principal) -> dict[str, Any]:
    """A follow-up was done, by whom; the title is copied so the entry reads alone."""
    return {
        "type": "task_done",
        "at": at,
        "taskId": task_id,
        "title": task.get("title"),
        "due": task.get("due"),
        "actor": staff_actor(actor),
    }


def task_done_by_reply(
    *, task_id: str, task: dict[str, Any], at: Any, message: str
) -> dict[str, Any]:
    """A follow-up made needless by the customer's own reply (a rule's ``doneOnReply``),
    naming the message, so the timeline says why nobody did it by hand."""
    return {
        "type": "task_done",
        "at": at,
        "taskId": task_id,
        "title": task.get("title"),
        "due": task.get("due"),
        "message": message,
        "actor": {"kind": "automation", "rule": task.get("rule"), "reason": "the customer replied"},
    }


def handover_entry_id(job_id: str) -> str:
    """Keyed by the hand-over job: one job moves a customer once."""
    return f"handover_{job_id}"


def handed_over(
    *,
    at: Any,
    actor: Principal,
    job_id: str,
    mode: str,
    previous: dict[str, Any],
    new: dict[str, Any],
    rule: str | None,
    reason: str | None,
    text: str,
) -> dict[str, Any]:
    """A customer moved from a rep who left to another: who had it, who has it, why
    (``previous``/``new`` are {uid, name}; ``text`` the sentence the timeline shows)."""
    return {
        "type": "handover",
        "at": at,
        "jobId": job_id,
        "mode": mode,
        "from": previous,
        "to": new,
        "rule": rule,
        "reason": reason,
        "text": text,
        "actor": staff_actor(actor),
    }


def routed(
    *, at: Any, uid: str | None, name: str | None, rule: str | None, reason: str
) -> dict[str, Any]:
    """The router gave the customer an owner (or could not): which rule and why, in
    words, so the timeline alone answers "why is this lead mine?"."""
    return {
        "type": "routed",
        "at": at,
        "ownerUid": uid,
        "ownerName": name,
        "rule": rule,
        "text": reason,
        "actor": {"kind": "routing"},
    }


def merge_entry_id(merge_id: str) -> str:
    """Keyed by the merge: one merge is on the survivor's timeline once."""
    return f"merge_{merge_id}"


def unmerge_entry_id(merge_id: str) -> str:
    """Keyed by the merge: undone once, on both customers' timelines."""
    return f"unmerge_{merge_id}"


def merged(
    *,
    at: Any,
    actor: dict[str, Any],
    merge_id: str,
    other_key: str,
    other_email: str | None,
    chosen: dict[str, str],
    moved: dict[str, int],
) -> dict[str, Any]:
    """Two records became this one: whose, by whom, which field came from which side
    and what moved, so the timeline alone explains the merged record (and offers undo)."""
    return {
        "type": "merged",
        "at": at,
        "mergeId": merge_id,
        "other": other_key,
        "otherEmail": other_email,
        "chosen": chosen,
        "moved": moved,
        "actor": actor,
    }


def unmerged(
    *,
    at: Any,
    actor: dict[str, Any],
    merge_id: str,
    survivor_key: str,
    other_key: str,
    kept: list[str],
) -> dict[str, Any]:
    """A merge was undone: on both records, naming the fields kept because they were
    edited after the merge."""
    return {
        "type": "unmerged",
        "at": at,
        "mergeId": merge_id,
        "survivor": survivor_key,
        "other": other_key,
        "kept": kept,
        "actor": actor,
    }


def message_entry_id(message_id: str) -> str:
    """Keyed by the message: a webhook delivered twice is on the timeline once."""
    return f"msg_{message_id}"


def whatsapp_in(
    *,
    message_id: str,
    at: Any,
    sender: str,
    profile_name: str | None,
    kind: str,
    summary: str,
    text: str | None,
    media: dict[str, Any],
    reply_to: str | None,
) -> dict[str, Any]:
    """A WhatsApp message the customer sent, as it came (its status lives on the message
    document, since entries never change)."""
    return {
        "type": "whatsapp",
        "direction": "in",
        "at": at,
        "messageId": message_id,
        "from": sender,
        "profileName": profile_name,
        "kind": kind,
        "summary": summary,
        "text": text,
        "media": media,
        "replyTo": reply_to,
        "actor": {"kind": "customer", "channel": "whatsapp"},
    }


def whatsapp_out(
    *, message_id: str, at: Any, to: str, summary: str, template: str | None, actor: Principal
) -> dict[str, Any]:
    """A WhatsApp message staff sent: what and to whom (its status is on the message)."""
    return {
        "type": "whatsapp",
        "direction": "out",
        "at": at,
        "messageId": message_id,
        "to": to,
        "summary": summary,
        "template": template,
        "actor": staff_actor(actor),
    }


def email_out(
    *, message_id: str, at: Any, to: str, subject: str, text: str, actor: Principal
) -> dict[str, Any]:
    """An e-mail staff sent: to whom, the subject and the text as sent."""
    return {
        "type": "email",
        "direction": "out",
        "at": at,
        "messageId": message_id,
        "to": to,
        "subject": subject,
        "summary": subject,
        "text": text,
        "actor": staff_actor(actor),
    }
