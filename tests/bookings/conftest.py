"""What every booking test starts from."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No HEARTH_ setting from the developer's shell (no calendar, no origins), and no
    minimum fill time: each test states the settings it depends on."""
    for name in list(os.environ):
        if name.startswith("HEARTH_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HEARTH_MIN_FILL_MS", "0")
