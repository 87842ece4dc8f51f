"""firestore.rules on the real Firestore emulator: who may read and write what.

The admin page reads Firestore directly, so these rules are the security boundary. The
matrix below states, for every collection and every kind of user, whether each
operation is allowed; each cell is one test that asks the emulator as that user (REST
with an emulator ID token, see tests/rules_client.py) and checks the answer. The cells
after the matrix are the crossings a leak would come through: a rep reading another
rep's customer, a partner reading another segment, a query that forgot its filter.

The data is seeded once for the module (hundreds of cells must stay fast). That is safe
because the tests of a module run together and none here uses the `db` fixture, which
empties the database. The emulator's rule coverage report is saved afterwards as
test-artifacts/rules-coverage.html.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from devstack import emulators
from tests.rules_client import Filter, Outcome, RulesClient, User

COVERAGE_REPORT = Path(__file__).resolve().parents[2] / "test-artifacts" / "rules-coverage.html"
AT = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)

# --- who asks ------------------------------------------------------------------------------

REP_A_UID = "rep-a"
REP_B_UID = "rep-b"

PRINCIPALS = {
    user.name: user
    for user in (
        User("owner", "owner-1", {"role": "owner"}),
        User("manager", "manager-1", {"role": "manager"}),
        User("repA", REP_A_UID, {"role": "rep"}),
        User("repB", REP_B_UID, {"role": "rep"}),
        User("partnerX", "partner-x", {"role": "partner", "segments": ["X"]}),
        User("partnerY", "partner-y", {"role": "partner", "segments": ["Y"]}),
        User("norole", "someone-1", {}),  # signed in, but no role claim
        User("anon", None),  # no Authorization header at all
    )
}
OWNER, MANAGER = PRINCIPALS["owner"], PRINCIPALS["manager"]
REP_A, REP_B = PRINCIPALS["repA"], PRINCIPALS["repB"]
PARTNER_X, PARTNER_Y = PRINCIPALS["partnerX"], PRINCIPALS["partnerY"]

# --- the seeded data ------------------------------------------------------------------------

# Customers: one for each owner (rep A, rep B, nobody) in each segment (X, Y, none).
OWNERS = {"repa": REP_A_UID, "repb": REP_B_UID, "nobody": None}
SEGMENTS = {"x": "X", "y": "Y", "none": None}
CUSTOMERS = {
    f"{owner_tag}-{segment_tag}@example.org": (owner_uid, segment)
    for owner_tag, owner_uid in OWNERS.items()
    for segment_tag, segment in SEGMENTS.items()
}
ENTRY = "sub_seed"  # each customer's one activity entry

# The documents every collection without an owner holds.
SINGLE_DOCS = {
    "aggregates": "dashboard",
    "intake_stats": "2025-03-14",
    "settings": "pipeline",
    "secrets": "calendar",
    "analytics_days": "2025-03-14_all",
    "analytics_events": "evt-0001",
    "analytics_salts": "2025-03-14",
    "analytics_visitors": "2025-03-14_0f3a",
    "idempotency": "op-0001",
    "slotLocks": "20261124T0900Z",
    "busyDays": "2026-11-24",
    "bookingLinks": "spring-show-2026",
    "sources": "spring-show-2026",
    "report_customers": "repa-x@example.org",
    "routing_state": "team",
    "handovers": "job-0001",
    "privacyRequests": "request-0001",
    "erasures": "erasure-0001",
    "suppressions": "email_0f3a",
    "merges": "merge-0001",
    "whatsappTemplates": "appointment_reminder__en",
}
BOOKINGS = {REP_A_UID: "booking-rep-a", REP_B_UID: "booking-rep-b"}
TASKS = {REP_A_UID: "task-rep-a", REP_B_UID: "task-rep-b"}
EVENTS = {REP_A_UID: "event-rep-a", REP_B_UID: "event-rep-b"}
# A message of each rep's customer: the customer it names decides who reads it.
MESSAGES = {
    REP_A_UID: ("out_rep_a", "repa-x@example.org"),
    REP_B_UID: ("out_rep_b", "repb-y@example.org"),
}
# The pipeline reports' buckets: one per rep for a day and for its month.
REPORT_BUCKETS = {
    "report_days": {uid: f"2025-03-14_{uid}" for uid in (REP_A_UID, REP_B_UID)},
    "report_months": {uid: f"2025-03_{uid}" for uid in (REP_A_UID, REP_B_UID)},
}
OWNED = ("customers", "bookings", "tasks", "events", *REPORT_BUCKETS)


def customer(owner_uid: str | None, segment: str | None, key: str) -> dict[str, object]:
    return {
        "email": key,
        "name": key.split("@")[0],
        "company": None,
        "mobile": None,
        "mobileValid": None,
        "stage": "lead",
        "sources": ["website"],
        "firstSource": "website",
        "lastSource": "website",
        "forms": ["contact"],
        "consent": {"marketing": None, "at": None, "submissionId": None},
        "balances": {"pending": 0, "paid": 0, "currency": "EUR"},
        "ownerUid": owner_uid,
        "segment": segment,
        "archived": False,
        "custom": {},
        "createdAt": AT,
        "updatedAt": AT,
        "lastContactAt": AT,
        "search": [],
    }


def seed(client) -> None:
    batch = client.batch()
    for key, (owner_uid, segment) in CUSTOMERS.items():
        ref = client.collection("customers").document(key)
        batch.set(ref, customer(owner_uid, segment, key))
        batch.set(ref.collection("activity").document(ENTRY), {"type": "form_submission", "at": AT})
    for uid, booking in BOOKINGS.items():
        batch.set(
            client.document(f"bookings/{booking}"),
            {"customerKey": "nobody-none@example.org", "ownerUid": uid, "status": "confirmed"},
        )
    for uid, task in TASKS.items():
        # The shape store/tasks.py writes (docs/data-model.md), assigned to each rep.
        batch.set(
            client.document(f"tasks/{task}"),
            {
                "id": task,
                "customer": "nobody-none@example.org",
                "customerName": "nobody-none",
                "ownerUid": uid,
                "title": "Call back",
                "due": AT,
                "done": False,
                "doneAt": None,
                "doneBy": None,
                "overdue": True,
                "rule": None,
                "event": None,
                "createdAt": AT,
            },
        )
    for message, key in MESSAGES.values():
        batch.set(
            client.document(f"messages/{message}"),
            {"customer": key, "channel": "whatsapp", "direction": "out", "status": "read"},
        )
    for uid, event in EVENTS.items():
        batch.set(
            client.document(f"events/{event}"),
            {"type": "stage.changed", "customer": "nobody-none@example.org", "ownerUid": uid},
        )
    for collection, buckets in REPORT_BUCKETS.items():
        for uid, bucket in buckets.items():
            key = "day" if collection == "report_days" else "month"
            batch.set(
                client.document(f"{collection}/{bucket}"),
                {key: bucket.split("_")[0], "ownerUid": uid, "rep": {"wins": 1}},
            )
    for uid in (REP_A_UID, REP_B_UID):
        batch.set(
            client.document(f"team/{uid}"),
            {"uid": uid, "email": f"{uid}@hearth.test", "role": "rep", "disabled": False},
        )
    for collection, doc_id in SINGLE_DOCS.items():
        batch.set(client.document(f"{collection}/{doc_id}"), {"seeded": True, "at": AT})
    batch.commit()


def reset_data(emulator: emulators.Firestore) -> None:
    """An emptied database holding exactly the seed, written with the server client."""
    from hearth.store import client as hearth_db

    emulator.clear()
    seed(hearth_db.client())


@pytest.fixture(scope="module")
def rules(firestore_emulator: emulators.Firestore) -> Iterator[RulesClient]:
    """The current firestore.rules on seeded data; saves the coverage report at the end."""
    firestore_emulator.load_rules()
    reset_data(firestore_emulator)
    client = RulesClient(firestore_emulator.base, firestore_emulator.project)
    try:
        yield client
    finally:
        report = requests.get(
            f"{firestore_emulator.base}/emulator/v1/projects/"
            f"{firestore_emulator.project}:ruleCoverage.html",
            timeout=30,
        )
        report.raise_for_status()
        COVERAGE_REPORT.parent.mkdir(parents=True, exist_ok=True)
        COVERAGE_REPORT.write_text(report.text, encoding="utf-8")


# --- what each principal is tested on -------------------------------------------------------

# The customer each principal is asked about: their own where ownership applies, one of
# their segment for a partner, and rep A's for everyone else (a real customer, so a
# refusal is the rules speaking, not a missing document).
CUSTOMER_OF = {
    "owner": "repa-x@example.org",
    "manager": "repa-x@example.org",
    "repA": "repa-x@example.org",
    "repB": "repb-y@example.org",
    "partnerX": "nobody-x@example.org",
    "partnerY": "nobody-y@example.org",
    "norole": "repa-x@example.org",
    "anon": "repa-x@example.org",
}


def owner_uid_of(who: User) -> str:
    """Whose records a principal asks for: a rep their own, everyone else rep A's."""
    return who.uid if who.claims.get("role") == "rep" and who.uid else REP_A_UID


