"""The owner's lead routing rules: two routes of the admin function (web.admin).

    PUT  /settings/routing           replace the rules and the fallback
    POST /settings/routing/preview   who given rules would have given the last 30 days' leads

What a rule may be, who may set one, and the preview are hearth.routing's.
"""

from __future__ import annotations

from hearth import routing
from hearth.web.routes import owner_settings

admin_route = owner_settings("settings/routing", routing, previewed=True)
