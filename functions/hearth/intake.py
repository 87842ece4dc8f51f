"""Form intake: every public form on the owner's site becomes (part of) a customer.

The one rule above all: a person who pressed "send" is never lost. Bad input is
answered with what to fix, a store outage with "try again" (and the same submission id
makes the retry safe), and a value that disagrees with the record is kept on the
timeline instead of being dropped or written over the owner's data.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

from flask import Request, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from hearth import activity, config, customers, emails, sources, spam
from hearth.http import (
    HttpError,
    check_origin,
    cors_headers,
    error_response,
    json_response,
    method_not_allowed,
    origin_of,
    preflight,
    read_body,
)

log = logging.getLogger(__name__)

METHODS = "POST, OPTIONS"
ID_PATTERN = r"^[A-Za-z0-9_-]{8,128}$"
FORM_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,39}$"
MAX_ANSWERS = 50
MAX_ANSWER_ITEMS = 20
# Firestore stores 64-bit integers and reserves field names of the form __name__.
INT64 = 2**63
RESERVED_NAME = re.compile(r"__.*__", re.DOTALL)

AnswerScalar = (
    Annotated[str, Field(max_length=2000)]
    | Annotated[int, Field(ge=-INT64, lt=INT64)]
    | float
    | bool
    | None
)
AnswerValue = AnswerScalar | Annotated[list[AnswerScalar], Field(max_length=MAX_ANSWER_ITEMS)]
OptionalText = Annotated[str | None, Field(max_length=200)]


class Submission(BaseModel):
    """One form submission from the owner's website."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        title="Submission",
        json_schema_extra={
            "examples": [
                {
                    "form": "contact",
                    "email": "ana@example.org",
                    "name": "Ana Borg",
                    "mobile": "7912 3456",
                    "message": "Hello! I need a new logo.",
                    "consent": True,
                    "source": "instagram",
                    "submission_id": "3f6c2a4e-5b1d-4c1e-9a7f-1d2e3f4a5b6c",
                }
            ]
        },
    )

    form: Annotated[
        str,
        Field(
            pattern=FORM_PATTERN,
            description="Which form: contact, pricing, booking, giveaway or any slug.",
        ),
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

    @field_validator("form", mode="before")
    @classmethod
    def _lower_form(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("email")
    @classmethod
    def _valid_email(cls, value: str) -> str:
        return emails.normalise(value)

    @field_validator("answers")
    @classmethod
    def _storable_names(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if RESERVED_NAME.fullmatch(key):
                raise ValueError(f"{key!r} is reserved: rename this answer.")
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


def handle(request: Request) -> Response:
    settings = config.load()
    cors = cors_headers(request.headers.get("Origin"), settings.allowed_origins, METHODS)
    if request.method == "OPTIONS":
        return preflight(request, cors)
    try:
        if request.method != "POST":
            raise method_not_allowed(request.method, METHODS, "Send the form with POST.")
        check_origin(request, settings.allowed_origins)
        data, is_form_post = read_body(request, settings.max_body_bytes)
        redirect = _redirect_target(data, settings.allowed_origins) if is_form_post else None
        reason = spam.verdict(data, settings.min_fill_ms)
        if reason:
            count_spam(reason)
            return _accepted(uuid.uuid4().hex, redirect, cors)
        submission = parse(data, is_form_post)
        submission_id = submission.submission_id or idempotency_key(request)
        record(submission, submission_id, settings)
    except HttpError as error:
        return error_response(error, cors)
    return _accepted(submission_id, redirect, cors)


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
        raise HttpError(400, "invalid", "Some fields need attention.", field_errors(exc)) from None


def field_errors(exc: ValidationError) -> dict[str, str]:
    """One plain sentence per field, keyed by its dotted path (``answers.budget``)."""
    fields: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        path = ".".join(str(part) for part in error["loc"]) or "body"
        if error["type"] == "extra_forbidden":
            message = "Unknown field: put extra data inside answers."
        elif error["type"] == "missing":
            message = "This field is required."
        else:
            message = re.sub(r"^Value error, ", "", error["msg"])
        fields.setdefault(path, message)
    return fields


def record(submission: Submission, submission_id: str, settings: config.Settings) -> None:
    """Store the submission; a store outage becomes a 503 the caller can safely retry."""
    from hearth import db

    with store_errors_as_503():
        store(db.client(), submission, submission_id, settings)


def store(
    client: Any,
    submission: Submission,
    submission_id: str,
    settings: config.Settings,
    at: datetime | None = None,
    actor: dict[str, Any] | None = None,
) -> customers.Outcome:
    """Upsert the customer and add the submission to its timeline.

    The one path every customer-making caller takes (intake, booking, sample data),
    so a customer looks the same whichever door they came in by. ``at`` is now unless
    the caller replays history (sample data); ``actor`` names staff who entered it.
    """
    from hearth.phones import parse_mobile

    at = at or datetime.now(UTC)
    mobile = parse_mobile(submission.mobile, settings.phone_region) if submission.mobile else None
    source = sources.normalise(submission.source)
    incoming = customers.Incoming(
        email=submission.email,
        form=submission.form,
        source=source,
        at=at,
        submission_id=submission_id,
        name=submission.name,
        company=submission.company,
        mobile=mobile,
        consent=submission.consent,
    )
    entry = activity.form_submission(
        form=submission.form,
        submission_id=submission_id,
        at=at,
        email=submission.email,
        name=submission.name,
        company=submission.company,
        mobile=mobile,
        message=submission.message,
        consent=submission.consent,
        source=source,
        page=submission.page,
        answers=submission.answers,
    )
    if actor is not None:  # staff booking a call for someone, not the person themselves
        entry["actor"] = actor
    return customers.upsert(
        client,
        emails.customer_key(submission.email),
        incoming,
        entry,
        currency=settings.currency,
        timeout=settings.store_timeout_s,
    )


SAVE_FAILED = (
    "We could not save this right now. Please try again in a moment; sending it again is safe."
)


@contextmanager
def store_errors_as_503(message: str = SAVE_FAILED) -> Iterator[None]:
    """Turn any store failure into a 503 with Retry-After; never a bare 500."""
    from google.api_core.exceptions import GoogleAPICallError, RetryError

    from hearth.customers import ContentionError

    try:
        yield
    except (GoogleAPICallError, RetryError, ContentionError) as exc:
        log.error("store unavailable: %s", exc)
        raise HttpError(
            503,
            "store_unavailable",
            message,
            headers={"Retry-After": "5"},
        ) from exc


def idempotency_key(request: Request) -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return uuid.uuid4().hex
    if not re.fullmatch(ID_PATTERN, key):
        raise HttpError(
            400,
            "invalid",
            "Some fields need attention.",
            {"Idempotency-Key": "Use 8 to 128 letters, digits, '-' or '_'."},
        )
    return key


def _redirect_target(data: dict[str, Any], allowed: frozenset[str]) -> str | None:
    target = data.get("_redirect")
    if not target:
        return None
    if not isinstance(target, str) or origin_of(target) not in allowed:
        raise HttpError(
            400,
            "invalid",
            "Some fields need attention.",
            {"_redirect": "The redirect must be an absolute URL on an allowed origin."},
        )
    return target


def _accepted(submission_id: str, redirect: str | None, cors: dict[str, str]) -> Response:
    if redirect:
        return Response(status=303, headers={"Location": redirect, **cors})
    return json_response(Accepted(submission_id=submission_id).model_dump(), 200, cors)


def count_spam(reason: str) -> None:
    from hearth import db

    try:
        client = db.client()
    except Exception:
        log.warning("no store to count spam in", exc_info=True)
        return
    spam.count(client, reason, datetime.now(UTC))
