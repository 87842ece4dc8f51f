"""A person's rights: their data handed to them, erased on request, their requests'
deadlines, and their consent.

``person`` collects everything kept about one customer (JSON, and a readable page made
by rules.privacy); ``erasure`` erases them in resumable steps and keeps a receipt and
the suppressions; ``requests`` records a request and its 30-day deadline. Suppression
itself (a keyed hash that stops an import recreating an erased person, lifted by a form
with fresh consent) is rules.suppression and store.suppressions, used by intake. Imports
rules, store, errors, config and the calendar face; never Flask: hearth.web.privacy is
its HTTP side.
"""

from hearth.privacy.erasure import STEPS, EraseRequest, erase
from hearth.privacy.person import Download, export_person
from hearth.privacy.requests import PrivacyRequest, create_request, finish_request

__all__ = [
    "STEPS",
    "Download",
    "EraseRequest",
    "PrivacyRequest",
    "create_request",
    "erase",
    "export_person",
    "finish_request",
]