def target(collection: str, who: User) -> str:
    """The existing document a principal gets, updates and deletes."""
    if collection == "customers":
        return f"customers/{CUSTOMER_OF[who.name]}"
    if collection == "activity":
        return f"customers/{CUSTOMER_OF[who.name]}/activity/{ENTRY}"
    if collection == "bookings":
        return f"bookings/{BOOKINGS[owner_uid_of(who)]}"
    if collection == "tasks":
        return f"tasks/{TASKS[owner_uid_of(who)]}"
    if collection == "events":
        return f"events/{EVENTS[owner_uid_of(who)]}"
    if collection == "messages":
        return f"messages/{MESSAGES[owner_uid_of(who)][0]}"
    if collection == "team":
        return f"team/{owner_uid_of(who)}"
    if collection in REPORT_BUCKETS:
        return f"{collection}/{REPORT_BUCKETS[collection][owner_uid_of(who)]}"
    return f"{collection}/{SINGLE_DOCS[collection]}"


def right_filter(collection: str, who: User) -> tuple[Filter, ...]:
    """The constraint a well-behaved client puts on its list query."""
    if collection == "customers" and who.claims.get("role") == "partner":
        return (("segment", "IN", who.claims["segments"]),)
    if collection in OWNED:
        return (("ownerUid", "EQUAL", owner_uid_of(who)),)
    if collection == "team":
        return (("uid", "EQUAL", owner_uid_of(who)),)
    if collection == "messages":  # one customer's conversation
        return (("customer", "EQUAL", MESSAGES[owner_uid_of(who)][1]),)
    return ()


def list_filtered(rules: RulesClient, collection: str, who: User) -> Outcome:
    if collection == "activity":  # one customer's timeline: the parent is the constraint
        return rules.query(who, "activity", parent=f"customers/{CUSTOMER_OF[who.name]}")
    return rules.query(who, collection, filters=right_filter(collection, who))


def list_unfiltered(rules: RulesClient, collection: str, who: User) -> Outcome:
    if collection == "activity":  # every customer's timeline at once: a collection group
        return rules.query(who, "activity", all_descendants=True)
    return rules.query(who, collection)


def new_fields(who: User) -> dict[str, object]:
    """What a client would write to claim a record: owned by it, in its segment."""
    segments = who.claims.get("segments") or [None]
    return {"name": f"written by {who.name}", "ownerUid": who.uid, "segment": segments[0]}


