"""firestore.rules for the import's own documents, on the real emulator: no client reads
a job, its problems (e-mail addresses of rows not imported) or a remembered mapping;
the admin page reads them through the owner-only admin API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devstack import emulators
from hearth.rules.imports import header_key
from tests.imports.helpers import admin, csv_bytes, run
from tests.rules_client import RulesClient, User

__all__ = ["admin"]
pytestmark = pytest.mark.usefixtures("default_settings")


@pytest.fixture
def rules(firestore_emulator: emulators.Firestore) -> Iterator[RulesClient]:
    firestore_emulator.load_rules()
    yield RulesClient(firestore_emulator.base, firestore_emulator.project)


def test_no_client_reads_an_import_its_problems_or_a_mapping(admin, db, users, rules) -> None:
    job = run(admin, users.headers("owner"), csv_bytes(["Email"], [["bad"], ["a@example.org"]]))
    assert job["counts"]["errors"] == 1
    paths = [
        f"imports/{job['id']}",
        f"imports/{job['id']}/problems/1_2",
        f"importMappings/{header_key(['Email'])}",
    ]
    assert all(db.document(path).get().exists for path in paths)
    for role in ("owner", "manager", "rep", "partner"):
        for path in paths:
            assert rules.get(User(role, f"{role}-1", {"role": role}), path).denied, (role, path)
