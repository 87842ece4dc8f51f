"""The local stack over real HTTP: `python -m devstack serve` on free ports, the test
emulator behind it, and one full `dev` run stopped and restarted to prove data survives.
"""

from __future__ import annotations

import http.client
import urllib.parse
from pathlib import Path

import pytest
import requests

from devstack import emulators
from tests.stacks import Stack, dev_env, interrupt, run_dev, start

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = ROOT / "functions"
WEB = ROOT / "web"
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.stack


@pytest.fixture
def stack(live_stack: Stack) -> Stack:
    return live_stack


def raw_get(base: str, path: str) -> tuple[int, str, bytes]:
    """GET with the path sent exactly as written (requests would resolve "..")."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


def test_json_submission_creates_the_customer(stack, db):
    response = requests.post(
        f"{stack.functions}/intake",
        json={"form": "contact", "email": "Ana.Borg@Example.org", "name": "Ana Borg"},
        timeout=30,
    )

    assert response.status_code == 200, response.text
    assert response.json()["ok"] is True
    customer = db.collection("customers").document("ana.borg@example.org").get()
    assert customer.exists
    assert customer.get("name") == "Ana Borg"


def test_plain_form_post_redirects_and_keeps_extra_fields(stack, db):
    thanks = f"{stack.web}/site/thanks.html"
    response = requests.post(
        f"{stack.functions}/intake",
        data={
            "form": "pricing",
            "email": "zaneta@example.org",
            "name": "Żaneta Camilleri",
            "budget": "€1,000–€2,500",
            "project_type": "Website",
            "_redirect": thanks,
        },
        headers={"Origin": stack.web},
        allow_redirects=False,
        timeout=30,
    )

    assert response.status_code == 303, response.text
    assert response.headers["Location"] == thanks
    customer = db.collection("customers").document("zaneta@example.org")
    assert customer.get().get("name") == "Żaneta Camilleri"
    [entry] = list(customer.collection("activity").stream())
    assert entry.get("answers") == {"budget": "€1,000–€2,500", "project_type": "Website"}


def test_a_function_path_with_a_trailing_part_reaches_the_function(stack):
    response = requests.get(f"{stack.functions}/intake/anything", timeout=30)

    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


def test_openapi_function_describes_the_api(stack):
    response = requests.get(f"{stack.functions}/openapi", timeout=30)

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    assert "/intake" in document["paths"]
    assert document["servers"] == [{"url": stack.functions}]


def test_functions_index_lists_every_function(stack):
    response = requests.get(f"{stack.functions}/", timeout=30)

    assert response.status_code == 200
    listed = {item["name"]: item["url"] for item in response.json()["functions"]}
    assert listed["intake"] == f"{stack.functions}/intake"
    assert "openapi" in listed


def test_unknown_function_is_a_json_404(stack):
    response = requests.get(f"{stack.functions}/nope", timeout=30)

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert "/intake" in response.json()["message"]


def test_web_serves_the_demo_site(stack):
    response = requests.get(f"{stack.web}/site/", timeout=30)

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.headers["Cache-Control"] == "no-cache"


def test_directory_without_slash_redirects_to_it(stack):
    response = requests.get(f"{stack.web}/site", allow_redirects=False, timeout=30)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/site/")


def test_web_serves_forms_js_as_javascript(stack):
    response = requests.get(f"{stack.web}/forms.js", timeout=30)

    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == "text/javascript"
    assert response.content == (WEB / "forms.js").read_bytes()


def test_web_serves_the_api_description(stack):
    response = requests.get(f"{stack.web}/openapi.json", timeout=30)

    assert response.status_code == 200
    assert response.json()["servers"] == [{"url": stack.functions}]


@pytest.mark.parametrize(
    "path",
    [
        "/../README.md",
        "/%2e%2e/README.md",
        "/../pyproject.toml",
        "/%2e%2e/pyproject.toml",
        "/%2E%2E%2Fpyproject.toml",
        "/..%2fpyproject.toml",
        "/site/../../pyproject.toml",
        "/site/%2e%2e/%2e%2e/pyproject.toml",
        "/..\\pyproject.toml",
        "//etc/passwd",
        "/%2fetc/passwd",
        "/.gitignore",
    ],
)
def test_web_never_serves_outside_web(stack, path):
    status, _, body = raw_get(stack.web, path)

    assert status in (400, 404)
    assert b"[tool." not in body
    assert b"root:" not in body


def test_web_refuses_writes(stack):
    response = requests.post(f"{stack.web}/forms.js", data="x", timeout=30)

    assert response.status_code == 405


# --- The static server's rules, in-process on a made-up web/ folder ----------------


@pytest.fixture
def site(tmp_path):
    from werkzeug.test import Client

    from devstack import server

    web = tmp_path / "web"
    for folder in (web / "dist", web / "site"):
        folder.mkdir(parents=True)
    files = {
        "index.html": "source admin page",
        "dist/index.html": "built admin page",
        "dist/app.mjs": "export {};",
        "site/index.html": "demo site",
        "style.css": "body {}",
        "icon.svg": "<svg/>",
        "data.json": "{}",
        "app.webmanifest": "{}",
    }
    for name, text in files.items():
        (web / name).write_text(text)
    (tmp_path / "secret.txt").write_text("secret")
    (web / "link.txt").symlink_to(tmp_path / "secret.txt")
    return web, Client(server.web_app(functions_url="http://127.0.0.1:1", web_dir=web))


def test_built_admin_page_wins_and_source_fills_in(site):
    web, client = site

    assert client.get("/", buffered=True).text == "built admin page"
    assert client.get("/site/", buffered=True).text == "demo site"
    (web / "dist" / "index.html").unlink()
    assert client.get("/", buffered=True).text == "source admin page"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/app.mjs", "text/javascript; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/icon.svg", "image/svg+xml"),
        ("/data.json", "application/json"),
        ("/app.webmanifest", "application/manifest+json"),
    ],
)
def test_static_files_have_their_content_type_and_are_never_cached(site, path, content_type):
    _, client = site

    response = client.get(path, buffered=True)

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(content_type)
    assert response.headers["Cache-Control"] == "no-cache"


def test_a_symlink_out_of_web_is_not_followed(site):
    _, client = site

    response = client.get("/link.txt", buffered=True)

    assert response.status_code == 404
    assert b"secret" not in response.data


def test_admin_page_missing_says_where_the_demo_site_is(tmp_path):
    from werkzeug.test import Client

    from devstack import server

    (tmp_path / "site").mkdir()
    client = Client(server.web_app(web_dir=tmp_path))

    response = client.get("/", buffered=True)

    assert response.status_code == 404
    assert "/site/" in response.text


# --- `python -m devstack dev`: the real command, stopped and started again -----------


def read_customer(firestore_port: int, key: str) -> dict[str, object] | None:
    url = (
        f"http://127.0.0.1:{firestore_port}/v1/projects/{emulators.PROJECT}"
        f"/databases/(default)/documents/customers/{urllib.parse.quote(key)}"
    )
    response = requests.get(url, headers={"Authorization": "Bearer owner"}, timeout=10)
    return response.json() if response.status_code == 200 else None


def test_dev_runs_everything_stops_cleanly_and_keeps_data(tmp_path):
    names = ("firestore", "auth", "functions", "web")
    ports = {name: emulators.free_port() for name in names}
    env = dev_env(tmp_path, ports)

    process, output = run_dev(env)
    text = output.text()
    assert f"Admin page        http://127.0.0.1:{ports['web']}/" in text
    assert f"http://127.0.0.1:{ports['functions']}/<name>   (" in text
    functions_line = next(line for line in text.splitlines() if "/<name>" in line)
    assert {"intake", "openapi", "admin", "export"} <= set(
        functions_line.split("(")[1].rstrip(")").replace(" ", "").split(",")
    )
    assert "Sign in as        owner@studio-lumen.test" in text
    assert f"Auth emulator     127.0.0.1:{ports['auth']}" in text
    response = requests.post(
        f"http://127.0.0.1:{ports['functions']}/intake",
        json={"form": "contact", "email": "Gorg@Example.com", "name": "Ġorġ Borg"},
        headers={"Origin": f"http://127.0.0.1:{ports['web']}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.headers["Access-Control-Allow-Origin"] == f"http://127.0.0.1:{ports['web']}"
    interrupt(process, output)
    for port in ports.values():
        assert not emulators.port_open("127.0.0.1", port), f"port {port} still open"

    # Started again (without Auth, to keep the test short), the customer is still there.
    process, output = run_dev(env, "--no-auth")
    customer = read_customer(ports["firestore"], "gorg@example.com")
    assert customer is not None, output.text()
    assert customer["fields"]["name"] == {"stringValue": "Ġorġ Borg"}
    interrupt(process, output)


def test_dev_refuses_a_port_in_use_and_leaves_nothing_running(tmp_path):
    import socket

    names = ("firestore", "auth", "functions", "web")
    ports = {name: emulators.free_port() for name in names}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", ports["functions"]))
        taken.listen()
        process, output = start(["dev"], dev_env(tmp_path, ports), FUNCTIONS)
        code = process.wait(timeout=60)
    text = output.drain()

    assert code == 1, text
    assert f"Port {ports['functions']} (functions server) is already in use" in text
    assert len([line for line in text.splitlines() if line.strip()]) == 1, text
    assert not emulators.port_open("127.0.0.1", ports["firestore"])
    assert not emulators.port_open("127.0.0.1", ports["web"])
