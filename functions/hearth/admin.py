"""Placeholder: being written (access issue)."""

from __future__ import annotations

from flask import Request, Response

from hearth.http import json_response


def handle(request: Request) -> Response:
    return json_response({"error": "not_implemented", "message": "Coming soon."}, 501)
