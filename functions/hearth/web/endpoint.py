"""The one opening every function shares: the only place a request becomes a call and
an error becomes a response.

Each function used to repeat the same dozen lines (settings, CORS, preflight, 405,
origin, body, ``except HttpError``); a new one copied them and, sooner or later, got
one wrong. Here the order is fixed once: preflight, route and method, origin, then the
handler, which reads its body and caller through :class:`Call` and answers with a
:class:`Reply` or raises a :class:`~hearth.errors.HearthError`. A store failure becomes
a 503 that is safe to retry; anything unexpected becomes a JSON 500 carrying a request
id that the log line carries too, never Flask's HTML page.
"""

from __future__ import annotations

import functools
import logging
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Request, Response
from pydantic import BaseModel, ValidationError

from hearth import config
from hearth.errors import SAVE_FAILED, HearthError, Invalid, MethodNotAllowed, Unavailable
from hearth.rules.fields import ID_PATTERN
from hearth.rules.roles import Principal
from hearth.web import http

log = logging.getLogger(__name__)

Model = TypeVar("Model", bound=BaseModel)
INTERNAL = "Something went wrong on our side. Please try again; if it keeps happening, quote {}."


@dataclass
class Call:
    """One request as a handler sees it: settings read once, body and caller on demand."""

    request: Request
    settings: config.Settings
    request_id: str
    _principal: Principal | None = field(default=None, repr=False)

    @property
    def path(self) -> str:
        return self.request.path

    def args(self) -> dict[str, str]:
        return self.request.args.to_dict()

    def body(self) -> tuple[dict[str, Any], bool]:
        """The fields sent (JSON or a form post) and whether it was a plain form post."""
        return http.read_body(self.request, self.settings.max_body_bytes)

    def json(self) -> dict[str, Any]:
        """A JSON object body; an empty body counts as {} (archive and cancel need none)."""
        return http.json_body(self.request, self.settings.max_body_bytes)

    def signed_json(self, max_bytes: int) -> tuple[bytes, dict[str, Any]]:
        """The raw body (for a webhook's signature check) and the JSON object in it."""
        return http.signed_json(self.request, max_bytes)

    def principal(self) -> Principal:
        """The verified caller; 401 without a valid ID token."""
        from hearth.web import auth

        if self._principal is None:
            self._principal = auth.principal(self.request)
        return self._principal

    def signed_in(self) -> Principal | None:
        """The caller when they sent a token at all (staff), None for a visitor."""
        if not self.request.headers.get("Authorization"):
            return None
        return self.principal()

    def header(self, name: str) -> str:
        return self.request.headers.get(name, "")

    def idempotency_key(self) -> str:
        """The client's name for this request (a retry reuses it), or a fresh one."""
        key = self.header("Idempotency-Key").strip()
        if not key:
            return uuid.uuid4().hex
        if not re.fullmatch(ID_PATTERN, key):
            raise Invalid({"Idempotency-Key": "Use 8 to 128 letters, digits, '-' or '_'."})
        return key


@dataclass
class Reply:
    """What a handler answers: a JSON body, or any Flask response it had to make itself
    (a streamed export, an .ics file, a redirect).

    ``after`` is work the caller must not wait for but that belongs to this request
    (routing the customer a form just made): it runs once the answer has been written,
    still inside the request, so Cloud Functions and Cloud Run keep the CPU allocated
    for it. It must be safe to lose: its failure is logged, never answered.
    """

    body: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    response: Response | None = None
    after: Callable[[], None] | None = None

    @classmethod
    def raw(cls, response: Response) -> Reply:
        return cls(response=response)

    @classmethod
    def attachment(cls, body: Any, content_type: str, filename: str) -> Reply:
        """A file to save (a string, bytes or a generator of chunks), never cached: it
        holds customers or figures, and a shared cache must not keep a copy."""
        return cls.raw(
            Response(
                body,
                status=200,
                headers={
                    "Content-Type": content_type,
                    "Content-Disposition": f'attachment; filename="{filename}"',
                    "Cache-Control": "no-store",
                },
            )
        )

    @classmethod
    def redirect(cls, location: str) -> Reply:
        return cls(response=Response(status=303, headers={"Location": location}))

    def to_response(self) -> Response:
        if self.response is not None:
            return self.response
        return http.json_response(self.body, self.status, self.headers)


