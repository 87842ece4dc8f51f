"""Search tokens: one typed query must meet one stored token, whatever field it targets."""

from __future__ import annotations

import pytest

# Importable without help from conftest: these tests are pure and must run standalone.
from hearth.rules.phones import Mobile, parse_mobile
from hearth.rules.search import (
    MAX_TOKEN_LEN,
    MAX_TOKENS,
    customer_tokens,
    fold,
    query_token,
)
from tests.rules.test_phones import MT_QUERIES


def tokens_for(
    *,
    name: str | None = None,
    company: str | None = None,
    email: str | None = None,
    mobile: Mobile | None = None,
) -> list[str]:
    return customer_tokens(name=name, company=company, email=email, mobile=mobile)


def finds(query: str, tokens: list[str]) -> bool:
    token = query_token(query)
    return token is not None and token in tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("John Smith", "john smith"),
        ("  MÜLLER \t  GmbH ", "muller gmbh"),
        ("Ħamrun Spartans", "hamrun spartans"),
        ("Ċikku Żammit Ġużè", "cikku zammit guze"),
        ("Straße", "strasse"),
        ("Ｊｏｈｎ", "john"),
        ("", ""),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("John Sm", "john sm"),
        ("  mül ", "mul"),
        ("79123456", "79123456"),
        ("+356 7912 3456", "35679123456"),
        ("john.s", "john.s"),
        ("j", None),
        ("", None),
        ("   ", None),
        ("12", "12"),  # too few digits to be a phone, still a text token
        ("x" * 60, "x" * MAX_TOKEN_LEN),
    ],
)
def test_query_token(text: str, expected: str | None) -> None:
    assert query_token(text) == expected


JOHN = tokens_for(
    name="John Smith",
    company="Acme Trading Ltd",
    email="John.Smith@Acme.com",
    mobile=parse_mobile("79123456"),
)


@pytest.mark.parametrize(
    "query",
    [
        "jo",
        "john",
        "John Sm",
        "john smith",
        "smi",
        "SMITH",
        "acme",
        "acme tr",
        "trad",
        "ltd",
        "john.s",
        "john.smith@acme.com",
        "JOHN.SMITH@ACME",
        "acme.c",
        "acme.com",
        # every typed form of the mobile, as the phone rules test them
        *MT_QUERIES,
    ],
)
def test_query_finds_customer(query: str) -> None:
    assert finds(query, JOHN)


@pytest.mark.parametrize(
    "query",
    [
        "jane",
        "smyth",
        "john smyth",
        "mith",  # not a prefix of any word
        "smith john",  # words out of order: one token cannot express that
        "79123457",
        "+356 9912 3456",
        "9123",
    ],
)
def test_query_does_not_find_customer(query: str) -> None:
    assert not finds(query, JOHN)


def test_uk_mobile_found_in_domestic_and_international_forms() -> None:
    tokens = tokens_for(name="Alice", mobile=parse_mobile("+44 7400 123456"))
    for query in ("07400 123456", "+44 7400 123456", "0044 7400 123456", "7400 123456"):
        assert finds(query, tokens)


def test_invalid_mobile_still_found_by_typed_digits() -> None:
    tokens = tokens_for(name="Alice", mobile=parse_mobile("07700 900123", default_region="GB"))
    assert finds("07700 900123", tokens)
    assert finds("0123", tokens)


@pytest.mark.parametrize("query", ["mul", "Mül", "MÜLLER", "muller", "hans m", "Hans Mül"])
def test_accents_are_folded_both_ways(query: str) -> None:
    assert finds(query, tokens_for(name="Hans Müller"))


@pytest.mark.parametrize("query", ["ham", "Ħam", "ħamrun", "hamrun sp", "spart"])
def test_maltese_letters_fold_to_plain_keyboard_letters(query: str) -> None:
    assert finds(query, tokens_for(company="Ħamrun Spartans"))


@pytest.mark.parametrize("query", ["o'brien", "brien", "smith-jones", "jones", "mary o"])
def test_punctuated_names_are_found_by_each_part(query: str) -> None:
    assert finds(query, tokens_for(name="Mary O'Brien Smith-Jones"))


def test_email_domain_is_searchable_on_its_own() -> None:
    tokens = tokens_for(email="maria@borg.com.mt")
    assert {"bor", "borg.com.mt", "maria@borg.com.mt"} <= set(tokens)
    assert "bo" not in tokens  # too short to be a useful domain token


def test_tokens_are_sorted_and_unique() -> None:
    assert sorted(set(JOHN)) == JOHN


def test_no_fields_no_tokens() -> None:
    assert tokens_for() == []
    assert tokens_for(name="", company="  ", email="", mobile=parse_mobile("")) == []


def test_single_letters_are_not_tokens() -> None:
    assert "j" not in tokens_for(name="J Smith")


def test_token_cap_and_length() -> None:
    words = " ".join(f"word{i:03d}alpha" for i in range(100))
    tokens = tokens_for(
        name=words,
        company=words.upper(),
        email="a" * 80 + "@" + "b" * 80 + ".com",
        mobile=parse_mobile("79123456"),
    )
    assert len(tokens) == MAX_TOKENS
    assert all(len(token) <= MAX_TOKEN_LEN for token in tokens)
    # The phone is kept first when trimming: it is what staff most often search by.
    assert "79123456" in tokens and "3456" in tokens


def test_long_values_found_by_truncated_query() -> None:
    company = "The Mediterranean Offshore Logistics And Shipping Company"
    assert finds(company, tokens_for(company=company))
