"""What can be proved on the laptop before anything reaches Google.

Each check returns the lines to print and raises CheckFailed with what to fix. None
calls gcloud or firebase or opens a connection beyond 127.0.0.1: the dry run (and CI)
runs them all offline.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import subprocess
import sys
import urllib.error
from pathlib import Path

from devstack import emulators
from devstack.deploy.manifest import ROOT, Manifest

MAIN = ROOT / "functions" / "main.py"
INDEXES = ROOT / "firestore.indexes.json"
WEB = ROOT / "web"


class CheckFailedError(RuntimeError):
    """A check failed; the message says what and how to fix it."""


def entry_points(main: Path = MAIN) -> list[str]:
    """The names main.py exports as functions: `name = http(...)` or an @http def.

    Read from the source, so a function is found even when its import is broken (the
    import check then says why)."""
    found = []
    for node in ast.parse(main.read_text()).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            if _is_http(node.value.func):
                found += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.FunctionDef) and any(
            _is_http(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list
        ):
            found.append(node.name)
    return found


def _is_http(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "http") or (
        isinstance(node, ast.Attribute) and node.attr == "http"
    )


def manifest_matches_main(manifest: Manifest, main: Path = MAIN) -> str:
    in_main = set(entry_points(main))
    listed = {f.entry_point for f in manifest.functions.values()}
    problems = [
        f"{name} is in functions/main.py but not in deploy/functions.toml: add it there"
        for name in sorted(in_main - listed)
    ]
    problems += [
        f"{name} is in deploy/functions.toml but functions/main.py has no such entry point"
        for name in sorted(listed - in_main)
    ]
    if problems:
        raise CheckFailedError("\n".join(problems))
    return f"{len(in_main)} entry points in functions/main.py, all in the manifest"


def entry_points_import(manifest: Manifest) -> str:
    """Import main as Cloud Functions will, and find each entry point callable in it."""
    functions = str(ROOT / "functions")
    if functions not in sys.path:
        sys.path.insert(0, functions)
    try:
        main = importlib.import_module("main")
    except Exception as exc:
        raise CheckFailedError(f"functions/main.py does not import: {exc!r}") from exc
    missing = [
        f.entry_point
        for f in manifest.functions.values()
        if not callable(getattr(main, f.entry_point, None))
    ]
    if missing:
        raise CheckFailedError(f"not callable in functions/main.py: {', '.join(missing)}")
    return "functions/main.py imports; every entry point is callable"


def rules_compile(rules: Path = emulators.RULES) -> str:
    """Load firestore.rules into the Cloud SDK Firestore emulator, which compiles them.

    The emulator FIRESTORE_EMULATOR_HOST names is used when there is one (its rules are
    replaced by this tree's, as the tests do); otherwise one starts on a free port."""
    existing = os.environ.get("FIRESTORE_EMULATOR_HOST")
    try:
        if existing:
            host, _, port = existing.rpartition(":")
            emulators.Firestore(host=host, port=int(port)).load_rules(rules)
        else:
            emulator = emulators.Firestore(
                port=emulators.free_port(),
                log_path=ROOT / ".hearth-data" / "logs" / "deploy-firestore.log",
            )
            try:
                emulator.start()
                emulator.load_rules(rules)
            finally:
                emulator.stop()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode(errors="replace")[:2000]
        raise CheckFailedError(f"{rules.name} does not compile:\n{detail}") from exc
    except (emulators.EmulatorError, OSError) as exc:
        raise CheckFailedError(f"could not compile firestore.rules: {exc}") from exc
    return "firestore.rules compiles in the Firestore emulator"


def indexes_parse(path: Path = INDEXES) -> str:
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise CheckFailedError(f"{path.name} does not parse: {exc}") from exc
    problems = []
    for number, index in enumerate(data.get("indexes", []), 1):
        if not index.get("collectionGroup") or not index.get("fields"):
            problems.append(f"index {number} needs collectionGroup and fields")
        for f in index.get("fields", []):
            if "fieldPath" not in f or not ({"order", "arrayConfig", "vectorConfig"} & set(f)):
                problems.append(f"index {number}: {f} needs fieldPath and order or arrayConfig")
    for number, override in enumerate(data.get("fieldOverrides", []), 1):
        if not override.get("collectionGroup") or not override.get("fieldPath"):
            problems.append(f"field override {number} needs collectionGroup and fieldPath")
    if problems:
        raise CheckFailedError(f"{path.name}: " + "; ".join(problems))
    count, overrides = len(data.get("indexes", [])), len(data.get("fieldOverrides", []))
    return f"{path.name} parses: {count} indexes, {overrides} field overrides"


def admin_page_builds() -> str:
    """node web/build.mjs, and the files hosting's predeploy copies beside it."""
    missing = [p for p in ("forms.js", "book.js", "site/index.html") if not (WEB / p).exists()]
    if missing:
        raise CheckFailedError(f"hosting needs web/{', web/'.join(missing)}")
    try:
        done = subprocess.run(
            ["node", str(WEB / "build.mjs"), "--quiet"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except OSError as exc:
        raise CheckFailedError(f"node is needed to build the admin page: {exc}") from exc
    if done.returncode:
        raise CheckFailedError(f"the admin page does not build:\n{done.stderr[-2000:]}")
    return "the admin page builds (node web/build.mjs); forms.js, book.js and web/site/ are there"


def web_config(project: str, required: bool, path: Path = WEB / "config.json") -> str:
    """web/config.json tells the hosted admin page which project to sign in to."""
    if not path.exists():
        message = (
            "web/config.json is missing: the hosted admin page would not know your project "
            "(docs/go-live.md, step 6)"
        )
        if required:
            raise CheckFailedError(message)
        return "note: " + message + " (a dry run goes on)"
    try:
        named = json.loads(path.read_text()).get("projectId")
    except json.JSONDecodeError as exc:
        raise CheckFailedError(f"web/config.json does not parse: {exc}") from exc
    if named != project:
        raise CheckFailedError(f"web/config.json names project {named!r}, not {project!r}")
    return f"web/config.json names project {project}"
