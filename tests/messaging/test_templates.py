"""The composer's templates come from the WhatsApp Business account (the local stand-in
of Meta's Graph API), at most hourly, approved ones only, and an outage keeps the list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from devstack.fake_whatsapp import FakeWhatsApp
from hearth import config
from hearth.messaging import sync_templates
from hearth.rules.whatsapp import offered_templates

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def graph() -> Iterator[FakeWhatsApp]:
    with FakeWhatsApp() as fake:
        yield fake


@pytest.fixture
def connected(db, graph, monkeypatch, default_settings) -> FakeWhatsApp:
    graph.reset()
    for name, value in graph.dev_env().items():
        monkeypatch.setenv(name, value)
    return graph


def stored(db) -> dict[str, dict]:
    return {
        s.id: s.to_dict() for s in db.collection("whatsappTemplates").stream() if s.id != "_synced"
    }


def test_only_approved_templates_are_offered_with_how_many_values_they_take(graph) -> None:
    offered = offered_templates(graph.templates["data"])
    assert [(t["name"], t["language"], t["params"]) for t in offered] == [
        ("appointment_reminder", "en", 2),
        ("appointment_reminder", "mt", 2),
        ("viewing_follow_up", "en", 2),
    ]


def test_the_sweep_reads_them_hourly_and_an_outage_keeps_the_last_list(connected, db) -> None:
    assert sync_templates(config.load(), NOW) == 3
    assert set(stored(db)) == {
        "appointment_reminder__en",
        "appointment_reminder__mt",
        "viewing_follow_up__en",
    }
    assert sync_templates(config.load(), NOW + timedelta(minutes=30)) == 0  # not yet time

    connected.set_down(True)
    assert sync_templates(config.load(), NOW + timedelta(hours=2)) == 0
    assert len(stored(db)) == 3
    connected.set_down(False)

    connected.templates = {"data": connected.templates["data"][:1]}  # two were deleted
    assert sync_templates(config.load(), NOW + timedelta(hours=3)) == 1
    assert set(stored(db)) == {"appointment_reminder__en"}


def test_without_whatsapp_nothing_is_read(db, monkeypatch, default_settings) -> None:
    monkeypatch.delenv("HEARTH_WHATSAPP_TOKEN", raising=False)
    assert sync_templates(config.load(), NOW, force=True) == 0
    assert stored(db) == {}


# --- a template per stage, from the pipeline's settings -------------------------------------


def stage_rows(template: str | None) -> dict[str, list[dict[str, str | None]]]:
    return {
        "stages": [
            {"id": "lead", "label": "Lead", "group": "lead"},
            {"id": "viewing", "label": "Viewing", "group": "active", "whatsappTemplate": template},
        ]
    }


@pytest.fixture
def owner_saves(connected, users, function_client):
    """PUT /admin/settings/pipeline as the owner, once the templates have been read."""
    assert sync_templates(config.load(), NOW, force=True) == 3
    admin, headers = function_client("admin"), users.headers("owner", uid="the-owner")
    return lambda body: admin.put("/settings/pipeline", json=body, headers=headers)


def test_a_stage_names_the_template_its_customers_are_offered_first(owner_saves, db) -> None:
    answer = owner_saves(stage_rows("viewing_follow_up"))

    assert answer.status_code == 200, answer.get_data(as_text=True)
    stages = db.collection("settings").document("pipeline").get().to_dict()["stages"]
    assert [s.get("whatsappTemplate") for s in stages] == [None, "viewing_follow_up"]


@pytest.mark.parametrize(
    ("name", "problem"),
    [("no_such_template", "No approved WhatsApp template"), ("Bad Name!", "pattern")],
)
def test_a_template_whatsapp_has_not_approved_is_400_naming_the_stage(
    owner_saves, db, name, problem
) -> None:
    answer = owner_saves(stage_rows(name))

    assert answer.status_code == 400
    assert problem in answer.get_json()["fields"]["stages.1.whatsappTemplate"]
    assert not db.collection("settings").document("pipeline").get().exists


def test_a_template_withdrawn_later_does_not_block_renaming_the_stage(
    owner_saves, connected, db
) -> None:
    assert owner_saves(stage_rows("viewing_follow_up")).status_code == 200
    connected.templates = {"data": connected.templates["data"][:1]}  # withdrawn at Meta
    assert sync_templates(config.load(), NOW + timedelta(hours=2)) == 1

    renamed = stage_rows("viewing_follow_up")
    renamed["stages"][1]["label"] = "Viewing booked"
    assert owner_saves(renamed).status_code == 200
