"""Intake tells the day's roll-up about forms and new customers, so the dashboard's
leads and form figures are right even when a visitor's browser blocks /track.js."""

from __future__ import annotations

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
