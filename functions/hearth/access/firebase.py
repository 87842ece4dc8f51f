"""The one firebase-admin app: staff accounts (access.users) and token checks (web.auth).

Set up on first use, not at import: importing firebase-admin's auth costs cold start,
and a function that answers a preflight or a form never needs it.
"""

from __future__ import annotations

from typing import Any

from hearth import config

_app: Any = None


def app() -> Any:
    import firebase_admin

    global _app
    if _app is None:
        project = config.load().project
        try:
            _app = firebase_admin.get_app("hearth")
        except ValueError:
            _app = firebase_admin.initialize_app(options={"projectId": project}, name="hearth")
    return _app


def reset() -> None:
    """Forget the app (tests switch Auth emulators)."""
    import firebase_admin

    global _app
    if _app is not None:
        firebase_admin.delete_app(_app)
    _app = None
