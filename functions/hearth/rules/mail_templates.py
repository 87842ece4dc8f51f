"""E-mail templates: the owner's words with the customer's details merged in, safely.

A template is written by staff, and the values merged into it come from the public (a
name typed into a form). Both are distrusted: the template runs in Jinja2's sandbox, so
no template code reaches Python's objects, and every merged value is data, never
template code, and is escaped in the HTML part. A field the customer does not have
renders empty, and the preview says which fields were empty, so the owner sees
"Hi ," before sending it rather than after.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Annotated, Any

from jinja2 import ChainableUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from pydantic import BaseModel, ConfigDict, Field, field_validator

from hearth.rules.stages import STAGE_ID

MAX_SOURCE = 20_000  # characters of one template part
MAX_OUTPUT = 200_000  # characters of one rendered part: a loop cannot flood the mailbox


class RefusedTemplateError(ValueError):
    """The template cannot be rendered: ``part`` is which one, the message says why."""

    def __init__(self, part: str, message: str) -> None:
        super().__init__(message)
        self.part = part


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    empty: tuple[str, ...]  # merge fields the template used that had no value


def _environment(autoescape: bool, missing: list[str]) -> ImmutableSandboxedEnvironment:
    """A fresh sandbox per rendering: it records which merge fields were empty (a
    shared one would mix up two requests rendered at once)."""

    class Recording(ChainableUndefined):
        def __str__(self) -> str:
            missing.append(self._undefined_name or "?")
            return ""

    env = ImmutableSandboxedEnvironment(
        autoescape=autoescape, undefined=Recording, keep_trailing_newline=True
    )
    env.globals.clear()  # no range(), lipsum() or cycler: merge fields and filters only
    return env


def context(
    customer: Mapping[str, Any],
    *,
    sender: Mapping[str, Any],
    business: str,
    stage_label: str | None = None,
) -> dict[str, Any]:
    """What a template may name: ``customer.*``, ``customer.custom.*``, ``sender.*``,
    ``business``. Only plain strings and numbers, so a template cannot reach the store's
    objects through them. An empty value is left out, so it renders empty and is listed."""
    name = str(customer.get("name") or "").strip()
    values = {
        "name": name,
        "first_name": name.split()[0] if name else "",
        "email": customer.get("email"),
        "company": customer.get("company"),
        "mobile": customer.get("mobile"),
        "stage": stage_label or customer.get("stage"),
    }
    custom = customer.get("custom") if isinstance(customer.get("custom"), Mapping) else {}
    return {
        "customer": {
            **{k: str(v) for k, v in values.items() if v not in (None, "")},
            "custom": {str(k): _plain(v) for k, v in custom.items() if v not in (None, "", [])},
        },
        "sender": {k: str(v) for k, v in sender.items() if v not in (None, "")},
        "business": business,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def render(subject: str, text: str, values: Mapping[str, Any], html: str | None = None) -> Rendered:
    """Subject and plain text from their templates; the HTML part from its own template,
    or else from the plain text (escaped, paragraphs kept)."""
    missing: list[str] = []
    plain = _environment(autoescape=False, missing=missing)
    rendered_subject = " ".join(_run(plain, "subject", subject, values).split())
    rendered_text = _run(plain, "text", text, values)
    if html:
        rendered_html = _run(_environment(True, missing), "html", html, values)
    else:
        rendered_html = _paragraphs(rendered_text)
    return Rendered(rendered_subject, rendered_text, rendered_html, tuple(dict.fromkeys(missing)))


def check(part: str, source: str) -> None:
    """Refuse a template that cannot compile, before it is saved."""
    if len(source) > MAX_SOURCE:
        raise RefusedTemplateError(part, f"A template part has at most {MAX_SOURCE:,} characters.")
    try:
        _environment(autoescape=False, missing=[]).parse(source)
    except TemplateError as exc:
        raise RefusedTemplateError(part, f"The template has a mistake: {exc.message}.") from exc


def _run(
    env: ImmutableSandboxedEnvironment, part: str, source: str, values: Mapping[str, Any]
) -> str:
    check(part, source)
    try:
        output = env.from_string(source).render(values)
    except SecurityError as exc:
        raise RefusedTemplateError(part, "The template asks for something it may not use.") from exc
    except TemplateError as exc:
        raise RefusedTemplateError(part, f"The template could not be filled in: {exc}.") from exc
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise RefusedTemplateError(part, f"The template could not be filled in: {exc}.") from exc
    if len(output) > MAX_OUTPUT:
        raise RefusedTemplateError(part, "The filled-in template is too long to send.")
    return output


def _paragraphs(text: str) -> str:
    blocks = [b.strip("\n") for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return "".join(f"<p>{escape(b).replace(chr(10), '<br>')}</p>" for b in blocks)


TEMPLATE_ID = r"^[a-z][a-z0-9_-]{0,39}$"
MAX_TEMPLATES = 50


class EmailTemplate(BaseModel):
    """One e-mail template: for a stage (offered first on the page of a customer in it)
    or for any customer. Its parts are checked to compile before they are saved."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: Annotated[str, Field(pattern=TEMPLATE_ID)]
    name: Annotated[str, Field(min_length=1, max_length=100)]
    stage: Annotated[str | None, Field(pattern=STAGE_ID.pattern)] = None
    subject: Annotated[str, Field(min_length=1, max_length=500)]
    text: Annotated[str, Field(min_length=1, max_length=MAX_SOURCE)]
    html: Annotated[str | None, Field(max_length=MAX_SOURCE)] = None

    @field_validator("subject", "text", "html")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value:
            try:
                check("template", value)
            except RefusedTemplateError as exc:
                raise ValueError(str(exc)) from None
        return value


class EmailTemplates(BaseModel):
    model_config = ConfigDict(extra="forbid")

    templates: Annotated[list[EmailTemplate], Field(max_length=MAX_TEMPLATES)] = []


def duplicate_ids(settings: EmailTemplates) -> dict[str, str]:
    seen: set[str] = set()
    found = {}
    for index, template in enumerate(settings.templates):
        if template.id in seen:
            found[f"templates.{index}.id"] = f"Another template is called {template.id}."
        seen.add(template.id)
    return found
