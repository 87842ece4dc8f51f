"""Start, check, clear and stop the real Firebase emulators.

Firestore comes from the Google Cloud SDK (Java 17 is enough); firebase-tools' own
Firestore emulator needs a download and Java 21, so it is used only when asked for
(HEARTH_FIRESTORE_EMULATOR=firebase). Auth comes from firebase-tools, which needs no
Java for it. Every emulator runs in its own process group: the Cloud SDK script starts
Java as a child, and killing only the script would leave Java holding the port.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "demo-hearth"
RULES = ROOT / "firestore.rules"
EXPORT_NAME = "firestore_export"
# Where firebase-tools keeps an Auth export, so `--import` reads what Auth.export_to wrote.
AUTH_METADATA = "firebase-export-metadata.json"
AUTH_EXPORT = "auth_export"


class EmulatorError(RuntimeError):
    """An emulator did not start or answer; the message says what to install or check."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def _http(method: str, url: str, body: bytes | None = None, timeout: float = 10) -> bytes:
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", "Bearer owner")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def firestore_metadata(directory: Path) -> Path:
    """The file the Firestore emulator writes last in an export: its presence means whole."""
    return directory / EXPORT_NAME / f"{EXPORT_NAME}.overall_export_metadata"


def auth_metadata(directory: Path) -> Path:
    """firebase-tools' export metadata, written last by Auth.export_to: present means whole."""
    return directory / AUTH_METADATA


def staging_for(target: Path) -> Path:
    return target.with_name(target.name + ".new")


def _old(target: Path) -> Path:
    return target.with_name(target.name + ".old")


def swap_in(staging: Path, target: Path) -> None:
    """Replace target by the complete copy in staging, by renames only.

    A kill at any point leaves either target whole, or no target and a whole staging
    or .old copy beside it, which recover() puts back: never a half-written save.
    """
    shutil.rmtree(_old(target), ignore_errors=True)
    if target.exists():
        target.rename(_old(target))
    staging.rename(target)
    shutil.rmtree(_old(target), ignore_errors=True)


def recover(target: Path, whole: Callable[[Path], bool]) -> Path:
    """Finish a swap_in that a kill cut short, then drop what is left of it.

    Without target, the newest whole copy wins: the staging one (complete, about to be
    renamed) before the .old one (the previous save, already moved aside).
    """
    if not target.exists():
        for candidate in (staging_for(target), _old(target)):
            if candidate.exists() and whole(candidate):
                candidate.rename(target)
                break
    for leftover in (staging_for(target), _old(target)):
        shutil.rmtree(leftover, ignore_errors=True)
    return target


