"""Spreadsheet formula injection: a CSV cell must never run when the owner opens the file.

Customer data comes from public forms, so a "name" can be ``=HYPERLINK("http://evil",
"click")`` or ``@SUM(1+1)*cmd|' /C calc'!A0``. Excel, LibreOffice and Google Sheets
treat a cell starting with = + - @ as a formula, and some drop a leading tab or
carriage return first. Such a cell gets a leading single quote (OWASP's advice), so
the spreadsheet shows it as text. A cell whose first visible character is a trigger
after leading whitespace is neutralised too: LibreOffice's "trim spaces" import option
would otherwise turn " =1+1" back into a formula.

This is deliberately blunt: text beginning with "+" or "-" is neutralised even when it
is harmless, e.g. the mobile "+35679123456" becomes "'+35679123456". Telling a phone
number from a formula is a guess, and a wrong guess runs code on the owner's machine.

Numbers are the one exception: a value the export writes from a stored number (an int,
a float, a Decimal amount) is a plain numeral such as "-5" or "1500.50", which no
spreadsheet can read as anything but that number, so it is left as is.
"""

from __future__ import annotations

from decimal import Decimal

TRIGGERS = frozenset("=+-@\t\r")
PREFIX = "'"


def is_risky(text: str) -> bool:
    """True when a spreadsheet could read this text as a formula."""
    return bool(text) and (text[0] in TRIGGERS or text.lstrip()[:1] in TRIGGERS)


def neutralise(text: str) -> str:
    """The text as a spreadsheet will show it but never evaluate it."""
    return PREFIX + text if is_risky(text) else text


def cell(value: str | int | float | Decimal) -> str:
    """What goes into one CSV cell: numbers as numerals, text neutralised."""
    if isinstance(value, bool):
        raise TypeError("write booleans as text (true/false) before they reach a cell")
    if isinstance(value, int | float | Decimal):
        return str(value)
    return neutralise(value)
