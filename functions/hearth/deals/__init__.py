"""Pipeline reports: lead sources, time in stage, reps and trade shows, from events.

The consumer (run by the sweep after the automations) folds each domain event once
into day and month buckets per owner with the pure fold of rules/deal_figures.py; the
service reads a period's buckets (a bounded number of documents, whatever the number
of customers) and makes each report; the rebuild folds every event again with the
same fold and compares or replaces. Imports rules, store, errors and config; never
Flask: hearth.web.deals is its HTTP side.
"""

from hearth.deals.consumer import run
from hearth.deals.service import (
    NAMES,
    check_may_read,
    check_name,
    check_period,
    report,
    report_file,
)

__all__ = [
    "NAMES",
    "check_may_read",
    "check_name",
    "check_period",
    "report",
    "report_file",
    "run",
]
