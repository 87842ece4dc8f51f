"""Entries on a customer's timeline (customers/{key}/activity).

Entries are only ever created, never changed: the timeline is the record of what
each person sent and what was done, including consent answers, so it must read the
same tomorrow as it does today.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hearth.phones import Mobile

COLLECTION = "activity"


def submission_entry_id(submission_id: str) -> str:
    """Keyed by the client's submission id, so a retried submission is found, not doubled."""
    return f"sub_{submission_id}"


def form_submission(
    *,
    form: str,
    submission_id: str,
    at: datetime,
    email: str,
    name: str | None,
    company: str | None,
    mobile: Mobile | None,
    message: str | None,
    consent: bool | None,
    source: str,
    page: str | None,
    answers: dict[str, Any],
) -> dict[str, Any]:
    """The whole submission as it arrived, so nothing a person sent is ever lost."""
    return {
        "type": "form_submission",
        "at": at,
        "form": form,
        "submissionId": submission_id,
        "fields": {
            "email": email,
            "name": name,
            "company": company,
            "mobile": mobile.typed if mobile else None,
            "message": message,
        },
        "mobile": (
            {"typed": mobile.typed, "e164": mobile.e164, "valid": mobile.valid} if mobile else None
        ),
        "consent": consent,
        "source": source,
        "page": page,
        "answers": answers,
        "actor": {"kind": "public_form"},
    }
