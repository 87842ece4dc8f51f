"""The pipeline's stages as every reader sees them: the two templates, an owner's own
list in its order, and documents saved before the groups were managed."""

from __future__ import annotations

import pytest

from hearth.rules.stages import (
    DEFAULT_STAGES,
    GROUPS,
    STAGE_ID,
    TEMPLATES,
    first_stage,
    pipeline_stage_ids,
    stages_of,
    template_of,
    won_stage_ids,
)
from tests.studio import STUDIO_IDS


def test_the_studio_template_keeps_the_seven_ids_customers_already_hold() -> None:
    assert tuple(stage.id for stage in DEFAULT_STAGES) == STUDIO_IDS
    assert [stage.group for stage in DEFAULT_STAGES] == [
        "lead",
        "active",
        "active",
        "production",
        "production",
        "production",
        "won",
    ]


def test_the_trade_template_starts_new_and_wins_at_the_first_order() -> None:
    trade = {"template": "trade", "stages": [vars(stage) for stage in TEMPLATES["trade"]]}

    assert pipeline_stage_ids(trade) == (
        "new",
        "demo_scheduled",
        "demo_completed",
        "first_request_submitted",
        "first_order_placed",
        "active_customer",
    )
    assert first_stage(trade) == "new"
    assert won_stage_ids(trade) == {"first_order_placed", "active_customer"}
    assert template_of(trade) == "trade"


def test_every_template_stage_has_a_valid_id_and_group() -> None:
    for stages in TEMPLATES.values():
        assert all(STAGE_ID.fullmatch(stage.id) for stage in stages)
        assert all(stage.group in GROUPS for stage in stages)


def test_an_old_document_with_the_delivered_group_reads_as_won() -> None:
    old = {
        "stages": [
            {"id": "lead", "label": "Lead", "group": "lead"},
            {"id": "deposit_paid", "label": "Deposit paid", "group": "production"},
            {"id": "delivered", "label": "Delivered", "group": "delivered"},
        ]
    }

    assert [stage.group for stage in stages_of(old)] == ["lead", "production", "won"]
    assert won_stage_ids(old) == {"deposit_paid", "delivered"}
    assert template_of(old) == "studio"


def test_stages_follow_their_order_not_their_place_in_the_list() -> None:
    pipeline = {
        "stages": [
            {"id": "b", "label": "Second", "group": "active", "order": 1},
            {"id": "a", "label": "First", "group": "lead", "order": 0},
        ]
    }

    assert pipeline_stage_ids(pipeline) == ("a", "b")
    assert first_stage(pipeline) == "a"


def test_a_lost_stage_is_never_won_and_an_unknown_group_is_a_lead() -> None:
    pipeline = {
        "stages": [
            {"id": "open", "label": "", "group": "sideways"},
            {"id": "gone", "label": "Gone", "group": "lost"},
        ]
    }

    stages = stages_of(pipeline)
    assert [(stage.label, stage.group) for stage in stages] == [("Open", "lead"), ("Gone", "lost")]
    assert won_stage_ids(pipeline) == set()


@pytest.mark.parametrize("pipeline", [None, {}, {"stages": []}, {"stages": [{"id": ""}]}])
def test_an_unusable_document_falls_back_to_the_studio_stages(pipeline) -> None:
    assert pipeline_stage_ids(pipeline) == STUDIO_IDS
    assert first_stage(pipeline) == "lead"
