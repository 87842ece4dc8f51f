"""Phone rules for Hearth: how a typed mobile is kept and how it is found again.

People type numbers in every shape ("7912 3456", "+356 7912 3456", "0035679123456",
"(+356) 7912-3456"). The record keeps one canonical form (E.164) so duplicates line up
and integrations can dial it, while search indexes every digit form a person might type
so that a single Firestore ``array_contains`` lookup finds the customer whatever they type.

Everything here is pure: no Firestore, no I/O.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberFormat

# Shortest prefix worth indexing: fewer digits would match a large share of all numbers
# and bloat the token list; four is also the "last four digits" people quote.
MIN_PREFIX_DIGITS = 4

# E.164 allows 15 digits; the slack covers typed junk (extensions, double entries) while
# keeping tokens and the query bounded the same way, so a long query still meets its token.
MAX_TOKEN_DIGITS = 20

# Fewer digits than this in a search box is far more likely a name fragment or a typo than
# a phone number, so such input is handed to the text search instead.
MIN_QUERY_DIGITS = 3


@dataclass(frozen=True)
class Mobile:
    """A mobile as typed plus, when trustworthy, its canonical form.

    Both are kept because an unparseable entry is still a lead: staff must be able to see
    and correct what the person typed rather than have it silently replaced or dropped.
    """

    typed: str
    e164: str | None
    region: str | None

    @property
    def valid(self) -> bool:
        """Only a validated number is safe to dial, deduplicate on or show as canonical."""
        return self.e164 is not None

    @property
    def stored(self) -> str:
        """Canonical when we can trust it; otherwise the raw text, because a typo must
        never lose a lead."""
        return self.e164 if self.e164 is not None else self.typed


def parse_mobile(typed: str, default_region: str = "MT") -> Mobile:
    """Interpret what someone typed into a mobile field.

    The default region is Malta because most customers type local numbers without a
    country code; numbers with "+" or "00" carry their own country and ignore it.

    A number phonenumbers deems valid is canonicalised even when it is a landline: people
    routinely put landlines in the mobile box and the number is still the way to reach
    them. An extension ("ext. 12", "x12") is dropped from the E.164 form: E.164 has no
    room for it and mobiles do not have extensions.

    Never raises, because this runs on unvalidated form input and a parse failure must
    degrade to "keep the text", not to a failed save.
    """
    text = typed.strip()
    number = _parse(text, default_region)
    if number is None or not phonenumbers.is_valid_number(number):
        return Mobile(typed=text, e164=None, region=None)
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return Mobile(typed=text, e164=e164, region=phonenumbers.region_code_for_number(number))


def mobile_search_tokens(mobile: Mobile) -> set[str]:
    """Every digit string a person might type to look this number up.

    Firestore can only match whole array elements, so instead of normalising at query time
    against one stored form we store all the forms: international digits, the national
    significant number, the domestic form with trunk prefix (UK "07400123456"), the last
    four digits, and prefixes from four digits up so that typing progressively finds it
    (for the international form, four digits past the country code).
    Tokens are digits only so they line up with ``phone_query_digits``.
    """
    number = _parse(mobile.e164, None) if mobile.e164 is not None else None
    if number is not None:
        return _number_tokens(number)

    # Not validated, yet still a lead: index the digits as typed so it stays findable.
    digits = _normalise_digits(_ascii_digits(mobile.typed))
    tokens = _digit_tokens(digits)
    # An unrecognised range (new allocations, fictional test ranges) may still state its
    # country; then the domestic forms are known and worth indexing too.
    international = _parse_international(mobile.typed)
    if international is not None:
        tokens |= _number_tokens(international)
    return tokens


def phone_query_digits(text: str) -> str | None:
    """Reduce a search-box entry to the one digit token that ``mobile_search_tokens``
    would have stored for the number the person means.

    Punctuation, spaces and "+" are noise in how people write numbers, and a leading
    "00" is just the international dialling prefix for "+". Text with letters is a name,
    e-mail or company, and very short digit runs are too ambiguous: both return None so
    the caller can fall back to text search.
    """
    if any(ch.isalpha() for ch in text):
        return None
    digits = _normalise_digits(_ascii_digits(text))
    if len(digits) < MIN_QUERY_DIGITS:
        return None
    return digits[:MAX_TOKEN_DIGITS]


def _parse(text: str, region: str | None) -> PhoneNumber | None:
    # phonenumbers signals bad input with NumberParseException, but this runs on arbitrary
    # form text, so anything else escaping from it is treated as "unparseable" as well.
    try:
        return phonenumbers.parse(text, region)
    except Exception:
        return None


def _parse_international(typed: str) -> PhoneNumber | None:
    """Parse only when the text names its own country, since the caller no longer knows
    which default region the original parse used."""
    text = typed.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    if not text.startswith("+"):
        return None
    return _parse(text, None)


def _number_tokens(number: PhoneNumber) -> set[str]:
    # Copy without extension so the national format is only the dialled digits.
    bare = PhoneNumber(
        country_code=number.country_code,
        national_number=number.national_number,
        italian_leading_zero=number.italian_leading_zero,
        number_of_leading_zeros=number.number_of_leading_zeros,
    )
    nsn = phonenumbers.national_significant_number(bare)
    international = f"{bare.country_code}{nsn}"
    domestic = _ascii_digits(phonenumbers.format_number(bare, PhoneNumberFormat.NATIONAL))
    # International prefixes start past the country code: a bare "3567" would otherwise
    # match most Maltese mobiles and drown a last-four search for "3567".
    country_digits = len(str(bare.country_code))
    return (
        _digit_tokens(international, min_prefix=country_digits + MIN_PREFIX_DIGITS)
        | _digit_tokens(nsn)
        | _digit_tokens(domestic)
    )


def _digit_tokens(digits: str, min_prefix: int = MIN_PREFIX_DIGITS) -> set[str]:
    if not digits:
        return set()
    tokens = {digits[:MAX_TOKEN_DIGITS]}
    if len(digits) >= MIN_PREFIX_DIGITS:
        tokens.add(digits[-MIN_PREFIX_DIGITS:])
    upper = min(len(digits), MAX_TOKEN_DIGITS)
    tokens.update(digits[:n] for n in range(min_prefix, upper + 1))
    return tokens


def _normalise_digits(digits: str) -> str:
    # "00" is the international prefix in Malta and most of Europe: same meaning as "+".
    return digits.removeprefix("00")


def _ascii_digits(text: str) -> str:
    """Keep decimal digits of any script as ASCII, since phones and keyboards send
    Arabic-Indic or full-width digits and they must meet the same tokens."""
    out = []
    for ch in text:
        value = unicodedata.decimal(ch, None)
        if value is not None:
            out.append(str(value))
    return "".join(out)


PHONE_KEY_PREFIX = "tel:"


def phone_key(e164: str) -> str:
    """The customer key of a person known only by a valid mobile (a WhatsApp or SMS
    contact): ``tel:+35679123456``. No e-mail key can look like it (an address has an
    @), and a later submission carrying both finds it by this key and merges it."""
    return f"{PHONE_KEY_PREFIX}{e164}"
