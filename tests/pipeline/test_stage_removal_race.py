"""A stage removed while a customer is being moved into it, on the real emulators.

The two requests are interleaved at fixed points (a hook runs the other request to its
end from inside the first, no store is faked), in each order that could strand a
customer: whichever lands, no customer may end up in a stage the pipeline no longer has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from hearth import config
from hearth.customers import operations
from hearth.pipeline import PipelineRequest, save_pipeline
from hearth.rules.roles import Principal, Role
from hearth.rules.timestamps import iso
from tests.answers import refusal
from tests.studio import STUDIO

pytestmark = pytest.mark.usefixtures("default_settings")

OWNER = Principal(uid="the-owner", role=Role.OWNER, email="owner@example.org")
KEY = "mover@example.org"
WITHOUT_WAITING = {
    "stages": [
        {"id": i, "label": label, "group": group}
        for i, label, group in STUDIO
        if i != "waiting_production"
    ]
}


@pytest.fixture
def admin(db, users, function_client):
    return function_client("admin")


@pytest.fixture
def owner(users) -> dict[str, str]:
    return users.headers("owner", uid="the-owner")


@pytest.fixture
def customer(intake, db) -> dict[str, Any]:
    response = intake.post("/", json={"form": "contact", "email": KEY})
    assert response.status_code == 200, response.get_data(as_text=True)
    return db.collection("customers").document(KEY).get().to_dict()


def move_body(customer: dict[str, Any]) -> dict[str, Any]:
    return {
        "expected_updated_at": iso(customer["updatedAt"]),
        "changes": {"stage": "waiting_production"},
    }


@pytest.fixture
def once(monkeypatch) -> Iterator[Callable[[Any, str, Callable[[], None]], None]]:
    """Run ``between`` the first time ``owner.name`` returns (the point of interleaving)."""

    def install(owner: Any, name: str, between: Callable[[], None]) -> None:
        original = getattr(owner, name)
        fired: list[bool] = []

        def hooked(*args: Any, **kwargs: Any) -> Any:
            answer = original(*args, **kwargs)
            if not fired:
                fired.append(True)
                between()
            return answer

        monkeypatch.setattr(owner, name, hooked)

    yield install


def stage_ids(db: Any) -> list[str]:
    document = db.collection("settings").document("pipeline").get().to_dict() or {}
    assert "closing" not in document  # the removal's mark never outlives it
    return [stage["id"] for stage in document.get("stages", [])]


def test_a_removal_landing_between_the_moves_read_and_commit_refuses_the_move(
    admin, db, owner, customer, once
) -> None:
    """The move checked the stage against the old pipeline; the removal found nobody in
    the stage and saved. The move must not land on its stale check."""
    removed: list[dict[str, Any]] = []
    once(
        operations,
        "_decide",
        lambda: removed.append(
            save_pipeline(PipelineRequest.model_validate(WITHOUT_WAITING), OWNER, config.load())
        ),
    )

    answer = refusal(admin.patch(f"/customers/{KEY}", json=move_body(customer), headers=owner), 400)

    assert "changes.stage" in answer["fields"]
    assert removed and "waiting_production" not in stage_ids(db)
    assert db.collection("customers").document(KEY).get().to_dict()["stage"] == "lead"


def test_a_move_landing_after_the_removal_read_the_pipeline_keeps_the_stage(
    admin, db, owner, customer, once
) -> None:
    """The removal read the pipeline, then the move landed before anything was counted:
    the removal counts the customer and is refused; the customer's stage still exists."""
    from hearth.pipeline import stages

    moved: list[dict[str, Any]] = []

    def move() -> None:
        body = operations.PatchRequest.model_validate(move_body(customer))
        moved.append(operations.run(OWNER, KEY, None, body, config.load()))

    once(stages.store, "read_versioned", move)

    answer = refusal(admin.put("/settings/pipeline", json=WITHOUT_WAITING, headers=owner), 409)

    assert answer["fields"]["stages"] == "1 customer is in “Waiting production”: move them first."
    assert moved and moved[0]["outcome"] == "applied"
    assert db.collection("customers").document(KEY).get().to_dict()["stage"] == (
        "waiting_production"
    )
    assert not db.collection("settings").document("pipeline").get().exists  # as it was


def test_a_move_during_the_removals_count_is_refused_and_the_removal_saved(
    admin, db, owner, customer, once
) -> None:
    """Once the removal has marked the stage closing, a move into it is a 400 while the
    removal counts; the removal then saves."""
    from hearth.pipeline import stages

    refused: list[Any] = []

    def move() -> None:
        body = operations.PatchRequest.model_validate(move_body(customer))
        with pytest.raises(operations.changes.RefusedError) as caught:
            operations.run(OWNER, KEY, None, body, config.load())
        refused.append(caught.value)

    once(stages.store, "count_customers", move)

    answer = admin.put("/settings/pipeline", json=WITHOUT_WAITING, headers=owner)

    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert refused and "changes.stage" in refused[0].fields
    assert "waiting_production" not in stage_ids(db)
    assert db.collection("customers").document(KEY).get().to_dict()["stage"] == "lead"


def test_a_move_into_a_kept_stage_is_not_held_up_by_a_removal(
    admin, db, owner, customer, once
) -> None:
    """Only the removed stage is closed: a move elsewhere during the count lands."""
    from hearth.pipeline import stages

    moved: list[dict[str, Any]] = []

    def move() -> None:
        body = operations.PatchRequest.model_validate(
            {**move_body(customer), "changes": {"stage": "proposal_sent"}}
        )
        moved.append(operations.run(OWNER, KEY, None, body, config.load()))

    once(stages.store, "count_customers", move)

    assert admin.put("/settings/pipeline", json=WITHOUT_WAITING, headers=owner).status_code == 200
    assert moved[0]["outcome"] == "applied"
    assert db.collection("customers").document(KEY).get().to_dict()["stage"] == "proposal_sent"


def test_a_refused_removal_leaves_the_saved_pipeline_exactly_as_it_was(
    admin, db, owner, customer
) -> None:
    renamed = {"stages": [{"id": i, "label": f"{label}!", "group": g} for i, label, g in STUDIO]}
    assert admin.put("/settings/pipeline", json=renamed, headers=owner).status_code == 200
    moved = admin.patch(f"/customers/{KEY}", json=move_body(customer), headers=owner)
    assert moved.status_code == 200, moved.get_data(as_text=True)
    before = db.collection("settings").document("pipeline").get().to_dict()

    refusal(admin.put("/settings/pipeline", json=WITHOUT_WAITING, headers=owner), 409)

    assert db.collection("settings").document("pipeline").get().to_dict() == before
