"""The owner's booking settings and booking links, changed from the admin page.

Working hours, call types and the trade-show links are the owner's decisions, made
often enough (a holiday, a new kind of call, next month's fair) that editing Firestore
by hand is not an answer. They are validated by the very models the booking functions
read them with, so a setting that is saved is a setting that works. (The routes,
inside the admin function, are hearth.web.bookings'.)
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from hearth import config, pipeline
from hearth.bookings import settings as booking_settings
from hearth.errors import FIX_FIELDS, Forbidden, Invalid, field_messages
from hearth.rules.roles import Principal, can_manage_lists
from hearth.store import bookings as store

SETTINGS_NEED_ATTENTION = "Some settings need attention."
Model = TypeVar("Model", bound=BaseModel)


def owner(principal: Principal) -> Principal:
    if not can_manage_lists(principal):
        raise Forbidden("Only the owner changes booking settings and links.")
    return principal


def _stamp(owner: Principal) -> dict[str, Any]:
    return {"updatedAt": datetime.now(UTC), "updatedBy": {"uid": owner.uid, "email": owner.email}}


def _valid(model: type[Model], data: dict[str, Any], message: str) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid(field_messages(exc), message) from None


def save_settings(data: dict[str, Any], owner: Principal, settings: config.Settings) -> dict:
    """Replace settings/booking with what the owner sent (anything left out: default)."""
    from hearth.store import client as db

    data = {key: value for key, value in data.items() if key not in ("updatedAt", "updatedBy")}
    model = _valid(booking_settings.BookingSettings, data, SETTINGS_NEED_ATTENTION)
    if model.default_type is not None and model.default_type not in model.types:
        raise Invalid(
            {"defaultType": "Choose one of the call types below."}, SETTINGS_NEED_ATTENTION
        )
    stored = model.model_dump(by_alias=True, mode="json")
    store.save_settings(db.client(), {**stored, **_stamp(owner)}, settings.store_timeout_s)
    return stored


def save_link(
    source: str, data: dict[str, Any], owner: Principal, settings: config.Settings
) -> dict[str, Any]:
    from hearth.store import client as db

    link = _valid(booking_settings.BookingLink, data, FIX_FIELDS)
    stored = {"source": source, **link.model_dump(by_alias=True, mode="json")}
    store.save_link(db.client(), source, {**stored, **_stamp(owner)}, settings.store_timeout_s)
    # The customers a show's link brings are attributed to the show: it must be a source.
    pipeline.ensure_source(source, "booking_link", settings, label=link.label)
    return {**stored, "url": f"{settings.site_url}/site/book.html?source={source}"}


def delete_link(source: str, settings: config.Settings) -> None:
    from hearth.store import client as db

    store.delete_link(db.client(), source, settings.store_timeout_s)
