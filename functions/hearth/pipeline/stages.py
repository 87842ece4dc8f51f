"""The owner's stages: pick a template, or rename, reorder, add and remove stages.

A stage's id is what customers and their history hold, so renaming and reordering keep
every id, and a stage customers are still in cannot be removed (nor can a template
switch drop it): the owner is told how many customers to move first, rather than
finding them later in a stage that no longer exists.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from hearth import config
from hearth.errors import Conflict, Forbidden, Invalid
from hearth.rules.roles import Principal, can_manage_lists
from hearth.rules.stages import (
    MAX_LABEL,
    MAX_STAGES,
    STAGE_ID,
    TEMPLATES,
    Stage,
    stages_of,
    template_of,
)
from hearth.store import client as db
from hearth.store import pipeline as store

Group = Literal["lead", "active", "production", "won", "lost"]


class StageIn(BaseModel):
    """One stage as the owner sends it; its place in the list is its order."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: Annotated[str, Field(pattern=STAGE_ID.pattern, description="Stable slug; never reused.")]
    label: Annotated[str, Field(min_length=1, max_length=MAX_LABEL)]
    group: Group


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
    """Store the new stages unless that would strand customers in a removed stage."""
    client, timeout = db.client(), settings.store_timeout_s
    stored = store.read_pipeline(client, timeout)
    template, stages = _wanted(body, stored)
    _refuse_in_use(client, stages_of(stored), stages, timeout)
    listed = [
        {"id": stage.id, "label": stage.label, "group": stage.group, "order": order}
        for order, stage in enumerate(stages)
    ]
    store.save_pipeline(
        client,
        {
            "template": template,
            "stages": listed,
            "updatedAt": datetime.now(UTC),
            "updatedBy": {"uid": owner.uid, "email": owner.email},
        },
        timeout,
    )
    return {"template": template, "stages": listed}


def _wanted(body: PipelineRequest, stored: dict[str, Any] | None) -> tuple[str, list[Stage]]:
    if (body.template is None) == (body.stages is None):
        raise Invalid(
            {"template": "Send either a template (studio or trade) or the list of stages."}
        )
    if body.template is not None:
        return body.template, list(TEMPLATES[body.template])
    stages = [Stage(s.id, s.label, s.group) for s in body.stages or []]
    seen: set[str] = set()
    for index, stage in enumerate(stages):
        if stage.id in seen:
            raise Invalid({f"stages.{index}.id": f"{stage.id!r} is already a stage above."})
        seen.add(stage.id)
    # The owner's own list keeps saying which template it grew from.
    return template_of(stored), stages


def _refuse_in_use(
    client: Any, before: tuple[Stage, ...], after: list[Stage], timeout: float
) -> None:
    kept = {stage.id for stage in after}
    stranded = []
    for stage in before:
        if stage.id in kept:
            continue
        count = store.count_customers(client, "stage", stage.id, timeout)
        if count:
            who = "1 customer is" if count == 1 else f"{count} customers are"
            stranded.append(f"{who} in “{stage.label}”: move them first.")
    if stranded:
        raise Conflict(
            "A stage that customers are in cannot be removed.",
            {"stages": " ".join(stranded)},
            code="stage_in_use",
        )
