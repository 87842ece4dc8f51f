"""GET /reports/{name}?from=YYYY-MM-DD&to=YYYY-MM-DD&format=json|csv: the pipeline
reports (lead-sources, time-in-stage, reps, trade-shows) for owner, manager and rep;
the reps report also takes ``by=win|creation``.

Who sees what, the period and the figures are hearth.deals'; this only reads the path
and the query, and answers JSON or a CSV attachment.
"""

from __future__ import annotations

from hearth import deals
from hearth.web.endpoint import Call, Reply, endpoint

READ_FAILED = "We could not read the reports right now. Please try again in a moment."


def report_name(path: str) -> str:
    """The report a path names: "/reports/reps" locally, "/reps" when deployed."""
    return path.strip("/").removeprefix("reports").strip("/")


@endpoint(
    methods="GET, OPTIONS",
    wrong_method="Read a report with GET.",
    # The admin page names the saved CSV after the one the function chose.
    expose="Content-Disposition, Retry-After",
    unavailable=READ_FAILED,
)
def handle(call: Call) -> Reply:
    deals.check_may_read(call.principal())
    name = deals.check_name(report_name(call.path))
    args = call.args()
    if deals.check_format(args.get("format")) == "csv":
        download = deals.report_file(
            name,
            call.principal(),
            call.settings,
            args.get("from"),
            args.get("to"),
            raw_by=args.get("by"),
        )
        return Reply.attachment(download.body, download.content_type, download.filename)
    return Reply(
        deals.report(
            name,
            call.principal(),
            call.settings,
            args.get("from"),
            args.get("to"),
            raw_by=args.get("by"),
        )
    )
