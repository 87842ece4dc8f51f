"""The owner's automation rules: two routes of the admin function (web.admin).

    PUT  /settings/automations           replace the rules
    POST /settings/automations/preview   what given rules would have made in 30 days

What a rule may be, who may set one, and the preview are hearth.automations'.
"""

from __future__ import annotations

from hearth import automations
from hearth.web.routes import owner_settings

admin_route = owner_settings("settings/automations", automations, previewed=True)
