"""Importing customer files over HTTP: five routes of the admin function (web.admin).

    POST /admin/imports/preview              what the first rows would do
    POST /admin/imports                      start the job, or find it to resume
    POST /admin/imports/{job}/rows           one chunk of rows (at most 500)
    GET  /admin/imports/{job}                the job's progress
    GET  /admin/imports/{job}/report         its problems as CSV (?format=csv)

Who may import, and every refusal, is hearth.imports'.
"""

from __future__ import annotations

import functools

from flask import Request

from hearth import imports
from hearth.errors import Invalid, NotFound
from hearth.web import http
from hearth.web.endpoint import Call, Handler, Reply, parse
from hearth.web.routes import admin_path, only

# A chunk of 500 rows of a wide export is far over the admin API's usual 64 KB; the page
# sends at most 500 rows and about a million characters of cells in one request.
MAX_BODY_BYTES = 4 * 1024 * 1024

NO_ROUTE = (
    "No such import operation. Use POST /admin/imports/preview, POST /admin/imports, "
    "POST /admin/imports/{job}/rows, GET /admin/imports/{job} or its /report."
)


def admin_route(request: Request) -> Handler | None:
    """The handler for an imports path of /admin, None for any other path."""
    path = admin_path(request)
    if path != "imports" and not path.startswith("imports/"):
        return None
    parts = path.split("/")
    if len(parts) == 1:
        only(request, "POST")
        return _start
    if len(parts) == 2 and parts[1] == "preview":
        only(request, "POST")
        return _preview
    if not imports.usable_job_id(parts[1]):
        raise NotFound(NO_ROUTE)
    job_id = parts[1]
    if len(parts) == 2:
        only(request, "GET")
        return functools.partial(_job, job_id=job_id)
    if len(parts) == 3 and parts[2] == "rows":
        only(request, "POST")
        return functools.partial(_rows, job_id=job_id)
    if len(parts) == 3 and parts[2] == "report":
        only(request, "GET")
        return functools.partial(_report, job_id=job_id)
    raise NotFound(NO_ROUTE)


def _json(call: Call) -> dict:
    return http.json_body(call.request, MAX_BODY_BYTES)


def _preview(call: Call) -> Reply:
    principal = call.principal()
    imports.check_owner(principal)
    return Reply(
        imports.preview(principal, parse(imports.PreviewRequest, _json(call)), call.settings)
    )


def _start(call: Call) -> Reply:
    principal = call.principal()
    imports.check_owner(principal)
    return Reply(imports.start(principal, parse(imports.StartRequest, _json(call)), call.settings))


def _rows(call: Call, *, job_id: str) -> Reply:
    principal = call.principal()
    imports.check_owner(principal)
    body = parse(imports.RowsRequest, _json(call))
    return Reply(imports.rows(principal, job_id, body, call.settings))


def _job(call: Call, *, job_id: str) -> Reply:
    return Reply(imports.job(call.principal(), job_id, call.settings))


def _report(call: Call, *, job_id: str) -> Reply:
    kind = call.args().get("format", "csv").strip().lower()
    if kind != "csv":
        raise Invalid({"format": "The report comes as csv."})
    body, filename = imports.report(call.principal(), job_id, call.settings)
    return Reply.attachment(body, "text/csv; charset=utf-8", filename)
