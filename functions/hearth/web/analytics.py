"""GET /analytics?period=today|7d|30d|12m[&format=csv]: the figures, for owner and manager."""

from __future__ import annotations

from hearth import reports
from hearth.web.endpoint import Call, Reply, endpoint

READ_FAILED = "We could not read the figures right now. Please try again in a moment."


@endpoint(
    methods="GET, OPTIONS",
    wrong_method="Read the analytics with GET.",
    # The admin page names the saved CSV after the one the function chose.
    expose="Content-Disposition, Retry-After",
    unavailable=READ_FAILED,
)
def handle(call: Call) -> Reply:
    reports.check_may_read(call.principal())
    args = call.args()
    period = reports.check_period(args.get("period"))
    if reports.check_format(args.get("format")) == "csv":
        download = reports.source_to_money_file(period, call.settings)
        return Reply.attachment(download.body, download.content_type, download.filename)
    return Reply(reports.analytics(period, call.settings))
