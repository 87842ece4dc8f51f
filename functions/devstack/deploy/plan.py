"""The commands a deploy runs, in order, made from the manifest alone.

Pure: nothing here runs a command or reads the network, so the dry run prints exactly
what a real deploy would do, and tests read the plan as data. Official tools only:
`gcloud` for functions, accounts, secrets' access, TTL and the scheduler; the Firebase
CLI for rules, indexes and hosting.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from devstack.deploy.manifest import Function, Manifest, Secret

SECRET_ACCESSOR = "roles/secretmanager.secretAccessor"
INVOKER = "roles/run.invoker"


@dataclass(frozen=True)
class Step:
    """One command. ``probe``, when given, runs first: if it succeeds the thing exists
    and ``when_exists`` runs instead (or nothing, when that is None). ``capture`` keeps
    the command's output for later steps' ``{name}`` placeholders."""

    what: str
    argv: tuple[str, ...]
    probe: tuple[str, ...] | None = None
    when_exists: tuple[str, ...] | None = None
    env: dict[str, str] = field(default_factory=dict)
    capture: str | None = None

    def show(self) -> str:
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        line = (env + " " if env else "") + shlex.join(self.argv)
        if self.probe is None:
            return line
        if self.when_exists is None:
            return f"{line}\n    (skipped when `{shlex.join(self.probe)}` finds it)"
        instead = shlex.join(self.when_exists)
        return f"{line}\n    (when `{shlex.join(self.probe)}` finds it: {instead})"


@dataclass(frozen=True)
class Target:
    project: str
    region: str

    @property
    def functions_url(self) -> str:
        """Every 2nd gen function also answers at this address, one path per function."""
        return f"https://{self.region}-{self.project}.cloudfunctions.net"

    def account(self, name: str) -> str:
        return f"{name}@{self.project}.iam.gserviceaccount.com"


def secret_checks(manifest: Manifest, target: Target) -> list[tuple[Secret, tuple[str, ...]]]:
    """`gcloud secrets describe` for every secret a function uses, required ones first."""
    used = {name for f in manifest.functions.values() for name in f.secrets}
    secrets = sorted((manifest.secrets[n] for n in used), key=lambda s: (not s.required, s.name))
    return [
        (
            s,
            (
                "gcloud",
                "secrets",
                "describe",
                s.name,
                f"--project={target.project}",
                "--format=value(name)",
            ),
        )
        for s in secrets
    ]


def env_vars(
    manifest: Manifest,
    function: Function,
    settings: dict[str, str],
    present: set[str],
    target: Target,
) -> dict[str, str]:
    """The plain settings a function gets: a missing secret's settings are left out, so
    the function sees that feature as off rather than as broken."""
    dropped = {
        key
        for name, secret in manifest.secrets.items()
        if name not in present or name not in function.secrets
        for key in secret.settings
    }
    values = {k: v for k, v in settings.items() if k not in dropped}
    values.setdefault("HEARTH_FUNCTIONS_URL", target.functions_url)
    return {"HEARTH_PROJECT": target.project, **values}


def env_flag(values: dict[str, str]) -> str:
    """--set-env-vars, with gcloud's ^X^ delimiter when a value holds a comma (origins)."""
    items = [f"{k}={v}" for k, v in values.items()]
    if not any("," in v for v in values.values()):
        return "--set-env-vars=" + ",".join(items)
    delimiter = next(d for d in "|@#%~" if not any(d in item for item in items))
    return f"--set-env-vars=^{delimiter}^" + delimiter.join(items)


def deploy_function(
    manifest: Manifest,
    function: Function,
    settings: dict[str, str],
    present: set[str],
    target: Target,
) -> Step:
    secrets = [manifest.secrets[n].binding() for n in function.secrets if n in present]
    argv = [
        "gcloud",
        "functions",
        "deploy",
        function.name,
        "--gen2",
        f"--project={target.project}",
        f"--region={target.region}",
        f"--runtime={manifest.runtime}",
        f"--source={manifest.source}",
        f"--entry-point={function.entry_point}",
        "--trigger-http",
        "--allow-unauthenticated" if function.browser_reachable else "--no-allow-unauthenticated",
        f"--memory={function.memory}",
        f"--timeout={function.timeout}",
    ]
    if function.max_instances:
        argv.append(f"--max-instances={function.max_instances}")
    argv += [
        f"--service-account={target.account(function.service_account)}",
        env_flag(env_vars(manifest, function, settings, present, target)),
    ]
    if secrets:
        argv.append("--set-secrets=" + ",".join(secrets))
    argv.append("--quiet")
    return Step(f"function {function.name} ({function.access})", tuple(argv))


