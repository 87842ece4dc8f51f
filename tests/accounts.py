"""Users on the Auth emulator, made with firebase-admin and signed in over its REST API."""

from __future__ import annotations

import requests
from firebase_admin import auth

from devstack import emulators
from hearth.access import firebase

PASSWORD = "correct horse battery"


class Accounts:
    def __init__(self, emulator: emulators.Auth) -> None:
        self.emulator = emulator
        self.app = firebase.app()
        self._tokens: dict[str, str] = {}

    def create(
        self,
        role: str | None,
        *,
        uid: str | None = None,
        segments: list[str] | None = None,
        email: str | None = None,
    ) -> str:
        uid = uid or f"{role or 'norole'}-{len(self._tokens) + 1}"
        email = email or f"{uid}@hearth.test"
        auth.create_user(uid=uid, email=email, password=PASSWORD, app=self.app)
        claims: dict[str, object] = {}
        if role:
            claims["role"] = role
        if segments is not None:
            claims["segments"] = segments
        if claims:
            auth.set_custom_user_claims(uid, claims, app=self.app)
        return uid

    def sign_in(self, email: str, password: str = PASSWORD) -> str:
        response = requests.post(
            f"http://{self.emulator.address}/identitytoolkit.googleapis.com/v1/"
            "accounts:signInWithPassword?key=demo-key",
            json={"email": email, "password": password, "returnSecureToken": True},
            timeout=10,
        )
        response.raise_for_status()
        return response.json()["idToken"]

    def token(
        self, role: str | None, *, uid: str | None = None, segments: list[str] | None = None
    ) -> str:
        """An ID token for a (new or existing) user with this role."""
        key = uid or role or "norole"
        if key not in self._tokens:
            uid = self.create(role, uid=uid, segments=segments)
            self._tokens[key] = self.sign_in(f"{uid}@hearth.test")
        return self._tokens[key]

    def headers(self, role: str | None, **kwargs: object) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, **kwargs)}"}  # type: ignore[arg-type]
