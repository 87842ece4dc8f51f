"""What a person's rights come down to without a store: their consent history, the
hint a receipt keeps, a request's deadline and the pseudonym their events take."""

from __future__ import annotations

from datetime import UTC, datetime

from hearth.rules import privacy


def test_the_consent_history_is_every_answer_newest_first() -> None:
    entries = [
        {
            "type": "form_submission",
            "at": datetime(2026, 1, 1, tzinfo=UTC),
            "form": "contact",
            "consent": True,
            "submissionId": "s1",
        },
        {
            "type": "form_submission",
            "at": datetime(2026, 3, 1, tzinfo=UTC),
            "form": "pricing",
            "consent": None,
            "submissionId": "s2",
        },
        {"type": "import", "at": datetime(2026, 2, 1, tzinfo=UTC), "job": "j1", "consent": False},
        {
            "type": "import",
            "at": datetime(2026, 2, 5, tzinfo=UTC),
            "job": "j2",
            "fields": {"consent": True},
        },
        {"type": "note", "at": datetime(2026, 4, 1, tzinfo=UTC), "consent": True},
    ]
    assert privacy.consent_history(entries) == [
        {"at": datetime(2026, 2, 5, tzinfo=UTC), "marketing": True, "import": "j2"},
        {"at": datetime(2026, 2, 1, tzinfo=UTC), "marketing": False, "import": "j1"},
        {
            "at": datetime(2026, 1, 1, tzinfo=UTC),
            "marketing": True,
            "form": "contact",
            "submissionId": "s1",
        },
    ]


def test_a_receipt_hints_at_an_address_without_naming_it() -> None:
    assert privacy.hint("ana.borg@example.org") == "a•••@e•••.org"
    assert privacy.hint("x@localhost") == "x•••@l•••"


def test_a_request_is_due_30_days_after_it_arrived() -> None:
    assert privacy.due(datetime(2026, 2, 10, tzinfo=UTC)) == datetime(2026, 3, 12, tzinfo=UTC)


def test_an_erasure_always_renames_to_the_same_pseudonym() -> None:
    assert privacy.pseudonym("a" * 32) == privacy.pseudonym("a" * 32)
    assert privacy.pseudonym("a" * 32) != privacy.pseudonym("b" * 32)
    assert privacy.pseudonym("a" * 32).startswith("erased_")
