"""PUT /admin/settings/fields: the owner's custom field definitions, inside /admin.

Only the HTTP of it: which path and method this is. What a field may be, and who may
define one, is hearth.fields'.
"""

from __future__ import annotations

from hearth import fields
from hearth.web.routes import owner_settings

admin_route = owner_settings("settings/fields", fields)
