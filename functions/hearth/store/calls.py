"""How every store call is bounded, and what it means when one cannot get through.

A Firestore outage must be a quick 503 that the caller retries (every write is
idempotent by its client-made id), not a request hung until the platform kills it.
"""

from __future__ import annotations

from typing import Any

from hearth.errors import Unavailable


class ContentionError(Unavailable):
    """Too many concurrent writers for one document; the caller may retry safely.

    The caller is told the standard "try again" sentence; which document it was goes
    only to the log (``str()``), where the owner's developer can see a hot spot.
    """

    def __init__(self, detail: str = "") -> None:
        super().__init__()
        self.detail = detail

    def __str__(self) -> str:
        return self.detail or self.message


def call_options(timeout: float) -> dict[str, Any]:
    """Bound every store call, so an outage is a quick 503 rather than a hung request."""
    from google.api_core.retry import Retry, if_transient_error

    return {
        "retry": Retry(predicate=if_transient_error, initial=0.1, maximum=1.0, timeout=timeout),
        "timeout": timeout,
    }
