"""GET /export?format=csv|json[&consent=given|not-given][&what=customers|timeline]: the
customers a signed-in user may take away, or their timelines, streamed."""

from __future__ import annotations

from hearth.customers import export, timeline_export
from hearth.web.endpoint import Call, Reply, endpoint

READ_FAILED = "We could not read your customers right now. Please try again in a moment."


@endpoint(
    methods="GET, OPTIONS",
    wrong_method="Export with GET.",
    # The admin page names the saved file after the one the function chose.
    expose="Content-Disposition, Retry-After",
    unavailable=READ_FAILED,
)
def handle(call: Call) -> Reply:
    principal = call.principal()
    export.check_may_export(principal)
    kind = export.check_format(call.args().get("format", "csv"))
    consent = export.check_consent(call.args().get("consent"))
    what = export.check_what(call.args().get("what"))
    start = timeline_export.start if what == "timeline" else export.start
    download = start(principal, kind, call.settings, consent)
    return Reply.attachment(download.chunks, download.content_type, download.filename)