def create(rules: RulesClient, collection: str, who: User) -> Outcome:
    parent = target(collection, who).rsplit("/", 1)[0]
    return rules.create(who, parent, f"new-by-{who.name}", new_fields(who))


OPERATIONS = {
    "get": lambda rules, collection, who: rules.get(who, target(collection, who)),
    "list_filtered": list_filtered,
    "list_unfiltered": list_unfiltered,
    "create": create,
    "update": lambda rules, collection, who: rules.update(
        who, target(collection, who), {"name": f"changed by {who.name}"}
    ),
    "delete": lambda rules, collection, who: rules.delete(who, target(collection, who)),
}

# --- the matrix -----------------------------------------------------------------------------

A, D = "allow", "deny"

# One row per collection and principal: get, list with the right filter, list without
# it, create, update, delete. "Right filter": a rep's where ownerUid == uid, a partner's
# where segment in its segments, rep A's ownerUid for everyone else on the rep-owned
# collections, uid == the rep's own for team; activity lists one customer's timeline,
# and "without" is a collection-group query over every customer's. No filter elsewhere,
# so both list columns ask the same question there.
MATRIX = [
    # collection          principal    get list+ list- create update delete
    ("customers",        "owner",     A,  A,    A,    D,     D,     D),
    ("customers",        "manager",   D,  D,    D,    D,     D,     D),
    ("customers",        "repA",      A,  A,    D,    D,     D,     D),
    ("customers",        "repB",      A,  A,    D,    D,     D,     D),
    ("customers",        "partnerX",  A,  A,    D,    D,     D,     D),
    ("customers",        "partnerY",  A,  A,    D,    D,     D,     D),
    ("customers",        "norole",    D,  D,    D,    D,     D,     D),
    ("customers",        "anon",      D,  D,    D,    D,     D,     D),
    # The owner reads one customer's timeline; no collection-group rule exists for anyone.
    ("activity",         "owner",     A,  A,    D,    D,     D,     D),
    ("activity",         "manager",   D,  D,    D,    D,     D,     D),
    ("activity",         "repA",      A,  A,    D,    D,     D,     D),
    ("activity",         "repB",      A,  A,    D,    D,     D,     D),
    ("activity",         "partnerX",  D,  D,    D,    D,     D,     D),
    ("activity",         "partnerY",  D,  D,    D,    D,     D,     D),
    ("activity",         "norole",    D,  D,    D,    D,     D,     D),
    ("activity",         "anon",      D,  D,    D,    D,     D,     D),
    ("bookings",         "owner",     A,  A,    A,    D,     D,     D),
    ("bookings",         "manager",   D,  D,    D,    D,     D,     D),
    ("bookings",         "repA",      A,  A,    D,    D,     D,     D),
    ("bookings",         "repB",      A,  A,    D,    D,     D,     D),
    ("bookings",         "partnerX",  D,  D,    D,    D,     D,     D),
    ("bookings",         "partnerY",  D,  D,    D,    D,     D,     D),
    ("bookings",         "norole",    D,  D,    D,    D,     D,     D),
    ("bookings",         "anon",      D,  D,    D,    D,     D,     D),
    ("tasks",            "owner",     A,  A,    A,    D,     D,     D),
    ("tasks",            "manager",   D,  D,    D,    D,     D,     D),
    ("tasks",            "repA",      A,  A,    D,    D,     D,     D),
    ("tasks",            "repB",      A,  A,    D,    D,     D,     D),
    ("tasks",            "partnerX",  D,  D,    D,    D,     D,     D),
    ("tasks",            "partnerY",  D,  D,    D,    D,     D,     D),
    ("tasks",            "norole",    D,  D,    D,    D,     D,     D),
    ("tasks",            "anon",      D,  D,    D,    D,     D,     D),
    # Events name customers: the owner reads all, a rep those recorded as theirs, no one else.
    ("events",           "owner",     A,  A,    A,    D,     D,     D),
    ("events",           "manager",   D,  D,    D,    D,     D,     D),
    ("events",           "repA",      A,  A,    D,    D,     D,     D),
    ("events",           "repB",      A,  A,    D,    D,     D,     D),
    ("events",           "partnerX",  D,  D,    D,    D,     D,     D),
    ("events",           "partnerY",  D,  D,    D,    D,     D,     D),
    ("events",           "norole",    D,  D,    D,    D,     D,     D),
    ("events",           "anon",      D,  D,    D,    D,     D,     D),
    ("aggregates",       "owner",     A,  A,    A,    D,     D,     D),
    ("aggregates",       "manager",   A,  A,    A,    D,     D,     D),
    ("aggregates",       "repA",      D,  D,    D,    D,     D,     D),
    ("aggregates",       "repB",      D,  D,    D,    D,     D,     D),
    ("aggregates",       "partnerX",  D,  D,    D,    D,     D,     D),
    ("aggregates",       "partnerY",  D,  D,    D,    D,     D,     D),
    ("aggregates",       "norole",    D,  D,    D,    D,     D,     D),
    ("aggregates",       "anon",      D,  D,    D,    D,     D,     D),
    ("intake_stats",     "owner",     A,  A,    A,    D,     D,     D),
    ("intake_stats",     "manager",   A,  A,    A,    D,     D,     D),
    ("intake_stats",     "repA",      D,  D,    D,    D,     D,     D),
    ("intake_stats",     "repB",      D,  D,    D,    D,     D,     D),
    ("intake_stats",     "partnerX",  D,  D,    D,    D,     D,     D),
    ("intake_stats",     "partnerY",  D,  D,    D,    D,     D,     D),
    ("intake_stats",     "norole",    D,  D,    D,    D,     D,     D),
    ("intake_stats",     "anon",      D,  D,    D,    D,     D,     D),
    ("settings",         "owner",     A,  A,    A,    D,     D,     D),
    ("settings",         "manager",   A,  A,    A,    D,     D,     D),
    ("settings",         "repA",      A,  A,    A,    D,     D,     D),
    ("settings",         "repB",      A,  A,    A,    D,     D,     D),
    ("settings",         "partnerX",  D,  D,    D,    D,     D,     D),
    ("settings",         "partnerY",  D,  D,    D,    D,     D,     D),
    ("settings",         "norole",    D,  D,    D,    D,     D,     D),
    ("settings",         "anon",      D,  D,    D,    D,     D,     D),
    # A rep fetches their own entry by id; listing the directory, even filtered, is refused.
    ("team",             "owner",     A,  A,    A,    D,     D,     D),
    ("team",             "manager",   A,  A,    A,    D,     D,     D),
    ("team",             "repA",      A,  D,    D,    D,     D,     D),
    ("team",             "repB",      A,  D,    D,    D,     D,     D),
    ("team",             "partnerX",  D,  D,    D,    D,     D,     D),
    ("team",             "partnerY",  D,  D,    D,    D,     D,     D),
    ("team",             "norole",    D,  D,    D,    D,     D,     D),
    ("team",             "anon",      D,  D,    D,    D,     D,     D),
    ("secrets",          "owner",     D,  D,    D,    D,     D,     D),
    ("secrets",          "manager",   D,  D,    D,    D,     D,     D),
    ("secrets",          "repA",      D,  D,    D,    D,     D,     D),
    ("secrets",          "repB",      D,  D,    D,    D,     D,     D),
    ("secrets",          "partnerX",  D,  D,    D,    D,     D,     D),
    ("secrets",          "partnerY",  D,  D,    D,    D,     D,     D),
    ("secrets",          "norole",    D,  D,    D,    D,     D,     D),
    ("secrets",          "anon",      D,  D,    D,    D,     D,     D),
    ("analytics_days",   "owner",     A,  A,    A,    D,     D,     D),
    ("analytics_days",   "manager",   A,  A,    A,    D,     D,     D),
    ("analytics_days",   "repA",      D,  D,    D,    D,     D,     D),
    ("analytics_days",   "repB",      D,  D,    D,    D,     D,     D),
    ("analytics_days",   "partnerX",  D,  D,    D,    D,     D,     D),
    ("analytics_days",   "partnerY",  D,  D,    D,    D,     D,     D),
    ("analytics_days",   "norole",    D,  D,    D,    D,     D,     D),
    ("analytics_days",   "anon",      D,  D,    D,    D,     D,     D),
    ("analytics_events", "owner",     D,  D,    D,    D,     D,     D),
    ("analytics_events", "manager",   D,  D,    D,    D,     D,     D),
    ("analytics_events", "repA",      D,  D,    D,    D,     D,     D),
    ("analytics_events", "repB",      D,  D,    D,    D,     D,     D),
    ("analytics_events", "partnerX",  D,  D,    D,    D,     D,     D),
    ("analytics_events", "partnerY",  D,  D,    D,    D,     D,     D),
    ("analytics_events", "norole",    D,  D,    D,    D,     D,     D),
    ("analytics_events", "anon",      D,  D,    D,    D,     D,     D),
    ("analytics_salts",  "owner",     D,  D,    D,    D,     D,     D),
    ("analytics_salts",  "manager",   D,  D,    D,    D,     D,     D),
    ("analytics_salts",  "repA",      D,  D,    D,    D,     D,     D),
    ("analytics_salts",  "repB",      D,  D,    D,    D,     D,     D),
    ("analytics_salts",  "partnerX",  D,  D,    D,    D,     D,     D),
    ("analytics_salts",  "partnerY",  D,  D,    D,    D,     D,     D),
    ("analytics_salts",  "norole",    D,  D,    D,    D,     D,     D),
    ("analytics_salts",  "anon",      D,  D,    D,    D,     D,     D),
    ("analytics_visitors", "owner",     D,  D,    D,    D,     D,     D),
    ("analytics_visitors", "manager",   D,  D,    D,    D,     D,     D),
    ("analytics_visitors", "repA",      D,  D,    D,    D,     D,     D),
    ("analytics_visitors", "repB",      D,  D,    D,    D,     D,     D),
    ("analytics_visitors", "partnerX",  D,  D,    D,    D,     D,     D),
    ("analytics_visitors", "partnerY",  D,  D,    D,    D,     D,     D),
    ("analytics_visitors", "norole",    D,  D,    D,    D,     D,     D),
    ("analytics_visitors", "anon",      D,  D,    D,    D,     D,     D),
    ("idempotency",      "owner",     D,  D,    D,    D,     D,     D),
    ("idempotency",      "manager",   D,  D,    D,    D,     D,     D),
    ("idempotency",      "repA",      D,  D,    D,    D,     D,     D),
    ("idempotency",      "repB",      D,  D,    D,    D,     D,     D),
    ("idempotency",      "partnerX",  D,  D,    D,    D,     D,     D),
    ("idempotency",      "partnerY",  D,  D,    D,    D,     D,     D),
    ("idempotency",      "norole",    D,  D,    D,    D,     D,     D),
    ("idempotency",      "anon",      D,  D,    D,    D,     D,     D),
    ("slotLocks",        "owner",     D,  D,    D,    D,     D,     D),
    ("slotLocks",        "manager",   D,  D,    D,    D,     D,     D),
    ("slotLocks",        "repA",      D,  D,    D,    D,     D,     D),
    ("slotLocks",        "repB",      D,  D,    D,    D,     D,     D),
    ("slotLocks",        "partnerX",  D,  D,    D,    D,     D,     D),
    ("slotLocks",        "partnerY",  D,  D,    D,    D,     D,     D),
    ("slotLocks",        "norole",    D,  D,    D,    D,     D,     D),
    ("slotLocks",        "anon",      D,  D,    D,    D,     D,     D),
    ("busyDays",         "owner",     D,  D,    D,    D,     D,     D),
    ("busyDays",         "manager",   D,  D,    D,    D,     D,     D),
    ("busyDays",         "repA",      D,  D,    D,    D,     D,     D),
    ("busyDays",         "repB",      D,  D,    D,    D,     D,     D),
    ("busyDays",         "partnerX",  D,  D,    D,    D,     D,     D),
    ("busyDays",         "partnerY",  D,  D,    D,    D,     D,     D),
    ("busyDays",         "norole",    D,  D,    D,    D,     D,     D),
    ("busyDays",         "anon",      D,  D,    D,    D,     D,     D),
    ("bookingLinks",     "owner",     A,  A,    A,    D,     D,     D),
    ("bookingLinks",     "manager",   D,  D,    D,    D,     D,     D),
    ("bookingLinks",     "repA",      D,  D,    D,    D,     D,     D),
    ("bookingLinks",     "repB",      D,  D,    D,    D,     D,     D),
    ("bookingLinks",     "partnerX",  D,  D,    D,    D,     D,     D),
    ("bookingLinks",     "partnerY",  D,  D,    D,    D,     D,     D),
    ("bookingLinks",     "norole",    D,  D,    D,    D,     D,     D),
    ("bookingLinks",     "anon",      D,  D,    D,    D,     D,     D),
    # The lead sources list labels what staff see; it names no customer.
    ("sources",          "owner",     A,  A,    A,    D,     D,     D),
    ("sources",          "manager",   A,  A,    A,    D,     D,     D),
    ("sources",          "repA",      A,  A,    A,    D,     D,     D),
    ("sources",          "repB",      A,  A,    A,    D,     D,     D),
    ("sources",          "partnerX",  D,  D,    D,    D,     D,     D),
    ("sources",          "partnerY",  D,  D,    D,    D,     D,     D),
    ("sources",          "norole",    D,  D,    D,    D,     D,     D),
    ("sources",          "anon",      D,  D,    D,    D,     D,     D),
    # The pipeline reports: owner and manager every bucket, a rep their own (filtered);
    # each customer's report state is the server's alone.
    ("report_days",      "owner",     A,  A,    A,    D,     D,     D),
    ("report_days",      "manager",   A,  A,    A,    D,     D,     D),
    ("report_days",      "repA",      A,  A,    D,    D,     D,     D),
    ("report_days",      "repB",      A,  A,    D,    D,     D,     D),
    ("report_days",      "partnerX",  D,  D,    D,    D,     D,     D),
    ("report_days",      "partnerY",  D,  D,    D,    D,     D,     D),
    ("report_days",      "norole",    D,  D,    D,    D,     D,     D),
    ("report_days",      "anon",      D,  D,    D,    D,     D,     D),
    ("report_months",    "owner",     A,  A,    A,    D,     D,     D),
    ("report_months",    "manager",   A,  A,    A,    D,     D,     D),
    ("report_months",    "repA",      A,  A,    D,    D,     D,     D),
    ("report_months",    "repB",      A,  A,    D,    D,     D,     D),
    ("report_months",    "partnerX",  D,  D,    D,    D,     D,     D),
    ("report_months",    "partnerY",  D,  D,    D,    D,     D,     D),
    ("report_months",    "norole",    D,  D,    D,    D,     D,     D),
    ("report_months",    "anon",      D,  D,    D,    D,     D,     D),
    ("report_customers", "owner",     D,  D,    D,    D,     D,     D),
    ("report_customers", "manager",   D,  D,    D,    D,     D,     D),
    ("report_customers", "repA",      D,  D,    D,    D,     D,     D),
    ("report_customers", "repB",      D,  D,    D,    D,     D,     D),
    ("report_customers", "partnerX",  D,  D,    D,    D,     D,     D),
    ("report_customers", "partnerY",  D,  D,    D,    D,     D,     D),
    ("report_customers", "norole",    D,  D,    D,    D,     D,     D),
    ("report_customers", "anon",      D,  D,    D,    D,     D,     D),
    # The round robins' pointers: the owner reads them (routing settings); nobody else.
    ("routing_state",    "owner",     A,  A,    A,    D,     D,     D),
    ("routing_state",    "manager",   D,  D,    D,    D,     D,     D),
    ("routing_state",    "repA",      D,  D,    D,    D,     D,     D),
    ("routing_state",    "repB",      D,  D,    D,    D,     D,     D),
    ("routing_state",    "partnerX",  D,  D,    D,    D,     D,     D),
    ("routing_state",    "partnerY",  D,  D,    D,    D,     D,     D),
    ("routing_state",    "norole",    D,  D,    D,    D,     D,     D),
    ("routing_state",    "anon",      D,  D,    D,    D,     D,     D),
    # A hand-over job's progress: the owner's alone.
    ("handovers",        "owner",     A,  A,    A,    D,     D,     D),
    ("handovers",        "manager",   D,  D,    D,    D,     D,     D),
    ("handovers",        "repA",      D,  D,    D,    D,     D,     D),
    ("handovers",        "repB",      D,  D,    D,    D,     D,     D),
    ("handovers",        "partnerX",  D,  D,    D,    D,     D,     D),
    ("handovers",        "partnerY",  D,  D,    D,    D,     D,     D),
    ("handovers",        "norole",    D,  D,    D,    D,     D,     D),
    ("handovers",        "anon",      D,  D,    D,    D,     D,     D),
    # A person's requests and the erasure log: the owner's alone. Suppressions: nobody's.
    ("privacyRequests",  "owner",     A,  A,    A,    D,     D,     D),
    ("privacyRequests",  "manager",   D,  D,    D,    D,     D,     D),
    ("privacyRequests",  "repA",      D,  D,    D,    D,     D,     D),
    ("privacyRequests",  "repB",      D,  D,    D,    D,     D,     D),
    ("privacyRequests",  "partnerX",  D,  D,    D,    D,     D,     D),
    ("privacyRequests",  "partnerY",  D,  D,    D,    D,     D,     D),
    ("privacyRequests",  "norole",    D,  D,    D,    D,     D,     D),
    ("privacyRequests",  "anon",      D,  D,    D,    D,     D,     D),
    ("erasures",         "owner",     A,  A,    A,    D,     D,     D),
    ("erasures",         "manager",   D,  D,    D,    D,     D,     D),
    ("erasures",         "repA",      D,  D,    D,    D,     D,     D),
    ("erasures",         "repB",      D,  D,    D,    D,     D,     D),
    ("erasures",         "partnerX",  D,  D,    D,    D,     D,     D),
    ("erasures",         "partnerY",  D,  D,    D,    D,     D,     D),
    ("erasures",         "norole",    D,  D,    D,    D,     D,     D),
    ("erasures",         "anon",      D,  D,    D,    D,     D,     D),
    ("suppressions",     "owner",     D,  D,    D,    D,     D,     D),
    ("suppressions",     "manager",   D,  D,    D,    D,     D,     D),
    ("suppressions",     "repA",      D,  D,    D,    D,     D,     D),
    ("suppressions",     "repB",      D,  D,    D,    D,     D,     D),
    ("suppressions",     "partnerX",  D,  D,    D,    D,     D,     D),
    ("suppressions",     "partnerY",  D,  D,    D,    D,     D,     D),
    ("suppressions",     "norole",    D,  D,    D,    D,     D,     D),
    ("suppressions",     "anon",      D,  D,    D,    D,     D,     D),
    # Messages: the owner's, and a rep's customers' (filtered on the customer). WhatsApp
    # templates: whoever composes (owner, reps).
    ("messages",          "owner",    A,  A,    A,    D,     D,     D),
    ("messages",          "manager",  D,  D,    D,    D,     D,     D),
    ("messages",          "repA",     A,  A,    D,    D,     D,     D),
    ("messages",          "repB",     A,  A,    D,    D,     D,     D),
    ("messages",          "partnerX", D,  D,    D,    D,     D,     D),
    ("messages",          "partnerY", D,  D,    D,    D,     D,     D),
    ("messages",          "norole",   D,  D,    D,    D,     D,     D),
    ("messages",          "anon",     D,  D,    D,    D,     D,     D),
    ("whatsappTemplates", "owner",    A,  A,    A,    D,     D,     D),
    ("whatsappTemplates", "manager",  D,  D,    D,    D,     D,     D),
    ("whatsappTemplates", "repA",     A,  A,    A,    D,     D,     D),
    ("whatsappTemplates", "repB",     A,  A,    A,    D,     D,     D),
    ("whatsappTemplates", "partnerX", D,  D,    D,    D,     D,     D),
    ("whatsappTemplates", "partnerY", D,  D,    D,    D,     D,     D),
    ("whatsappTemplates", "norole",   D,  D,    D,    D,     D,     D),
    ("whatsappTemplates", "anon",     D,  D,    D,    D,     D,     D),
    # A merge record (copies of two customers): the owner's alone.
    ("merges",           "owner",     A,  A,    A,    D,     D,     D),
    ("merges",           "manager",   D,  D,    D,    D,     D,     D),
    ("merges",           "repA",      D,  D,    D,    D,     D,     D),
    ("merges",           "repB",      D,  D,    D,    D,     D,     D),
    ("merges",           "partnerX",  D,  D,    D,    D,     D,     D),
    ("merges",           "partnerY",  D,  D,    D,    D,     D,     D),
    ("merges",           "norole",    D,  D,    D,    D,     D,     D),
    ("merges",           "anon",      D,  D,    D,    D,     D,     D),
]  # fmt: skip


