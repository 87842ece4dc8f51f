"""The OpenAPI 3.1 description of the public endpoints, generated from the pydantic
models that validate them, so the document can never drift from the behaviour."""

from __future__ import annotations

from typing import Any

from flask import Request, Response

from hearth import config
from hearth.http import cors_headers, json_response

REF_TEMPLATE = "#/components/schemas/{model}"


def _schemas(*models: Any) -> dict[str, Any]:
    from pydantic.json_schema import models_json_schema

    _, top = models_json_schema(
        [(model, "validation") for model in models], ref_template=REF_TEMPLATE
    )
    return top.get("$defs", {})


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("ErrorBody")}


def document(server_url: str | None = None) -> dict[str, Any]:
    from hearth.intake import Accepted, ErrorBody, Submission

    schemas = _schemas(Submission, Accepted, ErrorBody)
    form_schema = {"$ref": "#/components/schemas/Submission"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Hearth public API",
            "version": "1.0.0",
            "description": "Endpoints the owner's website calls: form intake, and later "
            "booking, availability and analytics. Every refusal is a JSON ErrorBody "
            "naming the fields at fault.",
        },
        "servers": [{"url": server_url}] if server_url else [],
        "paths": {
            "/intake": {
                "post": {
                    "operationId": "submitForm",
                    "summary": "Record a form submission; upserts the customer by e-mail.",
                    "parameters": [
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": False,
                            "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,128}$"},
                            "description": "Alternative to submission_id for safe retries.",
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            **_json("Submission"),
                            "application/x-www-form-urlencoded": {"schema": form_schema},
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "Recorded (or a retry recognised).",
                            "content": _json("Accepted"),
                        },
                        "303": {"description": "Plain form post with _redirect: go to it."},
                        "400": _error("A field is missing or invalid."),
                        "403": _error("The Origin is not allowed."),
                        "405": _error("Only POST (and OPTIONS)."),
                        "413": _error("Body over 64 KB."),
                        "415": _error("Not JSON or a form post."),
                        "503": _error("Store unavailable; retry with the same submission_id."),
                    },
                }
            }
        },
        "components": {"schemas": schemas},
    }


def handle(request: Request) -> Response:
    cors = cors_headers(request.headers.get("Origin"), config.load().allowed_origins, "GET")
    base = request.host_url.rstrip("/")
    return json_response(document(server_url=base), 200, cors)
