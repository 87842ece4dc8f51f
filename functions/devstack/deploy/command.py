"""One deploy, start to end: settings, offline checks, secrets, then the plan.

Order matters to the owner: everything that can fail on the laptop fails first, then
the secrets are checked, and only then does anything in the project change. A refusal
at any of these points leaves the project exactly as it was.
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from devstack.deploy import checks, plan
from devstack.deploy.manifest import ROOT, Manifest, ManifestError, load, read_settings
from devstack.deploy.runner import Runner, subprocess_runner

PROJECT_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")


class RefusedError(RuntimeError):
    """The deploy stops here; the message says why and what to do."""


def offline_checks(
    manifest: Manifest, project: str, dry_run: bool, web_config: Path
) -> list[Callable[[], str]]:
    return [
        lambda: checks.manifest_matches_main(manifest),
        lambda: checks.entry_points_import(manifest),
        checks.indexes_parse,
        checks.rules_compile,
        checks.admin_page_builds,
        lambda: checks.web_config(project, required=not dry_run, path=web_config),
    ]


def missing_secrets(
    manifest: Manifest, target: plan.Target, runner: Runner, out: TextIO
) -> set[str]:
    """Ask Secret Manager for each secret; refuse when a required one is not there.

    Returns the names that exist. Only NOT_FOUND means "missing": any other failure
    (signed out, API off) is shown as gcloud said it, since guessing would mislead."""
    present, missing = set(), []
    for secret, argv in plan.secret_checks(manifest, target):
        answer = runner(argv, capture=True)
        if answer.returncode == 0:
            present.add(secret.name)
            print(f"  secret {secret.name}: there", file=out)
        elif "NOT_FOUND" in answer.stderr or "not found" in answer.stderr.lower():
            if secret.required:
                missing.append(secret)
            else:
                print(f"  secret {secret.name}: not there. {secret.off}", file=out)
        else:
            raise RefusedError(
                f"Could not check the secret {secret.name}:\n{answer.stderr.strip()}\n"
                "Sign in with `gcloud auth login` and enable Secret Manager: `gcloud services "
                f"enable secretmanager.googleapis.com --project={target.project}`."
            )
    if missing:
        lines = [
            f"  {s.name} ({s.why}):\n    {s.create.format(project=target.project)}" for s in missing
        ]
        raise RefusedError(
            "Nothing was deployed: these required secrets are missing from Secret Manager in "
            f"{target.project}. Create each, then run make deploy again:\n" + "\n".join(lines)
        )
    return present


def fill(argv: tuple[str, ...], captured: dict[str, str]) -> list[str]:
    out = []
    for arg in argv:
        for name, value in captured.items():
            arg = arg.replace("{" + name + "}", value)
        out.append(arg)
    return out


def execute(steps: list[plan.Step], runner: Runner, out: TextIO) -> None:
    captured: dict[str, str] = {}
    for number, step in enumerate(steps, 1):
        print(f"[{number}/{len(steps)}] {step.what}", file=out, flush=True)
        argv = step.argv
        if step.probe is not None and runner(step.probe, capture=True).returncode == 0:
            if step.when_exists is None:
                print("  already there", file=out)
                continue
            argv = step.when_exists
        answer = runner(fill(argv, captured), env=step.env, capture=step.capture is not None)
        if answer.returncode:
            raise RefusedError(
                f"Stopped at step {number} ({step.what}): `{shlex.join(argv)}` failed. "
                "Fix what it says and run make deploy again; done steps are safe to repeat."
            )
        if step.capture:
            captured[step.capture] = answer.stdout.strip()


def deploy(
    project: str,
    region: str | None,
    *,
    dry_run: bool,
    runner: Runner = subprocess_runner,
    out: TextIO = sys.stdout,
    settings_file: Path | None = None,
    web_config: Path = checks.WEB / "config.json",
) -> int:
    if not PROJECT_ID.match(project or ""):
        raise RefusedError(
            f"PROJECT={project!r} is not a Google Cloud project id: make deploy PROJECT=<id>"
        )
    manifest = load()
    target = plan.Target(project, region or manifest.region)
    settings = read_settings(settings_file or ROOT / "deploy" / f"{project}.env", manifest)
    print(f"Checking (offline) what {project} would get:", file=out, flush=True)
    for check in offline_checks(manifest, project, dry_run, web_config):
        said = check()
        print(f"  {said}" if said.startswith("note: ") else f"  ok: {said}", file=out, flush=True)
    named = ", ".join(sorted(settings))
    print(f"  ok: settings from deploy/{project}.env: {named}", file=out)
    if dry_run:
        return _print_plan(manifest, target, settings, out)
    print(f"Secrets in {project}:", file=out, flush=True)
    present = missing_secrets(manifest, target, runner, out)
    execute(plan.build(manifest, target, settings, present), runner, out)
    print(f"Deployed. The functions answer at {target.functions_url}/<name>.", file=out)
    return 0


def _print_plan(
    manifest: Manifest, target: plan.Target, settings: dict[str, str], out: TextIO
) -> int:
    checks_ = plan.secret_checks(manifest, target)
    print("\nDry run: nothing was called. A real deploy first checks the secrets:", file=out)
    for secret, argv in checks_:
        kind = "required" if secret.required else "optional"
        print(f"  {shlex.join(argv)}    # {kind}: {secret.why}", file=out)
    print("then runs, in this order (as if every secret were there):", file=out)
    steps = plan.build(manifest, target, settings, {s.name for s, _ in checks_})
    for number, step in enumerate(steps, 1):
        print(f"\n# {number}. {step.what}\n{step.show()}", file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack.deploy", description=__doc__)
    parser.add_argument("--project", required=True)
    parser.add_argument("--region")
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--settings", type=Path, help="default: deploy/<project>.env")
    args = parser.parse_args(argv)
    try:
        return deploy(args.project, args.region, dry_run=args.dry_run, settings_file=args.settings)
    except (RefusedError, ManifestError, checks.CheckFailedError, FileNotFoundError) as exc:
        print(f"make deploy: {exc}", file=sys.stderr)
        return 1
