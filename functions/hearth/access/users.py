"""Staff accounts: Firebase Auth users, their role claims, and the team/{uid} directory.

A role lives in the user's custom claims because that is what both firestore.rules
(request.auth.token.role) and the admin API (hearth.web.auth.principal) read; nothing else
grants access. team/{uid} is only a mirror for people to read (the admin page labels
owners and reports by name from it, since a client cannot list Auth users), so Auth
stays the truth and every command rewrites the mirror from what Auth holds afterwards.

    python -m hearth.access.users add EMAIL --role ROLE [--segments a,b] [--password P] [--name N]
    python -m hearth.access.users set-role EMAIL --role ROLE [--segments a,b]
    python -m hearth.access.users list
    python -m hearth.access.users disable EMAIL
    python -m hearth.access.users enable EMAIL

It talks to the Auth and Firestore emulators when FIREBASE_AUTH_EMULATOR_HOST and
FIRESTORE_EMULATOR_HOST are set (`make users ARGS="..."` sets both for a running
`make dev`), and to the real project (GOOGLE_CLOUD_PROJECT, with credentials from
GOOGLE_APPLICATION_CREDENTIALS or `gcloud auth application-default login`) when
neither is.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn

from hearth import config
from hearth.errors import HearthError
from hearth.rules import emails
from hearth.rules.roles import Role

MIN_PASSWORD_LENGTH = 8
# Custom claims must fit in 1000 bytes of JSON; 20 segments of 40 characters do.
MAX_SEGMENTS = 20
MAX_SEGMENT_LENGTH = 40
SEGMENT = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
STORE_TIMEOUT_S = 15.0
PROG = "python -m hearth.access.users"


class UsersError(HearthError):
    """A problem the person at the terminal can fix: one line, no traceback, exit 1."""

    code = "users"


# --- deciding (pure) -----------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """A validated role, with the segments a partner is limited to (empty otherwise)."""

    role: Role
    segments: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.segments:
            return f"{self.role} of {', '.join(self.segments)}"
        return str(self.role)


def check_email(raw: str) -> str:
    """The address as Auth stores and finds it: trimmed, lowercased, plausible."""
    try:
        return emails.normalise(raw)
    except emails.InvalidEmailError as exc:
        raise UsersError(f"{raw!r}: {exc}") from None


def parse_segments(text: str | None) -> tuple[str, ...]:
    """`"wholesale, retail"` -> ("wholesale", "retail"); repeats dropped, order kept."""
    if text is None:
        return ()
    return tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


def check_access(role: str, segments: Iterable[str] = ()) -> Access:
    """Refuse a role that firestore.rules would not recognise, or segments that mean nothing.

    Segments are compared verbatim with a customer's `segment` by the rules, so a name
    that differs only in case or spacing would silently match nobody: they must be
    slugs, and are never "corrected" behind the user's back.
    """
    try:
        checked = Role(role.strip().lower())
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise UsersError(f"Unknown role {role!r}: choose one of {roles}.") from None
    names = tuple(segments)
    if checked is not Role.PARTNER:
        if names:
            raise UsersError(
                f"Only a partner has segments; a {checked} sees what the role allows. "
                "Leave out --segments."
            )
        return Access(checked)
    if not names:
        raise UsersError(
            "A partner needs at least one segment (--segments wholesale,retail): "
            "without one they would see nothing."
        )
    if len(names) > MAX_SEGMENTS:
        raise UsersError(f"At most {MAX_SEGMENTS} segments per partner.")
    for name in names:
        if len(name) > MAX_SEGMENT_LENGTH or not SEGMENT.fullmatch(name):
            raise UsersError(
                f"Segment {name!r} is not a segment name: use lower-case letters, digits, "
                f"and - or _ between them, at most {MAX_SEGMENT_LENGTH} characters "
                "(e.g. wholesale, trade-fairs)."
            )
    return Access(checked, names)


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UsersError(
            f"The password needs at least {MIN_PASSWORD_LENGTH} characters "
            "(or leave out --password to get a generated one)."
        )
    return password


def new_password() -> str:
    """16 URL-safe characters (96 bits): easy to paste, never worth guessing."""
    return secrets.token_urlsafe(12)


def claims_with(existing: Mapping[str, Any] | None, access: Access) -> dict[str, Any]:
    """The user's claims with role and segments replaced and any other claim kept.

    Setting custom claims replaces them all, so a claim added by something else would
    otherwise be lost by a role change; `segments` is removed for non-partners so a
    former partner's list cannot linger in their token.
    """
    claims = {k: v for k, v in (existing or {}).items() if k not in ("role", "segments")}
    claims["role"] = access.role.value
    if access.segments:
        claims["segments"] = list(access.segments)
    return claims


def target(env: Mapping[str, str], project: str) -> str:
    """Where the commands will act, refusing mixes that would split a user from their entry.

    With only one emulator set, the users would land in the emulator and their
    directory entries in the real project (or the other way round).
    """
    auth_host = env.get("FIREBASE_AUTH_EMULATOR_HOST")
    store_host = env.get("FIRESTORE_EMULATOR_HOST")
    if auth_host and store_host:
        return f"project {project} on the Auth emulator at {auth_host}"
    if auth_host or store_host:
        have, missing = (
            ("FIREBASE_AUTH_EMULATOR_HOST", "FIRESTORE_EMULATOR_HOST")
            if auth_host
            else ("FIRESTORE_EMULATOR_HOST", "FIREBASE_AUTH_EMULATOR_HOST")
        )
        raise UsersError(
            f"{have} is set but {missing} is not: set both for the local emulators "
            "(`make users` does), or neither for the real project."
        )
    if project == config.DEFAULT_PROJECT or project.startswith("demo-"):
        raise UsersError(
            f"No emulator is set and the project is {project!r}, which exists only on the "
            "emulators: set FIREBASE_AUTH_EMULATOR_HOST and FIRESTORE_EMULATOR_HOST for a "
            "running `make dev`, or GOOGLE_CLOUD_PROJECT (and credentials) for the real one."
        )
    return f"project {project}"


@dataclass(frozen=True)
class Member:
    """One Auth user as the commands show it and team/{uid} records it."""

    uid: str
    email: str
    display_name: str | None
    role: str | None  # as stored: an unknown value is shown, not hidden
    segments: tuple[str, ...]
    disabled: bool

    @classmethod
    def from_record(cls, record: Any) -> Member:
        claims = record.custom_claims or {}
        raw_segments = claims.get("segments")
        return cls(
            uid=record.uid,
            email=record.email or "",
            display_name=record.display_name,
            role=claims.get("role"),
            segments=tuple(raw_segments) if isinstance(raw_segments, list) else (),
            disabled=bool(record.disabled),
        )

    def team_entry(self) -> dict[str, Any]:
        """team/{uid} without its timestamp (the server's clock sets updatedAt)."""
        return {
            "uid": self.uid,
            "email": self.email,
            "displayName": self.display_name,
            "role": self.role,
            "segments": list(self.segments),
            "disabled": self.disabled,
        }


def table(members: Sequence[Member]) -> str:
    header = ("EMAIL", "UID", "ROLE", "SEGMENTS", "DISABLED")
    rows = [
        (
            m.email or "-",
            m.uid,
            m.role or "-",
            ",".join(m.segments) or "-",
            "yes" if m.disabled else "no",
        )
        for m in members
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in (header, *rows)
    )


# --- acting (Firebase Auth and Firestore) ---------------------------------------------


def _app() -> Any:
    from hearth.access import firebase

    return firebase.app()


@contextmanager
def _plain_errors() -> Iterator[None]:
    """Firebase and Google errors as one line each: the reader can act on them."""
    from firebase_admin import exceptions
    from google.api_core import exceptions as api_exceptions
    from google.auth import exceptions as auth_exceptions

    try:
        yield
    except UsersError:
        raise
    except exceptions.UnavailableError as exc:
        where = os.environ.get("FIREBASE_AUTH_EMULATOR_HOST")
        if where:
            raise UsersError(f"No Auth emulator at {where}: is `make dev` running?") from None
        raise UsersError(f"Cannot reach Firebase Auth: {_first_line(exc)}") from None
    except exceptions.FirebaseError as exc:
        raise UsersError(f"Firebase Auth refused: {_first_line(exc)}") from None
    except auth_exceptions.DefaultCredentialsError:
        raise UsersError(
            "No Google credentials for the real project: set GOOGLE_APPLICATION_CREDENTIALS "
            "to a service-account key, or run `gcloud auth application-default login`."
        ) from None
    except api_exceptions.GoogleAPIError as exc:
        raise UsersError(f"Firestore failed: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def lookup(email: str) -> Member | None:
    from firebase_admin import auth

    with _plain_errors():
        try:
            return Member.from_record(auth.get_user_by_email(email, app=_app()))
        except auth.UserNotFoundError:
            return None


def find(email: str) -> Member:
    member = lookup(email)
    if member is None:
        raise UsersError(f"No user has the e-mail {email}: `{PROG} list` shows who exists.")
    return member


def record_in_team(uid: str) -> Member:
    """Rewrite team/{uid} from what Auth holds now, and return that."""
    from firebase_admin import auth

    from hearth.store import team

    with _plain_errors():
        member = Member.from_record(auth.get_user(uid, app=_app()))
    try:
        with _plain_errors():
            team.record(uid, member.team_entry(), STORE_TIMEOUT_S)
    except UsersError as exc:
        raise UsersError(
            f"{member.email} was changed in Auth, but team/{uid} was not written ({exc}). "
            f"Run `{PROG} set-role {member.email} --role ...` again to write it."
        ) from None
    return member


def add(email: str, access: Access, **account: Any) -> Member:
    """create() with ``account``'s password, display_name and uid, then team/{uid}."""
    return record_in_team(create(email, access, **account))


def create(
    email: str,
    access: Access,
    *,
    password: str,
    display_name: str | None = None,
    uid: str | None = None,
) -> str:
    """The Auth user with its role, and its uid; add() also writes team/{uid}.

    Kept apart so the command line can show a generated password before the directory
    write, which may fail: an account whose only password was never shown is useless.
    """
    from firebase_admin import auth

    with _plain_errors():
        try:
            record = auth.create_user(
                uid=uid,
                email=email,
                password=password,
                display_name=display_name or None,
                app=_app(),
            )
        except auth.EmailAlreadyExistsError:
            raise UsersError(
                f"{email} has an account already: `{PROG} set-role {email} --role ...` "
                "changes its role."
            ) from None
        except auth.UidAlreadyExistsError:
            raise UsersError(f"The uid {uid} is taken by another user.") from None
        auth.set_custom_user_claims(record.uid, claims_with(None, access), app=_app())
    return str(record.uid)


def set_role(email: str, access: Access) -> tuple[Member, bool]:
    """The new role, and whether it changed (then the user's sessions are ended).

    Ending the sessions makes the admin API refuse the old token at once (it verifies
    with check_revoked); otherwise a demoted owner could keep writing for up to an hour,
    until their ID token is refreshed with the new claims.
    """
    from firebase_admin import auth

    member = find(email)
    with _plain_errors():
        record = auth.get_user(member.uid, app=_app())
        claims = claims_with(record.custom_claims, access)
        changed = claims != (record.custom_claims or {})
        if changed:
            auth.set_custom_user_claims(member.uid, claims, app=_app())
            auth.revoke_refresh_tokens(member.uid, app=_app())
    return record_in_team(member.uid), changed


def set_disabled(email: str, disabled: bool) -> Member:
    """Disabling also revokes the refresh tokens, so no session outlives the decision."""
    from firebase_admin import auth

    member = find(email)
    with _plain_errors():
        auth.update_user(member.uid, disabled=disabled, app=_app())
        if disabled:
            auth.revoke_refresh_tokens(member.uid, app=_app())
    return record_in_team(member.uid)


def members() -> list[Member]:
    from firebase_admin import auth

    with _plain_errors():
        found = [Member.from_record(r) for r in auth.list_users(app=_app()).iterate_all()]
    return sorted(found, key=lambda m: (m.email, m.uid))


# --- command line ------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistyped command ends with exit code 1 like every other error."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


def parser() -> argparse.ArgumentParser:
    main = _Parser(
        prog=PROG,
        description=(
            "Add staff, give them a role (owner, manager, rep, partner with segments), "
            "list and disable them. Acts on the emulators when FIREBASE_AUTH_EMULATOR_HOST "
            "and FIRESTORE_EMULATOR_HOST are set, otherwise on GOOGLE_CLOUD_PROJECT."
        ),
    )
    commands = main.add_subparsers(dest="command", required=True, metavar="command")
    roles = ", ".join(r.value for r in Role)
    segments_help = "partner only: comma-separated segment names, e.g. wholesale,retail"

    add_cmd = commands.add_parser("add", help="create a user with a role")
    add_cmd.add_argument("email")
    add_cmd.add_argument("--role", required=True, help=roles)
    add_cmd.add_argument("--segments", help=segments_help)
    add_cmd.add_argument("--password", help="at least 8 characters; default: a generated one")
    add_cmd.add_argument("--name", help="display name, shown on the admin page")
    add_cmd.set_defaults(run=_add)

    role_cmd = commands.add_parser("set-role", help="change a user's role and segments")
    role_cmd.add_argument("email")
    role_cmd.add_argument("--role", required=True, help=roles)
    role_cmd.add_argument("--segments", help=segments_help)
    role_cmd.set_defaults(run=_set_role)

    list_cmd = commands.add_parser("list", help="every user with role, segments and status")
    list_cmd.set_defaults(run=_list)
    for name, what, handler in (
        ("disable", "block sign-in and end their sessions", _disable),
        ("enable", "allow sign-in again", _enable),
    ):
        command = commands.add_parser(name, help=what)
        command.add_argument("email")
        command.set_defaults(run=handler)
    return main


# Each command checks all its input before acting, so a typo never leaves a half-done change.


def _where() -> str:
    return target(os.environ, config.load().project)


def _add(args: argparse.Namespace) -> None:
    email = check_email(args.email)
    access = check_access(args.role, parse_segments(args.segments))
    given = check_password(args.password) if args.password is not None else None
    _where()
    password = given or new_password()
    uid = create(email, access, password=password, display_name=args.name)
    print(f"Added {email} (uid {uid}) as {access.describe()}.")
    if given is None:
        print(f"Password (shown only this once; pass it on privately): {password}")
    record_in_team(uid)


def _set_role(args: argparse.Namespace) -> None:
    email = check_email(args.email)
    access = check_access(args.role, parse_segments(args.segments))
    _where()
    member, changed = set_role(email, access)
    if changed:
        print(
            f"{member.email} is now {access.describe()}. Their sessions were ended: "
            "the new role applies when they sign in again."
        )
    else:
        print(f"{member.email} was {access.describe()} already; nothing changed.")


def _list(_args: argparse.Namespace) -> None:
    where = _where()
    found = members()
    if found:
        print(table(found))
    else:
        print(f"No users yet. Add the owner: {PROG} add EMAIL --role owner")
    print(f"({len(found)} user{'' if len(found) == 1 else 's'} in {where})")


def _disable(args: argparse.Namespace) -> None:
    email = check_email(args.email)
    _where()
    member = set_disabled(email, True)
    print(
        f"Disabled {member.email}: signed out everywhere, and they cannot sign in "
        f"until `{PROG} enable {member.email}`."
    )


def _enable(args: argparse.Namespace) -> None:
    email = check_email(args.email)
    _where()
    member = set_disabled(email, False)
    print(f"Enabled {member.email}: they can sign in again.")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (1), already printed
        return int(exc.code or 0)
    command: Callable[[argparse.Namespace], None] = args.run
    try:
        command(args)
    except UsersError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
