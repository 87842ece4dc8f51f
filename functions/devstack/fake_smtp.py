"""A local SMTP server (aiosmtpd) that keeps what it is sent, for the dev stack and the
tests: Hearth's real SMTP client sends to it unchanged, and nothing leaves the machine.

    FakeSmtp(port=0).start()   then HEARTH_SMTP_HOST/PORT point at it (dev_env)
    .messages                  every e-mail taken, parsed
    save_to=folder             each one also written there as NNNN.eml (make dev)
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Self

from devstack.server import HOST, PortInUseError

DEV_FROM = "Studio Lumen <hello@studio-lumen.test>"


class _Keep:
    def __init__(self, owner: FakeSmtp) -> None:
        self.owner = owner

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.owner._lock:
            self.owner._messages.append(parsed)  # type: ignore[arg-type]
            if self.owner.save_to is not None:
                self.owner.save_to.mkdir(parents=True, exist_ok=True)
                name = f"{len(self.owner._messages):04d}.eml"
                (self.owner.save_to / name).write_bytes(envelope.content)
        return "250 Message accepted for delivery"


class FakeSmtp:
    label = "fake SMTP"

    def __init__(self, port: int = 0, host: str = HOST, save_to: Path | None = None) -> None:
        self.save_to = save_to
        self.host = host
        self.port = port
        self._lock = threading.Lock()
        self._messages: list[EmailMessage] = []
        self._controller: Any = None

    def start(self) -> Self:
        from aiosmtpd.controller import Controller

        if not self.port:
            with socket.socket() as probe:
                probe.bind((self.host, 0))
                self.port = probe.getsockname()[1]
        controller = Controller(_Keep(self), hostname=self.host, port=self.port)
        try:
            controller.start()
        except (OSError, RuntimeError) as exc:
            raise PortInUseError(self.port, self.label) from exc
        self._controller = controller
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def dev_env(self) -> dict[str, str]:
        return {
            "HEARTH_SMTP_HOST": self.host,
            "HEARTH_SMTP_PORT": str(self.port),
            "HEARTH_SMTP_STARTTLS": "false",
            "HEARTH_MAIL_FROM": DEV_FROM,
        }

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return list(self._messages)

    def reset(self) -> None:
        with self._lock:
            self._messages.clear()
