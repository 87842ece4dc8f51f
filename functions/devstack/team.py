"""The demo studio's staff on the Auth emulator: someone to sign in as after `make dev`.

The owner is always there, so the admin page can be used at once; with sample data a
manager, two reps and a wholesale partner join, and the seeded customers are shared
between the reps (devstack.seed uses these uids), so every role has something to see.
Fixed uids keep that link without waiting for the Auth emulator, and a fixed password
is fine because these accounts exist only in the local emulator.

Users are made with hearth.access.users, as `make users ARGS="add ..."` would make them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hearth.access import users
from hearth.rules.roles import Role

DEMO_PASSWORD = "hearth-demo"
WHOLESALE = "wholesale"


@dataclass(frozen=True)
class Demo:
    uid: str
    email: str
    name: str
    role: Role
    segments: tuple[str, ...] = ()

    @property
    def access(self) -> users.Access:
        return users.check_access(self.role, self.segments)


OWNER = Demo("demo-owner", "owner@studio-lumen.test", "Leanne Portelli", Role.OWNER)
MANAGER = Demo("demo-manager", "manager@studio-lumen.test", "Joseph Mercieca", Role.MANAGER)
REP_A = Demo("demo-rep-a", "rep.a@studio-lumen.test", "Nicole Zerafa", Role.REP)
REP_B = Demo("demo-rep-b", "rep.b@studio-lumen.test", "Daniel Cutajar", Role.REP)
PARTNER = Demo(
    "demo-partner", "partner@studio-lumen.test", "Stefan Ellul", Role.PARTNER, (WHOLESALE,)
)
SAMPLE_STAFF = (MANAGER, REP_A, REP_B, PARTNER)


def wanted(*, sample_staff: bool) -> tuple[Demo, ...]:
    return (OWNER, *SAMPLE_STAFF) if sample_staff else (OWNER,)


def ensure(*, sample_staff: bool, echo: Callable[[str], None] = print) -> list[Demo]:
    """Create whichever demo users are missing; leave existing ones exactly as they are.

    An existing account is not reset (its password or role may have been changed on
    purpose while trying the product); only its team/{uid} entry is rewritten from
    Auth, since `seed --fresh` empties Firestore but not the Auth emulator.
    Raises users.UsersError when the Auth emulator or Firestore cannot be used.
    """
    if not os.environ.get("FIREBASE_AUTH_EMULATOR_HOST"):
        # A published password must never reach a real project's users.
        raise users.UsersError("Demo users are made only on the Auth emulator.")
    made: list[str] = []
    for demo in wanted(sample_staff=sample_staff):
        existing = users.lookup(demo.email)
        if existing is None:
            users.add(
                demo.email,
                demo.access,
                password=DEMO_PASSWORD,
                display_name=demo.name,
                uid=demo.uid,
            )
            made.append(demo.role.value)
        else:
            users.record_in_team(existing.uid)
    if made:
        echo(f"Demo users created: {', '.join(made)}.")
    return list(wanted(sample_staff=sample_staff))


def sign_in_lines(team: Sequence[Demo]) -> list[str]:
    """What the URL map prints under it: e-mail / password (role)."""
    width = max((len(demo.email) for demo in team), default=0)
    lines = []
    for number, demo in enumerate(team):
        label = "Sign in as" if number == 0 else ""
        lines.append(
            f"  {label:<18}{demo.email.ljust(width)} / {DEMO_PASSWORD}  ({demo.access.describe()})"
        )
    return lines