def cells() -> Iterator[object]:
    for collection, principal, *expected in MATRIX:
        for operation, outcome in zip(OPERATIONS, expected, strict=True):
            cell = f"{collection}-{principal}-{operation}"
            yield pytest.param(collection, principal, operation, outcome, id=cell)


def test_the_matrix_covers_every_collection_for_every_principal_once() -> None:
    rows = [(collection, principal) for collection, principal, *_ in MATRIX]
    collections = {
        "customers",
        "activity",
        "bookings",
        "tasks",
        "events",
        "messages",
        "team",
        *REPORT_BUCKETS,
        *SINGLE_DOCS,
    }

    assert len(rows) == len(set(rows))
    assert set(rows) == {(c, p) for c in collections for p in PRINCIPALS}


WRITES = ("create", "update", "delete")


@pytest.mark.parametrize(("collection", "principal", "operation", "expected"), list(cells()))
def test_rules_matrix(
    rules: RulesClient,
    firestore_emulator: emulators.Firestore,
    collection: str,
    principal: str,
    operation: str,
    expected: str,
) -> None:
    who = PRINCIPALS[principal]
    outcome = OPERATIONS[operation](rules, collection, who)

    if expected == D and operation in WRITES and outcome.allowed:
        reset_data(firestore_emulator)  # one leaking write fails its own cell, not the rest
    if expected == D:
        assert outcome.denied, f"expected a refusal, got {outcome.status}: {outcome.body}"
    elif operation == "get":
        assert outcome.allowed, f"expected the document, got {outcome.status}: {outcome.body}"
        assert outcome.body["name"].endswith("/documents/" + target(collection, who))
    else:
        assert outcome.allowed, f"expected the list, got {outcome.status}: {outcome.body}"
        assert outcome.names(), "an allowed list must answer the seeded documents"


