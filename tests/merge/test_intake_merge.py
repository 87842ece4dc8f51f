"""Intake's side of merging: a person first known by their mobile alone (a phone-only
customer, tel:+...) sends a form with that mobile and an e-mail, and the two records
become the e-mail customer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hearth.rules.phones import parse_mobile, phone_key
from hearth.store import customers
from tests.merge.helpers import doc, entries

pytestmark = pytest.mark.usefixtures("default_settings")
E164 = "+35679123456"


def phone_only(db: Any) -> str:
    """A customer as messaging (issue 14) will make one: keyed by the mobile, no e-mail."""
    key = phone_key(E164)
    at = datetime.now(UTC) - timedelta(days=3)
    incoming = customers.Incoming(
        email=None,  # type: ignore[arg-type]  # a phone-only person has none
        form="whatsapp",
        source="whatsapp",
        at=at,
        submission_id="wa-message-0001",
        name="Ana",
        mobile=parse_mobile(E164),
    )
    entry = {"type": "message", "at": at, "text": "Hi, prices?", "actor": {"kind": "whatsapp"}}
    outcome = customers.upsert(db, key, incoming, entry, currency="EUR", timeout=10)
    assert outcome.created
    return key


def test_a_form_with_the_mobile_of_a_phone_only_customer_merges_it_into_the_email_one(
    db, intake
) -> None:
    key = phone_only(db)
    assert key == "tel:+35679123456"
    sent = {
        "form": "contact",
        "email": "ana@example.org",
        "name": "Ana Borg",
        "mobile": "7912 3456",
    }
    response = intake.post("/", json=sent)
    assert response.status_code == 200, response.get_data(as_text=True)

    assert doc(db, key) is None
    survivor = doc(db, "ana@example.org")
    assert survivor["mergedFrom"] == [key]
    assert survivor["name"] == "Ana"  # the older record's name wins by default
    assert survivor["sources"] == ["whatsapp", "direct"] and survivor["firstSource"] == "whatsapp"
    timeline = entries(db, "ana@example.org")
    assert timeline["sub_wa-message-0001"]["mergedFrom"] == key
    merged = [e for e in timeline.values() if e["type"] == "merged"]
    assert len(merged) == 1 and merged[0]["actor"] == {"kind": "intake"}
    assert db.collection("aliases").document(key).get().to_dict()["customer"] == "ana@example.org"

    again = intake.post("/", json=sent)  # a second form: nothing more to merge
    assert again.status_code == 200
    assert len([e for e in entries(db, "ana@example.org").values() if e["type"] == "merged"]) == 1
