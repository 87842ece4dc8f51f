"""What the snippet may send: one pageview or one named event, bounded.

Every limit is here, so a script posting by hand is refused with the field at fault
and a roll-up's maps stay small whatever arrives: the event names are a fixed list,
a step is a small number, a page path and a host have a length limit.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from hearth.rules import traffic
from hearth.rules.fields import ID_PATTERN

FORM_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,39}$"  # a form's name, as intake takes it
Name = Literal[
    "pageview", "wizard_start", "wizard_step", "wizard_complete", "form_submit", "outbound"
]


class Hit(BaseModel):
    """One beacon from /track.js."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "0b7f4c1e-8a57-4c36-9d3e-6f1f0b0d2a11",
                    "name": "pageview",
                    "url": "https://studio.example/pricing?utm_source=newsletter",
                    "referrer": "https://www.google.com/",
                }
            ]
        },
    )

    id: str = Field(
        pattern=ID_PATTERN,
        description="A random id per hit (a UUID); a hit sent twice is counted once.",
    )
    name: Name = Field(description="pageview, or the name of the event.")
    url: str = Field(max_length=traffic.MAX_URL, description="The page's full address.")
    referrer: str | None = Field(
        default=None, max_length=traffic.MAX_URL, description="document.referrer, if any."
    )
    step: int | None = Field(
        default=None,
        ge=1,
        le=traffic.MAX_STEP,
        validate_default=True,
        description="wizard_step: the step shown (1 is the first).",
    )
    form: str | None = Field(
        default=None,
        pattern=FORM_PATTERN,
        validate_default=True,
        description="form_submit: the form's name.",
    )
    host: str | None = Field(
        default=None,
        max_length=traffic.MAX_HOST,
        validate_default=True,
        description="outbound: the host of the link followed.",
    )

    @field_validator("url")
    @classmethod
    def _page_address(cls, url: str) -> str:
        try:
            parts = urlsplit(url)
        except ValueError:
            parts = None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("Send the page's full address (http or https).")
        if len(traffic.page_path(url)) > traffic.MAX_PATH:
            raise ValueError(f"The page's path is over {traffic.MAX_PATH} characters.")
        return url

    @field_validator("step")
    @classmethod
    def _step_of_a_wizard(cls, step: int | None, info: ValidationInfo) -> int | None:
        return _needed_by(step, info, "wizard_step", "the step number (1, 2, ...)")

    @field_validator("form")
    @classmethod
    def _form_of_a_submit(cls, form: str | None, info: ValidationInfo) -> str | None:
        return _needed_by(form, info, "form_submit", "the form's name")

    @field_validator("host")
    @classmethod
    def _host_of_a_link(cls, host: str | None, info: ValidationInfo) -> str | None:
        _needed_by(host, info, "outbound", "the link's host")
        if host is not None and not traffic.host_label(host):
            raise ValueError("Send the host name alone (example.com).")
        return host


def _needed_by(value: object, info: ValidationInfo, event: str, what: str) -> object:
    """Refuse an event without the detail it is counted by: a wizard_step with no step
    would be a step of nothing in the funnel. Other events may leave it out."""
    if value is None and info.data.get("name") == event:
        raise ValueError(f"A {event} event needs {what}.")
    return value


class Accepted(BaseModel):
    """What /track answers to every hit it takes (a bot's too: nothing is stored)."""

    ok: Literal[True] = True
