"""The commands a deploy runs, read as data: official tools, in a safe order, with a
bill cap on every function a browser can reach and no secret in any flag."""

from __future__ import annotations

from pathlib import Path

from devstack.deploy import plan
from devstack.deploy.manifest import load, read_settings
from tests.deploy import PUBLIC

ROOT = Path(__file__).resolve().parents[2]
TARGET = plan.Target("demo-hearth", "europe-west1")
BOTH = {"hearth-link-secret", "hearth-google-calendar"}


def steps(present: set[str] = BOTH) -> list[plan.Step]:
    manifest = load()
    settings = read_settings(ROOT / "deploy/demo-hearth.env", manifest)
    return plan.build(manifest, TARGET, settings, present)


def deploys(built: list[plan.Step]) -> dict[str, tuple[str, ...]]:
    return {s.argv[3]: s.argv for s in built if s.argv[:3] == ("gcloud", "functions", "deploy")}


def test_every_function_is_deployed_gen2_from_the_functions_folder():
    functions = deploys(steps())
    assert list(functions) == list(load().functions)
    for name, argv in functions.items():
        assert argv[4] == "--gen2"
        assert {"--runtime=python311", "--source=functions", "--trigger-http", "--quiet"} <= set(
            argv
        )
        assert f"--entry-point={name}" in argv
        assert (
            f"--service-account=hearth-{name.replace('_', '-')}@demo-hearth.iam.gserviceaccount.com"
            in argv
        )


def test_every_public_function_has_max_instances_and_calendar_sync_is_not_public():
    functions = deploys(steps())
    for name, argv in functions.items():
        assert any(a.startswith("--max-instances=") for a in argv), name
    public = {n for n, argv in functions.items() if "--allow-unauthenticated" in argv}
    assert public == set(PUBLIC)
    assert "--no-allow-unauthenticated" in functions["calendar_sync"]
    assert "--no-allow-unauthenticated" in functions["analytics_rollover"]
    assert "--no-allow-unauthenticated" in functions["sweep"]
    assert "--max-instances=10" in functions["intake"]


def test_secrets_bind_from_secret_manager_and_never_travel_as_values():
    functions = deploys(steps())
    assert (
        "--set-secrets=HEARTH_LINK_SECRET=hearth-link-secret:latest,"
        "/etc/secrets/google-calendar/credentials.json=hearth-google-calendar:latest"
    ) in functions["book"]
    assert not any(a.startswith("--set-secrets") for a in functions["intake"])
    for argv in functions.values():
        env = next(a for a in argv if a.startswith("--set-env-vars="))
        assert "HEARTH_LINK_SECRET" not in env
        assert "HEARTH_PROJECT=demo-hearth" in env
        assert "HEARTH_FUNCTIONS_URL=https://europe-west1-demo-hearth.cloudfunctions.net" in env


def test_origins_with_commas_use_gclouds_own_delimiter():
    flag = plan.env_flag(
        {"HEARTH_ALLOWED_ORIGINS": "https://a.example,https://b.example", "X": "1"}
    )
    assert (
        flag == "--set-env-vars=^|^HEARTH_ALLOWED_ORIGINS=https://a.example,https://b.example|X=1"
    )
    assert plan.env_flag({"A": "1", "B": "2"}) == "--set-env-vars=A=1,B=2"


def test_without_the_calendar_secret_no_function_gets_calendar_settings_or_bindings():
    functions = deploys(steps({"hearth-link-secret"}))
    everything = " ".join(" ".join(argv) for argv in functions.values())
    assert "hearth-google-calendar" not in everything
    assert "HEARTH_GOOGLE_" not in everything
    assert "--set-secrets=HEARTH_LINK_SECRET=hearth-link-secret:latest" in functions["book"]


def test_the_order_accounts_and_rights_then_firebase_then_functions_then_the_scheduler():
    built = steps()
    shown = [s.show() for s in built]
    first = lambda text: next(i for i, line in enumerate(shown) if text in line)  # noqa: E731
    assert shown[0].startswith("gcloud services enable ")
    assert first("gcloud iam service-accounts create hearth-intake") < first(
        "gcloud projects add-iam-policy-binding"
    )
    assert first(
        "firebase deploy --only firestore:rules,firestore:indexes,hosting --project demo-hearth"
    ) < first("gcloud functions deploy")
    assert (
        first("gcloud functions deploy calendar_sync")
        < first("gcloud functions add-invoker-policy-binding calendar_sync")
        < first("gcloud scheduler jobs create http hearth-calendar-sync")
    )
    job = built[first("gcloud scheduler jobs create")]
    assert "--schedule=* * * * *" in job.argv
    assert (
        "--oidc-service-account-email=hearth-scheduler@demo-hearth.iam.gserviceaccount.com"
        in job.argv
    )
    assert job.when_exists is not None and job.when_exists[:4] == (
        "gcloud",
        "scheduler",
        "jobs",
        "update",
    )


def test_each_account_gets_only_its_own_roles_and_secrets():
    grants = [s.argv for s in steps() if "add-iam-policy-binding" in s.argv]

    def of(name: str) -> set[tuple[str, str]]:
        """(what the grant is on, role) for one function's account."""
        member = f"--member=serviceAccount:hearth-{name}@demo-hearth.iam.gserviceaccount.com"
        return {
            (argv[3], next(a for a in argv if a.startswith("--role=")).removeprefix("--role="))
            for argv in grants
            if member in argv
        }

    assert of("openapi") == set()
    assert of("intake") == {("demo-hearth", "roles/datastore.user")}
    assert of("export") == {
        ("demo-hearth", "roles/datastore.viewer"),
        ("demo-hearth", "roles/firebaseauth.viewer"),
    }
    assert of("calendar-sync") == {
        ("demo-hearth", "roles/datastore.user"),
        ("hearth-google-calendar", "roles/secretmanager.secretAccessor"),
    }
    assert of("track") == {("demo-hearth", "roles/datastore.user")}
    assert of("analytics-rollover") == {("demo-hearth", "roles/datastore.user")}
    assert of("sweep") == {("demo-hearth", "roles/datastore.user")}
    invokers = [s.argv for s in steps() if "add-invoker-policy-binding" in s.argv]
    assert invokers == [
        (
            "gcloud",
            "functions",
            "add-invoker-policy-binding",
            name,
            "--region=europe-west1",
            "--project=demo-hearth",
            "--member=serviceAccount:hearth-scheduler@demo-hearth.iam.gserviceaccount.com",
        )
        for name in ("calendar_sync", "analytics_rollover", "sweep")
    ]


def test_ttl_policies_are_set_for_every_expiring_collection():
    """Raw analytics expire like past slot cells: one TTL command per collection."""
    ttls = [
        s.argv[6].removeprefix("--collection-group=")
        for s in steps()
        if s.argv[:5] == ("gcloud", "firestore", "fields", "ttls", "update")
    ]
    assert ttls == [
        "slotLocks",
        "busyDays",
        "analytics_events",
        "analytics_visitors",
        "analytics_salts",
    ]
