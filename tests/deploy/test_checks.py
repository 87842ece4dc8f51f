"""The offline checks find what they are there to find."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devstack import emulators
from devstack.deploy import checks


def test_the_indexes_parse():
    assert checks.indexes_parse().startswith("firestore.indexes.json parses: ")


def test_an_index_without_fields_is_refused(tmp_path: Path):
    broken = tmp_path / "firestore.indexes.json"
    broken.write_text(json.dumps({"indexes": [{"collectionGroup": "customers"}]}))
    with pytest.raises(checks.CheckFailedError, match="index 1 needs collectionGroup and fields"):
        checks.indexes_parse(broken)


def test_rules_that_do_not_compile_are_refused_by_the_emulator(firestore_emulator, tmp_path: Path):
    broken = tmp_path / "firestore.rules"
    broken.write_text(
        "rules_version = '2';\nservice cloud.firestore { match /x { allow read: if ( } }"
    )
    try:
        with pytest.raises(checks.CheckFailedError, match=r"firestore\.rules does not compile"):
            checks.rules_compile(broken)
    finally:
        assert checks.rules_compile(emulators.RULES) == (
            "firestore.rules compiles in the Firestore emulator"
        )


def test_a_web_config_for_another_project_is_refused(tmp_path: Path):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"projectId": "someone-else"}))
    with pytest.raises(checks.CheckFailedError, match="names project 'someone-else'"):
        checks.web_config("my-studio", required=True, path=config)
    with pytest.raises(checks.CheckFailedError, match=r"web/config\.json is missing"):
        checks.web_config("my-studio", required=True, path=tmp_path / "none.json")
