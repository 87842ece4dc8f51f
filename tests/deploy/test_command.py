"""make deploy as the owner meets it: the dry run changes nothing and reaches nothing,
a missing secret stops the deploy before anything changes, and a missing optional one
(Calendar) only turns its feature off.

The "gcloud" and "firebase" here are local fake scripts on PATH that log their
arguments and answer like the real tools: nothing reaches Google.
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
from pathlib import Path

import pytest

from devstack import emulators
from devstack.deploy import command
from devstack.deploy.runner import Result, subprocess_runner
from tests.deploy import PUBLIC

ROOT = Path(__file__).resolve().parents[2]

FAKE = """#!/bin/sh
# A local stand-in for the official tool: logs its arguments, answers like it.
echo "$(basename "$0") $*" >> "$FAKE_LOG"
for name in $FAKE_MISSING; do
  case "$*" in
    "secrets describe $name "*)
      echo "ERROR: (gcloud.secrets.describe) NOT_FOUND: Secret [projects/1/secrets/$name] not found or has no versions." >&2
      exit 1;;
  esac
done
case "$*" in
  "functions describe "*) echo "https://calendar-sync-abc123-ew.a.run.app";;
esac
exit ${FAKE_EXIT:-0}
"""


@pytest.fixture
def fake_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """gcloud and firebase fakes first on PATH; returns the log they write."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("gcloud", "firebase"):
        (bin_dir / tool).write_text(FAKE)
        (bin_dir / tool).chmod(0o755)
    script = emulators.cloud_sdk_firestore_script()  # found before the fake gcloud hides it
    if script:
        monkeypatch.setenv("HEARTH_FIRESTORE_EMULATOR_SCRIPT", str(script))
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    log = tmp_path / "calls.log"
    monkeypatch.setenv("FAKE_LOG", str(log))
    return log


@pytest.fixture
def web_config(tmp_path: Path) -> Path:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"projectId": "demo-hearth", "apiKey": "k"}))
    return path


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Any connection beyond this machine fails the test (and is recorded)."""
    tried: list[object] = []
    connect = socket.socket.connect

    def local_only(sock: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "localhost", "::1") and sock.family != socket.AF_UNIX:
            tried.append(address)
            raise OSError(f"the deploy tried to reach {address}")
        connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", local_only)
    return tried


def test_the_dry_run_checks_offline_prints_the_plan_and_runs_nothing(no_network):
    calls: list[object] = []

    def refuse(argv: object, env: object = None, capture: bool = False) -> Result:
        calls.append(argv)
        raise AssertionError(f"a dry run ran {argv}")

    out = io.StringIO()
    assert command.deploy("demo-hearth", None, dry_run=True, runner=refuse, out=out) == 0
    assert calls == []
    assert no_network == []
    printed = out.getvalue()
    assert "ok: firestore.rules compiles in the Firestore emulator" in printed
    assert "ok: 15 entry points in functions/main.py, all in the manifest" in printed
    assert "Dry run: nothing was called." in printed


def test_make_deploy_dry_run_calls_neither_gcloud_nor_firebase(fake_tools: Path):
    env = {
        **os.environ,
        # Anything trying the internet over HTTP(S) would meet a closed port.
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    done = subprocess.run(
        ["make", "--no-print-directory", "deploy", "DRY_RUN=1", "PROJECT=demo-hearth"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not fake_tools.exists(), fake_tools.read_text()
    lines = done.stdout.splitlines()
    for name in PUBLIC:
        line = next(x for x in lines if x.startswith(f"gcloud functions deploy {name} --gen2 "))
        assert "--max-instances=" in line and "--allow-unauthenticated" in line
    sync = next(x for x in lines if x.startswith("gcloud functions deploy calendar_sync "))
    assert "--no-allow-unauthenticated" in sync
    assert (
        "HEARTH_FUNCTIONS_URL=https://europe-west1-demo-hearth.cloudfunctions.net "
        "HEARTH_SITE_URL=https://demo-hearth.web.app firebase deploy --only "
        "firestore:rules,firestore:indexes,hosting --project demo-hearth --non-interactive"
    ) in lines
    assert any(
        x.startswith("gcloud scheduler jobs create http hearth-calendar-sync ") for x in lines
    )


def deploy_for_real(web_config: Path, out: io.StringIO | None = None) -> int:
    """A real (not dry) deploy of demo-hearth through the fake tools first on PATH."""
    return command.deploy(
        "demo-hearth",
        None,
        dry_run=False,
        runner=subprocess_runner,
        out=out or io.StringIO(),
        web_config=web_config,
    )


def test_a_missing_required_secret_is_refused_by_name_and_nothing_is_deployed(
    fake_tools: Path, web_config: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("FAKE_MISSING", "hearth-link-secret")
    with pytest.raises(command.RefusedError) as refused:
        deploy_for_real(web_config)
    message = str(refused.value)
    assert message.startswith("Nothing was deployed: these required secrets are missing")
    assert "hearth-link-secret (signs the links in booking confirmations)" in message
    assert "gcloud secrets create hearth-link-secret --project=demo-hearth --data-file=-" in message
    calls = fake_tools.read_text().splitlines()
    assert calls and all(c.startswith("gcloud secrets describe ") for c in calls), calls


def test_without_the_calendar_secret_the_deploy_goes_on_with_calendar_off(
    fake_tools: Path, web_config: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("FAKE_MISSING", "hearth-google-calendar")
    out = io.StringIO()
    assert deploy_for_real(web_config, out) == 0
    assert "secret hearth-google-calendar: not there. Google Calendar stays off" in out.getvalue()
    calls = fake_tools.read_text().splitlines()
    deployed = [c for c in calls if c.startswith("gcloud functions deploy ")]
    assert len(deployed) == 15
    assert not any("hearth-google-calendar" in c or "HEARTH_GOOGLE_" in c for c in deployed)
    assert (
        "firebase deploy --only firestore:rules,firestore:indexes,hosting --project demo-hearth --non-interactive"
        in calls
    )
    job = next(
        c for c in calls if c.startswith("gcloud scheduler jobs update http hearth-calendar-sync")
    )
    assert "--uri=https://calendar-sync-abc123-ew.a.run.app" in job


def test_a_secret_check_gcloud_cannot_answer_stops_the_deploy_with_its_words(
    fake_tools: Path, web_config: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("FAKE_EXIT", "1")  # signed out, API off: every command fails
    with pytest.raises(command.RefusedError, match="Could not check the secret hearth-link-secret"):
        deploy_for_real(web_config)
    assert fake_tools.read_text().splitlines() == [
        "gcloud secrets describe hearth-link-secret --project=demo-hearth --format=value(name)"
    ]


def test_a_project_id_that_cannot_be_one_is_refused():
    with pytest.raises(command.RefusedError, match="is not a Google Cloud project id"):
        command.deploy("", None, dry_run=True, runner=subprocess_runner, out=io.StringIO())
