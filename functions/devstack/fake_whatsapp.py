"""A local stand-in for the WhatsApp Cloud API (Meta's Graph API), for the dev stack and
the tests.

Hearth's real client (hearth.messaging.whatsapp_api) talks to it unchanged:
HEARTH_WHATSAPP_API_ROOT points it here. It answers the calls Hearth makes, in Meta's
shapes (tests/fixtures/whatsapp/):

    POST /{version}/{phone-number-id}/messages            a send: a new wamid
    GET  /{version}/{business-account-id}/message_templates   the templates

and is steered from Python (``FakeWhatsApp``) or over HTTP under /_fake/:

    GET  /_fake/requests              what the client sent
    POST /_fake/outage {"down": bool} every API call answers 503
    POST /_fake/refuse {"code", "message"}   the next send is refused with Meta's error
    POST /_fake/delay {"seconds": s}  answer that much later (a send still happens)
    POST /_fake/reset                 forget all of that
"""

from __future__ import annotations

import copy
import json
import re
import threading
import time
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request, Response

from devstack.fake_server import FakeServer
from devstack.server import HOST

TEMPLATES = Path(__file__).parent / "data" / "whatsapp_templates.json"
TOKEN = "fake-whatsapp-token"
PHONE_NUMBER_ID = "106540352242922"
BUSINESS_ACCOUNT_ID = "102290129340398"
_MESSAGES = re.compile(r"^/v[0-9.]+/(?P<number>[^/]+)/messages$")
_TEMPLATES = re.compile(r"^/v[0-9.]+/(?P<account>[^/]+)/message_templates$")


class FakeWhatsApp(FakeServer):
    label = "fake WhatsApp"

    def __init__(self, port: int = 0, host: str = HOST) -> None:
        super().__init__(port, host)
        self._lock = threading.Lock()
        self._clear()

    def dev_env(self) -> dict[str, str]:
        """The HEARTH_WHATSAPP_* variables that connect Hearth to this fake."""
        return {
            "HEARTH_WHATSAPP_API_ROOT": f"{self.url}/v21.0",
            "HEARTH_WHATSAPP_TOKEN": TOKEN,
            "HEARTH_WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
            "HEARTH_WHATSAPP_BUSINESS_ACCOUNT_ID": BUSINESS_ACCOUNT_ID,
        }

    @property
    def requests(self) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(self._requests)

    @property
    def sent(self) -> list[dict[str, Any]]:
        """The bodies of the sends it accepted, in order."""
        return [r["json"] for r in self.requests if r["accepted"]]

    def set_down(self, down: bool) -> None:
        with self._lock:
            self._down = down

    def set_delay(self, seconds: float) -> None:
        """Answer late: the message is sent at once, its answer comes after ``seconds``,
        as when Meta's answer is lost on the way back."""
        with self._lock:
            self._delay = seconds

    def refuse_next(self, code: int, message: str) -> None:
        with self._lock:
            self._refusal = {"code": code, "message": message}

    def reset(self) -> None:
        with self._lock:
            self._clear()

    def _clear(self) -> None:
        self.templates = json.loads(TEMPLATES.read_text(encoding="utf-8"))
        self._requests: list[dict[str, Any]] = []
        self._down = False
        self._refusal: dict[str, Any] | None = None
        self._made = 0
        self._delay = 0.0

    def respond(self, request: Request) -> Response:
        if request.path.startswith("/_fake/"):
            return self._control(request)
        body = request.get_json(silent=True)
        response = self._answer(request, body)
        with self._lock:
            delay = self._delay
        if delay:
            time.sleep(delay)
        return response

    def _answer(self, request: Request, body: Any) -> Response:
        with self._lock:
            record = {
                "method": request.method,
                "path": request.path,
                "json": body,
                "accepted": False,
            }
            self._requests.append(record)
            if self._down:
                return _error(503, 2, "Service temporarily unavailable")
            if request.headers.get("Authorization") != f"Bearer {TOKEN}":
                return _error(401, 190, "Invalid OAuth access token.")
            sending = _MESSAGES.match(request.path)
            if request.method == "POST" and sending:
                return self._send(sending["number"], body, record)
            listing = _TEMPLATES.match(request.path)
            if request.method == "GET" and listing:
                return _json(self.templates)
            return _error(400, 100, f"Unsupported {request.method} request.")

    def _send(self, number: str, body: Any, record: dict[str, Any]) -> Response:
        if number != PHONE_NUMBER_ID:
            return _error(400, 100, "Unknown phone number id.")
        if not isinstance(body, dict) or body.get("messaging_product") != "whatsapp":
            return _error(400, 100, "messaging_product must be whatsapp.")
        if not body.get("to") or body.get("type") not in ("text", "template"):
            return _error(400, 131008, "Required parameter is missing.")
        if self._refusal is not None:
            refusal, self._refusal = self._refusal, None
            return _error(400, refusal["code"], refusal["message"])
        self._made += 1
        record["accepted"] = True
        wamid = f"wamid.FAKE{self._made:08d}"
        return _json(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": str(body["to"]).lstrip("+")}],
                "messages": [{"id": wamid}],
            }
        )

    def _control(self, request: Request) -> Response:
        route = (request.method, request.path)
        body = request.get_json(silent=True) or {}
        if route == ("GET", "/_fake/requests"):
            return _json({"requests": self.requests})
        if route == ("POST", "/_fake/outage"):
            self.set_down(bool(body.get("down")))
            return _json({"down": bool(body.get("down"))})
        if route == ("POST", "/_fake/refuse"):
            self.refuse_next(int(body.get("code") or 131047), str(body.get("message") or "Refused"))
            return _json({"ok": True})
        if route == ("POST", "/_fake/delay"):
            self.set_delay(float(body.get("seconds") or 0))
            return _json({"ok": True})
        if route == ("POST", "/_fake/reset"):
            self.reset()
            return _json({"ok": True})
        return _json(
            {"error": "not_found", "message": f"No control at {request.method} {request.path}."},
            404,
        )


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _error(status: int, code: int, message: str) -> Response:
    """Meta's error envelope."""
    return _json(
        {
            "error": {
                "message": message,
                "type": "OAuthException",
                "code": code,
                "fbtrace_id": "FAKE",
            }
        },
        status,
    )
