"""The pipeline stages a customer moves through, and the two ready templates.

Stage is where a deal stands; source is where the lead came from. They are separate
fields from the first record on, so a report can ask which source produces deals
that close.

A stage's id never changes once customers hold it (renaming and reordering touch only
label and order), so a customer's stage and its recorded history keep their meaning
whatever the owner calls the stage later. The group, not the stage, colours the pill:
a team with twelve stages still reads three colours (active leads, in production,
won) and a grey for lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GROUPS: tuple[str, ...] = ("lead", "active", "production", "won", "lost")
# Documents saved before the groups were managed said "delivered" for what is now "won".
LEGACY_GROUPS = {"delivered": "won"}
STAGE_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_STAGES = 30
MAX_LABEL = 60
# A WhatsApp template's name as Meta allows it: lowercase letters, digits, underscores.
WHATSAPP_TEMPLATE = re.compile(r"^[a-z0-9_]{1,512}$")


@dataclass(frozen=True)
class Stage:
    id: str
    label: str
    group: str  # one of GROUPS: drives the pill colour and what counts as won
    # The approved WhatsApp template offered first to a customer in this stage (its
    # name: every language of it), once their 24-hour window has closed.
    whatsapp_template: str | None = None


TEMPLATES: dict[str, tuple[Stage, ...]] = {
    "studio": (
        Stage("lead", "Lead", "lead"),
        Stage("proposal_sent", "Proposal sent", "active"),
        Stage("proposal_signed", "Proposal signed", "active"),
        Stage("deposit_paid", "Deposit paid", "production"),
        Stage("waiting_production", "Waiting production", "production"),
        Stage("in_production", "In production", "production"),
        Stage("delivered", "Delivered", "won"),
    ),
    "trade": (
        Stage("new", "New", "lead"),
        Stage("demo_scheduled", "Demo scheduled", "active"),
        Stage("demo_completed", "Demo completed", "active"),
        Stage("first_request_submitted", "First request submitted", "active"),
        Stage("first_order_placed", "First order placed", "won"),
        Stage("active_customer", "Active customer", "won"),
    ),
}
DEFAULT_TEMPLATE = "studio"
DEFAULT_STAGES: tuple[Stage, ...] = TEMPLATES[DEFAULT_TEMPLATE]

FIRST_STAGE = DEFAULT_STAGES[0].id


def stages_of(pipeline: object) -> tuple[Stage, ...]:
    """The stages of a settings/pipeline document, in order, else the defaults.

    A missing or malformed document must not freeze every customer where they stand,
    so anything unusable falls back to the defaults rather than to "no stages". Stages
    are sorted by ``order`` when every one carries it (list position otherwise), and an
    old group name is read as today's ("delivered" is "won").
    """
    raw = pipeline.get("stages") if isinstance(pipeline, dict) else None
    if not isinstance(raw, list):
        return DEFAULT_STAGES
    usable = [
        stage
        for stage in raw
        if isinstance(stage, dict) and isinstance(stage.get("id"), str) and stage["id"]
    ]
    if not usable:
        return DEFAULT_STAGES
    if all(isinstance(stage.get("order"), int) for stage in usable):
        usable.sort(key=lambda stage: stage["order"])
    return tuple(
        Stage(stage["id"], _label(stage), _group(stage.get("group")), _template(stage))
        for stage in usable
    )


def template_of(pipeline: object) -> str:
    """The template the owner's stages started from (the default when none is said)."""
    template = pipeline.get("template") if isinstance(pipeline, dict) else None
    return template if template in TEMPLATES else DEFAULT_TEMPLATE


def first_stage(pipeline: object) -> str:
    """Where a new customer starts: the pipeline's first stage."""
    return stages_of(pipeline)[0].id


def pipeline_stage_ids(pipeline: object) -> tuple[str, ...]:
    """The stage ids a customer may be moved to: not one the owner is removing (listed
    in ``closing`` while the removal counts who is still in it)."""
    closing = pipeline.get("closing") if isinstance(pipeline, dict) else None
    closed = set(closing) if isinstance(closing, list) else set()
    return tuple(stage.id for stage in stages_of(pipeline) if stage.id not in closed)


WON_GROUPS = frozenset({"production", "won"})


def won_stage_ids(pipeline: object) -> frozenset[str]:
    """The stages that count as a closed deal: those whose group is production or won.

    A deposit paid is a deal won even before delivery. Read with the same fallback as
    :func:`pipeline_stage_ids`, so a report never counts a stage the pipeline no longer
    has and never counts nothing because the document is broken.
    """
    return frozenset(stage.id for stage in stages_of(pipeline) if stage.group in WON_GROUPS)


def _group(raw: object) -> str:
    group = LEGACY_GROUPS.get(raw, raw) if isinstance(raw, str) else None
    return group if group in GROUPS else "lead"


def _template(stage: dict) -> str | None:
    name = stage.get("whatsappTemplate")
    return name if isinstance(name, str) and WHATSAPP_TEMPLATE.match(name) else None


def _label(stage: dict) -> str:
    label = stage.get("label")
    if isinstance(label, str) and label.strip():
        return label.strip()
    text = stage["id"].replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]
