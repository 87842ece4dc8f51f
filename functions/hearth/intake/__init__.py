"""Forms to customers: what a public form may send, and the one upsert every door uses.

Owns the Submission model (submission.py) and recording it (service.py): validating,
keeping bots out, and upserting the customer with its timeline entry through
hearth.store. Imports rules, store, errors and config; never Flask (hearth.web.intake
is its HTTP side). Other domains (bookings, sample data) come in through this face.
"""

from hearth.intake.service import count_spam, store, submit
from hearth.intake.submission import Accepted, ErrorBody, Submission, parse

__all__ = ["Accepted", "ErrorBody", "Submission", "count_spam", "parse", "store", "submit"]
