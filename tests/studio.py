"""The studio template as a user reads it in the issue: id, label and group of each of the
seven stages, in order. Written out by hand (not imported from hearth.rules.stages) so a
test compares the product against what was asked for, not against itself."""

STUDIO = [
    ("lead", "Lead", "lead"),
    ("proposal_sent", "Proposal sent", "active"),
    ("proposal_signed", "Proposal signed", "active"),
    ("deposit_paid", "Deposit paid", "production"),
    ("waiting_production", "Waiting production", "production"),
    ("in_production", "In production", "production"),
    ("delivered", "Delivered", "won"),
]
STUDIO_IDS = tuple(stage_id for stage_id, _, _ in STUDIO)
