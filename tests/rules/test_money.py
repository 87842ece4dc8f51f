"""Amounts: integer minor units to decimal amounts and back, exactly, per currency."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hearth.rules import money


@pytest.mark.parametrize(
    ("minor", "currency", "shown"),
    [
        (150050, "EUR", "1500.50"),
        (5, "EUR", "0.05"),
        (0, "EUR", "0.00"),
        (-150050, "EUR", "-1500.50"),
        (1500, "JPY", "1500"),
        (1500, "jpy", "1500"),
        (1500, "KRW", "1500"),
        (1500, "BHD", "1.500"),
        (1, "KWD", "0.001"),
        (150050, None, "1500.50"),
        (150050, "XYZ", "1500.50"),
        (2**63 - 1, "EUR", "92233720368547758.07"),  # the largest stored integer, exactly
    ],
)
def test_minor_units_read_as_the_currencys_decimals(
    minor: int, currency: str | None, shown: str
) -> None:
    assert str(money.amount(minor, currency)) == shown


@pytest.mark.parametrize(
    ("typed", "currency", "minor"),
    [
        ("1500.50", "EUR", 150050),
        ("1500.5", "EUR", 150050),
        ("1500", "EUR", 150000),
        (" 0.05 ", "EUR", 5),
        ("-0.05", "EUR", -5),
        ("1E+2", "EUR", 10000),
        ("1500", "JPY", 1500),
        ("1.5", "BHD", 1500),
        ("1.500", "EUR", 150),
        (Decimal("92233720368547758.07"), "EUR", 2**63 - 1),
        (12, "EUR", 1200),
    ],
)
def test_decimal_amounts_become_minor_units(
    typed: str | Decimal | int, currency: str, minor: int
) -> None:
    assert money.minor_units(typed, currency) == minor


@pytest.mark.parametrize(
    ("typed", "currency"),
    [
        ("10.005", "EUR"),
        ("1.5", "JPY"),
        ("0.0001", "BHD"),
        ("abc", "EUR"),
        ("NaN", "EUR"),
        ("", "EUR"),
        ("Infinity", "EUR"),
    ],
)
def test_an_amount_that_is_not_one_is_refused_not_rounded(typed: str, currency: str) -> None:
    with pytest.raises(ValueError):
        money.minor_units(typed, currency)


@pytest.mark.parametrize("currency", ["EUR", "JPY", "BHD", "CLF"])
def test_every_amount_survives_the_round_trip(currency: str) -> None:
    for minor in (*range(-1001, 1002), 10**15 + 7, -(10**15) - 7):
        assert money.minor_units(money.amount(minor, currency), currency) == minor
