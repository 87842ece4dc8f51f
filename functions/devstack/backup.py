"""`make backup` and `make restore`: the running stack's data, out to a folder and back.

A backup folder is laid out like .hearth-data/ (firestore/ the Firestore emulator's own
export, auth/ firebase-tools' Auth export), so either can be read where the other is.
Both commands talk to the emulators of a running `make dev` over their REST APIs: the
stack keeps running, and saves what was restored within its fallback interval.
"""

from __future__ import annotations

import argparse
import shutil
import time
from datetime import datetime
from pathlib import Path

from devstack import emulators
from devstack.console import fail, say
from devstack.server import HOST

BACKUPS = emulators.ROOT / "backups"


def _shown(path: Path) -> str:
    try:
        return f"{path.relative_to(Path.cwd())}/"
    except ValueError:
        try:
            return f"{path.relative_to(emulators.ROOT)}/"
        except ValueError:
            return f"{path}/"


def _size(directory: Path) -> str:
    total = sum(f.stat().st_size for f in directory.rglob("*") if f.is_file())
    return f"{total / 1024:.0f} KB" if total < 1024 * 1024 else f"{total / 1024 / 1024:.1f} MB"


def _running(args: argparse.Namespace) -> tuple[emulators.Firestore | None, emulators.Auth | None]:
    firestore = auth = None
    if emulators.port_open(HOST, args.firestore_port):
        firestore = emulators.Firestore(port=args.firestore_port)
    if emulators.port_open(HOST, args.auth_port):
        auth = emulators.Auth(port=args.auth_port)
    return firestore, auth


def _no_stack(args: argparse.Namespace) -> str:
    return (
        f"No running stack: nothing answers on {HOST}:{args.firestore_port} (Firestore "
        "emulator). Start it with `make dev` (or name its port with --firestore-port or "
        "HEARTH_DEV_FIRESTORE_PORT)."
    )


def backup(args: argparse.Namespace) -> int:
    firestore, auth = _running(args)
    if firestore is None:
        return fail(_no_stack(args))
    target: Path = (args.dir or BACKUPS / datetime.now().strftime("%Y-%m-%d-%H%M%S")).resolve()
    if target.exists():
        return fail(
            f"{_shown(target)} already exists: choose another DIR (a backup never overwrites one)."
        )
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    say(f"Backing up the running stack to {_shown(target)}")
    try:
        began = time.monotonic()
        firestore.export_to(partial / "firestore")
        say(
            f"  Firestore ({firestore.address}): exported {_size(partial / 'firestore')} "
            f"in {time.monotonic() - began:.1f} s"
        )
        if auth is None:
            say(f"  Auth: no emulator on {HOST}:{args.auth_port} (--no-auth?): no users saved")
        else:
            count = auth.export_to(partial / "auth")
            say(f"  Auth ({auth.address}): {count} users with their roles")
        partial.rename(target)  # only a whole backup ever carries the name asked for
    except (OSError, emulators.EmulatorError) as exc:
        shutil.rmtree(partial, ignore_errors=True)
        return fail(f"Backup failed, nothing written: {exc}")
    say(f"Backup done. Restore it with: make restore DIR={_shown(target).rstrip('/')}")
    return 0


def restore(args: argparse.Namespace) -> int:
    source: Path = args.dir.resolve()
    if not source.is_dir():
        return fail(f"No backup at {_shown(source)}: give the folder `make backup` wrote.")
    has_firestore = emulators.firestore_metadata(source / "firestore").is_file()
    has_auth = emulators.auth_metadata(source / "auth").is_file()
    if not has_firestore:
        return fail(
            f"{_shown(source)} is not a backup: "
            f"{emulators.firestore_metadata(source / 'firestore').relative_to(source)} is missing."
        )
    firestore, auth = _running(args)
    if firestore is None:
        return fail(_no_stack(args))
    if has_auth and auth is None:
        return fail(
            f"The backup holds users but no Auth emulator answers on {HOST}:{args.auth_port}: "
            "start the stack with Auth (make dev, without --no-auth). Nothing was changed."
        )
    say(f"Restoring {_shown(source)} into the running stack (its current data is replaced)")
    try:
        began = time.monotonic()
        firestore.import_from(source / "firestore")
        say(f"  Firestore ({firestore.address}): imported in {time.monotonic() - began:.1f} s")
        if has_auth and auth is not None:
            count = auth.import_from(source / "auth")
            say(f"  Auth ({auth.address}): {count} users with their roles")
        else:
            say("  Auth: the backup has no users; left as it is")
    except (OSError, emulators.EmulatorError) as exc:
        return fail(f"Restore failed part way: {exc}. Run it again to finish it.")
    say("Restore done. The stack saves it to its data folder within 10 s.")
    return 0
