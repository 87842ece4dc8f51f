"""Customer files in: Hearth's own export, HubSpot's and Pipedrive's, or any CSV.

The rules of reading a file are pure (hearth.rules.imports); service.py runs an import
as jobs the admin page and the command line drive a chunk at a time (preview, start or
resume, rows, progress, report), chunk.py imports one chunk through the intake upsert
(hearth.store.customers) and routes the customers it made through the routing face,
and cli.py is ``python -m hearth.imports``. Jobs and mappings are kept by
hearth.store.imports. Never imports Flask: hearth.web.imports is its HTTP side.
"""

from hearth.imports.service import (
    PreviewRequest,
    RowsRequest,
    StartRequest,
    check_owner,
    job,
    preview,
    report,
    rows,
    start,
    usable_job_id,
)

__all__ = [
    "PreviewRequest",
    "RowsRequest",
    "StartRequest",
    "check_owner",
    "job",
    "preview",
    "report",
    "rows",
    "start",
    "usable_job_id",
]
