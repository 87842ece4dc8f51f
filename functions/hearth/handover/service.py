"""POST /admin/team/{uid}/handover and .../handover/{job_id}/stop: moving the open
customers of a rep who left, in pages the admin page asks for one after another.

One call moves up to ``batch_size`` (at most 200) customers and answers the job, so no
request runs long and the page shows progress; stopping marks the job, and the next
call resumes it. Which customers are left is asked of the customers themselves
(ownerUid == the leaving rep), and each move is guarded on that inside its own
transaction (hearth.store.handover), so a rerun, a resumed job or two runs at once
never move a customer twice.

Only a rep who has left may be handed over: disabled, or whose role is no longer rep in
the team directory. Handing over an active rep's customers would race with routing
still giving them new ones, so it is a 409 naming ``uid``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from hearth import config
from hearth.errors import Conflict, Forbidden, Invalid, NotFound
from hearth.rules import timestamps
from hearth.rules.fields import ID_PATTERN
from hearth.rules.roles import Principal, Role
from hearth.store import client as db
from hearth.store import events as domain_events
from hearth.store import handover as store
from hearth.store import team
from hearth.store import timeline as activity

BATCH = 200
# A long page looks at the job this often, so a Stop pressed meanwhile takes effect
# within a few seconds rather than at the end of the page.
STOP_CHECK = 20
REASON = "hand-over"
UID = re.compile(r"[A-Za-z0-9_.@-]{1,128}")
OWNER_ONLY = "Only the owner may hand a rep's customers over."
UNASSIGNED = "the owner (unassigned)"


class HandoverRequest(BaseModel):
    """POST /admin/team/{uid}/handover: start or resume one hand-over job."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, title="Handover")

    mode: Literal["rules", "rep"] = Field(
        description="rules: each customer by the routing rules, the leaving rep excluded; "
        "rep: all to the rep named in `to`."
    )
    to: Annotated[str | None, Field(default=None, min_length=1, max_length=128)]
    job_id: Annotated[
        str,
        Field(
            pattern=ID_PATTERN,
            description="Client-made id (8-128 of A-Za-z0-9_-): calling again with it "
            "resumes the job.",
        ),
    ]
    batch_size: Annotated[
        int,
        Field(default=BATCH, ge=1, le=BATCH, description="Customers moved by this call."),
    ]


@dataclass(frozen=True)
class Pick:
    """Who gets one customer, by which rule and why (rules mode), and any write that
    must land with the move (the round robin's pointer)."""

    uid: str | None
    rule: str | None = None
    reason: str | None = None
    also: Callable[[Any], None] | None = None


# (transaction, customer) -> Pick, run inside the customer's transaction.
Picker = Callable[[Any, dict[str, Any]], Pick]


def usable_uid(uid: str) -> bool:
    return bool(UID.fullmatch(uid)) and uid not in (".", "..") and "__" not in uid


def usable_job_id(job_id: str) -> bool:
    return bool(re.fullmatch(ID_PATTERN, job_id))


def name_of(uid: str | None, entry: Mapping[str, Any] | None) -> str:
    entry = entry or {}
    for key in ("displayName", "email"):
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return uid or UNASSIGNED


def gone(entry: Mapping[str, Any]) -> str | None:
    """Why a team member counts as having left ("left the team", "no longer a rep"),
    or None while they are an active rep."""
    if entry.get("disabled"):
        return "left the team"
    if entry.get("role") != "rep":
        return "no longer a rep"
    return None


def _check_owner(principal: Principal) -> None:
    if principal.role is not Role.OWNER:
        raise Forbidden(OWNER_ONLY, {"role": OWNER_ONLY})


def _leaving(client: Any, uid: str, timeout: float) -> tuple[dict[str, Any], str]:
    entry = team.member(client, uid, timeout)
    if entry is None:
        raise NotFound("There is no one on the team with this uid.", {"uid": "Not on the team."})
    why = gone(entry)
    if why is None:
        message = (
            f"{name_of(uid, entry)} is still an active rep: disable them or change their "
            "role before handing their customers over."
        )
        raise Conflict(message, {"uid": message}, code="still_active")
    return entry, why


def _target(client: Any, to: str | None, leaving: str, timeout: float) -> dict[str, Any]:
    """The rep all customers go to in mode "rep": on the team, a rep, not disabled."""
    if to is None:
        raise Invalid({"to": "Name the rep (uid) to hand every customer to."})
    entry = team.member(client, to, timeout) if usable_uid(to) else None
    if to == leaving or entry is None or gone(entry) is not None:
        raise Invalid({"to": f"{to[:128]!r} is not an active rep: choose one who is."})
    return entry


