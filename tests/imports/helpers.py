"""What the import tests share: a CSV file made in memory, sent through the admin API
the way the page sends it (preview, start, chunks), and the whole database read back
to compare before and after."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


@pytest.fixture
def admin(db, users, function_client):
    return function_client("admin")


def csv_bytes(headers: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def read_csv(data: bytes) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return rows[0], rows[1:]


def job_id(data: bytes, source: str = "import") -> str:
    return f"{hashlib.sha256(data).hexdigest()[:32]}_{source}"


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def preview(admin: Any, headers: dict, data: bytes, **body: Any) -> dict[str, Any]:
    names, rows = read_csv(data)
    return ok(
        admin.post(
            "/imports/preview", json={"headers": names, "rows": rows[:20], **body}, headers=headers
        )
    )


def start(
    admin: Any, headers: dict, data: bytes, mapping: list[str], source: str = "import"
) -> dict[str, Any]:
    names, rows = read_csv(data)
    body = {
        "job": job_id(data, source),
        "file": "customers.csv",
        "headers": names,
        "mapping": mapping,
        "source": source,
        "total": len(rows),
    }
    return ok(admin.post("/imports", json=body, headers=headers))["job"]


def send(
    admin: Any, headers: dict, data: bytes, job: dict[str, Any], size: int = 100, chunks: int = 0
) -> dict[str, Any]:
    """Send the rows from the job's nextLine on, ``size`` a chunk (``chunks``: stop after
    that many, as a closed tab would); answers the job as the last chunk left it."""
    _, rows = read_csv(data)
    line = job["nextLine"]
    sent = 0
    while line - 2 < len(rows):
        part = rows[line - 2 : line - 2 + size]
        answer = ok(
            admin.post(
                f"/imports/{job['id']}/rows", json={"first": line, "rows": part}, headers=headers
            )
        )
        job = answer["job"]
        line += len(part)
        sent += 1
        if chunks and sent == chunks:
            break
    return job


def run(
    admin: Any, headers: dict, data: bytes, source: str = "import", size: int = 100
) -> dict[str, Any]:
    """A whole import: preview for the mapping, start, every chunk."""
    mapping = preview(admin, headers, data, source=source)["mapping"]
    return send(admin, headers, data, start(admin, headers, data, mapping, source), size)


def everything(db: Any) -> dict[str, Any]:
    """Every customer document and its timeline, and every event and source: what an
    import that changes nothing must leave exactly as it was."""
    found: dict[str, Any] = {}
    for customer in db.collection("customers").stream():
        entries = {e.id: e.to_dict() for e in customer.reference.collection("activity").stream()}
        found[f"customers/{customer.id}"] = {"doc": customer.to_dict(), "entries": entries}
    for name in ("events", "sources", "routing_state"):
        for doc in db.collection(name).stream():
            found[f"{name}/{doc.id}"] = doc.to_dict()
    return found
