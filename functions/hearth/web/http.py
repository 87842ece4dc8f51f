"""The HTTP edge shared by every public function: CORS, body parsing, JSON errors.

Every refusal is a JSON body naming the field and the problem, so a form can show it
next to the right input and an API caller can fix the request without guessing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from flask import Request, Response

from hearth.errors import Forbidden, HearthError, Invalid, TooLarge, UnsupportedMedia

JSON_TYPE = "application/json"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


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


def error_response(error: HearthError) -> Response:
    """A refusal as JSON, with the headers it carries (Allow, Retry-After, ...)."""
    return json_response(error.body(), error.status, error.headers)


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


def origin_refused(origin: str | None) -> Forbidden:
    return Forbidden(
        "This site is not allowed to call Hearth. Add it to HEARTH_ALLOWED_ORIGINS.",
        {"Origin": f"{origin or 'missing'} is not an allowed origin."},
        code="origin_not_allowed",
    )


def preflight(request: Request, cors: Mapping[str, str]) -> Response:
    """A browser's OPTIONS check: 204 with the CORS headers for an allowed site, else 403."""
    if not cors:
        return error_response(origin_refused(request.headers.get("Origin")))
    return Response(status=204, headers=dict(cors))


def read_body(request: Request, max_bytes: int) -> tuple[dict[str, Any], bool]:
    """The request's fields and whether they came from a plain HTML form post.

    Read with :func:`_bounded`, so no body can make the function hold it all in memory.
    """
    raw = _bounded(request, max_bytes)
    mimetype = (request.mimetype or "").lower()
    if mimetype == JSON_TYPE or mimetype.endswith("+json"):
        return _parse_json(raw), False
    if mimetype == FORM_TYPES[0]:
        return _parse_urlencoded(raw), True
    if mimetype == FORM_TYPES[1]:
        return _parse_multipart(request, raw), True
    raise UnsupportedMedia(
        "Send JSON (application/json) or a form post (application/x-www-form-urlencoded).",
        {"Content-Type": f"{request.content_type or 'missing'} is not supported."},
    )


def client_ip(request: Request) -> str:
    """The visitor's address: Google's front end appends it as the last entry of
    X-Forwarded-For (earlier entries are whatever the client claimed); locally there is
    no proxy and the socket's address is the visitor's. Only ever hashed (analytics)."""
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.remote_addr or ""


def beacon_body(request: Request, max_bytes: int) -> dict[str, Any]:
    """A JSON object sent as text/plain (or JSON): navigator.sendBeacon sends a string
    as text/plain, which needs no CORS preflight and so still arrives as a page closes.
    Read like every body, with :func:`_bounded`."""
    raw = _bounded(request, max_bytes)
    mimetype = (request.mimetype or "").lower()
    if mimetype not in ("", "text/plain", JSON_TYPE):
        raise UnsupportedMedia(
            "Send the hit as JSON (text/plain or application/json).",
            {"Content-Type": f"{request.content_type} is not supported."},
        )
    return _parse_json(raw)


def signed_json(request: Request, max_bytes: int) -> tuple[bytes, dict[str, Any]]:
    """The exact bytes received and the JSON object they hold: a webhook's signature is
    over the bytes, so they are kept as they came (parsed and written again, they would
    no longer match)."""
    raw = _bounded(request, max_bytes)
    return raw, _parse_json(raw)


def _bounded(request: Request, max_bytes: int) -> bytes:
    """The raw body, refused as too large before it is all read: at most one byte past
    the limit, so an oversized or lying Content-Length can never make the function hold
    a huge body in memory."""
    length = request.content_length
    if length is not None and length > max_bytes:
        raise _too_large(request, max_bytes)
    raw = request.stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise _too_large(request, max_bytes)
    return raw


def _too_large(request: Request, max_bytes: int) -> TooLarge:
    # functions-framework reads the whole request after the answer (so the client is not
    # reset mid-upload) and would hold it in memory at once: drop it a chunk at a time first.
    while request.stream.read(max_bytes):
        pass
    return TooLarge(
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
        raise Invalid(
            {"body": str(exc)}, "The body is not valid JSON.", code="invalid_json"
        ) from None
    except RecursionError:
        raise Invalid(
            {"body": "Too deeply nested."}, "The body is nested too deeply.", code="invalid_json"
        ) from None
    if not isinstance(data, dict):
        raise Invalid(
            {"body": "Expected an object."}, "The body must be a JSON object.", code="invalid_json"
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
        raise Invalid(
            {"body": "Not UTF-8."}, "The form body is not UTF-8.", code="invalid_form"
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
        raise Invalid(
            {"body": str(exc)}, "The form body could not be read.", code="invalid_form"
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
        raise UnsupportedMedia(
            "Send JSON (Content-Type: application/json).",
            {"Content-Type": f"{request.content_type} is not supported."},
        )
    return data
