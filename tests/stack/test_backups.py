"""The local stack keeps what it acknowledged, and its data goes to a backup and back whole.

Both run the real `python -m devstack dev` on free ports with its own data folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from devstack import emulators, team
from tests.stacks import FUNCTIONS, descendants, dev_env, interrupt, run_dev

pytestmark = pytest.mark.stack

OWNER = {"Authorization": "Bearer owner"}
BURST = 50


def documents_url(port: int, path: str) -> str:
    return (
        f"http://127.0.0.1:{port}/v1/projects/{emulators.PROJECT}/databases/(default)"
        f"/documents/{urllib.parse.quote(path)}"
    )


def listed(port: int, path: str) -> dict[str, dict]:
    """A collection's documents by id, read over REST as the owner (rules do not apply)."""
    response = requests.get(documents_url(port, path), params={"pageSize": 1000}, headers=OWNER)
    response.raise_for_status()
    return {
        doc["name"].rsplit("/", 1)[1]: doc["fields"] for doc in response.json().get("documents", [])
    }


def kill_9(process: subprocess.Popen[str]) -> None:
    """SIGKILL to the stack's group and to every process below it (the emulators run in
    groups of their own): nothing gets to save on its way out."""
    below = descendants(process.pid)
    os.killpg(process.pid, signal.SIGKILL)
    for pid in below:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait(timeout=30)


def test_a_kill_9_right_after_a_burst_loses_no_acknowledged_submission(tmp_path):
    ports = {name: emulators.free_port() for name in ("firestore", "functions", "web")}
    env = dev_env(tmp_path, ports)
    process, output = run_dev(env, "--no-auth", "--no-calendar")
    emails = [f"burst.{n:02d}@example.org" for n in range(BURST)]

    def submit(email: str) -> int:
        body = {"form": "contact", "email": email, "name": f"Burst {email[6:8]}", "message": "Hi"}
        url = f"http://127.0.0.1:{ports['functions']}/intake"
        return requests.post(url, json=body, timeout=60).status_code

    try:
        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(submit, emails))
    finally:
        kill_9(process)  # the moment the last answer arrived
    assert codes == [200] * BURST, output.drain()

    process, output = run_dev(env, "--no-auth", "--no-calendar")
    try:
        customers = listed(ports["firestore"], "customers")
        timelines = {
            email: listed(ports["firestore"], f"customers/{email}/activity") for email in emails
        }
    finally:
        interrupt(process, output)
    assert sorted(customers) == emails
    assert all(
        customers[email]["name"] == {"stringValue": f"Burst {email[6:8]}"} for email in emails
    )
    assert {email: len(entries) for email, entries in timelines.items()} == dict.fromkeys(emails, 1)


# --- make backup / make restore ---------------------------------------------------------


def everything(port: int) -> dict[str, dict]:
    """Every document of the database by its path, with every field, as the emulator has it."""
    from google.cloud import firestore

    previous = os.environ.get("FIRESTORE_EMULATOR_HOST")
    os.environ["FIRESTORE_EMULATOR_HOST"] = f"127.0.0.1:{port}"
    try:
        client = firestore.Client(project=emulators.PROJECT)
        found: dict[str, dict] = {}

        def walk(collections) -> None:
            for collection in collections:
                for ref in collection.list_documents():
                    snapshot = ref.get()
                    if snapshot.exists:
                        found[ref.path] = snapshot.to_dict()
                    walk(ref.collections())

        walk(client.collections())
        client.close()
        return found
    finally:
        if previous is None:
            os.environ.pop("FIRESTORE_EMULATOR_HOST")
        else:
            os.environ["FIRESTORE_EMULATOR_HOST"] = previous


def accounts(port: int) -> dict[str, dict]:
    """Every user by uid: e-mail, roles (custom claims) and whether they may sign in."""
    url = (
        f"http://127.0.0.1:{port}/identitytoolkit.googleapis.com/v1/projects/"
        f"{emulators.PROJECT}/accounts:batchGet"
    )
    users = requests.get(url, params={"maxResults": -1}, headers=OWNER, timeout=10).json()["users"]
    return {
        user["localId"]: {
            "email": user.get("email"),
            "claims": json.loads(user.get("customAttributes") or "{}"),
            "disabled": user.get("disabled", False),
        }
        for user in users
    }


