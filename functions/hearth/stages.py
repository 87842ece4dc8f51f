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
