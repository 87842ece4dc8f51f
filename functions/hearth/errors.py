"""The one root of every refusal Hearth gives, and the narrow kinds under it.

A domain decides that a request cannot go on and raises one of these; it never builds
a response. The web edge (``hearth.web.endpoint``) turns each into JSON once, from
what the error itself carries: the HTTP status, a stable machine code, a sentence for
people and the fields at fault. Keeping the status on the class means a new feature
cannot invent its own mapping, and a caller (a form, the admin page, an API client)
always gets the same shape: ``{"error": code, "message": ..., "fields": {...}}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from pydantic import ValidationError

FIX_FIELDS = "Some fields need attention."
SAVE_FAILED = (
    "We could not save this right now. Please try again in a moment; sending it again is safe."
)


class HearthError(Exception):
    """A request Hearth refuses, with what the caller needs to know to fix or retry it.

    A kind names its HTTP status and stable code in its class line
    (``class NotFound(HearthError, status=404, code="not_found")``), so each kind is
    declared once and the edge reads both from the error it catches.
    """

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal"
    default_message: ClassVar[str] = "Something went wrong on our side."

    def __init_subclass__(cls, status: int | None = None, code: str | None = None) -> None:
        super().__init_subclass__()
        if status is not None:
            cls.status = status
        if code is not None:
            cls.code = code

    def __init__(
        self,
        message: str | None = None,
        fields: Mapping[str, str] | None = None,
        *,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)
        if code is not None:
            self.code = code  # a narrower name a client may branch on (slot_taken, ...)
        self.fields = dict(fields or {})
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        return body


class Forbidden(HearthError, status=403, code="forbidden"):
    """The caller is known but may not do this."""


class NotFound(HearthError, status=404, code="not_found"):
    """Nothing there, or nothing there this caller may see (existence is not revealed)."""


class TooLarge(HearthError, status=413, code="payload_too_large"):
    """The body is over the limit; it was never held in memory whole."""


class UnsupportedMedia(HearthError, status=415, code="unsupported_media_type"):
    """A body in a format this endpoint does not read."""


class Misconfigured(HearthError, status=500, code="settings_invalid"):
    """A failure the owner, not the caller, must fix (broken stored settings)."""


class Invalid(HearthError, status=400, code="invalid"):
    """The request itself is wrong; ``fields`` names each field and its problem."""

    default_message = FIX_FIELDS

    def __init__(
        self,
        fields: Mapping[str, str] | None = None,
        message: str | None = None,
        *,
        code: str | None = None,
    ) -> None:
        super().__init__(message, fields, code=code)

    @classmethod
    def from_validation(cls, exc: ValidationError) -> Invalid:
        return cls(field_messages(exc))


class Unauthenticated(HearthError, status=401, code="unauthenticated"):
    """No valid sign-in; the caller should sign in (again) and retry."""

    default_message = "Your sign-in is not valid any more: sign in again."


class MethodNotAllowed(HearthError, status=405, code="method_not_allowed"):
    """The wrong method, with the Allow header HTTP asks for."""

    def __init__(self, method: str, allowed: str, message: str) -> None:
        super().__init__(
            message, {"method": f"{method} is not allowed."}, headers={"Allow": allowed}
        )


class Conflict(HearthError, status=409, code="conflict"):
    """The request was fine but the world changed under it (taken, edited, cancelled).

    ``current`` is what is there now, when the caller should see it to decide again.
    """

    current: Mapping[str, Any] | None = None

    def body(self) -> dict[str, Any]:
        body = super().body()
        if self.current is not None:  # what it is now, so a page can show what changed
            body["current"] = dict(self.current)
        return body


class Unavailable(HearthError, status=503, code="store_unavailable"):
    """A service Hearth depends on did not answer; retrying the same request is safe.

    Every write is idempotent by its client-made id, so "try again" can never double it.
    """

    default_message = SAVE_FAILED

    def __init__(
        self, message: str | None = None, *, code: str | None = None, retry_after_s: int = 5
    ) -> None:
        super().__init__(message, code=code, headers={"Retry-After": str(retry_after_s)})


def field_messages(exc: ValidationError) -> dict[str, str]:
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
