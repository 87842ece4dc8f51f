"""The export's marketing-consent filter: a mailing list holds only those who said yes."""

from __future__ import annotations

import pytest

from tests.answers import names_field, refusal
from tests.customers.test_export import T0, csv_rows, customer, seed

pytestmark = pytest.mark.usefixtures("default_settings")


def consent(marketing: bool | None) -> dict[str, object]:
    return {
        "marketing": marketing,
        "at": T0 if marketing is not None else None,
        "submissionId": None,
    }


@pytest.fixture
def exporter(db, users, function_client):
    seed(
        db,
        customer("yes@example.org", consent=consent(True)),
        customer("no@example.org", consent=consent(False)),
        customer("unasked@example.org"),
        customer("rep-yes@example.org", consent=consent(True), ownerUid="rep-a"),
        customer("rep-no@example.org", consent=consent(False), ownerUid="rep-a"),
    )
    return function_client("export")


def emails(exporter, headers, value: str) -> list[str]:
    response = exporter.get("/", query_string={"format": "csv", "consent": value}, headers=headers)
    return sorted(row["email"] for row in csv_rows(response))


def test_the_owner_exports_those_who_gave_consent_or_those_who_did_not(exporter, users) -> None:
    owner = users.headers("owner")
    assert emails(exporter, owner, "given") == ["rep-yes@example.org", "yes@example.org"]
    assert emails(exporter, owner, "not-given") == [
        "no@example.org",
        "rep-no@example.org",
        "unasked@example.org",
    ]


def test_a_rep_filters_only_their_own_and_a_bad_value_is_refused(exporter, users) -> None:
    rep = users.headers("rep", uid="rep-a")
    assert emails(exporter, rep, "given") == ["rep-yes@example.org"]
    assert emails(exporter, rep, "not-given") == ["rep-no@example.org"]
    bad = exporter.get("/", query_string={"consent": "maybe"}, headers=rep)
    assert names_field(refusal(bad, 400), "consent")
