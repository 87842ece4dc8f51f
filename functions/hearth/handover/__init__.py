"""A rep away or gone: away dates, and handing a departed rep's customers over.

Decides who may mark a rep away (the owner; a rep for themselves) and stores the dates
in the team directory, where routing reads them; and runs a hand-over job when a rep
has left (disabled, or no longer a rep): their open customers move, each in its own
guarded transaction written by hearth.store.handover, to one named rep or by the
routing rules, with their open tasks and future calls, a timeline entry and an
``owner.changed`` event. Imports rules, store, errors, config and the routing face;
never Flask: hearth.web.team is its HTTP side.
"""

from hearth.handover.away import AwayRequest, set_away
from hearth.handover.service import (
    BATCH,
    HandoverRequest,
    run,
    stop,
    usable_job_id,
    usable_uid,
)

__all__ = [
    "BATCH",
    "AwayRequest",
    "HandoverRequest",
    "run",
    "set_away",
    "stop",
    "usable_job_id",
    "usable_uid",
]
