"""The deploy manifest (deploy/functions.toml) and the owner's settings file, read and
checked before any command is planned, so a typo stops the deploy with its name."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MANIFEST = ROOT / "deploy" / "functions.toml"
ACCESS = ("public", "signed-in", "scheduler")
MEMORY = re.compile(r"^\d+(Mi|Gi)$")
DURATION = re.compile(r"^\d+s$")


class ManifestError(ValueError):
    """The manifest or the settings file is wrong; the message names what and where."""


@dataclass(frozen=True)
class Function:
    name: str
    entry_point: str
    access: str
    memory: str
    timeout: str
    max_instances: int | None
    roles: tuple[str, ...]
    secrets: tuple[str, ...]
    schedule: str | None = None

    @property
    def browser_reachable(self) -> bool:
        """Invoker allUsers: "signed-in" too, as a Firebase ID token is no Google identity."""
        return self.access in ("public", "signed-in")

    @property
    def service_account(self) -> str:
        """hearth-calendar-sync: account ids allow lowercase letters, digits and hyphens."""
        return "hearth-" + self.name.replace("_", "-")


@dataclass(frozen=True)
class Secret:
    name: str
    required: bool
    why: str
    create: str
    env: str | None = None
    mount: str | None = None
    off: str = ""
    settings: tuple[str, ...] = ()

    def binding(self) -> str:
        """One --set-secrets item: an environment variable or a mounted file."""
        target = self.env or self.mount
        return f"{target}={self.name}:latest"


@dataclass(frozen=True)
class TtlPolicy:
    collection: str
    field: str


@dataclass(frozen=True)
class Manifest:
    runtime: str
    source: str
    region: str
    functions: dict[str, Function]
    secrets: dict[str, Secret]
    required_settings: tuple[str, ...]
    optional_settings: tuple[str, ...]
    ttl: tuple[TtlPolicy, ...]
    scheduler_account: str
    attempt_deadline: str
    apis: tuple[str, ...] = field(default=())


def load(path: Path = MANIFEST) -> Manifest:
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ManifestError(f"{path}: {exc}") from exc
    problems: list[str] = []
    secrets = {name: _secret(name, spec) for name, spec in data.get("secrets", {}).items()}
    functions = {}
    for name, spec in data.get("functions", {}).items():
        function = _function(name, spec)
        functions[name] = function
        problems += _problems(function, secrets)
    if problems:
        raise ManifestError(f"{path.name}:\n  " + "\n  ".join(problems))
    deploy, settings, scheduler = data["deploy"], data["settings"], data["scheduler"]
    return Manifest(
        runtime=deploy["runtime"],
        source=deploy["source"],
        region=deploy["region"],
        functions=functions,
        secrets=secrets,
        required_settings=tuple(settings["required"]),
        optional_settings=tuple(settings.get("optional", ())),
        ttl=tuple(TtlPolicy(p["collection"], p["field"]) for p in data["ttl"]["policies"]),
        scheduler_account=scheduler["service_account"],
        attempt_deadline=scheduler["attempt_deadline"],
        apis=tuple(data.get("apis", {}).get("enable", ())),
    )


def _function(name: str, spec: dict) -> Function:
    return Function(
        name=name,
        entry_point=spec.get("entry_point", name),
        access=spec.get("access", ""),
        memory=spec.get("memory", ""),
        timeout=spec.get("timeout", ""),
        max_instances=spec.get("max_instances"),
        roles=tuple(spec.get("roles", ())),
        secrets=tuple(spec.get("secrets", ())),
        schedule=spec.get("schedule"),
    )


def _secret(name: str, spec: dict) -> Secret:
    return Secret(
        name=name,
        required=bool(spec.get("required", True)),
        why=spec.get("why", ""),
        create=spec.get(
            "create", f"gcloud secrets create {name} --project={{project}} --data-file=-"
        ),
        env=spec.get("env"),
        mount=spec.get("mount"),
        off=spec.get("off", ""),
        settings=tuple(spec.get("settings", ())),
    )


def _problems(function: Function, secrets: dict[str, Secret]) -> list[str]:
    name, found = function.name, []
    if function.access not in ACCESS:
        found.append(f"{name}: access must be one of {', '.join(ACCESS)}")
    if not MEMORY.match(function.memory):
        found.append(f"{name}: memory must read like 256Mi or 1Gi")
    if not DURATION.match(function.timeout):
        found.append(f"{name}: timeout must read like 60s")
    if function.browser_reachable and not (
        isinstance(function.max_instances, int) and function.max_instances > 0
    ):
        found.append(f"{name}: a function browsers can reach needs max_instances (a bill cap)")
    if function.access == "scheduler" and not function.schedule:
        found.append(f"{name}: a scheduler function needs a schedule")
    found += [f"{name}: unknown secret {s}" for s in function.secrets if s not in secrets]
    return found


def read_settings(path: Path, manifest: Manifest) -> dict[str, str]:
    """The owner's KEY=VALUE settings, refused when one is missing, unknown or a secret."""
    if not path.exists():
        raise ManifestError(
            f"No settings file {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
            "copy deploy/demo-hearth.env to it and write your studio's values."
        )
    values: dict[str, str] = {}
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise ManifestError(f"{path.name}:{number}: expected KEY=VALUE, got {line!r}")
        values[key.strip()] = value.strip()
    known = set(manifest.required_settings) | set(manifest.optional_settings)
    secret_envs = {s.env for s in manifest.secrets.values() if s.env}
    problems = [
        f"{key} is a secret: it lives in Secret Manager" for key in values if key in secret_envs
    ]
    problems += [
        f"{key} is not a setting of the functions (docs/configuration.md)"
        for key in values
        if key not in known and key not in secret_envs
    ]
    problems += [f"{key} is required" for key in manifest.required_settings if not values.get(key)]
    if problems:
        raise ManifestError(f"{path.name}:\n  " + "\n  ".join(problems))
    return values
