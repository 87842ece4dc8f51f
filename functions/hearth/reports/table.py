"""The source-to-money table as a CSV file, for the owner's spreadsheet.

Source names come from the site's links and referrers, so anyone can make one read
``=HYPERLINK(...)``: every text cell passes through rules/csvsafe, the same as the
customer export. Numbers stay numbers; a ratio with nothing to divide by is empty.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from hearth.reports.figures import SourceRow
from hearth.rules import csvsafe, money, periods

CONTENT_TYPE = "text/csv; charset=utf-8"
COLUMNS = ("Source", "Visitors", "Leads", "Won", "Revenue", "Visitor to lead", "Lead to won")


def source_to_money_csv(rows: Iterable[SourceRow], currency: str) -> str:
    """RFC 4180 CSV (CRLF line ends), one row per source in the table's order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csvsafe.cell(name) for name in COLUMNS])
    for row in rows:
        cells: list[Any] = [
            row.source,
            row.visitors,
            row.leads,
            row.won,
            money.amount(row.revenue, currency),  # a Decimal: "1500.00", never neutralised
            periods.ratio(row.leads, row.visitors),
            periods.ratio(row.won, row.leads),
        ]
        writer.writerow(["" if value is None else csvsafe.cell(value) for value in cells])
    return buffer.getvalue()
