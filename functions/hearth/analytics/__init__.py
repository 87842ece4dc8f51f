"""Site analytics, first-party and cookieless: the snippet's hits become daily roll-ups.

Owns what a hit may carry (hit.py), recognising a visitor for one day with a daily salt
and recording the hit at a fixed cost (ingest.py), and the daily rollover: a new salt,
old salts deleted, closed days' shards folded into one document (rollover.py).
Imports rules, store, errors and config; never Flask (hearth.web.track is its HTTP
side). The figures read from the roll-ups are hearth.reports'.
"""

from hearth.analytics.hit import Accepted, Hit
from hearth.analytics.ingest import Sender, accept, visit_source
from hearth.analytics.rollover import rollover

__all__ = ["Accepted", "Hit", "Sender", "accept", "rollover", "visit_source"]
