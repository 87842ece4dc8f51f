"""The pipeline reports as CSV files, for the owner's spreadsheet.

Source labels, show places and team names are typed by people (and source ids come
from the site's links), so every text cell passes through rules/csvsafe: a label
``=HYPERLINK(...)`` is shown, never run. Money is a decimal amount with a currency
column; a figure with nothing to divide by is an empty cell. The total comes last.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from typing import Any

from hearth.rules import csvsafe, money

CONTENT_TYPE = "text/csv; charset=utf-8"
Row = Mapping[str, Any]


def _lead_sources(answer: Row) -> tuple[list[str], Callable[[Row], list[Any]]]:
    stages = answer["stages"]
    header = ["Source", "Kind", "Leads"]
    header += [f"Reached: {stage['label']}" for stage in stages]
    header += ["Won", "Lost", "Conversion", "Revenue", "Currency", "Median days to won"]

    def cells(row: Row) -> list[Any]:
        return [
            row["label"],
            row["kind"],
            row["leads"],
            *(row["reached"].get(stage["id"], 0) for stage in stages),
            row["won"],
            row["lost"],
            row["conversion"],
            money.amount(row["revenue"], answer["currency"]),
            answer["currency"],
            row["medianDaysToWon"],
        ]

    return header, cells


def _time_in_stage(answer: Row) -> tuple[list[str], Callable[[Row], list[Any]]]:
    header = ["Stage", "Group", "Stays", "Median days", "Average days"]
    return header, lambda row: [
        row["label"],
        row["group"],
        row["stays"],
        row["medianDays"],
        row["averageDays"],
    ]


def _reps(answer: Row) -> tuple[list[str], Callable[[Row], list[Any]]]:
    header = [
        "Rep",
        "New leads",
        "Demos",
        "Cancelled",
        "Wins",
        "Demo customers",
        "Demo wins",
        "Demo to close",
        "Revenue",
        "Currency",
    ]
    return header, lambda row: [
        row["name"],
        row["newLeads"],
        row["demos"],
        row["cancelled"],
        row["wins"],
        row["demoCustomers"],
        row["demoWins"],
        row["demoToClose"],
        money.amount(row["revenue"], answer["currency"]),
        answer["currency"],
    ]


def _trade_shows(answer: Row) -> tuple[list[str], Callable[[Row], list[Any]]]:
    header = [
        "Show",
        "Place",
        "Starts on",
        "Ends on",
        "Leads",
        "Won",
        "Revenue",
        "Currency",
        "Revenue rank",
        "Wins rank",
    ]
    return header, lambda row: [
        row["label"],
        row["place"],
        row["startsOn"],
        row["endsOn"],
        row["leads"],
        row["won"],
        money.amount(row["revenue"], answer["currency"]),
        answer["currency"],
        row["revenueRank"],
        row["winsRank"],
    ]


LAYOUTS = {
    "lead-sources": _lead_sources,
    "time-in-stage": _time_in_stage,
    "reps": _reps,
    "trade-shows": _trade_shows,
}


def csv_of(answer: Row) -> str:
    """RFC 4180 CSV (CRLF line ends): the header, one line per row, then the total."""
    header, cells = LAYOUTS[answer["report"]](answer)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csvsafe.cell(name) for name in header])
    for row in [*answer["rows"], answer["totals"]]:
        writer.writerow(["" if value is None else csvsafe.cell(value) for value in cells(row)])
    return buffer.getvalue()
