"""The HTTP edge shared by every public function: CORS, body parsing, JSON errors.

Every refusal is a JSON body naming the field and the problem, so a form can show it
next to the right input and an API caller can fix the request without guessing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from flask import Request, Response

JSON_TYPE = "application/json"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class HttpError(Exception):
    """A request the function refuses, with what the caller should know to fix it."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = dict(fields or {})
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        return body


def json_response(
    body: Mapping[str, Any], status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    response = Response(
        json.dumps(body, ensure_ascii=False, default=str),
        status=status,
        mimetype=JSON_TYPE,
    )
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def method_not_allowed(method: str, allowed: str, message: str) -> HttpError:
    """405 naming what to use instead, with the Allow header HTTP asks for."""
    return HttpError(
        405,
        "method_not_allowed",
        message,
        {"method": f"{method} is not allowed."},
        headers={"Allow": allowed},
    )


def error_response(error: HttpError, headers: Mapping[str, str] | None = None) -> Response:
    return json_response(error.body(), error.status, {**error.headers, **(headers or {})})


def origin_of(url: str) -> str | None:
    """scheme://host[:port] of a URL, or None when it is not an absolute http(s) URL."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def cors_headers(origin: str | None, allowed: Iterable[str], methods: str) -> dict[str, str]:
    """Headers that let an allowed site's browser read the answer; none for others."""
    if not origin or origin.rstrip("/").lower() not in allowed:
        return {}
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": methods,
        "Access-Control-Allow-Headers": "Content-Type, Idempotency-Key, Authorization",
        "Access-Control-Max-Age": "3600",
        # forms.js waits as long as a 503 asks before retrying; it must be able to read it.
        "Access-Control-Expose-Headers": "Retry-After",
        "Vary": "Origin",
    }


def check_origin(request: Request, allowed: Iterable[str]) -> None:
    """Refuse a browser request from a site the owner has not allowed.

    Requests with no Origin header (a server, curl, a webhook) are not from a browser
    page and CORS does not apply to them.
    """
    origin = request.headers.get("Origin")
    if origin and origin.rstrip("/").lower() not in set(allowed):
        raise origin_refused(origin)


def origin_refused(origin: str | None) -> HttpError:
    return HttpError(
        403,
        "origin_not_allowed",
        "This site is not allowed to call Hearth. Add it to HEARTH_ALLOWED_ORIGINS.",
        {"Origin": f"{origin or 'missing'} is not an allowed origin."},
    )


def preflight(request: Request, cors: Mapping[str, str]) -> Response:
    """A browser's OPTIONS check: 204 with the CORS headers for an allowed site, else 403."""
    if not cors:
        return error_response(origin_refused(request.headers.get("Origin")))
    return Response(status=204, headers=dict(cors))


def read_body(request: Request, max_bytes: int) -> tuple[dict[str, Any], bool]:
    """The request's fields and whether they came from a plain HTML form post.

    Reads at most one byte past the limit, so an oversized or lying Content-Length
    can never make the function hold a huge body in memory.
    """
    length = request.content_length
    if length is not None and length > max_bytes:
        raise _too_large(request, max_bytes)
    raw = request.stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise _too_large(request, max_bytes)
    mimetype = (request.mimetype or "").lower()
    if mimetype == JSON_TYPE or mimetype.endswith("+json"):
        return _parse_json(raw), False
    if mimetype == FORM_TYPES[0]:
        return _parse_urlencoded(raw), True
    if mimetype == FORM_TYPES[1]:
        return _parse_multipart(request, raw), True
    raise HttpError(
        415,
        "unsupported_media_type",
        "Send JSON (application/json) or a form post (application/x-www-form-urlencoded).",
        {"Content-Type": f"{request.content_type or 'missing'} is not supported."},
    )


def _too_large(request: Request, max_bytes: int) -> HttpError:
    # functions-framework reads the whole request after the answer (so the client is not
    # reset mid-upload) and would hold it in memory at once: drop it a chunk at a time first.
    while request.stream.read(max_bytes):
        pass
    return HttpError(
        413,
        "payload_too_large",
        f"The request body is larger than {max_bytes // 1024} KB.",
        {"body": f"At most {max_bytes} bytes."},
    )


def _reject_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity; JSON does not, and they cannot be stored.
    raise ValueError(f"{name} is not valid JSON")


def _parse_json(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise HttpError(
            400, "invalid_json", "The body is not valid JSON.", {"body": str(exc)}
        ) from None
    except RecursionError:
        raise HttpError(
            400, "invalid_json", "The body is nested too deeply.", {"body": "Too deeply nested."}
        ) from None
    if not isinstance(data, dict):
        raise HttpError(
            400, "invalid_json", "The body must be a JSON object.", {"body": "Expected an object."}
        )
    return data


def _parse_urlencoded(raw: bytes) -> dict[str, Any]:
    """Form fields; a repeated name keeps its last value.

    Last-wins lets a plain form send an unchecked checkbox as ``false`` with a hidden
    input placed before the checkbox itself.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(
            400, "invalid_form", "The form body is not UTF-8.", {"body": "Not UTF-8."}
        ) from None
    return dict(parse_qsl(text, keep_blank_values=True))


def _parse_multipart(request: Request, raw: bytes) -> dict[str, Any]:
    from io import BytesIO

    from werkzeug.formparser import parse_form_data

    environ = dict(request.environ)
    environ["wsgi.input"] = BytesIO(raw)
    environ["CONTENT_LENGTH"] = str(len(raw))
    try:
        _, form, _files = parse_form_data(environ, silent=False)
    except ValueError as exc:
        raise HttpError(
            400, "invalid_form", "The form body could not be read.", {"body": str(exc)}
        ) from None
    return {key: values[-1] for key, values in form.lists()}


def json_body(request: Request, max_bytes: int) -> dict[str, Any]:
    """The JSON object sent; an empty body with no type counts as {} (archiving or
    cancelling needs nothing). Form posts are refused: these APIs are for pages that
    send JSON and for API clients."""
    chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    if not request.mimetype and not request.content_length and not chunked:
        return {}
    data, is_form_post = read_body(request, max_bytes)
    if is_form_post:
        raise HttpError(
            415,
            "unsupported_media_type",
            "Send JSON (Content-Type: application/json).",
            {"Content-Type": f"{request.content_type} is not supported."},
        )
    return data
