"""The Flask test client the function tests use: one that finishes each request the
way a real server does."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse


class FinishedClient(FlaskClient):
    """Runs the response's close callbacks before ``open`` returns.

    A WSGI server calls close() on every answer once it has written the body, and the
    work a function does after its answer hangs there (Reply.after: a form's routing).
    Werkzeug's test client, unbuffered by default, closes only when the test closes the
    response, which tests never do: routing would silently never run. Buffered, it reads
    the body and closes at once, like a server finishing the request. A test that
    streams (an export read chunk by chunk) still passes ``buffered=False``.
    """

    def open(self, *args: Any, buffered: bool = True, **kwargs: Any) -> TestResponse:
        return super().open(*args, buffered=buffered, **kwargs)


def finished(app: Any) -> FinishedClient:
    """``app``'s test client, every request finished as a server would."""
    app.test_client_class = FinishedClient
    return app.test_client()
