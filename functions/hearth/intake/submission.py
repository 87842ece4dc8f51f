"""What a public form may send: the one model every door into Hearth validates against.

Lives apart from the upsert so the booking request, the staff changes and the OpenAPI
document can share its limits (ids, answer values, reserved names) without importing
the store.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, ValidationError, field_validator

from hearth.errors import Invalid
from hearth.rules import emails
from hearth.rules.fields import (
    ID_PATTERN,
    AnswerValue,
    public_request,
    refuse_reserved_names,
    trimmed,
)

FORM_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,39}$"
MAX_ANSWERS = 50
OptionalText = Annotated[str | None, Field(max_length=200)]


class Submission(BaseModel):
    """One form submission from the owner's website."""

    model_config = public_request(
        "Submission",
        {
            "form": "contact",
            "email": "ana@example.org",
            "name": "Ana Borg",
            "mobile": "7912 3456",
            "message": "Hello! I need a new logo.",
            "consent": True,
            "source": "instagram",
            "submission_id": "3f6c2a4e-5b1d-4c1e-9a7f-1d2e3f4a5b6c",
        },
    )

    form: Annotated[
        str,
        Field(
            pattern=FORM_PATTERN,
            description="Which form: contact, pricing, booking, giveaway or any slug.",
        ),
        trimmed(str.lower),  # after the Field: its pattern stays in the schema
    ]
    email: Annotated[
        str,
        Field(
            max_length=320,
            description="The customer's e-mail; case does not matter.",
            json_schema_extra={"format": "email"},
        ),
    ]
    name: OptionalText = None
    company: OptionalText = None
    mobile: Annotated[
        str | None,
        Field(max_length=40, description="Any format; kept as typed when it does not parse."),
    ] = None
    message: Annotated[str | None, Field(max_length=5000)] = None
    consent: Annotated[
        bool | None,
        Field(description="Marketing consent given in this submission; absent when not asked."),
    ] = None
    source: Annotated[
        str | None, Field(max_length=500, description="utm_source, referrer or campaign slug.")
    ] = None
    page: Annotated[str | None, Field(max_length=2000)] = None
    answers: Annotated[
        dict[Annotated[str, Field(min_length=1, max_length=64)], AnswerValue],
        Field(max_length=MAX_ANSWERS, description="Wizard answers and any extra fields."),
    ] = Field(default_factory=dict)
    submission_id: Annotated[
        str | None,
        Field(
            pattern=ID_PATTERN,
            description="Client-made id: a retry with the same id is recorded once.",
        ),
    ] = None
    website: Annotated[str | None, Field(max_length=500, description="Honeypot: leave empty.")] = (
        None
    )
    elapsed_ms: Annotated[
        int | None, Field(ge=0, description="Milliseconds from showing the form to sending it.")
    ] = None

    @field_validator("email")
    @classmethod
    def _valid_email(cls, value: str) -> str:
        return emails.normalise(value)

    @field_validator("answers")
    @classmethod
    def _storable_names(cls, value: dict[str, Any]) -> dict[str, Any]:
        refuse_reserved_names(value, "answer")
        return value

    @field_validator(
        "name",
        "company",
        "mobile",
        "message",
        "source",
        "page",
        "website",
        "submission_id",
        "elapsed_ms",
        mode="before",
    )
    @classmethod
    def _blank_is_absent(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value


class Accepted(BaseModel):
    """The answer to a submission that was recorded (or recognised as a retry)."""

    ok: bool = True
    submission_id: str


class ErrorBody(BaseModel):
    """Every refusal: a machine code, a sentence for people, and the fields at fault."""

    error: str
    message: str
    fields: dict[str, str] = Field(default_factory=dict)


KNOWN_FIELDS = frozenset(Submission.model_fields)


def parse(data: dict[str, Any], is_form_post: bool) -> Submission:
    """Validate a body; a plain form's extra inputs become answers instead of errors."""
    if is_form_post:
        data = {key: value for key, value in data.items() if not key.startswith("_")}
        extra = {key: data.pop(key) for key in list(data) if key not in KNOWN_FIELDS}
        if extra:
            data["answers"] = extra
    try:
        return Submission.model_validate(data)
    except ValidationError as exc:
        raise Invalid.from_validation(exc) from None
