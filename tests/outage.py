"""A store outage without a mock: the functions pointed at a port nobody listens on."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def store_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the functions at a port nobody listens on, then back at the live emulator."""
    from devstack import emulators
    from hearth.store import client as hearth_db

    live = os.environ["FIRESTORE_EMULATOR_HOST"]
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", f"127.0.0.1:{emulators.free_port()}")
    monkeypatch.setenv("HEARTH_STORE_TIMEOUT_S", "1")
    hearth_db.reset()
    try:
        yield
    finally:
        monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", live)
        hearth_db.reset()
