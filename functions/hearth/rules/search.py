"""Search tokens for customers.

Firestore has no full-text or prefix search across several fields, but it can index an
array and answer ``where("search", "array_contains", token)`` with one indexed query.
So each customer carries the list of every token a person might type (name and company
prefixes, e-mail prefixes, phone digit forms) and the search box is reduced to exactly
one such token by ``query_token``. Both sides must normalise identically; that is why
the folding rules live here together.

Everything here is pure: no Firestore, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from hearth.rules.phones import Mobile, mobile_search_tokens, phone_query_digits

# Every token costs an index entry on each write; the cap keeps a pathological record
# (a pasted paragraph as a company name) from bloating index storage and write cost.
MAX_TOKENS = 200
# Longer queries are truncated to this too, so a very long query still meets its token.
MAX_TOKEN_LEN = 40
# One character matches most of the customer base: useless as a search and costly to read.
MIN_TEXT_TOKEN_LEN = 2
# A domain is only distinctive once it is more than a couple of letters ("ac" is noise).
MIN_DOMAIN_TOKEN_LEN = 3

# Letters NFKD leaves alone but people type without the mark. Maltese "ħ" matters most:
# "Ħamrun" must be found by "hamrun" on an ordinary keyboard.
_NON_DECOMPOSING = str.maketrans(
    {"ħ": "h", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"}
)
_WORD_SPLIT = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Normalise text so what a person types meets what was stored regardless of case,
    accents or stray spacing ("MÜLLER  " and "muller" must agree)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.translate(_NON_DECOMPOSING).split())


def query_token(text: str) -> str | None:
    """The single token to look up for a search-box entry.

    Phone-like input is matched on digits because that is how phone tokens are stored;
    anything else is folded text. Returns None when there is nothing worth querying, so
    the caller can skip the read rather than scan.
    """
    digits = phone_query_digits(text)
    if digits is not None:
        return digits
    token = fold(text)[:MAX_TOKEN_LEN].rstrip()
    return token if len(token) >= MIN_TEXT_TOKEN_LEN else None


def customer_tokens(
    *,
    name: str | None,
    company: str | None,
    email: str | None,
    mobile: Mobile | None,
) -> list[str]:
    """All tokens under which this customer should be found, sorted for stable diffs.

    When over the cap, tokens are kept by usefulness: phone forms and word prefixes
    (what staff type most) before e-mail prefixes, and multi-word prefixes last; inside a
    group shorter prefixes win, since progressive typing reaches them first.
    """
    groups: list[Iterable[str]] = [
        mobile_search_tokens(mobile) if mobile is not None else (),
        _word_prefixes(name),
        _word_prefixes(company),
        _email_prefixes(email),
        _domain_prefixes(email),
        _phrase_prefixes(name),
        _phrase_prefixes(company),
    ]
    kept: set[str] = set()
    for group in groups:
        for token in sorted(set(group), key=lambda t: (len(t), t)):
            if len(kept) >= MAX_TOKENS:
                return sorted(kept)
            if len(token) <= MAX_TOKEN_LEN:
                kept.add(token)
    return sorted(kept)


def _prefixes(text: str, minimum: int) -> set[str]:
    # A prefix ending in a space is unreachable: query_token strips trailing space.
    upper = min(len(text), MAX_TOKEN_LEN)
    return {text[:n] for n in range(minimum, upper + 1) if not text[:n].endswith(" ")}


def _word_prefixes(text: str | None) -> set[str]:
    """Prefixes of each word, so "smi" finds "John Smith". Words are split on spaces and
    on punctuation too, so "jones" finds "Smith-Jones" and "brien" finds "O'Brien"."""
    if not text:
        return set()
    tokens: set[str] = set()
    for word in fold(text).split(" "):
        tokens |= _prefixes(word, MIN_TEXT_TOKEN_LEN)
        for part in _WORD_SPLIT.split(word):
            tokens |= _prefixes(part, MIN_TEXT_TOKEN_LEN)
    return tokens


def _phrase_prefixes(text: str | None) -> set[str]:
    """Prefixes of the whole folded string, so a person can keep typing past the first
    word ("john sm") and still hit with a single token."""
    if not text:
        return set()
    return _prefixes(fold(text), MIN_TEXT_TOKEN_LEN)


def _email_prefixes(email: str | None) -> set[str]:
    """Prefixes of the whole address: people type e-mails from the start ("john.s")."""
    address = _fold_email(email)
    return _prefixes(address, MIN_TEXT_TOKEN_LEN) if address else set()


def _domain_prefixes(email: str | None) -> set[str]:
    """The domain on its own, so everyone at one company is found by "acme.c"."""
    address = _fold_email(email)
    if "@" not in address:
        return set()
    domain = address.rsplit("@", 1)[1]
    return _prefixes(domain, MIN_DOMAIN_TOKEN_LEN)


def _fold_email(email: str | None) -> str:
    # Folded like any query so "José@x.com" typed either way meets; addresses never
    # contain meaningful spaces, so any are removed rather than collapsed.
    return fold(email).replace(" ", "") if email else ""
