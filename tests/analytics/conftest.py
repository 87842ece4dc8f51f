"""The track function on an emptied store, with no salt left in the process's memory."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def track(db, function_client, default_settings) -> Any:
    from hearth.store import analytics

    analytics.forget_salts()
    yield function_client("track")
    analytics.forget_salts()