def run(
    principal: Principal, uid: str, body: HandoverRequest, settings: config.Settings
) -> dict[str, Any]:
    """Start or resume the job and move the next page of customers; the job after."""
    _check_owner(principal)
    client, timeout = db.client(), settings.store_timeout_s
    leaving, why = _leaving(client, uid, timeout)
    if body.mode == "rep":
        target = _target(client, body.to, uid, timeout)
        picker: Picker = lambda _transaction, _customer: Pick(body.to)  # noqa: E731
        names = {body.to: name_of(body.to, target)}
    else:
        if body.to is not None:
            raise Invalid({"to": "Leave `to` out with mode rules: the rules choose the rep."})
        picker, names = _rules_picker(client, uid, settings)
    fresh = {
        "from": uid,
        "fromName": name_of(uid, leaving),
        "mode": body.mode,
        "to": body.to,
        "by": domain_events.by_principal(principal),
        "total": store.count_open(client, uid, timeout),
    }
    job, _ = store.open_job(client, body.job_id, fresh, timeout)
    if (job.get("from"), job.get("mode"), job.get("to")) != (uid, body.mode, body.to):
        message = "This job id belongs to another hand-over: make a new one."
        raise Conflict(message, {"job_id": message}, code="job_mismatch")
    store.set_state(client, body.job_id, store.RUNNING, timeout)
    page = Page(principal, body, uid, name_of(uid, leaving), why, picker, names)
    moved = page.run(client, timeout)
    remaining = store.count_open(client, uid, timeout)
    return view(store.record_progress(client, body.job_id, moved, remaining, timeout))


def stop(principal: Principal, uid: str, job_id: str, settings: config.Settings) -> dict[str, Any]:
    """Mark the job stopped (a page under way ends within a few customers); the job."""
    _check_owner(principal)
    client, timeout = db.client(), settings.store_timeout_s
    job = store.job(client, job_id, timeout)
    if job is None or job.get("from") != uid:
        message = "There is no such hand-over job for this rep."
        raise NotFound(message, {"job_id": message})
    return view(store.set_state(client, job_id, store.STOPPED, timeout) or job)


@dataclass
class Page:
    """One call's page of moves, and what each move's entry and event say."""

    principal: Principal
    body: HandoverRequest
    leaving: str
    leaving_name: str
    why: str
    picker: Picker
    names: dict[str | None, str]

    def run(self, client: Any, timeout: float) -> int:
        keys = store.open_customers(client, self.leaving, self.body.batch_size, timeout)
        now = datetime.now(UTC)
        entry_id = activity.handover_entry_id(self.body.job_id)
        moved = 0
        for index, key in enumerate(keys):
            if index and index % STOP_CHECK == 0 and self._stopped(client, timeout):
                break
            done = store.move(
                client, key, self.leaving, entry_id, self.decide, now=now, timeout=timeout
            )
            moved += done is not None
        return moved

    def _stopped(self, client: Any, timeout: float) -> bool:
        return (store.job(client, self.body.job_id, timeout) or {}).get("state") == store.STOPPED

    def text(self, pick: Pick) -> str:
        to_name = self.names.get(pick.uid) or name_of(pick.uid, None)
        sentence = f"Handed over from {self.leaving_name} ({self.why}) to {to_name}"
        return f"{sentence} by the routing rules" if self.body.mode == "rules" else sentence

    def decide(self, transaction: Any, customer: dict[str, Any]) -> store.Move:
        from google.cloud.firestore import SERVER_TIMESTAMP

        pick = self.picker(transaction, customer)
        entry = activity.handed_over(
            at=SERVER_TIMESTAMP,
            actor=self.principal,
            job_id=self.body.job_id,
            mode=self.body.mode,
            previous={"uid": self.leaving, "name": self.leaving_name},
            new={"uid": pick.uid, "name": self.names.get(pick.uid) or name_of(pick.uid, None)},
            rule=pick.rule,
            reason=pick.reason,
            text=self.text(pick),
        )
        data: dict[str, Any] = {"from": self.leaving, "to": pick.uid, "reason": REASON}
        if self.body.mode == "rules":
            data["rule"] = pick.rule
        event = domain_events.Event(
            domain_events.OWNER_CHANGED,
            SERVER_TIMESTAMP,
            domain_events.by_principal(self.principal),
            pick.uid,
            data,
        )
        return store.Move(pick.uid, entry, event, pick.also)


def _rules_picker(
    client: Any, leaving: str, settings: config.Settings
) -> tuple[Picker, dict[str | None, str]]:
    """Mode "rules": each customer by the routing rules (hearth.routing's matcher, the
    round robin's pointer moved in the customer's own transaction), the leaving rep
    excluded; nobody available leaves it unassigned (the owner's), saying why."""
    from hearth import routing

    def pick(transaction: Any, customer: dict[str, Any]) -> Pick:
        choice = routing.choose_owner(transaction, customer, exclude=leaving, settings=settings)
        return Pick(choice.uid, choice.rule, choice.reason)

    names: dict[str | None, str] = dict(routing.names(client, settings.store_timeout_s))
    names[None] = UNASSIGNED
    return pick, names


def view(job: Mapping[str, Any]) -> dict[str, Any]:
    return {"job": timestamps.jsonable(dict(job))}