Handler = Callable[[Call], Reply]
Router = Callable[[Request], Handler]


def parse(model: type[Model], data: Mapping[str, Any]) -> Model:
    """Validate with pydantic; a refusal names every field at fault."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid.from_validation(exc) from None


def endpoint(
    *, methods: str, wrong_method: str, **options: Any
) -> Callable[[Handler], Callable[[Request], Response]]:
    """Make ``handle(request) -> Response`` for functions-framework from one handler.

    ``methods`` are what CORS offers and what is allowed (anything else is a 405 saying
    ``wrong_method``); ``options`` are :func:`serve`'s.
    """
    allowed = {m.strip() for m in methods.split(",")} - {"OPTIONS"}

    def wrap(handler: Handler) -> Callable[[Request], Response]:
        def only(request: Request) -> Handler:
            if request.method not in allowed:
                raise MethodNotAllowed(request.method, methods, wrong_method)
            return handler

        served = serve(only, methods=methods, **options)
        return functools.wraps(handler)(served)

    return wrap


def serve(
    router: Router,
    *,
    methods: str,
    cors: bool = True,
    expose: str | None = None,
    unavailable: str = SAVE_FAILED,
) -> Callable[[Request], Response]:
    """Make ``handle(request) -> Response`` for a function with several routes.

    ``router`` picks the handler for the path and method, raising NotFound or
    MethodNotAllowed before the origin is checked; ``cors=False`` is for a function
    browsers never call (the scheduler's); ``expose`` widens which answer headers a
    page may read; ``unavailable`` is the sentence for a store outage.
    """

    def handle(request: Request) -> Response:
        settings = config.load()
        headers = (
            http.cors_headers(request.headers.get("Origin"), settings.allowed_origins, methods)
            if cors
            else {}
        )
        if headers and expose:
            headers["Access-Control-Expose-Headers"] = expose
        if cors and request.method == "OPTIONS":
            return http.preflight(request, headers)
        request_id = _request_id(request)
        try:
            handler = router(request)
            if cors:
                http.check_origin(request, settings.allowed_origins)
            with _store_failures(unavailable):
                reply = handler(Call(request, settings, request_id))
                response = reply.to_response()
            if reply.after is not None:
                response.call_on_close(_after_the_answer(reply.after, request_id))
        except HearthError as error:
            if error.status >= 500:
                log.error("request %s: %s %s", request_id, error.code, error)
            response = http.error_response(error)
        except Exception:
            log.exception("request %s failed", request_id)
            response = http.json_response(
                {
                    "error": "internal",
                    "message": INTERNAL.format(request_id),
                    "requestId": request_id,
                },
                500,
            )
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response

    return handle


def _after_the_answer(work: Callable[[], None], request_id: str) -> Callable[[], None]:
    """``work`` as the WSGI server's close() runs it, after the last byte of the body:
    an exception there would reach the server (and the visitor already has their
    answer), so it is logged with the request id and swallowed."""

    def run() -> None:
        try:
            work()
        except Exception:
            log.exception("request %s: the work after the answer failed", request_id)

    return run


def _request_id(request: Request) -> str:
    """Cloud Run's trace id when there is one, so our log line and Google's match."""
    trace = request.headers.get("X-Cloud-Trace-Context", "").split("/")[0]
    return trace if trace.isalnum() and len(trace) <= 64 else uuid.uuid4().hex


@contextmanager
def _store_failures(message: str) -> Iterator[None]:
    """Any store failure inside a handler is a 503 with Retry-After, never a bare 500.

    Writes are idempotent by their client-made ids, so the caller's retry is safe. The
    Google client is imported only when something failed: a 400 must not pay for it.
    """
    try:
        yield
    except HearthError:
        raise
    except Exception as exc:
        from google.api_core.exceptions import GoogleAPICallError, RetryError

        if not isinstance(exc, GoogleAPICallError | RetryError):
            raise
        log.error("store unavailable: %s", exc)
        raise Unavailable(message) from exc
