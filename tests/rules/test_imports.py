"""Reading a customer file without I/O: known exports recognised by their headers, any
other file's columns guessed, a mapping refused naming the column, and one row turned
into the intake rules' values or a problem with its line and reason."""

from __future__ import annotations

from hearth.customers.export import COLUMNS
from hearth.rules import imports
from hearth.rules.custom_fields import FieldSettings

FIELDS = FieldSettings.model_validate(
    {
        "fields": [
            {"key": "budget", "label": "Budget", "type": "money"},
            {
                "key": "products",
                "label": "Products",
                "type": "multi_select",
                "options": ["Logo", "Web"],
            },
        ]
    }
)


def read(cells: list[str], mapping: list[str]) -> imports.Row | imports.Problem:
    return imports.read_row(7, cells, mapping, definitions=FIELDS, region="MT", currency="EUR")


def test_known_exports_are_recognised_and_mapped_by_their_headers() -> None:
    hearth = [*COLUMNS, "custom.budget", "custom.unknown"]
    assert imports.recognise(hearth) == "hearth"
    mapped = dict(zip(hearth, imports.guess(hearth, ["budget"]), strict=True))
    assert {k: v for k, v in mapped.items() if v != "ignore"} == {
        "email": "email",
        "name": "name",
        "company": "company",
        "mobile": "mobile",
        "marketing_consent": "consent",
        "custom.budget": "custom.budget",
    }  # stage, owner, balances and dates are never read from a file
    hubspot = ["Record ID", "First Name", "Last Name", "Email", "Mobile Phone Number"]
    assert imports.recognise(hubspot) == "hubspot"
    assert imports.guess(hubspot) == ["ignore", "first_name", "last_name", "email", "mobile"]
    pipedrive = [
        "Person - Name",
        "Person - Email - Work",
        "Person - Email - Home",
        "Person - Phone - Mobile",
    ]
    assert imports.recognise(pipedrive) == "pipedrive"
    assert imports.guess(pipedrive) == ["name", "email", "email", "mobile"]


def test_any_other_file_gets_a_guess_from_common_spellings() -> None:
    headers = [
        "E-Mail",
        " Email Address",
        "FIRST  NAME",
        "Surname",
        "Organisation",
        "Phone",
        "Budget",
        "Notes",
    ]
    assert imports.recognise(headers) is None
    assert imports.guess(headers, ["budget"]) == [
        "email",
        "email",
        "first_name",
        "last_name",
        "company",
        "mobile",
        "custom.budget",
        "ignore",
    ]
    assert imports.header_key(["B", " a"]) == imports.header_key(["A", "b"])
    assert len(imports.header_key(["A"])) == 32


def test_a_mapping_is_refused_naming_the_column() -> None:
    refused = imports.check_mapping(["Mail", "Size"], ["email", "custom.size"], ["budget"])
    assert list(refused) == ["mapping.1"] and "'Size'" in refused["mapping.1"]
    assert "mapping" in imports.check_mapping(["Name"], ["name"], [])
    assert "mapping.0" in imports.check_mapping(["Mail"], ["stage"], [])


def test_a_row_follows_the_intake_rules_or_says_why_not() -> None:
    mapping = [
        "email",
        "first_name",
        "last_name",
        "mobile",
        "consent",
        "custom.budget",
        "custom.products",
    ]
    row = read(
        [" Ana@Example.ORG ", "Ana", "Borg", "'+356 7912 3456", "x", "1500.50", "Logo; Web"],
        mapping,
    )
    assert isinstance(row, imports.Row)
    assert (row.line, row.email, row.key, row.name) == (
        7,
        "ana@example.org",
        "ana@example.org",
        "Ana Borg",
    )
    assert row.mobile is not None and row.mobile.e164 == "+35679123456"  # export's guard undone
    assert row.consent is True and row.custom == {"budget": 150050, "products": ["Logo", "Web"]}
    assert read(["a@example.org", "", "", "", "no", "", ""], mapping).consent is False  # type: ignore[union-attr]
    assert read(["a@example.org", "", "", "", "", "", ""], mapping).consent is None  # type: ignore[union-attr]
    assert read(["", "Ana"], mapping) == imports.Problem(7, "", "no e-mail address")
    bad = read(["ana@", "Ana"], mapping)
    assert isinstance(bad, imports.Problem) and "not a valid e-mail" in bad.reason
    money = read(["a@example.org", "", "", "", "", "lots", ""], mapping)
    assert isinstance(money, imports.Problem) and money.reason.startswith("custom.budget: ")


def test_a_value_longer_than_a_form_may_send_is_a_problem_not_cut() -> None:
    long = read(["a@example.org", "A" * 150, "B" * 60], ["email", "first_name", "last_name"])
    assert long == imports.Problem(7, "a@example.org", "name: at most 200 characters, not 211")


def test_the_first_filled_column_wins_for_a_field_mapped_twice() -> None:
    row = read(["", "home@example.org"], ["email", "email"])
    assert isinstance(row, imports.Row) and row.email == "home@example.org"


def test_a_mailing_lists_words_read_as_consent_and_anything_else_as_no_answer():
    """Pipedrive's "Marketing status", when the owner maps it to consent."""
    assert [imports.consent(w) for w in ("Subscribed", " YES ", "opted in")] == [True] * 3
    assert [imports.consent(w) for w in ("Unsubscribed", "No consent", "0")] == [False] * 3
    assert [imports.consent(w) for w in ("Archived", "Marketing contact", "")] == [None] * 3
