"""The owner's pipeline settings and sources: routes of the admin function (web.admin).

    PUT    /settings/pipeline   a template, or the whole list of stages
    PUT    /sources/{id}        add or change one source
    DELETE /sources/{id}        remove one no customer came from

What each decides, and every refusal past the route, is hearth.pipeline's.
"""

from __future__ import annotations

import functools

from flask import Request

from hearth import pipeline
from hearth.errors import NotFound
from hearth.rules import sources
from hearth.web.endpoint import Call, Handler, Reply, parse
from hearth.web.routes import admin_path, only

ADMIN_PATHS = ("settings/pipeline", "sources/")
NO_SOURCE = (
    "A source is named by its slug: lowercase letters, digits, '-' and '.', "
    "as /sources/spring-show-2026."
)


def admin_route(request: Request) -> Handler | None:
    """The handler for a pipeline path of /admin, None for any other path; 404 for a
    source id that is not a slug and 405 for another method, as the admin router does."""
    path = admin_path(request)
    if path == "settings/pipeline":
        only(request, "PUT")
        return _save_pipeline
    if not path.startswith("sources/"):
        return None
    source = path.removeprefix("sources/")
    if "/" in source or not source or sources.normalise(source) != source:
        raise NotFound(NO_SOURCE)
    only(request, "PUT", "DELETE")
    if request.method == "DELETE":
        return functools.partial(_delete_source, source=source)
    return functools.partial(_save_source, source=source)


def _save_pipeline(call: Call) -> Reply:
    owner = pipeline.owner(call.principal())
    body = parse(pipeline.PipelineRequest, call.json())
    return Reply({"pipeline": pipeline.save_pipeline(body, owner, call.settings)})


def _save_source(call: Call, *, source: str) -> Reply:
    owner = pipeline.owner(call.principal())
    body = parse(pipeline.SourceRequest, call.json())
    return Reply({"source": pipeline.save_source(source, body, owner, call.settings)})


def _delete_source(call: Call, *, source: str) -> Reply:
    pipeline.owner(call.principal())
    pipeline.delete_source(source, call.settings)
    return Reply({"deleted": source})
