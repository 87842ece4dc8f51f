"""Sample data on the real emulator: made by the intake code, a whole pipeline, repeatable.

The read-only checks share one seeding (a snapshot taken right after it), since every
test that touches the store starts by emptying it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from devstack import seed, team
from hearth.reports import figures
from hearth.rules import periods, traffic
from hearth.rules.stages import DEFAULT_STAGES, won_stage_ids

TODAY = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)


def customers(db) -> dict[str, dict]:
    return {doc.id: doc.to_dict() for doc in db.collection("customers").stream()}


def entries(db, key: str) -> list[dict]:
    ref = db.collection("customers").document(key).collection("activity")
    return [doc.to_dict() for doc in ref.stream()]


@dataclass(frozen=True)
class Studio:
    result: seed.Result
    docs: dict[str, dict]
    timeline: dict[str, list[dict]]
    lines: list[str]
    traffic: dict[str, dict]
    sources: dict[str, dict]
    fields: list[dict]
    tasks: dict[str, dict]
    changes: dict[str, list[dict]]
    events: list[dict]  # oldest first, as consumers read them
    cursors: dict[str, dict]
    calls: list[dict]  # the booked calls
    held: dict[str, bool]  # booking id -> free times see exactly that call as busy
    with_call_entry: set[str]  # customers whose timeline has a booking entry
    lead_sources: dict  # the lead-source report from the day before the first lead
    messages: dict[str, dict]  # messages/{id}: WhatsApp and e-mail, with their statuses
    conversations: dict[str, list[dict]]  # each customer's whatsapp and email entries, in order


def seed_into(db) -> Studio:
    lines: list[str] = []
    result = seed.seed(db, today=TODAY, echo=lines.append)
    docs = customers(db)
    # What each customer submitted (their booked calls are checked on their own).
    submitted = {
        key: [e for e in entries(db, key) if e["type"] == "form_submission"] for key in docs
    }
    listed = {doc.id: doc.to_dict() for doc in db.collection("sources").stream()}
    defined = db.collection("settings").document("fields").get().to_dict() or {}
    tasks = {doc.id: doc.to_dict() for doc in db.collection("tasks").stream()}
    # The owner's typed-in custom values (stage moves are changes too, checked below).
    changed = {
        key: [
            e
            for e in entries(db, key)
            if e["type"] == "change" and any(name.startswith("custom.") for name in e["changes"])
        ]
        for key in docs
    }
    events = [doc.to_dict() for doc in db.collection("events").stream()]
    cursors = {doc.id: doc.to_dict() for doc in db.collection("consumers").stream()}
    calls = [{**doc.to_dict(), "id": doc.id} for doc in db.collection("bookings").stream()]
    from hearth.store import bookings

    held = {
        call["id"]: [
            (b.start, b.end) for b in bookings.busy_between(db, call["start"], call["end"], 10)
        ]
        == [(call["start"], call["end"])]
        for call in calls
    }
    with_call_entry = {
        call["customerKey"]
        for call in calls
        if any(e["type"] == "booking" for e in entries(db, call["customerKey"]))
    }
    from hearth import config, deals
    from hearth.rules.roles import Principal, Role

    owner = Principal(uid="seed-check", role=Role.OWNER, email="owner@studio.test")
    first = min(e["at"] for e in events if e["type"] == "customer.created") - timedelta(days=1)
    lead_sources = deals.report("lead-sources", owner, config.load(), first.date().isoformat())
    messages = {doc.id: doc.to_dict() for doc in db.collection("messages").stream()}
    conversations = {
        key: sorted(
            (e for e in entries(db, key) if e["type"] in ("whatsapp", "email")),
            key=lambda e: e["at"],
        )
        for key in {m["customer"] for m in messages.values()}
    }
    return Studio(
        result,
        docs,
        submitted,
        lines,
        roll_ups(db),
        listed,
        defined.get("fields", []),
        tasks,
        {key: found for key, found in changed.items() if found},
        sorted(events, key=lambda event: (event["at"], event["id"])),
        cursors,
        calls,
        held,
        with_call_entry,
        lead_sources,
        messages,
        conversations,
    )


def roll_ups(db) -> dict[str, dict]:
    """The roll-ups without their bookkeeping time."""
    return {
        doc.id: {k: v for k, v in doc.to_dict().items() if k != "updatedAt"}
        for doc in db.collection("analytics_days").stream()
    }


@pytest.fixture(scope="module")
def studio(firestore_emulator) -> Studio:
    from hearth.store import client as hearth_db

    firestore_emulator.clear()
    hearth_db.reset()
    return seed_into(hearth_db.client())


def test_seed_makes_about_forty_customers_with_progress(studio):
    result, docs, lines = studio.result, studio.docs, studio.lines

    assert 35 <= len(docs) <= 45
    assert result.customers == len(docs)
    assert result.submissions > len(docs)
    assert lines[0].startswith(f"Seeding {len(docs)} customers")
    assert f"  10/{len(docs)}" in lines
    assert f"  {len(docs)}/{len(docs)}" in lines


def test_seed_includes_the_xss_probe_once(studio):
    probes = [doc for doc in studio.docs.values() if doc["name"] == "<img src=x onerror=alert(1)>"]
    assert len(probes) == 1


def test_seed_uses_every_default_stage_with_whole_cent_balances(studio):
    docs = studio.docs

    assert {doc["stage"] for doc in docs.values()} == {stage.id for stage in DEFAULT_STAGES}
    for doc in docs.values():
        balances = doc["balances"]
        assert isinstance(balances["pending"], int) and balances["pending"] >= 0
        assert isinstance(balances["paid"], int) and balances["paid"] >= 0
        assert balances["currency"] == "EUR"
    delivered = [doc for doc in docs.values() if doc["stage"] == "delivered"]
    assert all(doc["balances"]["paid"] > 0 for doc in delivered)
    leads = [doc for doc in docs.values() if doc["stage"] == "lead"]
    assert all(doc["balances"]["paid"] == doc["balances"]["pending"] == 0 for doc in leads)


def test_seed_deduplicates_repeat_submitters(studio):
    docs = studio.docs

    emails = [doc["email"] for doc in docs.values()]
    assert len(emails) == len({email.lower() for email in emails})
    assert all(key == doc["email"] == doc["email"].lower() for key, doc in docs.items())
    rita = studio.timeline["rita.azzopardi@example.org"]
    assert len(rita) == 3
    assert {entry["fields"]["email"] for entry in rita} == {"rita.azzopardi@example.org"}
    repeaters = [key for key, timeline in studio.timeline.items() if len(timeline) > 1]
    assert len(repeaters) >= 5


def test_seed_keeps_a_changed_mobile_as_a_conflict(studio):
    timeline = studio.timeline["giulia.rossi@example.net"]
    later = [entry for entry in timeline if not entry["customerCreated"]]

    assert later[0]["conflicts"]["mobile"]["submitted"] == "+35699001234"


def test_seed_varies_forms_sources_names_mobiles_and_consent(studio):
    docs = studio.docs

    forms = {form for doc in docs.values() for form in doc["forms"]}
    assert {"contact", "pricing", "booking", "giveaway"} <= forms
    sources = {source for doc in docs.values() for source in doc["sources"]}
    assert {"instagram", "google", "facebook", "referral", "spring-show-2026", "direct"} <= sources
    # Every source a customer holds is in the sources list: the show as the owner
    # described it, the rest added by intake on first sight.
    assert sources == set(studio.sources)
    assert studio.sources["spring-show-2026"]["kind"] == "trade_show"
    assert studio.sources["spring-show-2026"]["label"] == "Spring show 2026"
    assert studio.sources["instagram"]["kind"] == "inbound"
    names = {doc["name"] for doc in docs.values()}
    assert {"Ġorġ Borg", "Żaneta Camilleri", "Jonas Müller"} <= names
    assert {doc["mobileValid"] for doc in docs.values()} == {True, False, None}
    assert {doc["consent"]["marketing"] for doc in docs.values()} == {True, False, None}
    timelines = studio.timeline.values()
    pricing = [entry for timeline in timelines for entry in timeline if entry["form"] == "pricing"]
    assert pricing
    assert all({"project_type", "budget", "timeline"} <= set(e["answers"]) for e in pricing)


def test_seed_shares_customers_between_the_demo_reps_and_segments(studio):
    docs = studio.docs.values()

    owners = [doc["ownerUid"] for doc in docs]
    rep_a, rep_b = owners.count(team.REP_A.uid), owners.count(team.REP_B.uid)
    unassigned = owners.count(None)
    assert rep_a + rep_b + unassigned == len(owners)  # nobody else owns a customer
    assert rep_a >= 5 and rep_b >= 5 and unassigned >= 2
    assert rep_a + rep_b > 3 * unassigned  # most customers are someone's
    segments = [doc["segment"] for doc in docs]
    wholesale = [doc for doc in docs if doc["segment"] == team.WHOLESALE]
    assert 3 <= len(wholesale) <= 8
    assert all(doc["company"] for doc in wholesale)  # businesses, not people
    assert {"wholesale", "hospitality", None} == set(segments)  # a segment no partner has


def test_seed_spreads_dates_over_ninety_days(studio):
    docs = studio.docs
    midnight = TODAY.replace(hour=0, minute=0)

    created = [doc["createdAt"] for doc in docs.values()]
    assert min(created) >= midnight - timedelta(days=90)
    assert max(created) < midnight
    assert max(created) - min(created) > timedelta(days=60)
    for key, doc in docs.items():
        # Before today, but for the customer who wrote on WhatsApp two hours ago.
        latest = TODAY if key == "elena.bonnici@example.org" else midnight
        assert doc["createdAt"] <= doc["lastContactAt"] < latest
    assert docs["elena.bonnici@example.org"]["lastContactAt"] >= midnight


def test_second_seed_is_skipped(db, intake):
    """Sample data never lands on a store that has customers: one is enough."""
    response = intake.post("/", json={"form": "contact", "email": "real@example.org"})
    assert response.status_code == 200
    before = customers(db)
    lines: list[str] = []

    again = seed.seed(db, today=TODAY, echo=lines.append)

    assert again.skipped
    assert "skipped" in lines[0]
    assert customers(db) == before


def test_seed_is_the_same_every_run(db, firestore_emulator, studio):
    first = studio.docs

    seed.seed(db, today=TODAY, echo=lambda _line: None)

    def comparable(docs: dict[str, dict]) -> dict[str, dict]:
        return {
            key: {k: v for k, v in doc.items() if k != "updatedAt"} for key, doc in docs.items()
        }

    assert comparable(customers(db)) == comparable(first)
    assert roll_ups(db) == studio.traffic
    # When the webhook took a message is the one thing that is the real now.
    again = {doc.id: doc.to_dict() for doc in db.collection("messages").stream()}
    assert {k: {f: v for f, v in m.items() if f != "receivedAt"} for k, m in again.items()} == {
        k: {f: v for f, v in m.items() if f != "receivedAt"} for k, m in studio.messages.items()
    }


def test_seeded_customer_has_the_shape_of_a_real_one(db, intake, studio):
    response = intake.post(
        "/",
        json={
            "form": "contact",
            "email": "real@example.org",
            "name": "Real",
            "mobile": "7912 0000",
        },
    )
    assert response.status_code == 200
    real = db.collection("customers").document("real@example.org").get().to_dict()

    assert set(studio.docs["gorg.borg@example.com"]) == set(real)
    sample_entry = studio.timeline["gorg.borg@example.com"][0]
    assert set(sample_entry) == set(entries(db, "real@example.org")[0])


def test_seed_books_calls_around_today_with_two_today_for_the_bell(studio):
    from zoneinfo import ZoneInfo

    calls = studio.calls
    assert studio.result.calls == len(calls) == 8
    malta = ZoneInfo("Europe/Malta")
    today = [c for c in calls if c["start"].astimezone(malta).date() == TODAY.date()]
    assert len(today) == 2 and all(c["status"] == "confirmed" for c in today)
    assert sum(c["status"] == "cancelled" for c in calls) == 1
    for call in calls:  # each on its customer's timeline, owned like its customer
        customer = studio.docs[call["customerKey"]]
        assert call["ownerUid"] == customer["ownerUid"]
        assert call["customerKey"] in studio.with_call_entry
    assert any(c["customerName"] == seed.XSS_NAME for c in calls)
    # Booked through the store, so free times see them: each confirmed call is in its
    # busy day, the cancelled one is not.
    for call in calls:
        assert studio.held[call["id"]] == (call["status"] == "confirmed"), call


# --- stage history and payments -----------------------------------------------------------------


def test_seeded_stages_were_reached_by_recorded_stage_changes(studio):
    """Each customer's stage.changed events, in order, start at the first stage and end
    where the customer is: the stage history the reports are computed from."""
    order = [stage.id for stage in DEFAULT_STAGES]
    moves: dict[str, list[tuple[str, str]]] = {}
    for event in studio.events:
        if event["type"] == "stage.changed":
            moves.setdefault(event["customer"], []).append(
                (event["data"]["from"], event["data"]["to"])
            )
    assert studio.result.moves == sum(len(found) for found in moves.values()) > 40
    for key, doc in studio.docs.items():
        path = moves.get(key, [])
        if doc["stage"] == "lead":
            assert not path, key
            continue
        assert path[0][0] == "lead" and path[-1][1] == doc["stage"], key
        assert all(a[1] == b[0] for a, b in pairwise(path)), key
        # Moved after a rep took the customer on: the rep may read their history.
        owned = {e["ownerUid"] for e in studio.events
                 if e["customer"] == key and e["type"] == "stage.changed"}  # fmt: skip
        assert owned == {doc["ownerUid"]}, key
    steps = [order.index(to) - order.index(was) for path in moves.values() for was, to in path]
    assert steps.count(-1) == 1  # one reopened proposal
    assert steps.count(2) == 1  # one deposit paid straight from the proposal
    assert sum(len(path) >= 3 for path in moves.values()) >= 5  # several went a long way
    assert any(
        f"Stage history: {studio.result.moves} stage changes" in line for line in studio.lines
    )


def test_seeded_payments_are_recorded_events_adding_up_to_what_is_paid(studio):
    paid: dict[str, int] = {}
    for event in studio.events:
        if event["type"] == "payment.recorded":
            paid[event["customer"]] = paid.get(event["customer"], 0) + event["data"]["amount"]
            assert event["data"]["paidTotal"] == paid[event["customer"]]
    assert len([e for e in studio.events if e["type"] == "payment.recorded"]) == (
        studio.result.payments
    )
    assert paid == {key: doc["balances"]["paid"] for key, doc in studio.docs.items()
                    if doc["balances"]["paid"]}  # fmt: skip
    assert len(paid) >= 10


def test_the_seed_ends_with_a_sweep_that_folded_every_event(studio):
    last = studio.events[-1]
    assert studio.cursors["automations"]["id"] == last["id"]
    assert studio.cursors["reports"]["id"] == last["id"]
    assert "Sweep: the automations and the reports have folded every sample event." in studio.lines


def test_the_sample_pipeline_reports_count_every_seeded_lead_win_and_payment(studio):
    """The lead-source report from the first sample lead to today holds every sample
    customer, those moved into a won stage and what they paid (the leads came in over
    past months; the moves and payments carry their commits' real times)."""
    from hearth.rules.stages import won_stage_ids

    created = [e for e in studio.events if e["type"] == "customer.created"]
    figures = studio.lead_sources
    won = {e["customer"] for e in studio.events
           if e["type"] == "stage.changed" and e["data"]["to"] in won_stage_ids(None)}  # fmt: skip
    paid = sum(e["data"]["amount"] for e in studio.events if e["type"] == "payment.recorded")
    assert figures["totals"]["leads"] == len(created)
    assert figures["totals"]["won"] == len(won) > 0
    assert figures["totals"]["revenue"] == paid > 0


# --- custom fields and tasks --------------------------------------------------------------------


def test_seed_defines_budget_and_services_and_fills_them_by_the_real_paths(studio):
    assert [(f["key"], f["label"], f["type"]) for f in studio.fields] == [
        ("budget", "Budget", "money"),
        ("project_type", "Services", "multi_select"),
    ]
    # Services came from the pricing form's answer (intake fills a field only when it is
    # empty, so a returning visitor keeps their first choice); nobody else has it.
    for key, doc in studio.docs.items():
        asked = [
            e["answers"]["project_type"] for e in studio.timeline[key] if e["form"] == "pricing"
        ]
        if asked:
            assert doc["custom"]["project_type"] in [[choice] for choice in asked], key
        else:
            assert "project_type" not in doc["custom"], key
    # The form's budget is a range, never an amount: only the owner's typed ones are set,
    # as minor units, each a change on the customer's timeline.
    budgets = {key: doc["custom"]["budget"] for key, doc in studio.docs.items()
               if "budget" in doc["custom"]}  # fmt: skip
    assert len(budgets) == studio.result.budgets == seed.BUDGETS_TYPED
    assert set(budgets.values()) <= set(seed.BUDGETS.values())
    assert set(budgets) == set(studio.changes)
    assert any("Budget (typed in for 6 customers)" in line for line in studio.lines)


def test_seed_gives_each_rep_and_the_owner_open_and_overdue_tasks(studio):
    tasks = studio.tasks
    assert len(tasks) == studio.result.tasks == len(seed.SAMPLE_TASKS)
    overdue = [t for t in tasks.values() if t["overdue"]]
    assert len(overdue) == studio.result.overdue == 3
    assert all(t["due"] <= TODAY for t in overdue)
    assert all(t["due"] > TODAY and not t["done"] for t in tasks.values() if not t["overdue"])
    by_assignee: dict[str, list[dict]] = {}
    for task in tasks.values():
        by_assignee.setdefault(task["ownerUid"], []).append(task)
    assert set(by_assignee) == {team.REP_A.uid, team.REP_B.uid, team.OWNER.uid}
    for assignee, held in by_assignee.items():  # each has something open and something late
        assert {t["overdue"] for t in held} == {True, False}, assignee
    for task in tasks.values():  # the rep's own customer (the owner's: an unassigned one)
        owner = studio.docs[task["customer"]]["ownerUid"]
        assert task["ownerUid"] == (owner or team.OWNER.uid)
    assert any(line == "Follow-up tasks: 7, 3 of them overdue." for line in studio.lines)


# --- the site's traffic --------------------------------------------------------------------------

MALTA = "Europe/Malta"


def by_day(traffic: dict[str, dict]) -> dict[str, dict]:
    """The daily roll-ups, without the month roll-ups the rollover folded from them."""
    return {doc_id: doc for doc_id, doc in traffic.items() if "day" in doc}


def test_seed_writes_ninety_days_of_traffic_closed_days_and_months_compacted(studio):
    today = periods.business_day(TODAY, MALTA)
    first = today - timedelta(days=89)
    days = [(first + timedelta(days=n)).isoformat() for n in range(90)]
    # 2026-08-26 to 2026-11-23: August (from the 26th), September and October are closed.
    months = ["2026-08", "2026-09", "2026-10"]

    assert sorted(studio.traffic) == sorted(
        [f"{day}_all" for day in days[:-1]] + [f"{days[-1]}_0"] + [f"{m}_month" for m in months]
    )
    assert studio.result.traffic_days == 90
    assert any(line.startswith("Site traffic: 90 days") for line in studio.lines)
    for month in months:
        folded = studio.traffic[f"{month}_month"]
        days_of_month = [doc for doc in by_day(studio.traffic).values() if doc["day"][:7] == month]
        assert folded == {**traffic.fold(days_of_month), "month": month, "shard": "month"}
        assert folded["pageviews"] > 0
    for doc_id, doc in by_day(studio.traffic).items():
        assert doc_id.startswith(doc["day"])
        assert doc["visitors"] == sum(doc["sources"].values()) > 0
        assert doc["pageviews"] >= doc["visitors"]


def test_seeded_leads_are_the_customers_made_that_day_by_their_first_source(studio):
    made: dict[str, dict[str, int]] = {}
    for doc in studio.docs.values():
        day = periods.business_day(doc["createdAt"], MALTA).isoformat()
        source = made.setdefault(day, {})
        source[doc["firstSource"]] = source.get(doc["firstSource"], 0) + 1

    days = {doc["day"]: doc for doc in by_day(studio.traffic).values()}
    assert {day: doc["leadSources"] for day, doc in days.items() if doc.get("leadSources")} == made
    for doc in days.values():
        assert doc.get("leads", 0) == sum(doc.get("leadSources", {}).values())
        for source, leads in doc.get("leadSources", {}).items():  # each lead came from a visit
            assert doc["sources"][source] >= leads


def source_to_money(studio: Studio, name: str) -> tuple[dict, list[dict]]:
    """The dashboard's answer for period ``name`` over the seeded roll-ups and customers,
    and the customers created in that period (what its leads, won and revenue count)."""
    period = periods.period(name, periods.business_day(TODAY, MALTA))
    start, end = periods.bounds(period.current, MALTA)
    recent = [doc for doc in studio.docs.values() if start <= doc["createdAt"] < end]
    in_range = [
        doc
        for doc in by_day(studio.traffic).values()
        if period.current.first.isoformat() <= doc["day"] <= period.current.last.isoformat()
    ]
    answer = figures.report(
        period,
        zone=MALTA,
        currency="EUR",
        current=in_range,
        previous=[],
        customers=recent,
        won_stages=won_stage_ids(None),
        bookings=[],
    )
    return answer, recent


def test_the_seeded_studio_tells_a_source_to_money_story(studio):
    """Over the last twelve months (the sample's ninety days): the roll-ups' leads and the
    customers agree, and several sources have earned money at different rates."""
    answer, recent = source_to_money(studio, "12m")

    table = answer["sourceToMoney"]
    assert answer["totals"]["leads"]["value"] == sum(row["leads"] for row in table) == len(recent)
    earning = [row for row in table if row["revenue"] != "0.00"]
    assert len(earning) >= 2
    assert all(row["visitorToLead"] is not None and row["visitorToLead"] < 0.5 for row in earning)
    assert any(row["leads"] == 0 for row in table)  # visitors who never became a lead


def test_the_last_thirty_days_already_show_won_deals_and_money_from_two_sources(studio):
    """The dashboard opens on the last 30 days: a few new customers there closed fast, so
    its source to money is not all zeros, and its figures are those of the customers."""
    answer, recent = source_to_money(studio, "30d")
    won_stages = won_stage_ids(None)
    expected: dict[str, tuple[int, int, int]] = {}
    for doc in recent:
        leads, won, paid = expected.get(doc["firstSource"], (0, 0, 0))
        won += doc["stage"] in won_stages
        expected[doc["firstSource"]] = (leads + 1, won, paid + doc["balances"]["paid"])

    table = answer["sourceToMoney"]
    assert answer["totals"]["leads"]["value"] == len(recent)
    assert {
        row["source"]: (row["leads"], row["won"], row["revenue"]) for row in table if row["leads"]
    } == {
        source: (leads, won, f"{paid // 100}.{paid % 100:02d}")
        for source, (leads, won, paid) in expected.items()
    }
    earning = {row["source"] for row in table if row["won"] > 0 and row["revenue"] != "0.00"}
    assert len(earning) >= 2 and {"google", "instagram"} <= earning
    moved_on = {doc["stage"] for doc in recent}
    assert {"proposal_signed", "deposit_paid", "in_production"} <= moved_on
    assert all(doc["balances"]["paid"] > 0 for doc in recent if doc["stage"] in won_stages)


def test_older_customers_are_further_along_on_average(studio):
    """Fast deals aside, a pipeline where the newest customers led would not be believable."""
    order = [stage.id for stage in DEFAULT_STAGES]
    _, recent = source_to_money(studio, "30d")
    older = [doc for doc in studio.docs.values() if doc not in recent]

    def mean_step(docs: list[dict]) -> float:
        return sum(order.index(doc["stage"]) for doc in docs) / len(docs)

    assert recent and older
    assert mean_step(older) > mean_step(recent) + 1


# --- WhatsApp and e-mail ---------------------------------------------------------------------


def test_seeded_whatsapp_conversations_are_on_the_timelines_with_their_statuses(studio):
    """What the owner sees on each customer page: the conversation in order, the
    customer's messages and the rep's answers, each answer with WhatsApp's status."""
    for key, chat in seed.WHATSAPP_CHATS.items():
        timeline = studio.conversations[key]
        assert [(e["type"], e["direction"]) for e in timeline] == [
            ("whatsapp", "out" if said.ours else "in") for said in chat
        ], key
        for entry, said in zip(timeline, chat, strict=True):
            assert said.text in entry["summary"], key
            message = studio.messages[entry["messageId"]]
            assert message["customer"] == key
            assert message["at"] == entry["at"] == (TODAY - said.ago).replace(microsecond=0)
            if said.ours:  # the customer's rep answered, and WhatsApp said how far it got
                assert entry["actor"]["uid"] == studio.docs[key]["ownerUid"], key
                assert message["status"] == said.reached
                assert message["providerId"].startswith("wamid.")
            else:
                assert message["status"] == "received"
                assert entry["actor"] == {"kind": "customer", "channel": "whatsapp"}
    statuses = [m["status"] for m in studio.messages.values() if m["channel"] == "whatsapp"]
    assert sorted(set(statuses)) == ["delivered", "read", "received"]
    assert studio.result.whatsapp == len(statuses) == 7
    assert any(
        entry["kind"] == "image" for entry in studio.conversations["daniela.micallef@example.com"]
    )
    assert (
        "Messages: 7 on WhatsApp with 2 customers (one still inside the 24-hour window), "
        "2 e-mails (a proposal and its threaded reply)." in studio.lines
    )


def test_one_whatsapp_window_is_open_at_the_seeds_now_and_one_is_closed(studio):
    """Elena's page offers free text, Daniela's the templates; and every answer of ours
    went inside the 24 hours after the customer last wrote, as the composer requires."""
    from hearth.rules import whatsapp

    def last_in(key: str, before: datetime) -> datetime | None:
        times = [e["at"] for e in studio.conversations[key]
                 if e["direction"] == "in" and e["at"] <= before]  # fmt: skip
        return max(times, default=None)

    assert whatsapp.window_open(last_in("elena.bonnici@example.org", TODAY), TODAY)
    assert not whatsapp.window_open(last_in("daniela.micallef@example.com", TODAY), TODAY)
    for key in seed.WHATSAPP_CHATS:
        for entry in studio.conversations[key]:
            if entry["direction"] == "out":
                assert whatsapp.window_open(last_in(key, entry["at"]), entry["at"]), entry


def test_the_seeded_e_mail_reply_is_threaded_to_the_proposal_and_counts_as_a_contact(studio):
    key = seed.EMAIL_CUSTOMER
    sent, reply = studio.conversations[key]
    proposal = studio.messages[sent["messageId"]]
    answer = studio.messages[reply["messageId"]]

    assert (sent["direction"], reply["direction"]) == ("out", "in")
    assert sent["subject"] == "Your proposal, Tomás"  # the merge field filled
    assert sent["actor"]["uid"] == studio.docs[key]["ownerUid"]
    assert proposal["status"] == "sent" and proposal["html"]
    # The reply names our Message-ID, so the timeline says what it answers.
    assert answer["inReplyTo"] == proposal["providerId"]
    assert reply["replyTo"] == {"message": proposal["id"], "subject": "Your proposal, Tomás"}
    assert reply["subject"] == "Re: Your proposal, Tomás"
    assert "<b>early January</b>" in reply["html"]
    customer = studio.docs[key]
    assert customer["lastContactAt"] == reply["at"] and customer["lastSource"] == "email"
    assert studio.result.emails == 2
    emails = [m for m in studio.messages.values() if m["channel"] == "email"]
    assert len(emails) == 2
    # Each customer message is an event the automations heard, like a real delivery.
    received = [e for e in studio.events if e["type"] == "message.received"]
    assert sorted(e["data"]["channel"] for e in received) == ["email"] + ["whatsapp"] * 4
