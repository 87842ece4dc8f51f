"""The owner's booking settings and booking links, changed from the admin page.

Working hours, call types and the trade-show links are the owner's decisions, made
often enough (a holiday, a new kind of call, next month's fair) that editing Firestore
by hand is not an answer. They are validated by the very models the booking functions
read them with, so a setting that is saved is a setting that works.

Routes (inside the admin function; owner only):

    PUT    /settings/booking            the whole settings/booking document
    PUT    /booking-links/{source}      {"label", "timeZone"}
    DELETE /booking-links/{source}
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Request, Response
from pydantic import ValidationError

from hearth import config
from hearth.bookings import settings as booking_settings
from hearth.intake.service import field_errors, store_errors_as_503
from hearth.rules import sources
from hearth.rules.roles import Principal, can_manage_lists
from hearth.web import auth
from hearth.web.http import HttpError, error_response, json_response, method_not_allowed

PREFIXES = ("settings/booking", "booking-links/")


def handles(path: str) -> bool:
    return _inner(path).startswith(PREFIXES)


def _inner(path: str) -> str:
    inner = path.strip("/")
    return inner.removeprefix("admin/") if inner.startswith("admin/") else inner


def handle(
    request: Request, settings: config.Settings, cors: dict[str, str], body: Any
) -> Response:
    """``body`` reads the JSON object sent (the admin function's own reader)."""
    try:
        path = _inner(request.path)
        if path == "settings/booking":
            _method(request, "PUT")
            owner = _owner(request)
            saved = save_settings(body(), owner, settings)
            return json_response({"settings": saved}, 200, cors)
        source = path.removeprefix("booking-links/")
        if "/" in source or not source or sources.normalise(source) != source:
            raise HttpError(
                404,
                "not_found",
                "A booking link is named by its source slug: lowercase letters, digits, "
                "'-' and '.', as /booking-links/spring-show-2026.",
            )
        _method(request, "PUT", "DELETE")
        owner = _owner(request)
        if request.method == "DELETE":
            _delete_link(source, settings)
            return json_response({"deleted": source}, 200, cors)
        link = save_link(source, body(), owner, settings)
        return json_response({"link": link}, 200, cors)
    except HttpError as error:
        return error_response(error, cors)


def _method(request: Request, *allowed: str) -> None:
    if request.method not in allowed:
        raise method_not_allowed(
            request.method, ", ".join((*allowed, "OPTIONS")), f"Use {' or '.join(allowed)} here."
        )


def _owner(request: Request) -> Principal:
    principal = auth.principal(request)
    if not can_manage_lists(principal):
        raise HttpError(403, "forbidden", "Only the owner changes booking settings and links.")
    return principal


def _stamp(owner: Principal) -> dict[str, Any]:
    return {"updatedAt": datetime.now(UTC), "updatedBy": {"uid": owner.uid, "email": owner.email}}


def save_settings(data: dict[str, Any], owner: Principal, settings: config.Settings) -> dict:
    from hearth.store import client as db

    data = {key: value for key, value in data.items() if key not in ("updatedAt", "updatedBy")}
    try:
        model = booking_settings.BookingSettings.model_validate(data)
    except ValidationError as exc:
        raise HttpError(
            400, "invalid", "Some settings need attention.", field_errors(exc)
        ) from None
    if model.default_type is not None and model.default_type not in model.types:
        raise HttpError(
            400,
            "invalid",
            "Some settings need attention.",
            {"defaultType": "Choose one of the call types below."},
        )
    stored = model.model_dump(by_alias=True, mode="json")
    with store_errors_as_503():
        db.client().collection(booking_settings.COLLECTION).document(booking_settings.DOCUMENT).set(
            {**stored, **_stamp(owner)}
        )
    return stored


def save_link(
    source: str, data: dict[str, Any], owner: Principal, settings: config.Settings
) -> dict[str, Any]:
    from hearth.store import client as db

    try:
        link = booking_settings.BookingLink.model_validate(data)
    except ValidationError as exc:
        raise HttpError(400, "invalid", "Some fields need attention.", field_errors(exc)) from None
    stored = {"source": source, **link.model_dump(by_alias=True, mode="json")}
    with store_errors_as_503():
        db.client().collection(booking_settings.LINKS).document(source).set(
            {**stored, **_stamp(owner)}
        )
    return {**stored, "url": f"{settings.site_url}/site/book.html?source={source}"}


def _delete_link(source: str, settings: config.Settings) -> None:
    from hearth.store import client as db

    with store_errors_as_503():
        db.client().collection(booking_settings.LINKS).document(source).delete()
