"""Signed booking links: the customer's key to their own booking, with no account.

A confirmation must let a person cancel or move their call from any device without
signing in, and must not let anyone else do it by guessing ids. An HMAC of the
booking id with a server-side secret is that key: it survives a reschedule (same
booking), needs no storage, and is checked in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import urlencode

PURPOSE = "hearth-booking-v1"


def token(secret: str, booking_id: str) -> str:
    digest = hmac.new(
        secret.encode("utf-8"), f"{PURPOSE}:{booking_id}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def valid(secret: str, booking_id: str, candidate: str | None) -> bool:
    if not candidate or not isinstance(candidate, str) or len(candidate) > 100:
        return False
    return hmac.compare_digest(token(secret, booking_id), candidate)


def manage_url(site_url: str, secret: str, booking_id: str) -> str:
    """The page on the owner's site where the customer cancels or reschedules."""
    query = urlencode({"id": booking_id, "token": token(secret, booking_id)})
    return f"{site_url}/site/booking.html?{query}"


def ics_url(functions_url: str, secret: str, booking_id: str) -> str:
    query = urlencode({"token": token(secret, booking_id)})
    return f"{functions_url.rstrip('/')}/booking/{booking_id}.ics?{query}"
