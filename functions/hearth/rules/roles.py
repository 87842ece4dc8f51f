"""Who may see and change what. The same rules firestore.rules enforce, for the writes.

Clients read Firestore directly, so firestore.rules are the security boundary for
reads; every write goes through a function, which must refuse exactly what the rules
would. Keeping these decisions as pure functions over a Principal lets tests state the
whole matrix without a token or a store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    OWNER = "owner"  # the studio itself: everything
    MANAGER = "manager"  # aggregates and reports, no individual customer
    REP = "rep"  # their own customers only
    PARTNER = "partner"  # one or more segments, read-only


@dataclass(frozen=True)
class Principal:
    """A verified signed-in user, as their ID token's claims describe them."""

    uid: str
    role: Role | None
    segments: tuple[str, ...] = ()
    email: str | None = None

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> Principal:
        raw_role = claims.get("role")
        role = Role(raw_role) if raw_role in tuple(Role) else None
        raw_segments = claims.get("segments")
        segments = (
            tuple(str(s) for s in raw_segments if isinstance(s, str))
            if isinstance(raw_segments, list | tuple)
            else ()
        )
        return cls(
            uid=str(claims.get("uid") or claims.get("sub") or ""),
            role=role,
            segments=segments,
            email=claims.get("email"),
        )


def can_read_customer(principal: Principal, customer: Mapping[str, Any]) -> bool:
    if principal.role is Role.OWNER:
        return True
    if principal.role is Role.REP:
        return customer.get("ownerUid") == principal.uid
    if principal.role is Role.PARTNER:
        return customer.get("segment") in principal.segments
    return False


def can_write_customer(principal: Principal, customer: Mapping[str, Any]) -> bool:
    """Owners change anything; reps only the customers they own; nobody else writes."""
    if principal.role is Role.OWNER:
        return True
    if principal.role is Role.REP:
        return customer.get("ownerUid") == principal.uid
    return False


# Fields only the owner may change, even on a customer a rep owns: who a customer
# belongs to, which outside partner may see them (the segment) and where they came
# from (the source the reports credit) are the business's decisions, not the rep's.
OWNER_ONLY_FIELDS = frozenset({"ownerUid", "segment", "source"})


def can_write_any(principal: Principal) -> bool:
    """Roles that may write at all; checked before a body is read or a customer fetched."""
    return principal.role in (Role.OWNER, Role.REP)


def can_change_field(principal: Principal, field: str) -> bool:
    return principal.role is Role.OWNER or field not in OWNER_ONLY_FIELDS


def can_export(principal: Principal) -> bool:
    """Owners export everything, reps their own customers; others export nothing."""
    return principal.role in (Role.OWNER, Role.REP)


def can_read_reports(principal: Principal) -> bool:
    """Owners and managers see the figures (traffic, leads and money per source); a rep's
    or a partner's slice of site traffic would not be theirs, and would reveal the rest."""
    return principal.role in (Role.OWNER, Role.MANAGER)


def can_manage_lists(principal: Principal) -> bool:
    return principal.role is Role.OWNER
