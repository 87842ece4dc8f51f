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
