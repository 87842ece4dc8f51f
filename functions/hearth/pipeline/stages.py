"""The owner's stages: pick a template, or rename, reorder, add and remove stages.

A stage's id is what customers and their history hold, so renaming and reordering keep
every id, and a stage customers are still in cannot be removed (nor can a template
switch drop it): the owner is told how many customers to move first, rather than
finding them later in a stage that no longer exists.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from hearth import config
from hearth.errors import Conflict, Forbidden, Invalid, Unavailable
from hearth.rules.roles import Principal, can_manage_lists
from hearth.rules.stages import (
    MAX_LABEL,
    MAX_STAGES,
    STAGE_ID,
    TEMPLATES,
    WHATSAPP_TEMPLATE,
    Stage,
    stages_of,
    template_of,
)
from hearth.store import client as db
from hearth.store import messages as message_store
from hearth.store import pipeline as store

# Saves lost to another save in between before giving up (the owner is one person).
MAX_ATTEMPTS = 5

Group = Literal["lead", "active", "production", "won", "lost"]


class StageIn(BaseModel):
    """One stage as the owner sends it; its place in the list is its order."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: Annotated[str, Field(pattern=STAGE_ID.pattern, description="Stable slug; never reused.")]
    label: Annotated[str, Field(min_length=1, max_length=MAX_LABEL)]
    group: Group
    whatsapp_template: Annotated[
        str | None,
        Field(
            alias="whatsappTemplate",
            pattern=WHATSAPP_TEMPLATE.pattern,
            description="The approved WhatsApp template (its name) offered first to a "
            "customer in this stage; none: the composer lists every template alike.",
        ),
    ] = None


class PipelineRequest(BaseModel):
    """PUT /admin/settings/pipeline: a template, or the whole list of stages."""

    model_config = ConfigDict(extra="ignore", title="PipelineSettings")

    template: Literal["studio", "trade"] | None = None
    stages: Annotated[list[StageIn] | None, Field(min_length=1, max_length=MAX_STAGES)] = None


def owner(principal: Principal) -> Principal:
    if not can_manage_lists(principal):
        raise Forbidden("Only the owner changes the pipeline's stages and sources.")
    return principal


def save_pipeline(
    body: PipelineRequest, owner: Principal, settings: config.Settings
) -> dict[str, Any]:
    """Store the new stages unless that would strand customers in a removed stage.

    Counting and then saving is a race with a customer being moved into the stage
    meanwhile, so a removal saves twice. First the stages stay as they are, with the
    removed ones marked ``closing``: from then on no move into them lands (a move
    commits only over the pipeline it checked, and a closing stage is no target), and
    every move that landed before is seen by the count. Then the new list replaces it,
    or, if someone is still in a removed stage, the mark is lifted and the owner told.
    Each save is written only over the version it read; another save in between means
    deciding again on what is there now.
    """
    client, timeout = db.client(), settings.store_timeout_s
    for _ in range(MAX_ATTEMPTS):
        stored = store.read_versioned(client, timeout)
        template, stages = _wanted(body, stored.document)
        _check_templates(client, stages, stored.document, timeout)
        listed = [_listed(stage, order) for order, stage in enumerate(stages)]
        kept = {stage.id for stage in stages}
        removed = [stage for stage in stages_of(stored.document) if stage.id not in kept]
        try:
            version = stored.version
            if removed:
                version = _close(client, stored, removed, timeout)
                stranded = _stranded(client, removed, timeout)
                if stranded:
                    _reopen(client, stored, version, timeout)
                    raise Conflict(
                        "A stage that customers are in cannot be removed.",
                        {"stages": " ".join(stranded)},
                        code="stage_in_use",
                    )
            document = {"template": template, "stages": listed, **_stamp(owner)}
            store.write_pipeline(client, document, version, timeout)
        except store.PipelineMovedError:
            continue
        return {"template": template, "stages": listed}
    raise Unavailable("The pipeline kept changing while saving; try again.")


def _listed(stage: Stage, order: int) -> dict[str, Any]:
    listed = {"id": stage.id, "label": stage.label, "group": stage.group, "order": order}
    if stage.whatsapp_template:
        listed["whatsappTemplate"] = stage.whatsapp_template
    return listed


def _check_templates(
    client: Any, stages: list[Stage], stored: dict[str, Any] | None, timeout: float
) -> None:
    """A stage may name only a template the business account has approved: a typo would
    leave its customers' composer without the suggestion nobody knew was missing. One a
    stage already named stays allowed after WhatsApp withdrew it, so renaming a stage
    never fails on a template nobody touched."""
    kept = {(s.id, s.whatsapp_template) for s in stages_of(stored)}
    wanted = [
        (index, stage)
        for index, stage in enumerate(stages)
        if stage.whatsapp_template and (stage.id, stage.whatsapp_template) not in kept
    ]
    if not wanted:
        return
    approved = message_store.template_names(client, timeout)
    missing = {
        f"stages.{index}.whatsappTemplate": f"No approved WhatsApp template is called "
        f"{stage.whatsapp_template!r}; the list is refreshed from WhatsApp every hour."
        for index, stage in wanted
        if stage.whatsapp_template not in approved
    }
    if missing:
        raise Invalid(missing)


def _stamp(owner: Principal) -> dict[str, Any]:
    return {"updatedAt": datetime.now(UTC), "updatedBy": {"uid": owner.uid, "email": owner.email}}


def _as_found(stored: store.Versioned) -> dict[str, Any]:
    """The pipeline exactly as it stands (the defaults written out when absent), without
    a closing mark an interrupted removal may have left."""
    if stored.document is not None:
        return {name: value for name, value in stored.document.items() if name != "closing"}
    listed = [_listed(stage, order) for order, stage in enumerate(stages_of(None))]
    return {"template": template_of(None), "stages": listed}


def _close(client: Any, stored: store.Versioned, removed: list[Stage], timeout: float) -> Any:
    """The stages as they are, the removed ones marked closing; the new version."""
    document = {**_as_found(stored), "closing": [stage.id for stage in removed]}
    return store.write_pipeline(client, document, stored.version, timeout).version


def _reopen(client: Any, stored: store.Versioned, version: Any, timeout: float) -> None:
    """Put back exactly what was there (no document stays no document); if another save
    came in between, it has replaced the closing mark already."""
    with contextlib.suppress(store.PipelineMovedError):
        if stored.document is None:
            store.remove_pipeline(client, version, timeout)
        else:
            store.write_pipeline(client, _as_found(stored), version, timeout)


def _stranded(client: Any, removed: list[Stage], timeout: float) -> list[str]:
    stranded = []
    for stage in removed:
        count = store.count_customers(client, "stage", stage.id, timeout)
        if count:
            who = "1 customer is" if count == 1 else f"{count} customers are"
            stranded.append(f"{who} in “{stage.label}”: move them first.")
    return stranded


def _wanted(body: PipelineRequest, stored: dict[str, Any] | None) -> tuple[str, list[Stage]]:
    if (body.template is None) == (body.stages is None):
        raise Invalid(
            {"template": "Send either a template (studio or trade) or the list of stages."}
        )
    if body.template is not None:
        return body.template, list(TEMPLATES[body.template])
    stages = [Stage(s.id, s.label, s.group, s.whatsapp_template) for s in body.stages or []]
    seen: set[str] = set()
    for index, stage in enumerate(stages):
        if stage.id in seen:
            raise Invalid({f"stages.{index}.id": f"{stage.id!r} is already a stage above."})
        seen.add(stage.id)
    # The owner's own list keeps saying which template it grew from.
    return template_of(stored), stages
