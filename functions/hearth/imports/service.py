"""The import as the admin page and the command line drive it: preview, start (or find)
the job, send its rows a chunk at a time, read its progress and its report.

The file itself never reaches the server whole: the page (or the CLI) reads it and
sends chunks of at most 500 rows, each recorded once, so a stopped import resumes at
``nextLine`` and one request never runs long. Only the owner imports: a file of
customers is the whole business's data, and every new customer is routed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from hearth import config, fields
from hearth.errors import Conflict, Forbidden, Invalid, NotFound
from hearth.imports import chunk
from hearth.rules import csvsafe, sources
from hearth.rules import imports as rules
from hearth.rules.roles import Principal, Role
from hearth.store import client as db
from hearth.store import customers
from hearth.store import imports as store
from hearth.store import timeline as activity

OWNER_ONLY = "Only the owner may import customers."
Cells = list[Annotated[str, Field(max_length=rules.MAX_CELL)]]
Headers = Annotated[
    list[Annotated[str, Field(max_length=200)]], Field(min_length=1, max_length=200)
]
Targets = Annotated[list[str], Field(max_length=rules.MAX_COLUMNS)]
Source = Annotated[str, Field(min_length=1, max_length=100)]


class PreviewRequest(BaseModel):
    """POST /admin/imports/preview: the header and the first rows, read by the client."""

    model_config = ConfigDict(extra="forbid", title="ImportPreview")

    headers: Headers
    rows: Annotated[list[Cells], Field(max_length=rules.PREVIEW_ROWS)] = []
    source: Source | None = None
    mapping: Targets | None = Field(
        default=None, description="One target per column; omitted: remembered or guessed."
    )


class StartRequest(BaseModel):
    """POST /admin/imports: start the job, or find it to resume."""

    model_config = ConfigDict(extra="forbid", title="ImportStart")

    job: Annotated[
        str,
        Field(
            pattern=rules.JOB_ID.pattern,
            description="First 32 hex of the file's SHA-256, '_', the source id.",
        ),
    ]
    file: Annotated[str, Field(min_length=1, max_length=300)]
    headers: Headers
    mapping: Targets
    source: Source = "import"
    total: Annotated[int, Field(ge=0, le=10_000_000)]


class RowsRequest(BaseModel):
    """POST /admin/imports/{job}/rows: one chunk, ``first`` the line of its first row."""

    model_config = ConfigDict(extra="forbid", title="ImportRows")

    first: Annotated[int, Field(ge=rules.FIRST_LINE)]
    rows: Annotated[list[Cells], Field(min_length=1, max_length=rules.CHUNK)]


def check_owner(principal: Principal) -> None:
    if principal.role is not Role.OWNER:
        who = f"The {principal.role} role" if principal.role else "A user without a role"
        raise Forbidden(OWNER_ONLY, {"role": f"{who} may not import."})


def usable_job_id(job_id: str) -> bool:
    return rules.JOB_ID.fullmatch(job_id) is not None


def source_id(raw: str | None) -> str:
    source = sources.normalise(raw) if raw else "import"
    return source or "import"


def _defined(client: Any, settings: config.Settings) -> fields.FieldSettings:
    return fields.load_settings(client, settings.store_timeout_s)


def _checked(headers: list[str], mapping: list[str], definitions: fields.FieldSettings) -> None:
    refused = rules.check_mapping(headers, mapping, [f.key for f in definitions.fields])
    if refused:
        raise Invalid(refused, "Choose what each column is: some choices cannot be used.")


def preview(principal: Principal, body: PreviewRequest, settings: config.Settings) -> dict:
    """What each of the first rows would do, writing nothing: the format recognised, the
    mapping (given, remembered for these headers, or guessed) and per row create, fill,
    unchanged, skip or error with its fills and conflicts."""
    check_owner(principal)
    return preview_rows(db.client(), body, settings)


def preview_rows(client: Any, body: PreviewRequest, settings: config.Settings) -> dict:
    """The preview for anyone allowed to import (the owner, or the command line)."""
    timeout = settings.store_timeout_s
    definitions = _defined(client, settings)
    defined = [f.key for f in definitions.fields]
    remembered = False
    mapping = body.mapping
    if mapping is None:
        stored = store.read_mapping(client, rules.header_key(body.headers), timeout)
        if stored and len(stored.get("mapping") or []) == len(body.headers):
            mapping, remembered = list(stored["mapping"]), True
        else:
            mapping = rules.guess(body.headers, defined)
    _checked(body.headers, mapping, definitions)
    job = chunk.Job("preview", 1, "", source_id(body.source), mapping, len(body.rows))
    read = chunk.read(client, job, rules.FIRST_LINE, body.rows, settings)
    good = [row for row in read if isinstance(row, rules.Row)]
    erased = chunk.suppressed(client, good, settings)
    existing, _ = store.customers_and_entries(client, [row.key for row in good], [], timeout)
    at = datetime.now(UTC)
    answers = []
    for row in read:
        if isinstance(row, rules.Problem):
            answers.append(_answer(row.line, row.email, "error", reason=row.reason))
        elif row.line in erased:
            answers.append(_answer(row.line, row.email, "skip", reason=rules.ERASED))
        elif row.key not in existing:
            made = customers.merge({}, chunk.incoming(job, row, at))
            answers.append(_answer(row.line, row.email, "create", fills=made.updates))
            existing[row.key] = _applied({}, made.updates)  # a later row of it fills
        else:
            change = customers.merge(existing[row.key], chunk.incoming(job, row, at))
            answers.append(
                _answer(
                    row.line,
                    row.email,
                    "fill" if change.updates else "unchanged",
                    fills=change.updates,
                    conflicts=change.conflicts,
                )
            )
            existing[row.key] = _applied(existing[row.key], change.updates)
    return {
        "format": rules.recognise(body.headers),
        "mapping": mapping,
        "remembered": remembered,
        "targets": [*rules.TARGETS, *(rules.CUSTOM + key for key in defined)],
        "rows": answers,
    }


def _applied(customer: Mapping[str, Any], updates: Mapping[str, Any]) -> dict[str, Any]:
    """The customer as the preview's next row of the same e-mail will find it."""
    after = {**customer, "custom": dict(customer.get("custom") or {})}
    for name, value in updates.items():
        if name.startswith(rules.CUSTOM):
            after["custom"][name[len(rules.CUSTOM) :]] = value
        else:
            after[name] = value
    return after