# --- the crossings a leak would come through ------------------------------------------------


def customers_where(predicate) -> set[str]:
    return {f"customers/{key}" for key, (owner, seg) in CUSTOMERS.items() if predicate(owner, seg)}


@pytest.mark.parametrize(
    "key", ["repb-x@example.org", "repb-y@example.org", "repb-none@example.org"]
)
def test_a_rep_cannot_get_a_customer_of_another_rep(rules: RulesClient, key: str) -> None:
    assert rules.get(REP_A, f"customers/{key}").denied


def test_a_rep_cannot_get_a_customer_nobody_owns(rules: RulesClient) -> None:
    assert rules.get(REP_A, "customers/nobody-none@example.org").denied


def test_a_rep_cannot_read_the_activity_of_another_reps_customer(rules: RulesClient) -> None:
    parent = "customers/repb-x@example.org"

    assert rules.get(REP_A, f"{parent}/activity/{ENTRY}").denied
    assert rules.query(REP_A, "activity", parent=parent).denied


def test_a_rep_lists_the_activity_of_their_own_customer(rules: RulesClient) -> None:
    parent = "customers/repa-y@example.org"
    outcome = rules.query(REP_A, "activity", parent=parent)

    assert outcome.allowed, outcome.body
    assert outcome.names() == [f"{parent}/activity/{ENTRY}"]


