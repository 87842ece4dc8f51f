"""Running the local stack as a child process, the way a developer runs it.

Shared by the tests that go over real HTTP and the browser tests; conftest.py starts
one stack per session (the `live_stack` fixture).
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from devstack import emulators
from devstack.fake_calendar import FakeCalendar
from devstack.fake_smtp import FakeSmtp
from devstack.fake_whatsapp import FakeWhatsApp

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = ROOT / "functions"
ARTIFACTS = ROOT / "test-artifacts"
# Short enough that a browser test need not sit idle, long enough that a script
# posting instantly is still caught as a bot.
MIN_FILL_MS = 800
# The stack's WhatsApp webhook checks bodies against this app secret (tests sign with it).
WHATSAPP_SECRET = "stack-whatsapp-app-secret"
INBOUND_SECRET = "stack-inbound-mail-secret"  # the stack's /email_inbound shared secret


class Output:
    """A child's stdout read on a thread, so a test can wait for a line with a deadline."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        assert process.stdout is not None
        threading.Thread(target=self._read, args=(process.stdout,), daemon=True).start()

    def _read(self, stream: TextIO) -> None:
        with stream:  # closed at the end, not left to the garbage collector
            for line in stream:
                self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, prefix: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                raise AssertionError(f"exited before printing {prefix!r}:\n{self.text()}")
            self.lines.append(line)
            if line.startswith(prefix):
                return line
        raise AssertionError(f"no {prefix!r} within {timeout:.0f} s:\n{self.text()}")

    def drain(self, timeout: float = 5) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.2)
            except queue.Empty:
                continue
            if line is None:
                break
            self.lines.append(line)
        return self.text()

    def text(self) -> str:
        return "\n".join(self.lines)


def start(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[subprocess.Popen[str], Output]:
    process = subprocess.Popen(
        [sys.executable, "-m", "devstack", *argv],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    return process, Output(process)


def stop_group(process: subprocess.Popen[str]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@dataclass(frozen=True)
class Stack:
    functions: str
    web: str
    web_port: int
    # The Auth emulator the stack's functions verify tokens with, and the admin page
    # signs in to (its /config.json); None when the stack started without one.
    auth: str | None = None
    # The fake Google Calendar the stack's functions talk to (a real client, a local server).
    calendar: FakeCalendar | None = None
    # The stand-in of Meta's Graph API its WhatsApp sends go to; the webhook's app secret.
    whatsapp: FakeWhatsApp | None = None
    whatsapp_secret: str = WHATSAPP_SECRET
    # The SMTP server its e-mail goes to (aiosmtpd on loopback).
    smtp: FakeSmtp | None = None


@contextmanager
def serve(
    firestore_emulator: emulators.Firestore, auth_emulator: emulators.Auth | None = None
) -> Iterator[Stack]:
    """`python -m devstack serve` on free ports, against the test emulators.

    The Auth emulator is the one given, else whichever FIREBASE_AUTH_EMULATOR_HOST names
    when the stack starts (the session's, once the `auth_emulator` fixture ran).
    """
    functions_port, web_port = emulators.free_port(), emulators.free_port()
    web = f"http://127.0.0.1:{web_port}"
    auth = auth_emulator.address if auth_emulator else os.environ.get("FIREBASE_AUTH_EMULATOR_HOST")
    env = {key: value for key, value in os.environ.items() if key != "FIREBASE_AUTH_EMULATOR_HOST"}
    if auth:
        env["FIREBASE_AUTH_EMULATOR_HOST"] = auth
    calendar = FakeCalendar().start()
    whatsapp = FakeWhatsApp().start()
    smtp = FakeSmtp().start()
    env = {
        **env,
        **calendar.dev_env(ARTIFACTS / "stack"),
        **whatsapp.dev_env(),
        **smtp.dev_env(),
        "HEARTH_WHATSAPP_APP_SECRET": WHATSAPP_SECRET,
        "HEARTH_EMAIL_INBOUND_SECRET": INBOUND_SECRET,
        "HEARTH_SITE_URL": web,
        "HEARTH_BUSINESS_NAME": "Studio Lumen",
        "FIRESTORE_EMULATOR_HOST": firestore_emulator.address,
        "GOOGLE_CLOUD_PROJECT": emulators.PROJECT,
        # The demo site's plain-form _redirect names the default web address.
        "HEARTH_ALLOWED_ORIGINS": f"{web},http://localhost:{web_port},http://127.0.0.1:5000",
        "HEARTH_DEV_DATA_DIR": str(ARTIFACTS / "stack"),
        "HEARTH_MIN_FILL_MS": str(MIN_FILL_MS),
        # From the repository root, the way `make` may call it.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(FUNCTIONS), os.environ.get("PYTHONPATH")])),
    }
    argv = ["serve", "--functions-port", str(functions_port), "--web-port", str(web_port)]
    process, output = start(argv, env, ROOT)
    try:
        output.wait_for("ready", timeout=60)
        yield Stack(
            functions=f"http://127.0.0.1:{functions_port}",
            web=web,
            web_port=web_port,
            auth=auth,
            calendar=calendar,
            whatsapp=whatsapp,
            smtp=smtp,
        )
    finally:
        stop_group(process)
        calendar.stop()
        whatsapp.stop()
        smtp.stop()
    assert process.returncode == 0, output.drain()


# --- `python -m devstack dev`: the real command, as `make dev` runs it -----------------


def descendants(pid: int) -> set[int]:
    """Every process below pid, found through /proc (emulators run in their own groups)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def dev_env(tmp_path: Path, ports: dict[str, int]) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in ("FIRESTORE_EMULATOR_HOST", "FIREBASE_AUTH_EMULATOR_HOST", "HEARTH_ALLOWED_ORIGINS")
    }
    # The local stand-ins get free ports too, so a `make dev` running beside is no clash.
    stand_ins = {name: emulators.free_port() for name in ("calendar", "whatsapp", "smtp")}
    env.update(
        {
            f"HEARTH_DEV_{name.upper()}_PORT": str(port)
            for name, port in {**stand_ins, **ports}.items()
        }
    )
    env["HEARTH_DEV_DATA_DIR"] = str(tmp_path / "data")
    return env


def run_dev(env: dict[str, str], *flags: str) -> tuple[subprocess.Popen[str], Output]:
    process, output = start(["dev", *flags], env, FUNCTIONS)
    try:
        output.wait_for("Press Ctrl-C to stop.", timeout=120)
    except BaseException:
        stop_group(process)
        raise
    return process, output


def interrupt(process: subprocess.Popen[str], output: Output) -> None:
    below = descendants(process.pid)
    assert below, "dev started no emulator process"
    process.send_signal(signal.SIGINT)
    try:
        code = process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        stop_group(process)
        raise
    text = output.drain()
    assert code == 0, text
    assert "Stopped." in text
    left = sorted(pid for pid in below if running(pid))
    assert not left, f"processes left behind: {left}\n{text}"