def build(
    manifest: Manifest, target: Target, settings: dict[str, str], present: set[str]
) -> list[Step]:
    """Everything after the secret check, in the order it must happen."""
    p = f"--project={target.project}"
    steps = [
        Step("turn on the APIs Hearth uses", ("gcloud", "services", "enable", *manifest.apis, p)),
    ]
    accounts = [(f.service_account, f"runs {f.name}") for f in manifest.functions.values()]
    scheduled = [f for f in manifest.functions.values() if f.schedule]
    if scheduled:
        accounts.append((manifest.scheduler_account, "calls the scheduled functions"))
    for account, why in accounts:
        email = target.account(account)
        steps.append(
            Step(
                f"service account {account}: {why}",
                (
                    "gcloud",
                    "iam",
                    "service-accounts",
                    "create",
                    account,
                    p,
                    f"--display-name=Hearth: {why}",
                ),
                probe=("gcloud", "iam", "service-accounts", "describe", email, p),
            )
        )
    for function in manifest.functions.values():
        member = f"--member=serviceAccount:{target.account(function.service_account)}"
        for role in function.roles:
            steps.append(
                Step(
                    f"{function.name} may use {role}",
                    (
                        "gcloud",
                        "projects",
                        "add-iam-policy-binding",
                        target.project,
                        member,
                        f"--role={role}",
                        "--condition=None",
                        "--quiet",
                    ),
                )
            )
        for secret in function.secrets:
            if secret in present:
                steps.append(
                    Step(
                        f"{function.name} may read the secret {secret} (that one only)",
                        (
                            "gcloud",
                            "secrets",
                            "add-iam-policy-binding",
                            secret,
                            p,
                            member,
                            f"--role={SECRET_ACCESSOR}",
                            "--quiet",
                        ),
                    )
                )
    steps.append(
        Step(
            "Firestore rules and indexes; hosting: admin page, forms.js, book.js, demo site",
            (
                "firebase",
                "deploy",
                "--only",
                "firestore:rules,firestore:indexes,hosting",
                "--project",
                target.project,
                "--non-interactive",
            ),
            # The predeploy step points the hosted demo site at these (firebase.json).
            env={
                "HEARTH_FUNCTIONS_URL": settings.get("HEARTH_FUNCTIONS_URL")
                or target.functions_url,
                "HEARTH_SITE_URL": settings["HEARTH_SITE_URL"],
            },
        )
    )
    for policy in manifest.ttl:
        steps.append(
            Step(
                f"documents of {policy.collection} expire at their {policy.field}",
                (
                    "gcloud",
                    "firestore",
                    "fields",
                    "ttls",
                    "update",
                    policy.field,
                    f"--collection-group={policy.collection}",
                    "--enable-ttl",
                    p,
                    "--async",
                    "--quiet",
                ),
            )
        )
    for function in manifest.functions.values():
        steps.append(deploy_function(manifest, function, settings, present, target))
    scheduler = target.account(manifest.scheduler_account)
    r = f"--region={target.region}"
    for function in scheduled:
        job = "hearth-" + function.name.replace("_", "-")
        steps += [
            Step(
                f"only the scheduler may call {function.name}",
                (
                    "gcloud",
                    "functions",
                    "add-invoker-policy-binding",
                    function.name,
                    r,
                    p,
                    f"--member=serviceAccount:{scheduler}",
                ),
            ),
            Step(
                f"the address of {function.name}: {{{function.name}}} below",
                (
                    "gcloud",
                    "functions",
                    "describe",
                    function.name,
                    "--gen2",
                    r,
                    p,
                    "--format=value(serviceConfig.uri)",
                ),
                capture=function.name,
            ),
        ]
        flags = (
            f"--location={target.region}",
            p,
            f"--schedule={function.schedule}",
            "--time-zone=Etc/UTC",
            f"--uri={{{function.name}}}",
            "--http-method=POST",
            f"--oidc-service-account-email={scheduler}",
            f"--oidc-token-audience={{{function.name}}}",
            f"--attempt-deadline={manifest.attempt_deadline}",
            "--quiet",
        )
        steps.append(
            Step(
                f"Cloud Scheduler calls {function.name} ({function.schedule})",
                ("gcloud", "scheduler", "jobs", "create", "http", job, *flags),
                probe=(
                    "gcloud",
                    "scheduler",
                    "jobs",
                    "describe",
                    job,
                    f"--location={target.region}",
                    p,
                ),
                when_exists=("gcloud", "scheduler", "jobs", "update", "http", job, *flags),
            )
        )
    return steps
