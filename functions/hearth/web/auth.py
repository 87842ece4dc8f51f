"""Who is calling: a Firebase ID token in `Authorization: Bearer`, verified server-side.

Against the Auth emulator (FIREBASE_AUTH_EMULATOR_HOST) firebase-admin accepts the
emulator's unsigned tokens and needs no credentials; in production it checks Google's
signatures. Every failure becomes a HearthError here, so the endpoint answers it.
"""

from __future__ import annotations

import logging

from flask import Request

from hearth.access import firebase
from hearth.errors import Unauthenticated, Unavailable
from hearth.rules.roles import Principal

log = logging.getLogger(__name__)


def bearer_token(request: Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated(
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
        claims = auth.verify_id_token(token, app=firebase.app(), check_revoked=True)
    except (
        auth.CertificateFetchError,
        exceptions.UnavailableError,
        exceptions.DeadlineExceededError,
        exceptions.UnknownError,
    ) as exc:
        # Checking revocation asks the Auth service; when it cannot be reached the
        # caller should retry, not be told their sign-in is bad.
        log.error("could not verify a token: %s", exc)
        raise Unavailable(
            "We could not check your sign-in right now. Please try again in a moment.",
            code="auth_unavailable",
        ) from exc
    except (
        auth.InvalidIdTokenError,
        auth.ExpiredIdTokenError,
        auth.RevokedIdTokenError,
        auth.UserDisabledError,
        # A token of a user who was deleted (or never existed here): revocation is
        # checked against the user record, and there is none.
        auth.UserNotFoundError,
        ValueError,
    ) as exc:
        raise Unauthenticated(
            "Your sign-in is not valid any more: sign in again.",
            {"Authorization": str(exc)[:200]},
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        ) from None
    return Principal.from_claims(claims)
