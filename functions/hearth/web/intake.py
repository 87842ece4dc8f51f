"""POST /intake: a public form submission becomes (part of) a customer.

What is HTTP about a form lives here: a plain HTML form post may ask to be sent back
to a thank-you page, and a client may name its retry with an Idempotency-Key header.
What is not (validation, spam, the upsert) is hearth.intake's. A new customer is
routed after the answer has gone out (Reply.after), so the visitor never waits for
the router.
"""

from __future__ import annotations

import functools
import uuid
from typing import Any

from hearth import analytics, routing
from hearth.errors import Invalid
from hearth.intake import service, submission
from hearth.rules import sources, spam
from hearth.rules.urls import origin_of
from hearth.web import http
from hearth.web.endpoint import Call, Reply, endpoint


@endpoint(methods="POST, OPTIONS", wrong_method="Send the form with POST.")
def handle(call: Call) -> Reply:
    settings = call.settings
    data, is_form_post = call.body()
    redirect = _redirect_target(data, settings.allowed_origins) if is_form_post else None
    reason = spam.verdict(data, settings.min_fill_ms)
    if reason:
        service.count_spam(reason)
        return _accepted(uuid.uuid4().hex, redirect)
    sent = _credited_to_the_visit(call, submission.parse(data, is_form_post))
    submission_id = sent.submission_id or call.idempotency_key()
    pending = service.submit(sent, submission_id, settings)
    reply = _accepted(submission_id, redirect)
    if pending:  # routed right after the answer is sent; the sweep is the backstop
        reply.after = functools.partial(routing.nudge, settings)
    return reply


def _credited_to_the_visit(call: Call, sent: submission.Submission) -> submission.Submission:
    """A form with no source of its own takes the source of the visit /track.js counted
    today for the same browser (the hash needs the address and user agent, which only
    this edge sees)."""
    origin = call.header("Origin")
    if not origin or sources.normalise(sent.source) != sources.DIRECT:
        return sent
    sender = analytics.Sender(http.client_ip(call.request), call.header("User-Agent"))
    visit = analytics.visit_source(origin, sender, call.settings)
    return sent.model_copy(update={"source": visit}) if visit else sent


def _redirect_target(data: dict[str, Any], allowed: frozenset[str]) -> str | None:
    target = data.get("_redirect")
    if not target:
        return None
    if not isinstance(target, str) or origin_of(target) not in allowed:
        raise Invalid({"_redirect": "The redirect must be an absolute URL on an allowed origin."})
    return target


def _accepted(submission_id: str, redirect: str | None) -> Reply:
    if redirect:
        return Reply.redirect(redirect)
    return Reply(submission.Accepted(submission_id=submission_id).model_dump())