def test_a_rep_cannot_read_the_messages_of_another_reps_customer(rules: RulesClient) -> None:
    message, key = MESSAGES[REP_B_UID]

    assert rules.get(REP_A, f"messages/{message}").denied
    assert rules.query(REP_A, "messages", filters=(("customer", "EQUAL", key),)).denied


def test_a_reps_messages_follow_the_customer_to_its_new_rep(
    rules: RulesClient, firestore_emulator: emulators.Firestore
) -> None:
    """A hand-over changes the customer only; its conversation goes with it at once."""
    from hearth.store import client as hearth_db

    message, key = MESSAGES[REP_B_UID]
    hearth_db.client().document(f"customers/{key}").update({"ownerUid": REP_A_UID})
    try:
        outcome = rules.query(REP_A, "messages", filters=(("customer", "EQUAL", key),))
        assert outcome.allowed, outcome.body
        assert outcome.names() == [f"messages/{message}"]
        assert rules.get(REP_B, f"messages/{message}").denied
    finally:
        reset_data(firestore_emulator)


def test_a_reps_filtered_list_answers_exactly_their_customers(rules: RulesClient) -> None:
    outcome = rules.query(REP_A, "customers", filters=(("ownerUid", "EQUAL", REP_A_UID),))

    assert outcome.allowed, outcome.body
    assert set(outcome.names()) == customers_where(lambda owner, _: owner == REP_A_UID)


