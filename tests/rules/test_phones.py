"""Phone rules: what a typed mobile becomes, and that every way of typing it finds it."""

from __future__ import annotations

import random

import pytest

# Importable without help from conftest: these tests are pure and must run standalone.
from hearth.rules.phones import (
    Mobile,
    mobile_search_tokens,
    parse_mobile,
    phone_query_digits,
)

MT_MOBILE = "+35679123456"
# 07700 900xxx is Ofcom's reserved "drama" range: phonenumbers rightly calls it invalid,
# so a real allocated UK mobile stands in for the valid case.
UK_MOBILE = "+447400123456"

# (typed, default region, expected e164 or None, expected region or None)
PARSE_CASES = [
    ("79123456", "MT", MT_MOBILE, "MT"),
    ("+356 7912 3456", "MT", MT_MOBILE, "MT"),
    ("0035679123456", "MT", MT_MOBILE, "MT"),
    ("7912 3456", "MT", MT_MOBILE, "MT"),
    ("(+356) 7912-3456", "MT", MT_MOBILE, "MT"),
    ("  79123456  ", "MT", MT_MOBILE, "MT"),
    ("99123456", "MT", "+35699123456", "MT"),
    # Landline in the mobile box: valid, so canonicalised; it is still how to reach them.
    ("21234567", "MT", "+35621234567", "MT"),
    ("+44 7400 123456", "MT", UK_MOBILE, "GB"),
    ("07400 123456", "GB", UK_MOBILE, "GB"),
    ("0044 7400 123456", "MT", UK_MOBILE, "GB"),
    # Fictional UK drama range: not a real number, kept as typed.
    ("+44 7700 900123", "MT", None, None),
    ("07700 900123", "GB", None, None),
    ("+1 (415) 555-2671", "MT", "+14155552671", "US"),
    ("+39 312 345 6789", "MT", "+393123456789", "IT"),
    ("+49 1512 3456789", "MT", "+4915123456789", "DE"),
    ("+33 6 12 34 56 78", "MT", "+33612345678", "FR"),
    ("٧٩١٢٣٤٥٦", "MT", MT_MOBILE, "MT"),  # Arabic-Indic digits
    ("７９１２３４５６", "MT", MT_MOBILE, "MT"),  # full-width digits
    # Extension: the number is valid; E.164 has no place for the extension.
    ("+356 7912 3456 ext. 12", "MT", MT_MOBILE, "MT"),
    ("12", "MT", None, None),
    ("phone me", "MT", None, None),
    ("+356 123", "MT", None, None),
    ("79 12 34 5", "MT", None, None),  # one digit short
    ("7912345a", "MT", None, None),
    ("", "MT", None, None),
    ("   ", "MT", None, None),
    ("79123456", "XX", None, None),  # unknown default region must not raise
    ("1" * 300, "MT", None, None),  # too long for phonenumbers
]


@pytest.mark.parametrize(("typed", "region", "e164", "expected_region"), PARSE_CASES)
def test_parse_mobile(
    typed: str, region: str, e164: str | None, expected_region: str | None
) -> None:
    mobile = parse_mobile(typed, default_region=region)
    assert mobile.typed == typed.strip()
    assert mobile.e164 == e164
    assert mobile.region == expected_region
    assert mobile.valid is (e164 is not None)
    assert mobile.stored == (e164 if e164 is not None else typed.strip())


def test_default_region_is_malta() -> None:
    assert parse_mobile("79123456").e164 == MT_MOBILE


def test_invalid_keeps_typed_text_so_the_lead_is_not_lost() -> None:
    mobile = parse_mobile(" 7912 345 ")
    assert not mobile.valid
    assert mobile.stored == "7912 345"


def _junk(seed: int) -> list[str]:
    """Deterministic fuzz: digits of several scripts, separators, letters, controls and
    lone surrogates mixed at random, as pasted form input can be."""
    rng = random.Random(seed)
    alphabet = "0123456789+()-. \t\nxext#*٠١٢٣٤٥٦٧٨٩０１２３４５６７８９abcÿ\x00\ud800\U0001f600"
    return ["".join(rng.choices(alphabet, k=rng.randint(0, 40))) for _ in range(500)]


@pytest.mark.parametrize("seed", range(4))
def test_parse_mobile_never_raises(seed: int) -> None:
    for typed in _junk(seed):
        mobile = parse_mobile(typed)
        assert isinstance(mobile.stored, str)
        tokens = mobile_search_tokens(mobile)
        assert all(token.isdigit() and token.isascii() for token in tokens)
        digits = phone_query_digits(typed)
        assert digits is None or (digits.isdigit() and digits.isascii() and len(digits) >= 3)