def auth_call(port: int, method: str, body: dict) -> None:
    url = (
        f"http://127.0.0.1:{port}/identitytoolkit.googleapis.com/v1/projects/"
        f"{emulators.PROJECT}/accounts:{method}"
    )
    requests.post(url, json=body, headers=OWNER, timeout=10).raise_for_status()


def devstack(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "devstack", *argv],
        cwd=FUNCTIONS,
        capture_output=True,
        text=True,
        timeout=120,
    )


def signs_in(port: int, email: str) -> bool:
    url = f"http://127.0.0.1:{port}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword"
    body = {"email": email, "password": team.DEMO_PASSWORD, "returnSecureToken": True}
    return requests.post(url, params={"key": "demo-api-key"}, json=body, timeout=10).ok


def test_a_seeded_studio_goes_to_a_backup_and_comes_back_identical(tmp_path):
    ports = {name: emulators.free_port() for name in ("firestore", "auth", "functions", "web")}
    process, output = run_dev(dev_env(tmp_path, ports), "--seed", "--no-calendar")
    at = ["--firestore-port", str(ports["firestore"]), "--auth-port", str(ports["auth"])]
    try:
        requests.post(
            documents_url(ports["firestore"], "settings"),
            params={"documentId": "booking"},
            json={
                "fields": {"days": {"stringValue": "mon-fri"}, "lengthMin": {"integerValue": "30"}}
            },
            headers=OWNER,
            timeout=10,
        ).raise_for_status()
        before, users_before = everything(ports["firestore"]), accounts(ports["auth"])
        backup = devstack("backup", str(tmp_path / "backup"), *at)

        # What happens after the backup: a customer gone, a new one, a role changed, a user gone.
        customers = sorted(
            path for path in before if path.count("/") == 1 and path.startswith("customers/")
        )
        requests.delete(documents_url(ports["firestore"], customers[0]), headers=OWNER, timeout=10)
        requests.post(
            f"http://127.0.0.1:{ports['functions']}/intake",
            json={"form": "contact", "email": "after.backup@example.org", "name": "After"},
            timeout=30,
        ).raise_for_status()
        owner, *others = sorted(users_before)
        auth_call(
            ports["auth"],
            "update",
            {"localId": owner, "customAttributes": json.dumps({"role": "rep"})},
        )
        auth_call(ports["auth"], "delete", {"localId": others[0]})
        assert everything(ports["firestore"]) != before
        assert accounts(ports["auth"]) != users_before

        restore = devstack("restore", str(tmp_path / "backup"), *at)
        after, users_after = everything(ports["firestore"]), accounts(ports["auth"])
        signed_in = signs_in(ports["auth"], users_before[others[0]]["email"])
    finally:
        interrupt(process, output)

    assert backup.returncode == 0, backup.stdout + backup.stderr
    assert f"{len(users_before)} users with their roles" in backup.stdout
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert len(before) > 100  # customers, their timelines, bookings, settings, team
    assert {path.split("/")[0] for path in before} >= {"customers", "bookings", "settings", "team"}
    assert sorted(after) == sorted(before)
    for path, fields in before.items():
        assert after[path] == fields, path
    assert users_after == users_before
    assert {user["claims"].get("role") for user in users_before.values()} >= {"owner", "rep"}
    assert signed_in  # the restored user's password works, not only their record


def test_backup_and_restore_refuse_clearly(tmp_path):
    closed = [
        "--firestore-port",
        str(emulators.free_port()),
        "--auth-port",
        str(emulators.free_port()),
    ]

    no_stack = devstack("backup", str(tmp_path / "b"), *closed)
    missing = devstack("restore", str(tmp_path / "nothing-here"), *closed)
    (tmp_path / "empty").mkdir()
    not_a_backup = devstack("restore", str(tmp_path / "empty"), *closed)

    assert no_stack.returncode == 1
    assert "No running stack" in no_stack.stderr and "make dev" in no_stack.stderr
    assert not (tmp_path / "b").exists()
    assert missing.returncode == 1 and "No backup at" in missing.stderr
    assert not_a_backup.returncode == 1 and "is not a backup" in not_a_backup.stderr
