"""The house's lines, checked on every run so the next feature cannot quietly cross them.

Each test reads the source as text (no import side effects) and names the file and
line that crosses a line, so the fix is obvious: Flask only in hearth/web, pure rules,
one timeline writer, one events writer, store alone writing Firestore, no domain
importing the edge, and no module but the endpoint turning an exception into a response.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEARTH = ROOT / "functions" / "hearth"
DOMAINS = (
    "intake",
    "customers",
    "bookings",
    "calendar",
    "access",
    "analytics",
    "reports",
    "tasks",
    "fields",
    "deals",
    "handover",
    "privacy",
    "merge",
    "imports",
    "messaging",
)


def modules(*parts: str) -> list[Path]:
    return sorted((HEARTH.joinpath(*parts)).rglob("*.py"))


def lines_matching(paths: list[Path], pattern: str) -> list[str]:
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(pattern, line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def outside(package: str) -> list[Path]:
    return [p for p in modules() if package not in p.relative_to(HEARTH).parts[:1]]


def test_flask_is_imported_only_by_the_web_edge():
    assert lines_matching(outside("web"), r"^\s*(from|import) (flask|werkzeug)\b") == []


def test_rules_are_pure():
    assert (
        lines_matching(modules("rules"), r"^\s*(from|import) (google|firebase_admin|flask)\b") == []
    )
    assert (
        lines_matching(
            modules("rules"), r"^\s*from hearth\.(store|web|" + "|".join(DOMAINS) + r")\b"
        )
        == []
    )


def test_the_timeline_is_addressed_by_one_module():
    timeline = (
        r"""\.collection\(\s*(["'](activity|timeline)["']|[\w.]*(activity|timeline)[\w.]*)\s*\)"""
    )
    assert lines_matching(outside("store"), timeline) == []
    assert lines_matching(modules("store"), timeline) == []  # store/timeline.py: COLLECTION
    assert lines_matching(outside("store"), r"[\"']activity[\"']") == []


def test_the_events_collection_is_addressed_by_one_module():
    """Domain events are written by store/events.py alone, inside the batch of the change
    that caused them: a second writer could add an event without its change."""
    others = [path for path in modules() if path != HEARTH / "store" / "events.py"]
    collection = r"""\.collection\(\s*(["']events["']|[\w.]*\bevents\.COLLECTION)\s*\)"""
    assert lines_matching(others, collection) == []
    assert lines_matching(others, r"""\.document\(\s*f?["']events/""") == []
    assert lines_matching(others, r"""^\s*\w+\s*(:[^=]+)?=\s*["']events["']""") == []


def test_tasks_are_addressed_by_one_module():
    """store/tasks.py alone names the tasks collection, so "who writes tasks" (and who
    keeps each on the customer's timeline) has one answer."""
    tasks = r"""\.(collection|collection_group|document)\(\s*f?["']tasks\b|tasks\.COLLECTION\b"""
    owner = HEARTH / "store" / "tasks.py"
    assert lines_matching([p for p in modules() if p != owner], tasks) == []
    assert lines_matching([owner], r"""^COLLECTION = "tasks"$""")


def test_the_report_buckets_are_addressed_by_one_module():
    """store/deal_reports.py alone reads and writes report_days, report_months and
    report_customers: their increments are safe only inside its one transaction."""
    owner = HEARTH / "store" / "deal_reports.py"
    others = [p for p in modules() if p != owner]
    named = r"""\.(collection|collection_group|document)\(\s*f?["']report_"""
    constants = r"""\.collection\(\s*[\w.]*\b(DAYS|MONTHS|CUSTOMERS|COLLECTIONS)\b"""
    assert lines_matching(others, named) == []
    assert lines_matching([p for p in others if "deal" in p.name], constants) == []
    assert lines_matching([owner], r"""^DAYS, MONTHS, CUSTOMERS = "report_days", """)


def test_only_the_store_writes_firestore():
    writes = (
        r"\.document\([^)]*\)\.(set|create|update|delete)\(|\.batch\(\)|\.transaction\("
        r"|\bbatch\.(set|create|update|delete|commit)\(|\.bulk_writer\("
    )
    assert lines_matching(outside("store"), writes) == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_a_domain_never_imports_the_web_edge(domain):
    assert lines_matching(modules(domain), r"^\s*(from|import) hearth\.web\b") == []


def test_the_store_imports_no_domain_and_no_edge():
    pattern = r"^\s*from hearth\.(web|" + "|".join(DOMAINS) + r")\b"
    assert lines_matching(modules("store"), pattern) == []


def test_no_module_outside_the_edge_builds_a_response():
    assert lines_matching(outside("web"), r"error_response\(|json_response\(|\bResponse\(") == []


def test_main_is_one_line_per_function():
    """Every statement of main.py below its imports binds one function to one handler of
    hearth.web (the manifest test checks which functions there are)."""
    main = (ROOT / "functions" / "main.py").read_text()
    body = main[main.index("http = functions_framework.http") :].splitlines()[1:]
    statements = [line.split("#")[0].strip() for line in body if line.split("#")[0].strip()]
    assert statements, "main.py defines no function"
    assert [s for s in statements if not re.fullmatch(r"\w+ = http\(\w+\.\w+\)", s)] == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_a_domain_uses_another_only_through_its_package_face(domain):
    others = "|".join(other for other in DOMAINS if other != domain)
    assert lines_matching(modules(domain), rf"^\s*(from|import) hearth\.({others})\.") == []
