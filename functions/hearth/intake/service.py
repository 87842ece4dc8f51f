"""Form intake: every public form on the owner's site becomes (part of) a customer.

The one rule above all: a person who pressed "send" is never lost. Bad input is
answered with what to fix, a store outage with "try again" (and the same submission id
makes the retry safe), and a value that disagrees with the record is kept on the
timeline instead of being dropped or written over the owner's data.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from hearth import config, fields, merge
from hearth.errors import HearthError
from hearth.intake.submission import Submission
from hearth.rules import emails, sources, suppression, traffic
from hearth.store import analytics as analytics_store
from hearth.store import client as db
from hearth.store import counters, customers
from hearth.store import timeline as activity

log = logging.getLogger(__name__)


def submit(submission: Submission, submission_id: str, settings: config.Settings) -> bool:
    """Record one public submission; a store outage surfaces as a retryable error.

    Answers whether it made a customer that waits for routing. The caller nudges the
    router (hearth.routing.nudge) after the visitor has their answer, not here: routing
    is the team's concern, and the form must answer as fast as it did without it.
    """
    return store(db.client(), submission, submission_id, settings).pending


def store(
    client: Any,
    submission: Submission,
    submission_id: str,
    settings: config.Settings,
    at: datetime | None = None,
    actor: dict[str, Any] | None = None,
) -> customers.Outcome:
    """Upsert the customer and add the submission to its timeline.

    The one path every customer-making caller takes (intake, booking, sample data),
    so a customer looks the same whichever door they came in by. ``at`` is now unless
    the caller replays history (sample data); ``actor`` names staff who entered it.
    """
    from hearth.rules.phones import parse_mobile

    at = at or datetime.now(UTC)
    mobile = parse_mobile(submission.mobile, settings.phone_region) if submission.mobile else None
    source = sources.normalise(submission.source)
    incoming = customers.Incoming(
        email=submission.email,
        form=submission.form,
        source=source,
        at=at,
        submission_id=submission_id,
        name=submission.name,
        company=submission.company,
        mobile=mobile,
        consent=submission.consent,
        suppression_keys=tuple(
            suppression.keys(
                settings.privacy_secret,
                emails.customer_key(submission.email),
                mobile.e164 if mobile else None,
            )
        ),
        **_custom_answers(client, submission, settings),
    )
    entry = activity.form_submission(
        form=submission.form,
        submission_id=submission_id,
        at=at,
        email=submission.email,
        name=submission.name,
        company=submission.company,
        mobile=mobile,
        message=submission.message,
        consent=submission.consent,
        source=source,
        page=submission.page,
        answers=submission.answers,
    )
    if actor is not None:  # staff booking a call for someone, not the person themselves
        entry["actor"] = actor
    outcome = customers.upsert(
        client,
        emails.customer_key(submission.email),
        incoming,
        entry,
        currency=settings.currency,
        timeout=settings.store_timeout_s,
        tally=_tally(submission.form, source, at, settings),
    )
    if outcome.phone and outcome.phone != outcome.key and not outcome.duplicate:
        _merge_phone_customer(client, outcome.key, outcome.phone, settings)
    return outcome


def _merge_phone_customer(client: Any, key: str, phone: str, settings: config.Settings) -> None:
    """A person known by their mobile alone (a message, issue 14) just sent a form with
    that mobile and an e-mail: one person, so the phone-only record is merged into the
    e-mail one. The submission is stored already; a merge that cannot be done (two
    currencies) leaves both records for the owner's duplicates screen, never the
    visitor's form unanswered."""
    try:
        merge.merge_customers(client, key, phone, actor={"kind": "intake"}, settings=settings)
    except HearthError as refusal:
        log.warning("intake could not merge %s into %s: %s", phone, key, refusal)


def _custom_answers(
    client: Any, submission: Submission, settings: config.Settings
) -> dict[str, Any]:
    """Answers whose key is a defined custom field, when valid: they fill the customer's
    field if it is empty (never overwrite). One read of settings/fields, only for a
    submission that has answers at all. Money is read in the business currency, the one
    a new customer's balances get."""
    if not submission.answers:
        return {}
    definitions = fields.load_settings(client, settings.store_timeout_s)
    custom = fields.from_answers(definitions, submission.answers, settings.currency)
    money = frozenset(field.key for field in definitions.fields if field.type == "money")
    return {"custom": custom, "custom_money": money, "custom_currency": settings.currency}


def _tally(
    form: str, source: str, at: datetime, settings: config.Settings
) -> analytics_store.Tally:
    """The day's analytics roll-up learns of every accepted submission and every new
    customer here, not from the site snippet, so the figures are right even when a
    visitor's browser blocks the snippet. Counted in the customer's own commit, so a
    submission is counted exactly once, however often it is retried."""
    return analytics_store.Tally(
        day=traffic.day_key(traffic.business_day(at, settings.time_zone)),
        shards=settings.analytics_shards,
        always={"forms": {form: 1}},
        if_new={"leads": 1, "leadSources": {source: 1}},
    )


def count_spam(reason: str) -> None:
    """A bot's submission is counted, never stored: see rules.spam."""
    counters.count_spam(reason, datetime.now(UTC))
