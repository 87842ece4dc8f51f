"""Who is calling: a Firebase ID token in `Authorization: Bearer`, verified server-side.

firebase-admin is set up on first use, not at import (cold start). Against the Auth
emulator (FIREBASE_AUTH_EMULATOR_HOST) it accepts the emulator's unsigned tokens and
needs no credentials; in production it checks Google's signatures.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Request

from hearth import config
from hearth.http import HttpError
from hearth.roles import Principal

log = logging.getLogger(__name__)

_app: Any = None


def _firebase_app() -> Any:
    import firebase_admin

    global _app
    if _app is None:
        project = config.load().project
        try:
            _app = firebase_admin.get_app("hearth")
        except ValueError:
            _app = firebase_admin.initialize_app(options={"projectId": project}, name="hearth")
    return _app


def bearer_token(request: Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HttpError(
            401,
            "unauthenticated",
            "Sign in first: send your Firebase ID token as `Authorization: Bearer <token>`.",
            {"Authorization": "Missing or not a Bearer token."},
            headers={"WWW-Authenticate": "Bearer"},
        )
    return token.strip()


def principal(request: Request) -> Principal:
    """The verified caller; 401 for a missing, expired, revoked or forged token."""
    from firebase_admin import auth, exceptions

    token = bearer_token(request)
    try:
        claims = auth.verify_id_token(token, app=_firebase_app(), check_revoked=True)
    except (
        auth.CertificateFetchError,
        exceptions.UnavailableError,
        exceptions.DeadlineExceededError,
        exceptions.UnknownError,
    ) as exc:
        # Checking revocation asks the Auth service; when it cannot be reached the
        # caller should retry, not be told their sign-in is bad.
        log.error("could not verify a token: %s", exc)
        raise HttpError(
            503,
            "auth_unavailable",
            "We could not check your sign-in right now. Please try again in a moment.",
            headers={"Retry-After": "5"},
        ) from exc
    except (
        auth.InvalidIdTokenError,
        auth.ExpiredIdTokenError,
        auth.RevokedIdTokenError,
        auth.UserDisabledError,
        ValueError,
    ) as exc:
        raise HttpError(
            401,
            "unauthenticated",
            "Your sign-in is not valid any more: sign in again.",
            {"Authorization": str(exc)[:200]},
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        ) from None
    return Principal.from_claims(claims)


def reset() -> None:
    """Forget the firebase-admin app (tests switch Auth emulators)."""
    import firebase_admin

    global _app
    if _app is not None:
        firebase_admin.delete_app(_app)
    _app = None
