"""A person's rights over HTTP: four routes of the admin function (web.admin).

    GET  /admin/customers/{key}/personal-data?format=json|html   their data, as a file
    POST /admin/customers/{key}/erase                             erase them (owner)
    POST /admin/privacy/requests                                  record a request (owner)
    POST /admin/privacy/requests/{id}/done                        close it (owner)

Who may do what, and every refusal, is hearth.privacy's.
"""

from __future__ import annotations

import functools
import re

from flask import Request

from hearth import privacy
from hearth.customers.operations import usable_key
from hearth.errors import NotFound
from hearth.rules.fields import ID_PATTERN
from hearth.web.endpoint import Call, Handler, Reply, parse
from hearth.web.routes import admin_path, only

NO_ROUTE = (
    "No such privacy operation. Use GET /admin/customers/{key}/personal-data, POST "
    "/admin/customers/{key}/erase, POST /admin/privacy/requests or POST "
    "/admin/privacy/requests/{id}/done."
)


def admin_route(request: Request) -> Handler | None:
    """The handler for a privacy path of /admin, None for any other path."""
    parts = admin_path(request).split("/")
    if len(parts) == 3 and parts[0] == "customers" and parts[2] in ("personal-data", "erase"):
        if not usable_key(parts[1]):
            raise NotFound(NO_ROUTE)
        if parts[2] == "personal-data":
            only(request, "GET")
            return functools.partial(_export, key=parts[1])
        only(request, "POST")
        return functools.partial(_erase, key=parts[1])
    if parts[0] != "privacy":
        return None
    if parts == ["privacy", "requests"]:
        only(request, "POST")
        return _new_request
    done = len(parts) == 4 and parts[1] == "requests" and parts[3] == "done"
    if done and re.fullmatch(ID_PATTERN, parts[2]):
        only(request, "POST")
        return functools.partial(_done, request_id=parts[2])
    raise NotFound(NO_ROUTE)


def _export(call: Call, *, key: str) -> Reply:
    principal = call.principal()
    download = privacy.export_person(
        principal, key, call.args().get("format", "json"), call.settings
    )
    return Reply.attachment(download.body, download.content_type, download.filename)


def _erase(call: Call, *, key: str) -> Reply:
    principal = call.principal()
    body = parse(privacy.EraseRequest, call.json())
    return Reply({"erasure": privacy.erase(principal, key, body, call.settings)})


def _new_request(call: Call) -> Reply:
    principal = call.principal()
    body = parse(privacy.PrivacyRequest, call.json())
    return Reply(privacy.create_request(principal, body, call.settings))


def _done(call: Call, *, request_id: str) -> Reply:
    return Reply(privacy.finish_request(call.principal(), request_id, call.settings))