def test_a_rep_may_narrow_their_own_list_further(rules: RulesClient) -> None:
    """The admin page's default list: their customers, not archived, in one stage."""
    filters: tuple[Filter, ...] = (
        ("ownerUid", "EQUAL", REP_A_UID),
        ("archived", "EQUAL", False),
        ("stage", "EQUAL", "lead"),
    )
    outcome = rules.query(REP_A, "customers", filters=filters)

    assert outcome.allowed, outcome.body
    assert len(outcome.names()) == 3


@pytest.mark.parametrize(
    "filters",
    [
        (("ownerUid", "EQUAL", REP_B_UID),),  # another rep's customers
        (("ownerUid", "IN", [REP_A_UID, REP_B_UID]),),  # theirs and another's
        (("segment", "EQUAL", "X"),),  # a filter, but not on ownership
        (("archived", "EQUAL", False),),
    ],
    ids=["other-rep", "own-and-other", "segment", "archived"],
)
def test_a_reps_list_without_their_own_ownership_filter_is_refused_whole(
    rules: RulesClient, filters: tuple[Filter, ...]
) -> None:
    assert rules.query(REP_A, "customers", filters=filters).denied


def test_a_rep_cannot_read_another_reps_bookings_tasks_or_team_entry(rules: RulesClient) -> None:
    assert rules.get(REP_A, f"bookings/{BOOKINGS[REP_B_UID]}").denied
    assert rules.get(REP_A, f"tasks/{TASKS[REP_B_UID]}").denied
    assert rules.get(REP_A, f"events/{EVENTS[REP_B_UID]}").denied
    assert rules.query(REP_A, "events", filters=(("ownerUid", "EQUAL", REP_B_UID),)).denied
    assert rules.get(REP_A, f"team/{REP_B_UID}").denied
    assert rules.query(REP_A, "bookings", filters=(("ownerUid", "EQUAL", REP_B_UID),)).denied
    assert rules.query(REP_A, "tasks", filters=(("ownerUid", "EQUAL", REP_B_UID),)).denied


@pytest.mark.parametrize("collection", list(REPORT_BUCKETS))
def test_a_rep_reads_only_their_own_report_buckets(rules: RulesClient, collection: str) -> None:
    """What GET /reports asks for a rep (ownerUid == uid over a range), and the same
    question about rep B or everyone, which the rules refuse whole."""
    key = "day" if collection == "report_days" else "month"
    since = (key, "GREATER_THAN_OR_EQUAL", "2025-01")
    own = rules.query(REP_A, collection, filters=(("ownerUid", "EQUAL", REP_A_UID), since))
    assert own.allowed, own.body
    assert own.names() == [f"{collection}/{REPORT_BUCKETS[collection][REP_A_UID]}"]
    other = (("ownerUid", "EQUAL", REP_B_UID), since)
    assert rules.query(REP_A, collection, filters=other).denied
    assert rules.query(REP_A, collection, filters=(since,)).denied
    assert rules.get(REP_A, f"{collection}/{REPORT_BUCKETS[collection][REP_B_UID]}").denied
    assert rules.query(MANAGER, collection, filters=(since,)).allowed


