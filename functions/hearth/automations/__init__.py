"""Automations: follow-up tasks that make themselves from domain events.

The owner's rules (settings/automations, or the active template's defaults) are
applied by the automations consumer, which reads events in order from its cursor, and
by the stale check, both run by the sweep. Every task is created with
store.tasks.create_for, id ``{rule}.{event}``, so a rule runs at most once per event;
making a task is not an event, so no rule can trigger another. The preview applies
rules to the last 30 days of events without writing. Imports rules, store, errors and
config; never Flask: hearth.web.automations is its HTTP side.
"""

from hearth.automations.engine import preview, run
from hearth.automations.settings import check_owner, parse_settings, save_settings

__all__ = ["check_owner", "parse_settings", "preview", "run", "save_settings"]
