"""Making the reports' inputs through the real API paths (intake, the admin API, the
booking widget), and reading what the reports store holds."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest

from hearth import config
from hearth.rules import deal_figures
from hearth.rules.stages import stages_of
from hearth.rules.timestamps import iso
from hearth.store import deal_reports
from hearth.store import events as domain_events
from hearth.store import pipeline as pipeline_store

MALTA = "Europe/Malta"


def later() -> datetime:
    """A sweep's "now" at which every event made so far has settled."""
    return datetime.now(UTC) + timedelta(minutes=1)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No HEARTH_ setting from the shell; Malta's time; no minimum fill time."""
    for name in list(os.environ):
        if name.startswith("HEARTH_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HEARTH_MIN_FILL_MS", "0")
    monkeypatch.setenv("HEARTH_TIME_ZONE", MALTA)


def lead(intake: Any, email: str, source: str | None = None) -> str:
    body = {"form": "contact", "email": email, "name": email.split("@")[0]}
    if source is not None:
        body["source"] = source
    response = intake.post("/", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return email


def _path(key: str, action: str = "") -> str:
    path = f"/customers/{quote(key, safe='')}"
    return f"{path}/{action}" if action else path


def _seen(db: Any, key: str) -> str:
    return iso(db.collection("customers").document(key).get().to_dict()["updatedAt"])


def patch(admin: Any, db: Any, headers: dict[str, str], key: str, **changes: Any) -> None:
    body = {"expected_updated_at": _seen(db, key), "changes": changes}
    response = admin.patch(_path(key), json=body, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)


def pay(admin: Any, db: Any, headers: dict[str, str], key: str, amount: int, pay_id: str) -> None:
    owed = {"pending": amount, "expected_updated_at": _seen(db, key)}
    response = admin.put(_path(key, "owed"), json=owed, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = {"amount": amount, "payment_id": pay_id}
    response = admin.post(_path(key, "payments"), json=body, headers=headers)
    assert response.status_code in (200, 201), response.get_data(as_text=True)


def all_events(db: Any) -> list[dict[str, Any]]:
    return domain_events.after(db, None, later(), 10_000, 10)


def stored(db: Any) -> dict[tuple[str, str], dict[str, Any]]:
    return deal_reports.everything(db, 10)


def folded_at_once(db: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """What the report collections hold if every event is folded in one go."""
    settings = config.load()
    stages = stages_of(pipeline_store.read_pipeline(db, 10))
    facts, deltas = deal_figures.fold_all({}, all_events(db), stages, settings.time_zone)
    found = dict(deal_figures.documents(deltas))
    found.update({("report_customers", key): f.document() for key, f in facts.items()})
    return found