def test_a_reps_event_query_answers_exactly_the_events_recorded_as_theirs(
    rules: RulesClient,
) -> None:
    """Who owns an event is the owner it recorded, not the customer's owner now: rep A's
    event is about a customer nobody owns today, and is still rep A's."""
    outcome = rules.query(REP_A, "events", filters=(("ownerUid", "EQUAL", REP_A_UID),))

    assert outcome.allowed, outcome.body
    assert outcome.names() == [f"events/{EVENTS[REP_A_UID]}"]
    assert rules.query(
        REP_A, "events", filters=(("customer", "EQUAL", "nobody-none@example.org"),)
    ).denied


def test_the_task_lists_the_page_asks_for_are_allowed_only_with_their_owner_filter(
    rules: RulesClient,
) -> None:
    """The Tasks screen, the customer page and the dashboard (data/firestore.js): a rep's
    open tasks carry ownerUid == uid; the same questions without it are refused whole."""
    open_ = ("done", "EQUAL", False)
    of_customer = ("customer", "EQUAL", "nobody-none@example.org")
    own = ("ownerUid", "EQUAL", REP_A_UID)
    mine = rules.query(REP_A, "tasks", filters=(own, open_))
    assert mine.allowed and mine.names() == [f"tasks/{TASKS[REP_A_UID]}"]
    assert rules.query(REP_A, "tasks", filters=(of_customer, own, open_)).allowed
    assert rules.query(REP_A, "tasks", filters=(open_,)).denied
    assert rules.query(REP_A, "tasks", filters=(of_customer, open_)).denied
    everyone = rules.query(OWNER, "tasks", filters=(open_, ("overdue", "EQUAL", True)))
    assert sorted(everyone.names()) == sorted(f"tasks/{t}" for t in TASKS.values())
    assert rules.query(MANAGER, "tasks", filters=(open_,)).denied


@pytest.mark.parametrize(
    "key", ["repa-y@example.org", "nobody-y@example.org", "nobody-none@example.org"]
)
def test_a_partner_cannot_get_a_customer_outside_their_segments(
    rules: RulesClient, key: str
) -> None:
    assert rules.get(PARTNER_X, f"customers/{key}").denied


def test_a_partner_gets_a_customer_in_their_segment_whoever_owns_it(rules: RulesClient) -> None:
    for key in ("repa-x@example.org", "repb-x@example.org", "nobody-x@example.org"):
        assert rules.get(PARTNER_X, f"customers/{key}").allowed, key


def test_a_partners_segment_list_answers_exactly_that_segment(rules: RulesClient) -> None:
    for op, segment in (("IN", ["X"]), ("EQUAL", "X")):
        outcome = rules.query(PARTNER_X, "customers", filters=(("segment", op, segment),))

        assert outcome.allowed, (op, outcome.body)
        assert set(outcome.names()) == customers_where(lambda _, seg: seg == "X")


@pytest.mark.parametrize(
    "filters",
    [
        (("segment", "EQUAL", "Y"),),
        (("segment", "IN", ["X", "Y"]),),  # asks for more than it has
        (("ownerUid", "EQUAL", REP_A_UID),),
    ],
    ids=["other-segment", "more-segments", "owner-filter"],
)
def test_a_partners_list_outside_their_segments_is_refused_whole(
    rules: RulesClient, filters: tuple[Filter, ...]
) -> None:
    assert rules.query(PARTNER_X, "customers", filters=filters).denied


def test_a_partner_of_several_segments_lists_them_together(rules: RulesClient) -> None:
    partner = User("partnerXY", "partner-xy", {"role": "partner", "segments": ["X", "Y"]})
    outcome = rules.query(partner, "customers", filters=(("segment", "IN", ["X", "Y"]),))

    assert outcome.allowed, outcome.body
    assert set(outcome.names()) == customers_where(lambda _, seg: seg in ("X", "Y"))


@pytest.mark.parametrize(
    "claims",
    [
        {"role": "partner"},  # no segments claim
        {"role": "partner", "segments": []},
        {"role": "partner", "segments": "X"},  # a string, not a list
    ],
    ids=["no-segments", "empty-segments", "segments-not-a-list"],
)
def test_a_partner_without_a_segments_list_reads_no_customer(
    rules: RulesClient, claims: dict[str, object]
) -> None:
    partner = User("partner?", "partner-odd", claims)

    assert rules.get(partner, "customers/nobody-x@example.org").denied
    assert rules.query(partner, "customers", filters=(("segment", "IN", ["X"]),)).denied
    assert rules.query(partner, "customers", filters=(("segment", "EQUAL", "X"),)).denied


@pytest.mark.parametrize(
    "claims",
    [{"role": "admin"}, {"role": "Owner"}, {"role": ""}, {"role": None}, {"role": ["owner"]}],
    ids=["unknown", "wrong-case", "empty", "null", "list"],
)
def test_a_role_claim_that_is_not_one_of_the_four_reads_nothing(
    rules: RulesClient, claims: dict[str, object]
) -> None:
    who = User("odd-role", "odd-1", claims)

    assert rules.get(who, "customers/repa-x@example.org").denied
    assert rules.get(who, "settings/pipeline").denied
    assert rules.query(who, "customers").denied


@pytest.mark.parametrize(
    "path",
    [
        "drafts/d-0001",  # no rule: a collection a later issue adds stays closed
        "customers/repa-x@example.org/private/p-0001",  # a subcollection with no rule
        "settings/pipeline/history/h-0001",
    ],
)
def test_anything_the_rules_do_not_name_is_closed_even_to_the_owner(
    rules: RulesClient, path: str
) -> None:
    collection, doc_id = path.rsplit("/", 1)

    assert rules.get(OWNER, path).denied
    assert rules.create(OWNER, collection, doc_id, {"seeded": False}).denied
