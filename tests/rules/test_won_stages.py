"""Which stages count as won: groups production or won (an old document's delivered),
from the owner's pipeline."""

from __future__ import annotations

import pytest

from hearth.rules.stages import won_stage_ids

DEFAULT_WON = {"deposit_paid", "waiting_production", "in_production", "delivered"}


@pytest.mark.parametrize(
    "pipeline",
    [None, {}, {"stages": []}, {"stages": "lead"}, {"stages": [{"label": "no id"}]}],
    ids=["missing", "empty", "no-stages", "not-a-list", "no-usable-stage"],
)
def test_without_a_usable_pipeline_the_default_production_and_delivered_stages_are_won(
    pipeline,
) -> None:
    assert won_stage_ids(pipeline) == DEFAULT_WON


def test_the_owners_pipeline_decides_by_group() -> None:
    pipeline = {
        "stages": [
            {"id": "enquiry", "label": "Enquiry", "group": "lead"},
            {"id": "booked", "label": "Booked", "group": "production"},
            {"id": "done", "label": "Done", "group": "delivered"},
            {"id": "odd", "label": "No group"},
        ]
    }

    assert won_stage_ids(pipeline) == {"booked", "done"}
