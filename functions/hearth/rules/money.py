"""Amounts of money: stored as integer minor units, shown as decimal amounts.

Balances are integers (cents) so that payments add up exactly; people and spreadsheets
read "1500.50". How many decimals a currency has is ISO 4217's "minor unit": 2 for
most, 0 for the yen or the won, 3 for the Bahraini or Kuwaiti dinar. A currency not in
the table gets 2, the common case. Conversion is done on digits, never through float,
so no amount is ever rounded.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

DEFAULT_EXPONENT = 2

# ISO 4217 currencies whose minor unit is not 2 decimals.
EXPONENTS: dict[str, int] = {
    **dict.fromkeys(
        (
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ),
        0,
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}


def exponent(currency: str | None) -> int:
    """Decimals of the currency's minor unit (2 when unknown or missing)."""
    return EXPONENTS.get((currency or "").strip().upper(), DEFAULT_EXPONENT)


def amount(minor: int, currency: str | None) -> Decimal:
    """150050 EUR -> Decimal("1500.50"); 1500 JPY -> Decimal("1500"); exact for any int."""
    places = exponent(currency)
    digits = str(abs(minor)).rjust(places + 1, "0")
    sign = "-" if minor < 0 else ""
    if not places:
        return Decimal(f"{sign}{digits}")
    return Decimal(f"{sign}{digits[:-places]}.{digits[-places:]}")


def minor_units(value: str | Decimal | int, currency: str | None) -> int:
    """ "1500.50" EUR -> 150050; refuses an amount finer than the currency's minor unit.

    The refusal is deliberate: "10.005" euros is a typing mistake, and rounding it
    would record a payment nobody made.
    """
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount.") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not an amount.")
    places = exponent(currency)
    sign, digits, exp = number.as_tuple()
    assert isinstance(exp, int)  # finite numbers have an integer exponent
    shift = exp + places
    if shift >= 0:
        units = int("".join(map(str, digits)) or "0") * 10**shift
    else:
        kept, dropped = digits[:shift], digits[shift:]
        if any(dropped):
            code = (currency or "").upper() or "this currency"
            raise ValueError(f"{code} amounts have at most {places} decimals.")
        units = int("".join(map(str, kept)) or "0")
    return -units if sign else units