# (query typed into the search box, expected digit token or None)
QUERY_CASES = [
    ("79123456", "79123456"),
    ("+356 7912 3456", "35679123456"),
    ("0035679123456", "35679123456"),
    ("7912 3456", "79123456"),
    ("(+356) 7912-3456", "35679123456"),
    ("3456", "3456"),
    ("07700 900123", "07700900123"),
    ("٧٩١٢", "7912"),
    ("123", "123"),
    ("12", None),
    ("", None),
    ("john", None),
    ("john 79123456", None),
    ("+356 ext 5", None),
]


@pytest.mark.parametrize(("text", "expected"), QUERY_CASES)
def test_phone_query_digits(text: str, expected: str | None) -> None:
    assert phone_query_digits(text) == expected


MT_QUERIES = [
    "79123456",
    "+356 7912 3456",
    "0035679123456",
    "7912 3456",
    "+35679123456",
    "(+356) 7912-3456",
    "3456",
    "7912",  # progressive typing
    "79123",
    "+356 7912",  # progressive typing with the country code
    "٧٩١٢٣٤٥٦",
]
UK_QUERIES = [
    "07400 123456",
    "07400123456",
    "7400 123456",
    "+44 7400 123456",
    "0044 7400 123456",
    "+447400123456",
    "3456",
    "07400",
    "0740 012",
]


@pytest.mark.parametrize("query", MT_QUERIES)
def test_every_typed_form_finds_the_maltese_mobile(query: str) -> None:
    tokens = mobile_search_tokens(parse_mobile(MT_MOBILE))
    assert phone_query_digits(query) in tokens


@pytest.mark.parametrize("query", UK_QUERIES)
def test_every_typed_form_finds_the_uk_mobile(query: str) -> None:
    tokens = mobile_search_tokens(parse_mobile("07400 123456", default_region="GB"))
    assert phone_query_digits(query) in tokens


@pytest.mark.parametrize(
    "query",
    [
        "79123457",  # one digit off
        "99123456",  # another Maltese mobile
        "+356 9912 3456",
        "+44 7912 3456",  # same national digits, other country
        "35679123457",
        "9123",  # digits from the middle are not a prefix nor the last four
        "123456",
    ],
)
def test_unrelated_numbers_do_not_find_the_maltese_mobile(query: str) -> None:
    tokens = mobile_search_tokens(parse_mobile(MT_MOBILE))
    assert phone_query_digits(query) not in tokens


def test_country_code_alone_is_not_a_token() -> None:
    # "3567" must stay free for last-four searches, not match every Maltese 7x mobile.
    tokens = mobile_search_tokens(parse_mobile(MT_MOBILE))
    assert "3567" not in tokens
    assert "35679" not in tokens
    assert "3567912" in tokens


def test_tokens_are_digits_only_and_include_each_form() -> None:
    tokens = mobile_search_tokens(parse_mobile("07400 123456", default_region="GB"))
    assert {"447400123456", "7400123456", "07400123456", "3456", "7400"} <= tokens
    assert "740" not in tokens  # prefixes start at four digits


def test_invalid_number_is_still_findable_by_its_digits() -> None:
    mobile = parse_mobile("79 12 34 5")
    assert not mobile.valid
    tokens = mobile_search_tokens(mobile)
    for query in ("7912345", "79 12 34 5", "2345", "7912", "791234"):
        assert phone_query_digits(query) in tokens


def test_invalid_number_with_country_code_is_findable_domestically() -> None:
    tokens = mobile_search_tokens(parse_mobile("+44 7700 900123"))
    for query in ("+44 7700 900123", "0044 7700 900123", "07700 900123", "7700 900123"):
        assert phone_query_digits(query) in tokens


def test_invalid_national_typing_matches_the_domestic_query() -> None:
    tokens = mobile_search_tokens(parse_mobile("07700 900123", default_region="GB"))
    assert phone_query_digits("07700 900123") in tokens


def test_invalid_with_international_prefix_matches_plus_form() -> None:
    tokens = mobile_search_tokens(parse_mobile("00356 123"))
    assert phone_query_digits("+356 123") in tokens


def test_no_digits_no_tokens() -> None:
    assert mobile_search_tokens(parse_mobile("phone me")) == set()
    assert mobile_search_tokens(parse_mobile("")) == set()


def test_tokens_are_bounded_for_pasted_junk() -> None:
    tokens = mobile_search_tokens(parse_mobile("1234567890" * 10))
    assert all(len(token) <= 20 for token in tokens)
    assert len(tokens) <= 20


def test_stored_e164_round_trips_to_the_same_tokens() -> None:
    # Merges re-parse the stored value; it must index exactly like the original typing.
    typed = parse_mobile("7912 3456")
    again = parse_mobile(typed.stored)
    assert again == Mobile(typed=MT_MOBILE, e164=MT_MOBILE, region="MT")
    assert mobile_search_tokens(again) == mobile_search_tokens(typed)