@dataclass
class Process:
    """A child process in its own group, with its output in a log file."""

    name: str
    argv: list[str]
    log_path: Path
    cwd: Path = ROOT
    env: dict[str, str] = field(default_factory=dict)
    popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.popen = subprocess.Popen(
            self.argv,
            cwd=self.cwd,
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self, grace: float = 10) -> None:
        """SIGTERM to the whole group, SIGKILL if it lingers: no process left behind."""
        if self.popen is None:
            return
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.popen.wait(timeout=wait)
                # The group may still hold a grandchild (Java under the SDK script).
                os.killpg(self.popen.pid, 0)
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                try:
                    os.killpg(self.popen.pid, 0)
                except ProcessLookupError:
                    return
                time.sleep(0.1)
        self.popen = None

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def wait_for(check: Callable[[], bool], what: str, process: Process | None, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if process is not None and not process.alive():
            raise EmulatorError(f"{what} exited while starting:\n{process.tail()}")
        time.sleep(0.2)
    tail = process.tail() if process else ""
    raise EmulatorError(f"{what} did not answer within {timeout:.0f} s.\n{tail}")


def cloud_sdk_firestore_script() -> Path | None:
    """The Cloud SDK's emulator launcher, found beside gcloud or via an override."""
    override = os.environ.get("HEARTH_FIRESTORE_EMULATOR_SCRIPT")
    if override:
        return Path(override)
    gcloud = shutil.which("gcloud")
    candidates = []
    if gcloud:
        sdk = Path(os.path.realpath(gcloud)).parent.parent
        candidates.append(sdk / "platform/cloud-firestore-emulator/cloud_firestore_emulator")
    candidates.append(
        Path("/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud_firestore_emulator")
    )
    return next((path for path in candidates if path.exists()), None)


@dataclass
class Firestore:
    host: str = "127.0.0.1"
    port: int = 8080
    project: str = PROJECT
    data_dir: Path | None = None  # export here on stop, import from here on start
    log_path: Path = ROOT / ".hearth-data/logs/firestore.log"
    process: Process | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def base(self) -> str:
        return f"http://{self.address}"

    def start(self, timeout: float = 60) -> None:
        if port_open(self.host, self.port):
            raise EmulatorError(
                f"Port {self.port} is already in use: stop what runs there, or set "
                "FIRESTORE_EMULATOR_HOST to use a Firestore emulator that is already running."
            )
        self.process = Process("firestore", self._argv(), self.log_path)
        self.process.start()
        wait_for(self._ready, "The Firestore emulator", self.process, timeout)
        self.load_rules()

    def _argv(self) -> list[str]:
        script = cloud_sdk_firestore_script()
        if os.environ.get("HEARTH_FIRESTORE_EMULATOR") == "firebase" or script is None:
            return self._firebase_argv()
        argv = [
            str(script),
            "start",
            f"--host={self.host}",
            f"--port={self.port}",
            f"--project_id={self.project}",
            f"--rules={RULES}",
        ]
        metadata = self._import_file()
        if metadata:
            argv.append(f"--import-data={metadata}")
        return argv

    def _firebase_argv(self) -> list[str]:
        firebase = ROOT / "node_modules/.bin/firebase"
        if not firebase.exists():
            raise EmulatorError(
                "No Firestore emulator: install the Google Cloud SDK (gcloud with the "
                "cloud-firestore-emulator component) or run `npm ci` and use Java 21."
            )
        config = _firebase_config(
            {"firestore": {"host": self.host, "port": self.port, "rules": str(RULES)}},
            self.log_path.with_suffix(".firebase.json"),
        )
        argv = [
            str(firebase),
            "emulators:start",
            "--only",
            "firestore",
            "--project",
            self.project,
            "--config",
            config,
        ]
        if self.data_dir and self._import_file():
            argv += ["--import", str(self.data_dir)]
        return argv

    def _import_file(self) -> Path | None:
        if not self.data_dir:
            return None
        metadata = firestore_metadata(self.data_dir)
        return metadata if metadata.exists() else None

    def _ready(self) -> bool:
        try:
            return _http("GET", self.base + "/", timeout=1).strip() == b"Ok"
        except (urllib.error.URLError, OSError):
            return False

    def load_rules(self, path: Path = RULES) -> None:
        """The emulator compiles the rules on this call: on a loaded machine that has
        taken over ten seconds, so it gets longer than the other emulator calls."""
        body = json.dumps(
            {"rules": {"files": [{"name": "firestore.rules", "content": path.read_text()}]}}
        )
        url = f"{self.base}/emulator/v1/projects/{self.project}:securityRules"
        _http("PUT", url, body.encode(), timeout=60)

    def clear(self) -> None:
        _http(
            "DELETE",
            f"{self.base}/emulator/v1/projects/{self.project}/databases/(default)/documents",
        )

    def export(self) -> None:
        """Write the data to data_dir (replacing the last export) so a restart keeps it."""
        if self.data_dir:
            self.export_to(staging_for(self.data_dir))
            swap_in(staging_for(self.data_dir), self.data_dir)

    def export_to(self, directory: Path) -> None:
        """The whole database as an export under directory (created, emptied first)."""
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        body = json.dumps(
            {
                "database": f"projects/{self.project}/databases/(default)",
                "export_directory": str(directory.resolve()),
                "export_name": EXPORT_NAME,
            }
        )
        _http(
            "POST",
            f"{self.base}/emulator/v1/projects/{self.project}:export",
            body.encode(),
            timeout=120,
        )

    def import_from(self, directory: Path) -> None:
        """Replace the running emulator's data with an export (what export_to wrote)."""
        metadata = firestore_metadata(directory)
        if not metadata.is_file():
            raise EmulatorError(f"No Firestore export in {directory}: {metadata} is missing.")
        self.clear()
        body = json.dumps(
            {
                "database": f"projects/{self.project}/databases/(default)",
                "export_directory": str(metadata.resolve()),
            }
        )
        _http(
            "POST",
            f"{self.base}/emulator/v1/projects/{self.project}:import",
            body.encode(),
            timeout=300,
        )

    def stop(self) -> None:
        if self.process:
            self.process.stop()


@dataclass
class Auth:
    host: str = "127.0.0.1"
    port: int = 9099
    project: str = PROJECT
    data_dir: Path | None = None
    log_path: Path = ROOT / ".hearth-data/logs/auth.log"
    process: Process | None = None
    _saved: tuple[bytes, bytes] | None = field(default=None, repr=False)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self, timeout: float = 90) -> None:
        firebase = ROOT / "node_modules/.bin/firebase"
        if not firebase.exists():
            raise EmulatorError("firebase-tools is not installed: run `npm ci`.")
        if port_open(self.host, self.port):
            raise EmulatorError(f"Port {self.port} is already in use (Auth emulator).")
        config = _firebase_config(
            {"auth": {"host": self.host, "port": self.port}},
            self.log_path.with_suffix(".firebase.json"),
        )
        argv = [
            str(firebase),
            "emulators:start",
            "--only",
            "auth",
            "--project",
            self.project,
            "--config",
            config,
        ]
        # Saved by export() (the stack's saver and its stop), never by --export-on-exit:
        # firebase-tools removes the old save before moving the new one in, and a kill
        # between the two would lose every user.
        if self.data_dir and auth_metadata(self.data_dir).is_file():
            argv += ["--import", str(self.data_dir)]
        env = {"NO_UPDATE_NOTIFIER": "1", "FIREBASE_CLI_EXPERIMENTS": "", "CI": "true"}
        self.process = Process("auth", argv, self.log_path, env=env)
        self.process.start()
        wait_for(self._ready, "The Auth emulator", self.process, timeout)

    def _ready(self) -> bool:
        try:
            return b'"ready"' in _http("GET", f"http://{self.address}/", timeout=1)
        except (urllib.error.URLError, OSError):
            return False

    def clear(self) -> None:
        _http("DELETE", f"http://{self.address}/emulator/v1/projects/{self.project}/accounts")

    def snapshot(self) -> tuple[bytes, bytes]:
        """Every user (with password hash and custom claims) and the emulator's config,
        as firebase-tools' own export fetches them."""
        base = f"http://{self.address}"
        accounts = _http(
            "GET",
            f"{base}/identitytoolkit.googleapis.com/v1/projects/{self.project}"
            "/accounts:batchGet?maxResults=-1",
        )
        config = _http("GET", f"{base}/emulator/v1/projects/{self.project}/config")
        return accounts, config

    def export(self) -> bool:
        """Save to data_dir when the users changed since the last save; True if it did."""
        if not self.data_dir:
            return False
        snapshot = self.snapshot()
        if snapshot == self._saved:
            return False
        self.write(staging_for(self.data_dir), snapshot)
        swap_in(staging_for(self.data_dir), self.data_dir)
        self._saved = snapshot
        return True

    def export_to(self, directory: Path) -> int:
        """The users and config under directory, as `firebase emulators:export` lays them
        out (so `--import` reads them); the number of users."""
        snapshot = self.snapshot()
        self.write(directory, snapshot)
        return len(json.loads(snapshot[0]).get("users", []))

    @staticmethod
    def write(directory: Path, snapshot: tuple[bytes, bytes]) -> None:
        accounts, config = snapshot
        shutil.rmtree(directory, ignore_errors=True)
        (directory / AUTH_EXPORT).mkdir(parents=True)
        (directory / AUTH_EXPORT / "accounts.json").write_bytes(accounts)
        (directory / AUTH_EXPORT / "config.json").write_bytes(config)
        metadata = {"version": "hearth", "auth": {"version": "hearth", "path": AUTH_EXPORT}}
        auth_metadata(directory).write_text(json.dumps(metadata, indent=2))

    def import_from(self, directory: Path) -> int:
        """Replace every user and the config by an export's; the number of users."""
        if not auth_metadata(directory).is_file():
            raise EmulatorError(f"No Auth export in {directory}: {AUTH_METADATA} is missing.")
        saved = json.loads(auth_metadata(directory).read_text())["auth"]["path"]
        base = f"http://{self.address}"
        self.clear()
        config = directory / saved / "config.json"
        if config.is_file():
            url = f"{base}/emulator/v1/projects/{self.project}/config"
            _http("PATCH", url, config.read_bytes())
        users = json.loads((directory / saved / "accounts.json").read_bytes()).get("users", [])
        if users:
            _http(
                "POST",
                f"{base}/identitytoolkit.googleapis.com/v1/projects/{self.project}"
                "/accounts:batchCreate",
                json.dumps({"users": users}).encode(),
                timeout=120,
            )
        return len(users)

    def stop(self) -> None:
        if self.process:
            self.process.stop(grace=30)

    def abort(self) -> None:
        """Stop at once, for an emulator that never became ready (nothing to save)."""
        if self.process and self.process.popen:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.popen.pid, signal.SIGKILL)
            self.process.stop(grace=5)


def _firebase_config(emulators: dict[str, object], path: Path) -> str:
    """A firebase.json naming only the emulators wanted, on the ports wanted.

    Written beside the emulator's log (one file, rewritten at each start) rather than
    as a temporary file, so repeated starts leave nothing behind.

    firebase-tools also opens a hub and a logging port; free ones are picked so tests
    and a running `make dev` never fight over them.
    """
    config = {
        "emulators": {
            **emulators,
            "hub": {"host": "127.0.0.1", "port": free_port()},
            "logging": {"host": "127.0.0.1", "port": free_port()},
            "ui": {"enabled": False},
            "singleProjectMode": True,
        }
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=2))
    return str(path)
