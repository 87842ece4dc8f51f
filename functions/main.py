"""HTTP entry points, deployable one per Cloud Function.

Each is a single line into the ``hearth`` package: what a function does is found by
its module name there, and this file stays cheap to import (cold start). The function
name is the URL path: /intake locally, .../intake when deployed.
"""

import functions_framework
from flask import Request, Response

from hearth import admin as admin_api
from hearth import availability as availability_api
from hearth import book as book_api
from hearth import calendar_sync as calendar_sync_api
from hearth import export as export_api
from hearth import intake as intake_api
from hearth import manage_booking
from hearth import openapi as openapi_doc


@functions_framework.http
def intake(request: Request) -> Response:
    """POST /intake: a public form submission becomes (part of) a customer."""
    return intake_api.handle(request)


@functions_framework.http
def openapi(request: Request) -> Response:
    """GET /openapi: the public API, described from the same models that validate it."""
    return openapi_doc.handle(request)


@functions_framework.http
def admin(request: Request) -> Response:
    """/admin/...: signed-in staff change customers; every change lands on the timeline."""
    return admin_api.handle(request)


@functions_framework.http
def export(request: Request) -> Response:
    """GET /export?format=csv|json: the customers a signed-in user may take away."""
    return export_api.handle(request)


@functions_framework.http
def availability(request: Request) -> Response:
    """GET /availability: free times for a call, in the visitor's time zone."""
    return availability_api.handle(request)


@functions_framework.http
def book(request: Request) -> Response:
    """POST /book: a visitor books a call; one slot can never be held twice."""
    return book_api.handle(request)


@functions_framework.http
def booking(request: Request) -> Response:
    """/booking/{id}: the customer's signed link (or staff) looks up, cancels or moves a call."""
    return manage_booking.handle(request)


@functions_framework.http
def calendar_sync(request: Request) -> Response:
    """POST /calendar_sync: the scheduled retry of calendar copies Google missed."""
    return calendar_sync_api.handle(request)
