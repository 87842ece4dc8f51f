"""PUT /admin/team/{uid}/away: the dates a rep is away, which routing skips.

The owner marks anyone on the team; a rep marks only themselves (the rep knows their
holiday first); a manager or a partner neither. Dates are business days (YYYY-MM-DD),
both included; either may be null (away from a day on, or until a day); both null
clears it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hearth import config
from hearth.errors import Forbidden, Invalid, NotFound
from hearth.rules.roles import Principal, Role
from hearth.store import client as db
from hearth.store import team

NOT_YOURS = "A rep may mark only themselves away; the owner may mark any rep."


class AwayRequest(BaseModel):
    """PUT /admin/team/{uid}/away: from and until, business dates, both included."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, title="Away")

    from_: date | None = Field(
        default=None, alias="from", description="First day away (YYYY-MM-DD); null: from now."
    )
    until: date | None = Field(
        default=None, description="Last day away (YYYY-MM-DD), included; null: until cleared."
    )


def set_away(
    principal: Principal, uid: str, body: AwayRequest, settings: config.Settings
) -> dict[str, Any]:
    """Store the rep's away dates; answers {uid, away} as stored."""
    if principal.role is Role.REP:
        if uid != principal.uid:
            raise Forbidden(NOT_YOURS, {"uid": NOT_YOURS})
    elif principal.role is not Role.OWNER:
        raise Forbidden(NOT_YOURS, {"role": "Your role may not mark anyone away."})
    if body.from_ and body.until and body.until < body.from_:
        raise Invalid({"until": "The last day away cannot be before the first (from)."})
    client, timeout = db.client(), settings.store_timeout_s
    member = team.member(client, uid, timeout)
    if member is None:
        raise NotFound("There is no one on the team with this uid.", {"uid": "Not on the team."})
    if member.get("role") != "rep":
        raise Invalid({"uid": "Only a rep can be marked away: routing gives leads to reps."})
    away = None
    if body.from_ or body.until:
        away = {
            "from": body.from_.isoformat() if body.from_ else None,
            "until": body.until.isoformat() if body.until else None,
        }
    stored = team.set_away(client, uid, away, timeout)
    return {"uid": uid, "away": stored.get("away")}
