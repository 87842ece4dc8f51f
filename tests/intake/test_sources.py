"""Intake keeps the sources list whole: a source seen for the first time is added as
`inbound` with the customer who brought it, and a source the owner already described
is never written over.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from hearth.rules.emails import customer_key

pytestmark = pytest.mark.usefixtures("default_settings")


def post(intake: Any, email: str, source: str | None, submission_id: str | None = None) -> None:
    body: dict[str, Any] = {"form": "contact", "email": email}
    if source is not None:
        body["source"] = source
    if submission_id:
        body["submission_id"] = submission_id
    response = intake.post("/", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)


def source(db: Any, source_id: str) -> dict[str, Any] | None:
    snapshot = db.collection("sources").document(source_id).get()
    return snapshot.to_dict() if snapshot.exists else None


def test_a_new_source_is_added_as_inbound_with_its_first_customer(intake, db) -> None:
    post(intake, "ana@example.org", "https://www.instagram.com/p/xyz")

    added = source(db, "instagram")
    assert added is not None
    assert added["id"] == "instagram"
    assert added["kind"] == "inbound"
    assert added["label"] == "instagram"
    customer = db.collection("customers").document(customer_key("ana@example.org")).get()
    assert customer.to_dict()["firstSource"] == "instagram"
    assert added["createdAt"] == customer.to_dict()["createdAt"]


def test_a_known_customer_bringing_a_new_source_adds_it_too(intake, db) -> None:
    post(intake, "ana@example.org", None)
    post(intake, "ana@example.org", "newsletter-may")

    assert source(db, "direct")["kind"] == "inbound"
    assert source(db, "newsletter-may")["kind"] == "inbound"


def test_a_source_the_owner_described_is_never_written_over(intake, db) -> None:
    owned = {"id": "spring-show", "label": "Spring show", "kind": "trade_show", "place": "MFCC"}
    db.collection("sources").document("spring-show").set(owned)

    post(intake, "ana@example.org", "spring-show")
    post(intake, "ben@example.org", "Spring Show")

    assert source(db, "spring-show") == owned


def test_a_retried_submission_is_still_one_customer_and_one_source(intake, db) -> None:
    post(intake, "ana@example.org", "fair", submission_id="sub-retry-0001")
    db.collection("sources").document("fair").delete()  # as if the first try never saw it

    post(intake, "ana@example.org", "fair", submission_id="sub-retry-0001")

    entries = list(
        db.collection("customers").document(customer_key("ana@example.org"))
        .collection("activity").stream()
    )  # fmt: skip
    assert len(entries) == 1
    # The duplicate writes nothing at all, not even the source: it commits with it or not.
    assert source(db, "fair") is None


def test_many_first_submissions_from_one_new_source_at_once_all_land(intake, db) -> None:
    emails = [f"visitor{n}@example.org" for n in range(12)]

    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(lambda email: post(intake, email, "launch-day"), emails))

    for email in emails:
        stored = db.collection("customers").document(customer_key(email)).get()
        assert stored.exists and stored.to_dict()["firstSource"] == "launch-day"
    assert source(db, "launch-day")["kind"] == "inbound"
    assert len(list(db.collection("sources").stream())) == 1
