"""Suppression keys: how an erased person is remembered without keeping who they were.

After an erasure the business must not recreate the person from an old spreadsheet,
yet it may keep nothing that names them. A keyed hash (HMAC-SHA-256 with a server-side
secret) of the normalised e-mail and of the E.164 mobile is that memory: the same
address always gives the same key, so an import or a form can ask "was this person
erased?", while without the secret nobody can test a guessed address against the list
(a plain hash of an e-mail is reversible by trying addresses).
"""

from __future__ import annotations

import hashlib
import hmac

PURPOSE = "hearth-suppression-v1"
EMAIL, MOBILE = "email", "mobile"


def key(secret: str, kind: str, value: str) -> str:
    """The document id of a suppression: kind, then 40 hex digits of the keyed hash.

    ``value`` is already normalised (the customer key for an e-mail, E.164 for a
    mobile): the caller's normalisation is the one intake uses, so every spelling of
    one address meets the same key.
    """
    digest = hmac.new(
        secret.encode("utf-8"), f"{PURPOSE}:{kind}:{value}".encode(), hashlib.sha256
    ).hexdigest()
    return f"{kind}_{digest[:40]}"


def keys(secret: str, email_key: str | None, mobile_e164: str | None) -> list[str]:
    """Every suppression key a person with this e-mail key and valid mobile matches."""
    found = []
    if email_key:
        found.append(key(secret, EMAIL, email_key))
    if mobile_e164:
        found.append(key(secret, MOBILE, mobile_e164))
    return found
