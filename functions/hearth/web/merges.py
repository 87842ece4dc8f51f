"""Duplicates and merges over HTTP: five routes of the admin function (web.admin).

    GET  /admin/duplicates                    pairs that look like one person, and why
    POST /admin/duplicates/{pair}/dismiss     "not the same person", remembered
    POST /admin/merges/preview                what a merge would keep and move
    POST /admin/merges                        merge two customers (idempotent by id)
    POST /admin/merges/{id}/undo              undo a merge

Who may (the owner) and every refusal are hearth.merge's.
"""

from __future__ import annotations

import functools

from flask import Request

from hearth import merge
from hearth.errors import NotFound
from hearth.rules.fields import ID_PATTERN
from hearth.web.endpoint import Call, Handler, Reply, parse
from hearth.web.routes import admin_path, only

NO_ROUTE = (
    "No such duplicates operation. Use GET /admin/duplicates, POST "
    "/admin/duplicates/{pair}/dismiss, POST /admin/merges, /admin/merges/preview or "
    "/admin/merges/{id}/undo."
)


def admin_route(request: Request) -> Handler | None:
    """The handler for a duplicates or merges path of /admin, None for any other."""
    import re

    path = admin_path(request)
    parts = path.split("/")
    if parts[0] not in ("duplicates", "merges"):
        return None
    if parts == ["duplicates"]:
        only(request, "GET")
        return _find
    if len(parts) == 3 and parts[0] == "duplicates" and parts[2] == "dismiss":
        only(request, "POST")
        return functools.partial(_dismiss, pair_id=parts[1])
    if parts == ["merges"]:
        only(request, "POST")
        return _merge
    if parts == ["merges", "preview"]:
        only(request, "POST")
        return _preview
    if len(parts) == 3 and parts[2] == "undo" and re.fullmatch(ID_PATTERN, parts[1]):
        only(request, "POST")
        return functools.partial(_undo, merge_id=parts[1])
    raise NotFound(NO_ROUTE)


def _find(call: Call) -> Reply:
    return Reply(merge.find(call.principal(), call.settings))


def _dismiss(call: Call, *, pair_id: str) -> Reply:
    return Reply(merge.dismiss(call.principal(), pair_id, call.settings))


def _preview(call: Call) -> Reply:
    principal = call.principal()
    merge.check_owner(principal)
    return Reply(merge.preview(principal, parse(merge.PairRequest, call.json()), call.settings))


def _merge(call: Call) -> Reply:
    principal = call.principal()
    merge.check_owner(principal)
    return Reply(merge.merge(principal, parse(merge.MergeRequest, call.json()), call.settings))


def _undo(call: Call, *, merge_id: str) -> Reply:
    return Reply(merge.undo(call.principal(), merge_id, call.settings))
