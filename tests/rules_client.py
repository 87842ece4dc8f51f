"""Talk to the Firestore emulator as a signed-in user, so firestore.rules apply.

The Python server client authenticates as the emulator's owner and bypasses the rules,
so it cannot test them. The emulator accepts unsigned ID tokens ("alg": "none") and
evaluates the rules against their claims exactly as production does against verified
ones, which is what these REST calls send. Every call answers an Outcome: allowed or
not, and what came back.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests

PROJECT = "demo-hearth"


def _b64url(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def mock_id_token(uid: str, claims: dict[str, Any] | None = None, project: str = PROJECT) -> str:
    """An unsigned ID token shaped like one from Firebase Auth, with custom claims."""
    now = int(time.time())
    payload: dict[str, Any] = {
        "iss": f"https://securetoken.google.com/{project}",
        "aud": project,
        "iat": now,
        "exp": now + 3600,
        "auth_time": now,
        "sub": uid,
        "user_id": uid,
        "email": f"{uid}@hearth.test",
        "email_verified": True,
        "firebase": {"sign_in_provider": "password", "identities": {}},
        **(claims or {}),
    }
    return f"{_b64url({'alg': 'none', 'typ': 'JWT'})}.{_b64url(payload)}."


@dataclass(frozen=True)
class User:
    """Who makes a request: a uid and custom claims, or nobody (uid None: no token)."""

    name: str
    uid: str | None
    claims: dict[str, Any] = field(default_factory=dict)

    def headers(self) -> dict[str, str]:
        if self.uid is None:
            return {}
        return {"Authorization": f"Bearer {mock_id_token(self.uid, self.claims)}"}


@dataclass(frozen=True)
class Outcome:
    status: int
    body: Any

    @property
    def allowed(self) -> bool:
        return 200 <= self.status < 300

    @property
    def denied(self) -> bool:
        """Refused by the rules: 403 PERMISSION_DENIED, not some other failure."""
        return self.status == 403 and "PERMISSION_DENIED" in json.dumps(self.body)

    def names(self) -> list[str]:
        """Document paths (relative to the database root) a query answered."""
        if not isinstance(self.body, list):
            return []
        return [
            row["document"]["name"].split("/documents/", 1)[1]
            for row in self.body
            if "document" in row
        ]


# A filter on one field, in the REST API's form: ("ownerUid", "EQUAL", "rep-a").
Filter = tuple[str, str, Any]


def value(python: Any) -> dict[str, Any]:
    """A Python value as a Firestore REST Value."""
    if python is None:
        return {"nullValue": None}
    if isinstance(python, bool):
        return {"booleanValue": python}
    if isinstance(python, int):
        return {"integerValue": str(python)}
    if isinstance(python, str):
        return {"stringValue": python}
    if isinstance(python, list | tuple):
        return {"arrayValue": {"values": [value(item) for item in python]}}
    if isinstance(python, dict):
        return {"mapValue": {"fields": {k: value(v) for k, v in python.items()}}}
    raise TypeError(f"no Firestore value for {python!r}")


class RulesClient:
    """REST calls to one emulator's default database, as a given user."""

    def __init__(self, base: str, project: str = PROJECT) -> None:
        self.root = f"{base}/v1/projects/{project}/databases/(default)/documents"
        self.http = requests.Session()

    def _send(self, user: User, method: str, url: str, **kwargs: Any) -> Outcome:
        response = self.http.request(method, url, headers=user.headers(), timeout=10, **kwargs)
        try:
            body = response.json()
        except ValueError:
            body = response.text
        # runQuery reports a refusal inside its streamed array, possibly with status 200.
        if isinstance(body, list) and body and isinstance(body[0], dict) and "error" in body[0]:
            return Outcome(int(body[0]["error"].get("code", 500)), body[0])
        return Outcome(response.status_code, body)

    def _url(self, path: str) -> str:
        return f"{self.root}/{quote(path, safe='/@')}"

    def get(self, user: User, path: str) -> Outcome:
        return self._send(user, "GET", self._url(path))

    def query(
        self,
        user: User,
        collection: str,
        *,
        parent: str = "",
        filters: tuple[Filter, ...] = (),
        all_descendants: bool = False,
    ) -> Outcome:
        """runQuery on a collection (under `parent`), or a collection group at the root."""
        structured: dict[str, Any] = {
            "from": [{"collectionId": collection, "allDescendants": all_descendants}]
        }
        clauses = [
            {"fieldFilter": {"field": {"fieldPath": f}, "op": op, "value": value(v)}}
            for f, op, v in filters
        ]
        if len(clauses) == 1:
            structured["where"] = clauses[0]
        elif clauses:
            structured["where"] = {"compositeFilter": {"op": "AND", "filters": clauses}}
        url = (self._url(parent) if parent else self.root) + ":runQuery"
        return self._send(user, "POST", url, json={"structuredQuery": structured})

    def create(self, user: User, collection: str, doc_id: str, fields: dict[str, Any]) -> Outcome:
        return self._send(
            user,
            "POST",
            self._url(collection),
            params={"documentId": doc_id},
            json={"fields": {k: value(v) for k, v in fields.items()}},
        )

    def update(self, user: User, path: str, fields: dict[str, Any]) -> Outcome:
        """Change some fields of an existing document (never creates one)."""
        return self._send(
            user,
            "PATCH",
            self._url(path),
            params={"updateMask.fieldPaths": list(fields), "currentDocument.exists": "true"},
            json={"fields": {k: value(v) for k, v in fields.items()}},
        )

    def delete(self, user: User, path: str) -> Outcome:
        return self._send(user, "DELETE", self._url(path))
