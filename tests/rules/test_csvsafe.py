"""Formula injection: what a spreadsheet would run must arrive as text.

Pure tests of hearth.rules.csvsafe; tests/customers/test_export.py checks that every cell of a real
export goes through it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from hearth.rules import csvsafe

RISKY = [
    "=SUM(A1)",
    '=HYPERLINK("http://evil.example","click")',
    "+1",
    "-1",
    "@cmd",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=x",
    "\r=x",
    "-",
    "+35679123456",  # a mobile number: neutralised too (see the module's docstring)
    " =1+1",  # LibreOffice's "trim spaces" import would strip the space
    "\n=1+1",
    "\u00a0@cmd",  # a no-break space is whitespace as well
]

HARMLESS = [
    "Ana Borg",
    "Borg-Smith",  # a hyphen inside text
    "a=b",
    "1+1",
    "ana@example.org",
    "7912 3456",
    "'already text",
    "",
    "   ",
    "Ġorġ Ħabib",
]


@pytest.mark.parametrize("text", RISKY)
def test_text_a_spreadsheet_could_run_gets_a_leading_quote(text: str) -> None:
    assert csvsafe.is_risky(text)
    assert csvsafe.neutralise(text) == "'" + text
    assert csvsafe.cell(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert not csvsafe.is_risky(text)
    assert csvsafe.neutralise(text) == text


@pytest.mark.parametrize("text", RISKY + HARMLESS)
def test_neutralising_twice_changes_nothing_more(text: str) -> None:
    once = csvsafe.neutralise(text)
    assert csvsafe.neutralise(once) == once


@pytest.mark.parametrize(
    ("number", "shown"),
    [(-5, "-5"), (1200, "1200"), (-2.5, "-2.5"), (Decimal("1500.50"), "1500.50"), (0, "0")],
)
def test_numbers_are_written_as_plain_numerals(number: int | float | Decimal, shown: str) -> None:
    # A numeral is read as that number by every spreadsheet: it cannot carry a formula.
    assert csvsafe.cell(number) == shown


def test_a_boolean_must_be_worded_before_it_becomes_a_cell() -> None:
    with pytest.raises(TypeError):
        csvsafe.cell(True)
