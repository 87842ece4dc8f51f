"""The WhatsApp Cloud API (Meta's Graph API) as Hearth calls it: send a message, list the
approved templates.

Every failure is one of two kinds, so the caller decides without knowing HTTP: Meta
refused (``WhatsAppRefusedError``, with its error code in plain words: asking again
will not change its mind) or Meta could not be reached or was overloaded
(``WhatsAppUnavailableError``: safe to retry). A send that timed out may still have been
delivered, so the caller never resends on its own: each send carries our message id as
``biz_opaque_callback_data``, which Meta echoes in the status webhooks, so a send whose
answer was lost is matched when its first status arrives.

``HEARTH_WHATSAPP_API_ROOT`` points the client at a stand-in (devstack.fake_whatsapp)
locally and in tests: the code tested is the code that talks to Meta.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hearth.errors import Invalid, Unavailable
from hearth.rules import whatsapp

DEFAULT_ROOT = "https://graph.facebook.com/v21.0"
MAX_TEMPLATE_PAGES = 20
# Meta's codes for "too much, too fast" and "something broke on our side" come with HTTP
# 400 too, yet a later try may well succeed: they are unavailability, not refusal.
RETRY_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131056})


class WhatsAppRefusedError(Invalid):
    """Meta understood the request and said no; ``reason`` says why in plain words."""

    def __init__(self, reason: str, meta_code: int | None) -> None:
        super().__init__({"whatsapp": reason}, reason, code="whatsapp_refused")
        self.reason = reason
        self.meta_code = meta_code


class WhatsAppUnavailableError(Unavailable):
    def __init__(self, detail: str) -> None:
        super().__init__(
            f"WhatsApp could not be reached ({detail}). Nothing was sent twice: try again.",
            code="whatsapp_unavailable",
        )


@dataclass(frozen=True)
class Account:
    """Which WhatsApp Business number Hearth speaks for, and with what token."""

    token: str
    phone_number_id: str
    business_account_id: str
    root: str = DEFAULT_ROOT
    timeout_s: float = 10.0


def connect(settings: Any) -> WhatsAppApi | None:
    """The client for the configured number, or None when WhatsApp is switched off."""
    if not (settings.whatsapp_token and settings.whatsapp_phone_number_id):
        return None
    account = Account(
        token=settings.whatsapp_token,
        phone_number_id=settings.whatsapp_phone_number_id,
        business_account_id=settings.whatsapp_business_account_id or "",
        root=settings.whatsapp_api_root or DEFAULT_ROOT,
        timeout_s=settings.whatsapp_timeout_s,
    )
    return WhatsAppApi(account)


class WhatsAppApi:
    def __init__(self, account: Account, session: Any | None = None) -> None:
        import requests

        self.account = account
        self.session = session or requests.Session()

    def send_text(self, to: str, body: str, *, reference: str) -> str:
        """Free text (only inside the 24-hour window); answers Meta's message id."""
        return self._send(
            to, {"type": "text", "text": {"preview_url": False, "body": body}}, reference
        )

    def send_template(
        self, to: str, name: str, language: str, parameters: Sequence[str], *, reference: str
    ) -> str:
        """An approved template with its body's positional values ({{1}}, {{2}}...)."""
        template: dict[str, Any] = {"name": name, "language": {"code": language}}
        if parameters:
            template["components"] = [
                {"type": "body", "parameters": [{"type": "text", "text": p} for p in parameters]}
            ]
        return self._send(to, {"type": "template", "template": template}, reference)

    def templates(self) -> list[dict[str, Any]]:
        """Every template of the business account, approved or not, all pages."""
        url = f"{self._root}/{self.account.business_account_id}/message_templates"
        params: dict[str, Any] = {"limit": 100}
        found: list[dict[str, Any]] = []
        for _ in range(MAX_TEMPLATE_PAGES):
            page = self._call("GET", url, params=params)
            found.extend(t for t in page.get("data") or () if isinstance(t, Mapping))
            after = ((page.get("paging") or {}).get("cursors") or {}).get("after")
            if not after or not (page.get("paging") or {}).get("next"):
                break
            params = {"limit": 100, "after": after}
        return found

    @property
    def _root(self) -> str:
        return self.account.root.rstrip("/")

    def _send(self, to: str, message: dict[str, Any], reference: str) -> str:
        body = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to,
            "biz_opaque_callback_data": reference,
            **message,
        }
        answer = self._call(
            "POST", f"{self._root}/{self.account.phone_number_id}/messages", json=body
        )
        messages = answer.get("messages") or []
        if not messages or not isinstance(messages[0], Mapping) or not messages[0].get("id"):
            raise WhatsAppUnavailableError("its answer named no message")
        return str(messages[0]["id"])

    def _call(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        import requests

        headers = {"Authorization": f"Bearer {self.account.token}"}
        try:
            response = self.session.request(
                method, url, headers=headers, timeout=self.account.timeout_s, **kwargs
            )
        except requests.Timeout as exc:
            raise WhatsAppUnavailableError("no answer in time") from exc
        except requests.RequestException as exc:
            raise WhatsAppUnavailableError("no connection") from exc
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code == 429 or response.status_code >= 500:
            raise WhatsAppUnavailableError(f"HTTP {response.status_code}")
        if response.status_code >= 400:
            error = answer.get("error") if isinstance(answer, Mapping) else None
            error = error if isinstance(error, Mapping) else {}
            code = error.get("code")
            if code in RETRY_CODES:
                raise WhatsAppUnavailableError(whatsapp.reason([error]))
            raise WhatsAppRefusedError(
                whatsapp.reason([error]), int(code) if isinstance(code, int) else None
            )
        return answer if isinstance(answer, dict) else {}
