"""Lead routing: every new customer gets the right rep at once, exactly once.

The owner's rules (settings.py: saved through the admin API, refused when they name
an unknown source, rep or field) decide with the pure matcher in hearth.rules.routing;
router.py routes pending customers in transactions with the round-robin pointers
(through hearth.store.routing), runs at once after a commit (``nudge``) and every
minute from the sweep, previews rules on the last 30 days, and picks an owner for one
customer for the hand-over (``choose_owner``). Never imports Flask (hearth.web.routing
is its edge).
"""

from hearth.routing.router import choose_owner, names, nudge, preview, route_pending
from hearth.routing.settings import check_owner, load, parse_settings, save_settings
from hearth.rules.routing import Choice, RoutingSettings

__all__ = [
    "Choice",
    "RoutingSettings",
    "check_owner",
    "choose_owner",
    "load",
    "names",
    "nudge",
    "parse_settings",
    "preview",
    "route_pending",
    "save_settings",
]
