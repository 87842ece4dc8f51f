"""Which customers look like one person under two keys, and why.

Two signals only, both ones a person checking the list would accept at a glance: the
same valid mobile (E.164, so "7912 3456" and "+356 7912 3456" agree), or the same
company with a very similar name. Names are compared only inside one company (a
"block"), never across the whole list, so finding pairs among 50,000 customers costs
the size of the biggest company squared, not 50,000 squared; a name alone ("John
Smith") is far too common to be a reason.

Pure: the caller reads the customers (a few fields each) and the dismissed pair ids.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from hearth.rules.search import fold

# At or above this SequenceMatcher ratio two folded, token-sorted names are "very
# similar": "ana borg"/"anna borg" is 0.94, "maria borg"/"mario borg" 0.9 (still
# worth a look inside one company), "ana borg"/"ben borg" 0.67.
NAME_RATIO = 0.85
# A company block bigger than this is compared only by mobile: a 5,000-person
# "Gmail"-like company name would otherwise cost 12.5 million comparisons.
MAX_BLOCK = 2000
SEPARATOR = " "  # pair ids join two keys; a key (e-mail or tel:) never holds a space
_SUFFIXES = {"ltd", "limited", "llc", "inc", "plc", "co", "corp", "gmbh", "srl", "spa", "bv"}
_PUNCTUATION = re.compile(r"[^\w\s]+")


@dataclass(frozen=True)
class Pair:
    """Two customers listed together: ``a`` < ``b`` by key, the reasons in words, and a
    score (1.0 for a shared mobile) to put the surest pairs first."""

    id: str
    a: str
    b: str
    reasons: tuple[str, ...]
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "a": self.a,
            "b": self.b,
            "reasons": list(self.reasons),
            "score": self.score,
        }


def pair_id(first: str, second: str) -> str:
    """Order-free, so dismissing "a and b" also dismisses "b and a"."""
    return SEPARATOR.join(sorted((first, second)))


def keys_of(identifier: str) -> tuple[str, str] | None:
    """The two keys a pair id names, or None when it names no pair."""
    parts = identifier.split(SEPARATOR)
    if len(parts) != 2 or not all(parts) or parts[0] >= parts[1]:
        return None
    return parts[0], parts[1]


def fold_company(company: Any) -> str:
    """ "Borg & Sons Ltd.", "BORG & SONS LIMITED" and "borg and sons" all agree."""
    if not isinstance(company, str):
        return ""
    words = _PUNCTUATION.sub(" ", fold(company).replace("&", " and ")).split()
    while words and words[-1] in _SUFFIXES:
        words.pop()
    return " ".join(words)


def fold_name(name: Any) -> list[str]:
    """A name's folded words, sorted, so "Borg, Ana" meets "Ana Borg"."""
    if not isinstance(name, str):
        return []
    return sorted(_PUNCTUATION.sub(" ", fold(name)).split())


def similar_names(first: Any, second: Any) -> str | None:
    """Why two names may be one person's ("very similar names", "same name with
    initials"), or None. Identical names count too: same company, same name."""
    a, b = fold_name(first), fold_name(second)
    if not a or not b:
        return None
    if a == b:
        return "same name"
    if _covered(a, b) or _covered(b, a):
        return "same name with initials"
    ratio = difflib.SequenceMatcher(None, " ".join(a), " ".join(b)).ratio()
    return "very similar names" if ratio >= NAME_RATIO else None


def _covered(short: list[str], long: list[str]) -> bool:
    """Every word of ``short`` is a word of ``long`` or the initial of one ("j" for
    "john"), with at least one full word shared: "J. Smith" is "John Smith", "Smith" is
    not enough on its own and neither is "J."."""
    if len(short) < 2 and len(long) < 2:
        return False
    left = list(long)
    full = False
    for word in sorted(short, key=len, reverse=True):
        if word in left:
            left.remove(word)
            full = full or len(word) > 1
            continue
        initial = next((w for w in left if len(word) == 1 and w.startswith(word)), None)
        if initial is None:
            return False
        left.remove(initial)
    return full and len(short) >= 2


def pairs(
    customers: Iterable[Mapping[str, Any]],
    dismissed: Iterable[str] = (),
    *,
    format_mobile: Any = None,
) -> list[Pair]:
    """Every pair worth a look, surest first; ``customers`` carry ``key`` and the
    fields read (email, name, company, mobile, mobileValid); dismissed pair ids are
    left out. ``format_mobile`` turns an E.164 number into how the reason shows it."""
    show = format_mobile or (lambda e164: e164)
    by_mobile: dict[str, list[str]] = defaultdict(list)
    by_company: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for customer in customers:
        key = customer["key"]
        mobile = customer.get("mobile")
        if customer.get("mobileValid") and isinstance(mobile, str) and mobile.startswith("+"):
            by_mobile[mobile].append(key)
        company = fold_company(customer.get("company"))
        if company:
            by_company[company].append(customer)

    found: dict[str, tuple[list[str], float]] = {}

    def add(first: str, second: str, reason: str, score: float) -> None:
        identifier = pair_id(first, second)
        reasons, best = found.get(identifier, ([], 0.0))
        found[identifier] = ([*reasons, reason], max(best, score))

    for mobile, keys in by_mobile.items():
        for i, first in enumerate(keys):
            for second in keys[i + 1 :]:
                add(first, second, f"same mobile {show(mobile)}", 1.0)
    for block in by_company.values():
        if len(block) < 2 or len(block) > MAX_BLOCK:
            continue
        for i, first in enumerate(block):
            for second in block[i + 1 :]:
                why = similar_names(first.get("name"), second.get("name"))
                if why is None:
                    continue
                company = first.get("company") or second.get("company")
                score = 0.9 if why == "same name" else 0.8
                add(first["key"], second["key"], f"{why} at the same company ({company})", score)

    skip = set(dismissed)
    listed = []
    for identifier, (reasons, score) in found.items():
        if identifier in skip:
            continue
        a, b = identifier.split(SEPARATOR)
        listed.append(Pair(identifier, a, b, tuple(reasons), score))
    return sorted(listed, key=lambda pair: (-pair.score, pair.id))
