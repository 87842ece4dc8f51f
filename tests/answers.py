"""What a caller of the HTTP functions may rely on in a JSON refusal: a stable code, a
sentence for a person, and the fields at fault. Shared by the tests of every function
that refuses, so each checks the same promise."""

from __future__ import annotations

from typing import Any


def refusal(response: Any, status: int) -> dict[str, Any]:
    """A refusal the caller can act on: JSON with a code, a sentence and the fields."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    answer = response.get_json()
    assert isinstance(answer["error"], str) and answer["error"]
    assert isinstance(answer["message"], str) and answer["message"]
    return answer


def names_field(answer: dict[str, Any], field: str) -> bool:
    """Whether the refusal names this field (or a field inside it) as at fault."""
    fields = answer.get("fields", {})
    return any(name == field or name.startswith(f"{field}.") for name in fields)
