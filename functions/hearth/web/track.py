"""POST /track: the site snippet's pageviews and events; and the scheduled
analytics_rollover.

What is HTTP about a hit lives here: the body arrives as text/plain from sendBeacon,
and the sender's address and user agent come from the request (they are handed to
hearth.analytics only to be hashed). Every accepted hit, a bot's included, gets the
same 202, so a bot learns nothing from the answer.
"""

from __future__ import annotations

from flask import Request

from hearth import analytics
from hearth.errors import MethodNotAllowed
from hearth.rules import traffic
from hearth.web import http
from hearth.web.endpoint import Call, Handler, Reply, endpoint, parse, serve


@endpoint(methods="POST, OPTIONS", wrong_method="Send hits with POST.")
def handle(call: Call) -> Reply:
    hit = parse(analytics.Hit, http.beacon_body(call.request, traffic.MAX_BODY_BYTES))
    sender = analytics.Sender(http.client_ip(call.request), call.header("User-Agent"))
    analytics.accept(hit, sender, call.settings)
    return Reply(analytics.Accepted().model_dump(), status=202)


def _route(request: Request) -> Handler:
    # The scheduler may be set to GET or POST; the Allow header names the one to use.
    if request.method not in ("GET", "POST"):
        raise MethodNotAllowed(request.method, "POST", "Run the rollover with POST.")
    return _rollover


def _rollover(call: Call) -> Reply:
    return Reply(analytics.rollover(call.settings))


rollover = serve(_route, methods="GET, POST", cors=False)
