"""The figures: site traffic, leads and money per source over a period.

Reads the daily roll-ups the analytics ingest writes, the period's new customers and
today's calls through hearth.store (store/reports.py), and adds them up in pure code
(figures.py, with the period maths in rules/periods.py); table.py makes the CSV.
Imports rules, store, errors and config; never Flask: hearth.web.analytics is its
HTTP side.
"""

from hearth.reports.service import (
    Download,
    analytics,
    check_format,
    check_may_read,
    check_period,
    source_to_money_file,
)

__all__ = [
    "Download",
    "analytics",
    "check_format",
    "check_may_read",
    "check_period",
    "source_to_money_file",
]
