"""Intake tells the day's roll-up about forms and new customers, so the dashboard's
leads and form figures are right even when a visitor's browser blocks /track.js."""

from __future__ import annotations

import contextlib
from typing import Any

from tests.analytics.helpers import rollup, today


def submit(intake: Any, **fields: Any) -> None:
    data = {"form": "contact", "email": "ana.borg@example.org", **fields}
    response = intake.post("/", json=data)
    assert response.status_code == 200, response.get_data(as_text=True)


def test_each_accepted_form_counts_and_each_new_customer_is_a_lead_of_its_source(
    intake, db
) -> None:
    submit(intake, source="Instagram", submission_id="first-submission")
    submit(intake, form="pricing", source="google")  # the same person again: no new lead
    submit(intake, email="joe@example.org")
    submit(intake, source="Instagram", submission_id="first-submission")  # a retry

    figures = rollup(db, today())
    assert figures["forms"] == {"contact": 2, "pricing": 1}
    assert figures["leads"] == 2
    assert figures["leadSources"] == {"instagram": 1, "direct": 1}


def test_a_bots_submission_counts_nowhere(intake, db) -> None:
    submit(intake, website="http://spam.example")  # the honeypot

    assert rollup(db, today()) == {}


def test_a_form_without_a_source_is_credited_to_the_visit_the_snippet_counted(
    intake, track, db
) -> None:
    from tests.analytics.helpers import CHROME, FIREFOX, send

    site = "http://127.0.0.1:5000"
    browser = {"Origin": site, "User-Agent": CHROME}
    hit = {"id": "hit-00000001", "name": "pageview", "url": f"{site}/site/?utm_source=Newsletter"}
    assert send(track, hit, headers={"Origin": site}).status_code == 202

    for email, agent in (("ana@example.org", CHROME), ("joe@example.org", FIREFOX)):
        answer = intake.post(
            "/",
            json={"form": "contact", "email": email},
            headers={**browser, "User-Agent": agent},
            environ_base={"REMOTE_ADDR": "203.0.113.7"},
        )
        assert answer.status_code == 200, answer.get_data(as_text=True)

    first = {
        key: db.collection("customers").document(key).get().get("firstSource")
        for key in ("ana@example.org", "joe@example.org")
    }
    assert first == {"ana@example.org": "newsletter", "joe@example.org": "direct"}
    assert rollup(db, today())["leadSources"] == {"newsletter": 1, "direct": 1}


class StoppedError(Exception):
    """The function's process ending right after a commit, before it could answer."""


def test_a_submission_whose_answer_was_lost_is_counted_once_when_the_site_retries(
    intake, db, monkeypatch
) -> None:
    """The first attempt stores the customer and then stops (the answer never reaches
    the site); the retry with the same id is answered as done. Whatever was stored is
    counted, once: the count is part of the customer's own commit."""
    from hearth.store import customers

    upsert = customers.upsert

    def stop_after_commit(*args: Any, **kwargs: Any) -> Any:
        upsert(*args, **kwargs)
        raise StoppedError

    monkeypatch.setattr(customers, "upsert", stop_after_commit)
    data = {"form": "contact", "email": "ana.borg@example.org", "source": "Instagram"}
    with contextlib.suppress(StoppedError):  # or answered 500: the site retries either way
        intake.post("/", json={**data, "submission_id": "lost-answer-1"})
    monkeypatch.setattr(customers, "upsert", upsert)
    assert db.collection("customers").document("ana.borg@example.org").get().exists

    for _ in range(2):  # the site's retry, and a second one for good measure
        submit(intake, **data, submission_id="lost-answer-1")

    figures = rollup(db, today())
    assert figures["forms"] == {"contact": 1}
    assert figures["leads"] == 1
    assert figures["leadSources"] == {"instagram": 1}
