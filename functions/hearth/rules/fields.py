"""Limits every request shares: client-made ids, answer values and stored names.

Shared by the public forms, the booking request and the staff's custom fields, so one
value is refused the same way whichever door it comes in by. Pure: pydantic only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, Field

# A client-made id (submission, request, payment): a retry with the same id is done once.
ID_PATTERN = r"^[A-Za-z0-9_-]{8,128}$"
MAX_ANSWER_ITEMS = 20
# Firestore stores 64-bit integers and reserves field names of the form __name__.
INT64 = 2**63
RESERVED_NAME = re.compile(r"__.*__", re.DOTALL)


def trimmed(case: Callable[[str], str]) -> BeforeValidator:
    """Read a code the way people type it: spaces around it dropped, its case made one
    (``Contact`` is the contact form, ``eur`` is EUR); anything not text is left for
    the field's own check to refuse."""
    return BeforeValidator(lambda value: case(value.strip()) if isinstance(value, str) else value)


def refuse_reserved_names(names: Any, kind: str) -> None:
    """Firestore keeps names like __name__ for itself: a form answer or custom field so
    named could never be stored, so it is refused with a name to change."""
    for name in names or ():
        if RESERVED_NAME.fullmatch(name):
            raise ValueError(f"{name!r} is reserved: rename this {kind}.")


def _storable_whole_numbers(value: Any) -> Any:
    """Refuse a whole number Firestore cannot hold, rather than keep it as a rounded float
    (2**63 would otherwise pass as 9.223372036854776e18 and read back as another number)."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool) and not -INT64 <= item < INT64:
            raise ValueError(
                f"Whole numbers must be between {-INT64} and {INT64 - 1}: send it as text."
            )
    return value


AnswerScalar = (
    Annotated[str, Field(max_length=2000)]
    | Annotated[int, Field(ge=-INT64, lt=INT64)]
    | float
    | bool
    | None
)
AnswerValue = Annotated[
    AnswerScalar | Annotated[list[AnswerScalar], Field(max_length=MAX_ANSWER_ITEMS)],
    BeforeValidator(_storable_whole_numbers),
]


def public_request(title: str, example: dict[str, Any]) -> ConfigDict:
    """How a request from the public site is read: an unknown field is refused (a typo
    must not pass silently), text is trimmed, and the API description shows ``example``."""
    return ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        title=title,
        json_schema_extra={"examples": [example]},
    )
