"""Typed custom fields: the owner defines them in settings/fields, every write obeys them.

The values' rules are pure (hearth.rules.custom_fields); this package saves and reads
the definitions through hearth.store. Other domains (customers, intake, the export)
come in through this face; hearth.web.fields is its HTTP side.
"""

from hearth.fields.settings import check_owner, load_settings, parse_settings, save_settings
from hearth.rules.custom_fields import FieldDefinition, FieldSettings, check, from_answers, shown

__all__ = [
    "FieldDefinition",
    "FieldSettings",
    "check",
    "check_owner",
    "from_answers",
    "load_settings",
    "parse_settings",
    "save_settings",
    "shown",
]
