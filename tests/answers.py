"""What every refusal promises a caller, checked one way by every test module: a JSON
body with a machine code, a sentence for people and the fields at fault."""

from __future__ import annotations

from typing import Any


def refusal(response: Any, status: int) -> dict[str, Any]:
    """A 4xx/5xx the caller can act on: JSON with a code, a sentence and the fields."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    answer = response.get_json()
    assert isinstance(answer["error"], str) and answer["error"]
    assert isinstance(answer["message"], str) and answer["message"]
    return answer


def names_field(answer: dict[str, Any], field: str) -> bool:
    """Whether the refusal names ``field`` (or one inside it, such as answers.budget)."""
    fields = answer.get("fields", {})
    return any(name == field or name.startswith(f"{field}.") for name in fields)
