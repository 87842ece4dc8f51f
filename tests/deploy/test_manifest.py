"""The manifest is the one list of functions: main.py and it must agree, and every
function a browser can reach has a bill cap."""

from __future__ import annotations

from pathlib import Path

import pytest

from devstack.deploy import checks
from devstack.deploy.manifest import MANIFEST, ManifestError, load, read_settings
from tests.deploy import PUBLIC

ROOT = Path(__file__).resolve().parents[2]


def test_main_and_the_manifest_list_the_same_functions():
    manifest = load()
    assert checks.manifest_matches_main(manifest) == (
        "15 entry points in functions/main.py, all in the manifest"
    )
    assert sorted(checks.entry_points()) == sorted(
        f.entry_point for f in manifest.functions.values()
    )


def test_a_function_added_to_main_but_not_the_manifest_is_named(tmp_path: Path):
    main = tmp_path / "main.py"
    main.write_text(
        (ROOT / "functions/main.py").read_text()
        + "\nnewsletter = http(intake_api.handle)  # a new function, forgotten\n"
    )
    with pytest.raises(checks.CheckFailedError) as refused:
        checks.manifest_matches_main(load(), main)
    assert str(refused.value) == (
        "newsletter is in functions/main.py but not in deploy/functions.toml: add it there"
    )


def test_a_decorated_function_counts_as_an_entry_point(tmp_path: Path):
    main = tmp_path / "main.py"
    main.write_text(
        "import functions_framework\n\n@functions_framework.http\ndef ping(request):\n    return 'ok'\n"
    )
    assert checks.entry_points(main) == ["ping"]


def test_a_function_in_the_manifest_but_gone_from_main_is_named(tmp_path: Path):
    main = tmp_path / "main.py"
    source = (ROOT / "functions/main.py").read_text()
    main.write_text(source.replace("openapi = http(openapi_doc.handle)", ""))
    with pytest.raises(checks.CheckFailedError, match=r"^openapi is in deploy/functions\.toml"):
        checks.manifest_matches_main(load(), main)


def test_every_entry_point_imports_and_is_callable():
    assert checks.entry_points_import(load()) == (
        "functions/main.py imports; every entry point is callable"
    )


def test_every_function_a_browser_can_reach_has_max_instances():
    functions = load().functions.values()
    reachable = [f for f in functions if f.browser_reachable]
    assert {f.name for f in reachable} == set(PUBLIC)
    assert all(f.max_instances and f.max_instances > 0 for f in reachable)
    assert [f.name for f in functions if not f.browser_reachable] == [
        "calendar_sync",
        "analytics_rollover",
        "sweep",
    ]


def test_a_public_function_without_max_instances_is_refused(tmp_path: Path):
    text = MANIFEST.read_text().replace(
        'max_instances = 10\nroles = ["roles/datastore.user"]',
        'roles = ["roles/datastore.user"]',
        1,
    )
    assert text != MANIFEST.read_text()
    (tmp_path / "functions.toml").write_text(text)
    with pytest.raises(
        ManifestError, match="intake: a function browsers can reach needs max_instances"
    ):
        load(tmp_path / "functions.toml")


def test_calendar_sync_runs_every_minute_for_the_scheduler_only():
    sync = load().functions["calendar_sync"]
    assert (sync.access, sync.schedule) == ("scheduler", "* * * * *")
    assert sync.service_account == "hearth-calendar-sync"


def test_the_sweep_runs_every_minute_for_the_scheduler_only():
    sweep = load().functions["sweep"]
    assert (sweep.access, sweep.schedule, sweep.max_instances) == ("scheduler", "* * * * *", 1)
    assert sweep.service_account == "hearth-sweep"


def test_only_past_slot_cells_busy_days_and_raw_analytics_expire():
    """Counts, roll-ups and timelines are kept (docs/data-model.md); what guards a time
    that has passed, and the raw analytics (events, visitor markers, salts), is deleted
    by Firestore's TTL, never by hand."""
    assert {(p.collection, p.field) for p in load().ttl} == {
        ("slotLocks", "expiresAt"),
        ("busyDays", "expiresAt"),
        ("analytics_events", "expiresAt"),
        ("analytics_visitors", "expiresAt"),
        ("analytics_salts", "expiresAt"),
    }


def test_the_analytics_rollover_runs_hourly_for_the_scheduler_only():
    rollover = load().functions["analytics_rollover"]
    assert (rollover.access, rollover.schedule) == ("scheduler", "5 * * * *")
    assert load().functions["track"].max_instances == 10


def test_the_settings_file_refuses_a_secret_an_unknown_name_and_a_missing_one(tmp_path: Path):
    settings = tmp_path / "x.env"
    settings.write_text(
        "HEARTH_ALLOWED_ORIGINS=https://a.example\nHEARTH_SITE_URL=https://a.example\n"
        "HEARTH_TIME_ZONE=Europe/Malta\nHEARTH_LINK_SECRET=oops\nHEARTH_ALOWED=typo\n"
    )
    with pytest.raises(ManifestError) as refused:
        read_settings(settings, load())
    assert str(refused.value).splitlines()[1:] == [
        "  HEARTH_LINK_SECRET is a secret: it lives in Secret Manager",
        "  HEARTH_ALOWED is not a setting of the functions (docs/configuration.md)",
        "  HEARTH_BUSINESS_NAME is required",
    ]


def test_the_demo_settings_name_every_required_setting():
    manifest = load()
    values = read_settings(ROOT / "deploy/demo-hearth.env", manifest)
    assert set(manifest.required_settings) <= set(values)