def _answer(
    line: int,
    email: str,
    action: str,
    *,
    fills: Mapping[str, Any] | None = None,
    conflicts: Mapping[str, Any] | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    return {
        "line": line,
        "email": email,
        "action": action,
        "fills": rules.shown(fills or {}),
        "conflicts": dict(conflicts or {}),
        "reason": reason,
    }


def start(principal: Principal, body: StartRequest, settings: config.Settings) -> dict:
    """The job (created, or found to resume, or begun again when it was done), with the
    mapping remembered for this header set."""
    check_owner(principal)
    return {"job": begin_job(db.client(), body, principal.uid, settings)}


def begin_job(client: Any, body: StartRequest, by: str | None, settings: config.Settings) -> dict:
    """The job as shown, for anyone allowed to import (the owner, or the command line)."""
    timeout = settings.store_timeout_s
    source = source_id(body.source)
    if not body.job.endswith(f"_{source}"):
        raise Invalid({"job": f"A job id ends with _ and its source id ({source})."})
    _checked(body.headers, body.mapping, _defined(client, settings))
    store.save_mapping(
        client, rules.header_key(body.headers), body.headers, body.mapping, by, timeout
    )
    return _shown(body.job, begin(client, body, source, by, timeout))


def begin(client: Any, body: StartRequest, source: str, by: str | None, timeout: float) -> dict:
    now = datetime.now(UTC)
    return store.start_job(
        client,
        body.job,
        {
            "file": body.file,
            "source": source,
            "headers": body.headers,
            "mapping": body.mapping,
            "total": body.total,
            "nextLine": rules.FIRST_LINE,
            "counts": dict.fromkeys(store.COUNTS, 0),
            "state": store.DONE if body.total == 0 else store.RUNNING,
            "run": 1,
            "startedAt": now,
            "finishedAt": now if body.total == 0 else None,
            "by": by,
        },
        timeout,
    )


def rows(principal: Principal, job_id: str, body: RowsRequest, settings: config.Settings) -> dict:
    check_owner(principal)
    actor = activity.staff_actor(principal)
    return run_chunk(db.client(), job_id, body.first, body.rows, actor, settings)


def run_chunk(
    client: Any,
    job_id: str,
    first: int,
    cells: list[list[str]],
    actor: Mapping[str, Any],
    settings: config.Settings,
) -> dict:
    """Import one chunk once: a chunk recorded already answers its stored result."""
    timeout = settings.store_timeout_s
    stored = _job(client, job_id, timeout)
    run = int(stored.get("run") or 1)
    before = store.chunk_result(client, job_id, run, first, timeout)
    if before is not None:
        return {"job": _shown(job_id, stored), "chunk": _chunk(before), "repeated": True}
    if stored.get("state") == store.DONE:
        raise Conflict(
            "This import has finished.",
            {"job": "This import has finished; start it again to import the file again."},
        )
    job = chunk.Job(
        job_id, run, stored["file"], stored["source"], list(stored["mapping"]), stored["total"]
    )
    result = chunk.process(client, job, first, cells, actor, settings)
    next_line = max(int(stored.get("nextLine") or rules.FIRST_LINE), first + len(cells))
    again = store.record_chunk(
        client,
        job_id,
        run=run,
        first=first,
        next_line=next_line,
        counts=result.counts,
        problems=result.problems,
        done=next_line >= job.total + rules.FIRST_LINE,
        timeout=timeout,
    )
    answer = again or {"first": first, "counts": result.counts, "nextLine": next_line}
    return {
        "job": _shown(job_id, _job(client, job_id, timeout)),
        "chunk": _chunk(answer),
        "repeated": again is not None,
    }


def _job(client: Any, job_id: str, timeout: float) -> dict[str, Any]:
    stored = store.read_job(client, job_id, timeout)
    if stored is None:
        raise NotFound("No such import. Start it with POST /admin/imports first.")
    return stored


def _chunk(stored: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "first": stored.get("first"),
        "counts": dict(stored.get("counts") or {}),
        "nextLine": stored.get("nextLine"),
    }


def _shown(job_id: str, stored: Mapping[str, Any]) -> dict[str, Any]:
    def iso(value: Any) -> Any:
        return value.astimezone(UTC).isoformat() if isinstance(value, datetime) else value

    return {
        "id": job_id,
        **{key: iso(value) for key, value in stored.items()},
        "counts": {**dict.fromkeys(store.COUNTS, 0), **dict(stored.get("counts") or {})},
    }


def job(principal: Principal, job_id: str, settings: config.Settings) -> dict:
    check_owner(principal)
    return {"job": _shown(job_id, _job(db.client(), job_id, settings.store_timeout_s))}


def report_rows(client: Any, job_id: str, timeout: float) -> Iterator[list[str]]:
    """line, email, reason per problem of the job's latest run; every text cell through
    csvsafe."""
    run = int(_job(client, job_id, timeout).get("run") or 1)
    yield ["line", "email", "reason"]
    for problem in store.problems(client, job_id, run, timeout):
        yield [
            csvsafe.cell(int(problem.get("line") or 0)),
            csvsafe.cell(str(problem.get("email") or "")),
            csvsafe.cell(str(problem.get("reason") or "")),
        ]


def report(principal: Principal, job_id: str, settings: config.Settings) -> tuple[str, str]:
    """The problems as CSV, and the file name to save it under."""
    check_owner(principal)
    client, timeout = db.client(), settings.store_timeout_s
    _job(client, job_id, timeout)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in report_rows(client, job_id, timeout):
        writer.writerow(line)
    return buffer.getvalue(), f"hearth-import-{job_id[:12]}-report.csv"
