"""The customer rules without a store: what a submission adds, keeps and refuses.

Pure functions only (hearth.store.customers.merge/new_customer, sources, e-mails, spam), so
these run in milliseconds and say exactly which rule broke when one does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from google.cloud.firestore import SERVER_TIMESTAMP, ArrayUnion

# Importable without help from conftest: these tests are pure and must run standalone.
from hearth.rules import emails, sources, spam
from hearth.rules.phones import parse_mobile
from hearth.rules.search import query_token
from hearth.store.customers import Incoming, merge, new_customer

AT = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


def incoming(**overrides: object) -> Incoming:
    values: dict[str, object] = {
        "email": "ana@example.org",
        "form": "contact",
        "source": "instagram",
        "at": AT,
        "submission_id": "sub-0001-abcd",
    }
    values.update(overrides)
    return Incoming(**values)  # type: ignore[arg-type]


def stored(**overrides: object) -> dict[str, object]:
    """A customer as the store would hand it back after a first submission."""
    document = new_customer(incoming(), "EUR")
    document["updatedAt"] = AT
    document.update(overrides)
    return document


def union_values(value: object) -> list[object]:
    assert isinstance(value, ArrayUnion), f"expected an ArrayUnion, got {value!r}"
    return list(value.values)


# --- new_customer -------------------------------------------------------------------------


def test_a_new_customer_starts_as_a_lead_with_empty_balances_in_the_given_currency() -> None:
    document = new_customer(incoming(name="Ana Borg"), "GBP")

    assert document["stage"] == "lead"
    assert document["balances"] == {"pending": 0, "paid": 0, "currency": "GBP"}
    assert document["ownerUid"] is None
    assert document["segment"] is None
    assert document["archived"] is False
    assert document["custom"] == {}


def test_a_new_customer_records_where_it_came_from_as_first_last_and_only_source() -> None:
    document = new_customer(incoming(source="newsletter", form="pricing"), "EUR")

    assert document["sources"] == ["newsletter"]
    assert document["firstSource"] == "newsletter"
    assert document["lastSource"] == "newsletter"
    assert document["forms"] == ["pricing"]


def test_a_new_customer_is_stamped_with_the_submission_time_and_a_server_update_time() -> None:
    document = new_customer(incoming(), "EUR")

    assert document["createdAt"] == AT
    assert document["lastContactAt"] == AT
    assert document["updatedAt"] is SERVER_TIMESTAMP


def test_a_new_customer_keeps_a_valid_mobile_in_e164() -> None:
    document = new_customer(incoming(mobile=parse_mobile("7912 3456")), "EUR")

    assert document["mobile"] == "+35679123456"
    assert document["mobileValid"] is True


def test_a_new_customer_keeps_an_unparseable_mobile_as_typed_and_marks_it_invalid() -> None:
    document = new_customer(incoming(mobile=parse_mobile("call me maybe 12")), "EUR")

    assert document["mobile"] == "call me maybe 12"
    assert document["mobileValid"] is False


def test_a_new_customer_without_a_mobile_has_no_mobile_validity() -> None:
    document = new_customer(incoming(), "EUR")

    assert document["mobile"] is None
    assert document["mobileValid"] is None


def test_a_new_customer_records_the_consent_answer_with_its_submission() -> None:
    document = new_customer(incoming(consent=True), "EUR")

    assert document["consent"] == {"marketing": True, "at": AT, "submissionId": "sub-0001-abcd"}


def test_a_new_customer_asked_nothing_about_consent_has_no_consent_on_record() -> None:
    document = new_customer(incoming(), "EUR")

    assert document["consent"] == {"marketing": None, "at": None, "submissionId": None}


@pytest.mark.parametrize("query", ["Ana", "bor", "Acme", "ana@ex", "79123456", "3456"])
def test_a_new_customer_carries_a_search_token_for_what_staff_type(query: str) -> None:
    document = new_customer(
        incoming(name="Ana Borg", company="Acme Ltd", mobile=parse_mobile("7912 3456")), "EUR"
    )

    assert query_token(query) in document["search"]


# --- merge --------------------------------------------------------------------------------


def test_a_submission_fills_fields_that_are_still_empty() -> None:
    change = merge(
        stored(),
        incoming(name="Ana Borg", company="Acme Ltd", mobile=parse_mobile("7912 3456")),
    )

    assert change.updates["name"] == "Ana Borg"
    assert change.updates["company"] == "Acme Ltd"
    assert change.updates["mobile"] == "+35679123456"
    assert change.updates["mobileValid"] is True
    assert change.conflicts == {}
    assert change.guarded is True


def test_a_filled_name_becomes_searchable() -> None:
    change = merge(stored(), incoming(name="Ana Borg"))

    assert query_token("borg") in change.updates["search"]
    assert query_token("ana@ex") in change.updates["search"]


def test_a_blank_value_fills_nothing() -> None:
    change = merge(stored(), incoming(name="   "))

    assert "name" not in change.updates
    assert change.conflicts == {}


def test_a_submission_never_overwrites_a_stored_value_and_reports_the_difference() -> None:
    change = merge(
        stored(name="Ana Borg", mobile="+35679123456"),
        incoming(name="Anna Borg", mobile=parse_mobile("9912 3456")),
    )

    assert "name" not in change.updates
    assert "mobile" not in change.updates
    assert change.conflicts == {
        "name": {"stored": "Ana Borg", "submitted": "Anna Borg"},
        "mobile": {"stored": "+35679123456", "submitted": "+35699123456"},
    }


def test_the_same_name_in_other_letter_case_or_accents_is_not_a_conflict() -> None:
    change = merge(stored(name="José Müller"), incoming(name="jose muller"))

    assert change.conflicts == {}
    assert "name" not in change.updates


def test_the_same_mobile_typed_another_way_is_not_a_conflict() -> None:
    change = merge(stored(mobile="+35679123456"), incoming(mobile=parse_mobile("+356 7912 3456")))

    assert change.conflicts == {}
    assert "mobile" not in change.updates


def test_a_value_the_owner_typed_over_is_kept_even_when_the_form_differs() -> None:
    change = merge(stored(company="Acme (owner's spelling)"), incoming(company="ACME Ltd"))

    assert "company" not in change.updates
    assert change.conflicts["company"] == {
        "stored": "Acme (owner's spelling)",
        "submitted": "ACME Ltd",
    }


def test_every_submission_moves_last_contact_and_last_source_and_adds_its_source_and_form() -> None:
    later = AT + timedelta(days=3)
    change = merge(stored(), incoming(source="newsletter", form="pricing", at=later))

    assert change.updates["lastContactAt"] == later
    assert change.updates["lastSource"] == "newsletter"
    assert union_values(change.updates["sources"]) == ["newsletter"]
    assert union_values(change.updates["forms"]) == ["pricing"]
    assert change.updates["updatedAt"] is SERVER_TIMESTAMP


def test_the_first_source_is_never_moved() -> None:
    change = merge(stored(), incoming(source="newsletter"))

    assert "firstSource" not in change.updates


def test_a_record_without_a_first_source_gets_this_one() -> None:
    change = merge(stored(firstSource=None), incoming(source="newsletter"))

    assert change.updates["firstSource"] == "newsletter"
    assert change.guarded is True


def test_a_submission_that_only_touches_last_contact_does_not_need_a_guarded_write() -> None:
    change = merge(stored(name="Ana Borg"), incoming(name="Ana Borg"))

    assert change.guarded is False


@pytest.mark.parametrize("answer", [True, False])
def test_a_consent_answer_replaces_the_current_consent(answer: bool) -> None:
    change = merge(
        stored(consent={"marketing": not answer, "at": AT, "submissionId": "old-submission"}),
        incoming(consent=answer, submission_id="new-submission"),
    )

    assert change.updates["consent"] == {
        "marketing": answer,
        "at": AT,
        "submissionId": "new-submission",
    }
    assert change.guarded is True


def test_a_submission_that_does_not_ask_for_consent_leaves_it_alone() -> None:
    change = merge(
        stored(consent={"marketing": True, "at": AT, "submissionId": "old-submission"}),
        incoming(consent=None),
    )

    assert "consent" not in change.updates


# --- sources ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "Instagram",
        "instagram ",
        "INSTAGRAM",
        "https://www.instagram.com/p/x",
        "http://instagram.com/",
        "www.instagram.com",
        "l.instagram.com",
        "instagram.com",
    ],
)
def test_instagram_however_it_arrives_is_one_source(raw: str) -> None:
    assert sources.normalise(raw) == "instagram"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, "direct"),
        ("", "direct"),
        ("   ", "direct"),
        ("Spring Sale", "spring-sale"),
        ("spring_sale", "spring-sale"),
        ("https://www.google.com.mt/search?q=logo", "google"),
        ("m.facebook.com", "facebook"),
        ("www.bbc.co.uk", "bbc"),
        ("http://localhost:5000/pricing", "localhost"),
        ("127.0.0.1", "127.0.0.1"),
        ("http://[not-a-url", "direct"),
        ("x" * 500, "x" * 100),
    ],
)
def test_a_source_is_folded_to_one_short_slug(raw: str | None, expected: str) -> None:
    assert sources.normalise(raw) == expected


# --- e-mails ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ana@example.org", "ana@example.org"),
        ("  Ana.Borg@Example.ORG ", "ana.borg@example.org"),
        ("ANA+news@EXAMPLE.org", "ana+news@example.org"),
        (
            "ana@typo-domain-that-does-not-exist.example",
            "ana@typo-domain-that-does-not-exist.example",
        ),
    ],
)
def test_an_email_is_trimmed_and_lowercased_whole_without_a_dns_lookup(
    raw: str, expected: str
) -> None:
    assert emails.normalise(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "ana",
        "ana@",
        "@example.org",
        "ana@@example.org",
        "ana borg@example.org",
        "ana@example",
        "ana@exa mple.org",
        "a" * 250 + "@example.org",
    ],
)
def test_an_address_that_cannot_be_a_customer_is_refused_with_a_sentence(raw: str) -> None:
    with pytest.raises(emails.InvalidEmailError) as refused:
        emails.normalise(raw)

    message = str(refused.value)
    assert message[0].isupper()
    assert message.endswith(".")


def test_addresses_differing_only_in_letter_case_share_one_customer_key() -> None:
    spellings = ["Ana@Example.org", "ana@example.ORG", "ANA@EXAMPLE.ORG", " ana@example.org"]

    keys = {emails.customer_key(emails.normalise(raw)) for raw in spellings}

    assert keys == {"ana@example.org"}


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("a/b@example.org", "a%2Fb@example.org"),
        ("100%@example.org", "100%25@example.org"),
    ],
)
def test_a_slash_or_percent_in_an_address_is_escaped_so_the_key_is_one_document_id(
    address: str, key: str
) -> None:
    assert emails.customer_key(emails.normalise(address)) == key


def test_an_address_spelling_out_an_escape_is_not_mistaken_for_one_with_a_slash() -> None:
    slash = emails.customer_key(emails.normalise("a/b@example.org"))
    spelled = emails.customer_key(emails.normalise("a%2Fb@example.org"))

    assert slash != spelled


# --- spam ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"website": "http://spam.example"}, "honeypot"),
        ({"website": ["x"]}, "honeypot"),
        ({"website": 1}, "honeypot"),
        ({"website": "   "}, None),
        ({"website": ""}, None),
        ({"website": None}, None),
        ({"elapsed_ms": 200}, "too_fast"),
        ({"elapsed_ms": "200"}, "too_fast"),
        ({"elapsed_ms": 0}, "too_fast"),
        ({"elapsed_ms": 1499}, "too_fast"),
        ({"elapsed_ms": 1500}, None),
        ({"elapsed_ms": 60_000}, None),
        ({"elapsed_ms": ""}, None),
        ({}, None),
        ({"elapsed_ms": -5}, None),
        ({"elapsed_ms": "soon"}, None),
        ({"elapsed_ms": float("inf")}, None),
        ({"elapsed_ms": float("nan")}, None),
        ({"website": "bot", "elapsed_ms": 10}, "honeypot"),
    ],
)
def test_the_spam_verdict_names_why_a_submission_looks_automated(
    data: dict[str, object], expected: str | None
) -> None:
    assert spam.verdict(data, 1500) == expected


def test_the_minimum_fill_time_is_the_one_configured() -> None:
    assert spam.verdict({"elapsed_ms": 3000}, 5000) == "too_fast"
    assert spam.verdict({"elapsed_ms": 3000}, 1000) is None
