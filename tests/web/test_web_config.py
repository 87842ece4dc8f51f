"""What the admin page needs from the stack and from production, checked without a browser.

- /config.json: the running stack tells the page which emulators and functions to use.
- `python -m devstack dev` builds the page and says plainly when it cannot.
- firestore.indexes.json: a composite index (or indexes Firestore can merge) for every
  list query the page makes, each index legal as Firestore would check it on deploy.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
import requests

from devstack import server

ROOT = Path(__file__).resolve().parents[2]
INDEXES = ROOT / "firestore.indexes.json"


# --- /config.json -------------------------------------------------------------------


def client_for(tmp_path: Path, config):
    from werkzeug.test import Client

    (tmp_path / "site").mkdir()
    return Client(
        server.web_app(functions_url="http://127.0.0.1:5001", web_dir=tmp_path, config=config)
    )


def test_config_names_the_emulators_and_the_functions():
    config = server.runtime_config(
        "http://127.0.0.1:5001/", firestore="127.0.0.1:8080", auth="127.0.0.1:9099"
    )

    assert config == {
        "projectId": "demo-hearth",
        "apiKey": "demo-api-key",
        "authDomain": "demo-hearth.firebaseapp.com",
        "emulators": {"firestore": "127.0.0.1:8080", "auth": "http://127.0.0.1:9099"},
        "functionsBase": "http://127.0.0.1:5001",
        "businessTimeZone": "Europe/Malta",
    }


def test_config_without_the_auth_emulator_names_only_firestore():
    config = server.runtime_config("http://127.0.0.1:5001", firestore="127.0.0.1:8080")

    assert config is not None
    assert config["emulators"] == {"firestore": "127.0.0.1:8080"}


def test_no_emulator_means_no_runtime_config():
    assert server.runtime_config("http://127.0.0.1:5001", firestore=None, auth="x:1") is None


def test_web_server_answers_config_json_from_the_stack(tmp_path):
    config = server.runtime_config("http://127.0.0.1:5001", firestore="127.0.0.1:8080")
    (tmp_path / "config.json").write_text('{"projectId": "real-project"}')
    client = client_for(tmp_path, config)

    response = client.get("/config.json", buffered=True)

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == config


def test_without_emulators_the_owners_static_config_json_is_served(tmp_path):
    (tmp_path / "config.json").write_text('{"projectId": "real-project"}')
    client = client_for(tmp_path, None)

    response = client.get("/config.json", buffered=True)

    assert response.status_code == 200
    assert response.get_json() == {"projectId": "real-project"}


@pytest.mark.stack
def test_the_running_stack_serves_its_config(live_stack):
    response = requests.get(f"{live_stack.web}/config.json", timeout=10)

    assert response.status_code == 200, response.text
    config = response.json()
    assert config["projectId"] == "demo-hearth"
    assert config["functionsBase"] == live_stack.functions
    assert config["businessTimeZone"] == "Europe/Malta"
    assert config["siteUrl"] == live_stack.web  # where booking links point
    import os

    assert config["emulators"]["firestore"] == os.environ["FIRESTORE_EMULATOR_HOST"]
    if live_stack.auth:
        assert config["emulators"]["auth"] == f"http://{live_stack.auth}"
    else:
        assert "auth" not in config["emulators"]


# --- the page's build in `dev` ------------------------------------------------------


def test_dev_says_plainly_what_is_missing_to_build_the_page(tmp_path, monkeypatch):
    from devstack.__main__ import WebBuild

    build = WebBuild(tmp_path / "web-build.log")
    monkeypatch.setattr(WebBuild, "SCRIPT", tmp_path / "web" / "build.mjs")
    assert "build.mjs is missing" in (build.missing() or "")
    monkeypatch.setattr(WebBuild, "NODE_MODULES", tmp_path / "node_modules")
    assert "npm ci" in (build.missing() or "")
    monkeypatch.setattr("shutil.which", lambda _name: None)
    assert "node is not installed" in (build.missing() or "")


# --- firestore.indexes.json ---------------------------------------------------------


def load_indexes() -> list[dict]:
    document = json.loads(INDEXES.read_text())
    assert set(document) == {"indexes", "fieldOverrides"}
    assert isinstance(document["fieldOverrides"], list)
    return document["indexes"]


def test_every_index_is_legal():
    indexes = load_indexes()
    assert indexes
    seen: set[str] = set()
    for index in indexes:
        assert set(index) == {"collectionGroup", "queryScope", "fields"}, index
        assert index["queryScope"] in ("COLLECTION", "COLLECTION_GROUP")
        fields = index["fields"]
        # A composite index has two fields or more; one field is indexed automatically.
        assert len(fields) >= 2, index
        paths = [field["fieldPath"] for field in fields]
        assert len(set(paths)) == len(paths), index
        contains = 0
        for field in fields:
            modes = set(field) - {"fieldPath"}
            assert len(modes) == 1, field
            if "arrayConfig" in field:
                assert field["arrayConfig"] == "CONTAINS"
                contains += 1
            else:
                assert field["order"] in ("ASCENDING", "DESCENDING"), field
        assert contains <= 1, f"at most one array-contains per index: {index}"
        key = json.dumps(index, sort_keys=True)
        assert key not in seen, f"duplicate index: {index}"
        seen.add(key)


def served_by(indexes: list[dict], group: str, filters: set[str], order: tuple[str, str]) -> bool:
    """Whether Firestore can serve a query with these equality / in / array-contains
    filters and one order: a composite index of exactly those filters then the order, or
    several such indexes over subsets of the filters that together cover them all (index
    merging). With no filter the automatic single-field index serves it."""
    if not filters:
        return True
    usable = []
    for index in indexes:
        if index["collectionGroup"] != group:
            continue
        *front, last = index["fields"]
        if (last["fieldPath"], last.get("order")) != order:
            continue
        names = {field["fieldPath"] for field in front}
        if names <= filters:
            usable.append(names)
    return set().union(*usable) == filters if usable else False


ORDERS = [("lastContactAt", "DESCENDING"), ("createdAt", "DESCENDING")]


def customer_list_shapes():
    """Every customers list query of the page: the role's own condition, archived hidden
    or shown, the optional filters and search, either sort."""
    scopes = {"owner": [set(), {"ownerUid"}], "rep": [{"ownerUid"}], "partner": [{"segment"}]}
    optional = ["archived", "stage", "firstSource", "search"]
    for role, choices in scopes.items():
        for scope in choices:
            for count in range(len(optional) + 1):
                for chosen in itertools.combinations(optional, count):
                    for order in ORDERS:
                        yield role, scope | set(chosen), order


def test_every_customers_list_query_has_its_index():
    indexes = load_indexes()
    missing = [
        (role, sorted(filters), order[0])
        for role, filters, order in customer_list_shapes()
        if not served_by(indexes, "customers", filters, order)
    ]
    assert not missing, missing


def test_the_default_lists_use_one_index_each():
    """A rep's and a partner's default list, and a search with archived hidden: the
    queries the page makes most, served by one composite index rather than a merge."""
    indexes = load_indexes()
    shapes = {
        (index["collectionGroup"], tuple(field["fieldPath"] for field in index["fields"]))
        for index in indexes
    }
    for order, _ in ORDERS:
        assert ("customers", ("ownerUid", "archived", order)) in shapes
        assert ("customers", ("segment", "archived", order)) in shapes
        assert ("customers", ("archived", "search", order)) in shapes


def test_todays_bookings_of_a_rep_have_their_index():
    indexes = load_indexes()
    start = ("start", "ASCENDING")
    assert served_by(indexes, "bookings", {"ownerUid"}, start)
    assert served_by(indexes, "bookings", set(), start)


def test_the_free_times_query_has_its_index():
    """bookings.busy_between: confirmed calls by start, without reading cancelled ones."""
    assert served_by(load_indexes(), "bookings", {"status"}, ("start", "ASCENDING"))


def test_the_task_lists_and_the_sweep_have_their_indexes():
    """Open tasks by due date: the owner's, a rep's (ownerUid == uid), and the sweep's
    open tasks not marked yet (data/firestore.js, store/tasks.py)."""
    indexes = load_indexes()
    due = ("due", "ASCENDING")
    assert served_by(indexes, "tasks", {"done"}, due)
    assert served_by(indexes, "tasks", {"ownerUid", "done"}, due)
    assert served_by(indexes, "tasks", {"done", "overdue"}, due)


def test_the_stale_check_has_its_index():
    """Open stage clocks by time (store/consumers.py stale_clocks); the consumers' own
    read of events orders by at alone (then the document id), which Firestore serves
    with the automatic single-field index."""
    assert served_by(load_indexes(), "stageClocks", {"open"}, ("at", "ASCENDING"))


def test_the_bells_queries_of_a_rep_have_one_index_each():
    """The bell's leads assigned to a rep today (ownerUid ==, assignedAt since midnight,
    newest first) and their overdue tasks (ownerUid, done, overdue ==, by due), on every
    page of every rep: each served by one composite index rather than a merge."""
    indexes = load_indexes()
    shapes = {
        (index["collectionGroup"], tuple(field["fieldPath"] for field in index["fields"]))
        for index in indexes
    }
    assert served_by(indexes, "customers", {"ownerUid"}, ("assignedAt", "DESCENDING"))
    assert ("customers", ("ownerUid", "assignedAt")) in shapes
    assert served_by(indexes, "tasks", {"ownerUid", "done", "overdue"}, ("due", "ASCENDING"))
    assert ("tasks", ("ownerUid", "done", "overdue", "due")) in shapes
