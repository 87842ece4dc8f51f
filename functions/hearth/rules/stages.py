"""The pipeline stages a customer moves through.

Stage is where a deal stands; source is where the lead came from. They are separate
fields from the first record on, so a report can ask which source produces deals
that reach "delivered".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    id: str
    label: str
    group: str  # "lead" | "production" | "delivered": drives the pill colour


DEFAULT_STAGES: tuple[Stage, ...] = (
    Stage("lead", "Lead", "lead"),
    Stage("proposal_sent", "Proposal sent", "lead"),
    Stage("proposal_signed", "Proposal signed", "lead"),
    Stage("deposit_paid", "Deposit paid", "production"),
    Stage("waiting_production", "Waiting production", "production"),
    Stage("in_production", "In production", "production"),
    Stage("delivered", "Delivered", "delivered"),
)

FIRST_STAGE = DEFAULT_STAGES[0].id


def pipeline_stage_ids(pipeline: object) -> tuple[str, ...]:
    """The stage ids a customer may be moved to: the owner's settings/pipeline document
    when it lists any, else the defaults.

    A missing or malformed document must not freeze every customer where they stand,
    so anything unusable falls back to the defaults rather than to "no stages".
    """
    stages = pipeline.get("stages") if isinstance(pipeline, dict) else None
    if isinstance(stages, list):
        ids = tuple(
            stage["id"]
            for stage in stages
            if isinstance(stage, dict) and isinstance(stage.get("id"), str) and stage["id"]
        )
        if ids:
            return ids
    return tuple(stage.id for stage in DEFAULT_STAGES)


WON_GROUPS = frozenset({"production", "delivered"})


def won_stage_ids(pipeline: object) -> frozenset[str]:
    """The stages that count as won: those whose group is production or delivered.

    A deposit paid is a deal won even before delivery. Read from the same document, with
    the same fallback, as :func:`pipeline_stage_ids`, so a report never counts a stage
    the pipeline no longer has and never counts nothing because the document is broken.
    """
    stages = pipeline.get("stages") if isinstance(pipeline, dict) else None
    if isinstance(stages, list):
        usable = [
            stage
            for stage in stages
            if isinstance(stage, dict) and isinstance(stage.get("id"), str) and stage["id"]
        ]
        if usable:
            return frozenset(stage["id"] for stage in usable if stage.get("group") in WON_GROUPS)
    return frozenset(stage.id for stage in DEFAULT_STAGES if stage.group in WON_GROUPS)
