"""Typed custom fields: what the owner defines in settings/fields, and the values they allow.

A customer's ``custom`` map used to hold whatever staff typed. Once the owner defines a
field (a budget in money, a launch date, the products of interest), every write of it
must mean the same thing, or the export and later the reports add up text and numbers.
So the settings become a pydantic model (built once per settings content, since every
PATCH and every form submission validates with it), and one value is refused the same
way whichever door it comes in by: the admin page, a form answer, an API client.

Keys the owner has not defined keep the free-form behaviour, so nothing stored before
the settings existed is lost or refused. Pure: pydantic and the money rules only.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
)

from hearth.rules import money

KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
FIELD_TYPES = ("text", "number", "date", "select", "multi_select", "yes_no", "money")
WITH_OPTIONS = frozenset({"select", "multi_select"})
MAX_FIELDS = 60
MAX_OPTIONS = 50
MAX_TEXT = 2000
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

FieldType = Literal["text", "number", "date", "select", "multi_select", "yes_no", "money"]
Option = Annotated[str, Field(min_length=1, max_length=100)]


class FieldDefinition(BaseModel):
    """One field the owner defined: its key in ``custom``, how it is labelled and typed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    key: Annotated[
        str, Field(pattern=KEY_PATTERN, description="Slug: a-z, 0-9 and _, from a letter.")
    ]
    label: Annotated[str, Field(min_length=1, max_length=80)]
    type: FieldType
    options: Annotated[
        list[Option] | None, Field(max_length=MAX_OPTIONS, validate_default=True)
    ] = None
    required: bool = False

    @field_validator("type", mode="before")
    @classmethod
    def _known_type(cls, value: Any) -> Any:
        if value not in FIELD_TYPES:
            raise ValueError(f"{value!r} is not a field type: use one of {', '.join(FIELD_TYPES)}.")
        return value

    @field_validator("options")
    @classmethod
    def _distinct(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("Each option may appear only once.")
        return value

    @field_validator("options", mode="after")
    @classmethod
    def _only_for_choices(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        kind = info.data.get("type")
        if kind in WITH_OPTIONS and not value:
            raise ValueError("A select field needs at least one option to choose from.")
        if kind is not None and kind not in WITH_OPTIONS and value:
            raise ValueError("Only select and multi select fields have options.")
        return value


class FieldSettings(BaseModel):
    """settings/fields: the defined fields, in the order the page and the export show them."""

    model_config = ConfigDict(extra="forbid")

    fields: Annotated[list[FieldDefinition], Field(max_length=MAX_FIELDS)] = Field(
        default_factory=list
    )

    def by_key(self) -> dict[str, FieldDefinition]:
        return {field.key: field for field in self.fields}

    def content(self) -> str:
        """The settings as one string: the key of the validating model's cache."""
        return json.dumps(self.model_dump(mode="json"), sort_keys=True)


def duplicate_keys(settings: FieldSettings) -> dict[str, str]:
    """``fields.<i>.key`` for each key used a second time: a key names one value."""
    seen: set[str] = set()
    refused: dict[str, str] = {}
    for index, field in enumerate(settings.fields):
        if field.key in seen:
            refused[f"fields.{index}.key"] = f"Another field already has the key {field.key!r}."
        seen.add(field.key)
    return refused


# --- one value of each type ---------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any, _: FieldDefinition, __: str) -> str:
    if not isinstance(value, str):
        raise ValueError("Send text here.")
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise ValueError(f"Keep it to {MAX_TEXT} characters.")
    return value


def _number(value: Any, _: FieldDefinition, __: str) -> int | float:
    if isinstance(value, str):
        try:
            value = float(value.strip()) if re.search(r"[.eE]", value) else int(value.strip())
        except ValueError:
            raise ValueError(f"{value.strip()!r} is not a number.") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("Send a number here.")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("Send a finite number here.")
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        raise ValueError("This number is too large to store.")
    return value


def _date(value: Any, _: FieldDefinition, __: str) -> str:
    if isinstance(value, str) and DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise ValueError(f"{value.strip()!r} is not a day of the calendar.") from None
    raise ValueError("Send a date as YYYY-MM-DD, e.g. 2026-03-31.")


def _select(value: Any, field: FieldDefinition, _: str) -> str:
    options = field.options or []
    if isinstance(value, str) and value.strip() in options:
        return value.strip()
    raise ValueError(f"Choose one of: {', '.join(options)}.")


def _multi_select(value: Any, field: FieldDefinition, _: str) -> list[str]:
    options = field.options or []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise ValueError(f"Send a list of options chosen from: {', '.join(options)}.")
    chosen = {item.strip() for item in items if item.strip()}
    unknown = sorted(chosen - set(options))
    if unknown:
        raise ValueError(f"{unknown[0]!r} is not an option: choose from {', '.join(options)}.")
    return [option for option in options if option in chosen]  # the owner's order, once each


def _yes_no(value: Any, _: FieldDefinition, __: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("yes", "true", "no", "false"):
        return value.strip().lower() in ("yes", "true")
    raise ValueError("Answer yes or no (true or false).")


def _money(value: Any, _: FieldDefinition, currency: str) -> int:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError("Send an amount such as 1500.50.")
    try:
        minor = money.minor_units(str(value), currency)
    except ValueError as exc:
        raise ValueError(f"{exc} Send an amount such as 1500.50.") from None
    if not -(2**63) <= minor < 2**63:
        raise ValueError("This amount is too large to store.")
    return minor


CHECKS = {
    "text": _text,
    "number": _number,
    "date": _date,
    "select": _select,
    "multi_select": _multi_select,
    "yes_no": _yes_no,
    "money": _money,
}


def _checker(field: FieldDefinition) -> BeforeValidator:
    check = CHECKS[field.type]

    def run(value: Any, info: ValidationInfo) -> Any:
        if _blank(value) or value == []:
            if field.required:
                raise ValueError(f"{field.label} is required: it cannot be left empty.")
            return None  # cleared: the key is removed
        currency = (info.context or {}).get("currency") or ""
        return check(value, field, currency)

    return BeforeValidator(run)


@lru_cache(maxsize=32)
def _model(content: str) -> type[BaseModel]:
    settings = FieldSettings.model_validate_json(content)
    definitions: dict[str, Any] = {
        field.key: (Annotated[Any, _checker(field)], None) for field in settings.fields
    }
    return create_model("CustomValues", __config__=ConfigDict(extra="ignore"), **definitions)


def model_for(settings: FieldSettings) -> type[BaseModel]:
    """The pydantic model of these settings' values, made once per settings content."""
    return _model(settings.content())


def check(
    settings: FieldSettings, values: Mapping[str, Any], currency: str | None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The defined keys' values as stored (None: cleared) and a sentence per bad key.

    Keys the settings do not define are left out of both: they keep their free-form
    handling. Money becomes integer minor units of ``currency``, like balances.
    """
    defined = settings.by_key()
    sent = {key: value for key, value in values.items() if key in defined}
    if not sent:
        return {}, {}
    model = model_for(settings)
    errors: dict[str, str] = {}
    try:
        parsed = model.model_validate(sent, context={"currency": currency or ""})
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            key = str(error["loc"][0]) if error["loc"] else ""
            errors.setdefault(key, re.sub(r"^Value error, ", "", error["msg"]))
        return {}, errors
    return {key: getattr(parsed, key) for key in sent}, errors


def from_answers(
    settings: FieldSettings, answers: Mapping[str, Any], currency: str | None
) -> dict[str, Any]:
    """The form answers that fill a defined field: each valid and not empty, by key.

    An answer that does not validate is simply not mapped (it stays in the submission's
    answers on the timeline): a visitor is never refused for the owner's field types.
    """
    found: dict[str, Any] = {}
    for key in settings.by_key().keys() & answers.keys():
        values, errors = check(settings, {key: answers[key]}, currency)
        if not errors and values.get(key) is not None:
            found[key] = values[key]
    return found


def shown(field: FieldDefinition, value: Any, currency: str | None) -> Any:
    """A stored value as people read it: money as a decimal amount; the rest as stored."""
    if field.type == "money" and isinstance(value, int) and not isinstance(value, bool):
        return money.amount(value, currency)
    return value
