"""The reports' fold and readers, with every expected figure worked out by hand.

Times are 09:00 UTC (10:00 or 11:00 in Malta), so each event's business day is its
UTC date; durations are whole days, i.e. multiples of ten tenths.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hearth.rules.deal_figures import (
    Delta,
    Facts,
    average_days,
    documents,
    fold,
    lead_sources,
    median_days,
    merge,
    ranks,
    reps,
    stage_list,
    time_in_stage,
    trade_shows,
)
from hearth.rules.stages import DEFAULT_STAGES, Stage

ZONE = "Europe/Malta"
DAY0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday in March
STAGES = (*DEFAULT_STAGES, Stage("lost", "Lost", "lost"))
REP_A, REP_B = "rep-a", "rep-b"


def at(n: float) -> datetime:
    return DAY0 + timedelta(days=n)


def day(n: float) -> str:
    return at(n).date().isoformat()


def created(n: float, source: str | None = "show", owner: str | None = None, stage="lead"):
    return {
        "type": "customer.created",
        "at": at(n),
        "ownerUid": owner,
        "data": {"stage": stage, "source": source},
    }


def moved(n: float, before: str, to: str, owner: str | None = None) -> dict[str, Any]:
    return {
        "type": "stage.changed",
        "at": at(n),
        "ownerUid": owner,
        "data": {"from": before, "to": to},
    }


def paid(n: float, amount: int, owner: str | None = None) -> dict[str, Any]:
    return {"type": "payment.recorded", "at": at(n), "ownerUid": owner, "data": {"amount": amount}}


def booked(n: float, owner: str | None = None) -> dict[str, Any]:
    return {"type": "booking.created", "at": at(n), "ownerUid": owner, "data": {}}


def cancelled(n: float, owner: str | None = None) -> dict[str, Any]:
    return {"type": "booking.cancelled", "at": at(n), "ownerUid": owner, "data": {}}


def run(events: list[dict[str, Any]], facts: Facts | None = None):
    deltas: list[Delta] = []
    for event in events:
        facts, found = fold(facts, event, STAGES, ZONE)
        deltas += found
    return facts, documents(deltas)


def bucket(docs, n: float, owner: str | None = None) -> dict[str, Any]:
    return docs[("report_days", f"{day(n)}_{owner or '_none'}")]


# --- the fold ------------------------------------------------------------------------------


def test_backward_moves_count_twice_as_stays_once_as_reached_and_skipped_stages_not_at_all():
    facts, docs = run(
        [
            created(0),
            moved(2, "lead", "proposal_sent"),
            moved(5, "proposal_sent", "lead"),  # backward
            moved(6, "lead", "proposal_sent"),
            moved(10, "proposal_sent", "deposit_paid"),  # skips proposal_signed; a win
        ]
    )

    cohort = bucket(docs, 0)["sources"]["show"]
    assert cohort == {
        "leads": 1,
        "reached": {"lead": 1, "proposal_sent": 1, "deposit_paid": 1},
        "won": 1,
        "toWon": {"100": 1},  # ten days
    }
    assert bucket(docs, 0)["rep"] == {"newLeads": 1}
    assert bucket(docs, 2)["stages"] == {"lead": {"stays": 1, "tenths": 20, "hist": {"20": 1}}}
    assert bucket(docs, 5)["stages"] == {
        "proposal_sent": {"stays": 1, "tenths": 30, "hist": {"30": 1}}
    }
    assert bucket(docs, 6)["stages"] == {"lead": {"stays": 1, "tenths": 10, "hist": {"10": 1}}}
    assert bucket(docs, 10) == {
        "day": day(10),
        "ownerUid": None,
        "stages": {"proposal_sent": {"stays": 1, "tenths": 40, "hist": {"40": 1}}},
        "rep": {"wins": 1, "winsAtCreation": 1},
    }
    # The month holds every day of it: March here.
    month = docs[("report_months", "2026-03__none")]
    assert month["month"] == "2026-03"
    assert month["stages"]["lead"] == {"stays": 2, "tenths": 30, "hist": {"20": 1, "10": 1}}
    assert month["sources"]["show"]["reached"] == {"lead": 1, "proposal_sent": 1, "deposit_paid": 1}
    assert facts.reached == ("lead", "proposal_sent", "deposit_paid")
    assert (facts.stage, facts.stageSince, facts.wonAt) == ("deposit_paid", at(10), at(10))


def test_a_customer_lost_then_won_is_counted_lost_once_and_won_once():
    _, docs = run(
        [
            created(0),
            moved(1, "lead", "lost"),
            moved(3, "lost", "lead"),
            moved(4, "lead", "lost"),  # lost again: still one loss
            moved(7, "lost", "delivered"),
        ]
    )

    cohort = bucket(docs, 0)["sources"]["show"]
    assert (cohort["lost"], cohort["won"], cohort["toWon"]) == (1, 1, {"70": 1})
    assert cohort["reached"] == {"lead": 1, "lost": 1, "delivered": 1}
    assert bucket(docs, 7)["rep"] == {"wins": 1, "winsAtCreation": 1}
    merged = merge(d.get("stages") for (c, _), d in docs.items() if c == "report_days")
    assert merged["lost"] == {"stays": 2, "tenths": 20 + 30, "hist": {"20": 1, "30": 1}}


def test_payments_count_in_the_cohort_bucket_and_in_the_days_activity():
    _, docs = run([created(0, owner=REP_A), paid(5, 1500, REP_A), paid(40, 2500, REP_A)])

    assert bucket(docs, 0, REP_A)["sources"]["show"]["revenue"] == 4000  # both, first contact
    assert bucket(docs, 5, REP_A)["rep"] == {"revenue": 1500, "revenueAtCreation": 1500}
    assert bucket(docs, 40, REP_A)["rep"] == {"revenue": 2500, "revenueAtCreation": 2500}
    assert docs[("report_months", "2026-03_rep-a")]["rep"] == {
        "newLeads": 1,
        "revenue": 1500,
        "revenueAtCreation": 1500,
    }
    assert docs[("report_months", "2026-04_rep-a")]["rep"] == {
        "revenue": 2500,
        "revenueAtCreation": 2500,
    }
    assert "sources" not in docs[("report_months", "2026-04_rep-a")]


def test_a_first_call_counts_the_demo_and_the_win_after_it_where_the_call_was():
    facts, docs = run(
        [
            created(0, owner=REP_A),
            booked(1, REP_A),
            booked(3, REP_A),  # a second call: a demo, not a second demo customer
            cancelled(3, REP_A),
            moved(4, "lead", "delivered", REP_B),  # won by rep B after reassignment
            moved(5, "delivered", "lead", REP_B),
            moved(6, "lead", "delivered", REP_B),  # won again: no second win
        ]
    )

    assert bucket(docs, 1, REP_A)["rep"] == {"demos": 1, "demoCustomers": 1, "demoWins": 1}
    assert bucket(docs, 3, REP_A)["rep"] == {"demos": 1, "cancelled": 1}
    assert bucket(docs, 4, REP_B)["rep"] == {"wins": 1}
    assert "rep" not in bucket(docs, 6, REP_B)
    assert (facts.demoDay, facts.demoOwner, facts.demoWon) == (day(1), REP_A, True)
    assert bucket(docs, 0, REP_A)["sources"]["show"]["won"] == 1


def test_a_win_before_any_call_is_no_demo_win():
    _, docs = run([created(0), moved(1, "lead", "delivered"), booked(2)])

    assert bucket(docs, 2)["rep"] == {"demos": 1, "demoCustomers": 1}


def test_a_customer_created_unassigned_joins_the_cohort_of_the_first_owner_seen():
    _, docs = run(
        [
            created(0, source=None),
            moved(1, "lead", "proposal_sent"),
            paid(2, 700),
            moved(3, "proposal_sent", "delivered", REP_A),  # now rep A's
            paid(4, 300, REP_A),
        ]
    )

    nobody = bucket(docs, 0)["sources"]["_none"]
    assert nobody == {
        "leads": 0,
        "reached": {"lead": 0, "proposal_sent": 0},
        "revenue": 0,
    }
    assert bucket(docs, 0)["rep"] == {"newLeads": 1}  # activity stays where it happened
    assert bucket(docs, 0, REP_A)["sources"]["_none"] == {
        "leads": 1,
        "reached": {"lead": 1, "proposal_sent": 1, "delivered": 1},
        "revenue": 1000,
        "won": 1,
        "toWon": {"30": 1},
    }


def test_after_a_hand_over_the_win_counts_for_the_closer_and_at_creation_for_the_first_owner():
    handed = {
        "type": "owner.changed",
        "at": at(3),
        "ownerUid": REP_B,
        "data": {"from": REP_A, "to": REP_B, "reason": "hand-over"},
    }
    facts, docs = run(
        [
            created(0, owner=REP_A),
            handed,
            moved(4, "lead", "deposit_paid", REP_B),
            paid(6, 1200, REP_B),
        ]
    )

    assert facts.cohortOwner == REP_A
    assert bucket(docs, 4, REP_B)["rep"] == {"wins": 1}
    assert bucket(docs, 4, REP_A) == {
        "day": day(4),
        "ownerUid": REP_A,
        "rep": {"winsAtCreation": 1},
    }
    assert bucket(docs, 6, REP_B)["rep"] == {"revenue": 1200}
    assert bucket(docs, 6, REP_A)["rep"] == {"revenueAtCreation": 1200}
    buckets = [d for (c, _), d in docs.items() if c == "report_days"]
    team = {REP_A: {"displayName": "Ana"}, REP_B: {"displayName": "Ben"}}
    by_win, _ = reps(buckets, team)
    by_creation, totals = reps(buckets, team, "creation")
    assert [(r["uid"], r["newLeads"], r["wins"], r["revenue"]) for r in by_win] == [
        (REP_B, 0, 1, 1200),
        (REP_A, 1, 0, 0),
    ]
    assert [(r["uid"], r["wins"], r["revenue"]) for r in by_creation] == [(REP_A, 1, 1200)]
    assert (totals["wins"], totals["revenue"], totals["newLeads"]) == (1, 1200, 1)


def test_a_move_to_where_the_customer_is_changes_nothing():
    facts, _ = run([created(0)])
    after, docs = run([moved(2, "lead", "lead")], facts)

    assert after == facts and docs == {}


def test_a_customer_older_than_the_events_has_activity_but_no_cohort():
    facts, docs = run(
        [
            moved(2, "proposal_sent", "proposal_signed", REP_A),
            moved(5, "proposal_signed", "delivered", REP_A),
        ]
    )

    assert "sources" not in str(docs.keys()) and all("sources" not in d for d in docs.values())
    assert ("report_days", f"{day(2)}_{REP_A}") not in docs  # that stay's start is unknown
    assert bucket(docs, 5, REP_A) == {
        "day": day(5),
        "ownerUid": REP_A,
        "stages": {"proposal_signed": {"stays": 1, "tenths": 30, "hist": {"30": 1}}},
        "rep": {"wins": 1, "winsAtCreation": 1},  # no cohort: the owner at the win
    }
    assert facts.createdDay is None


def test_the_business_day_is_the_time_zones():
    late = {**created(0), "at": datetime(2026, 3, 2, 23, 30, tzinfo=UTC)}  # 00:30 in Malta

    _, docs = run([late])

    assert ("report_days", "2026-03-03__none") in docs


def test_facts_survive_their_stored_form():
    facts, _ = run([created(0), booked(1), moved(2, "lead", "delivered")])

    assert Facts.of(facts.document()) == facts


# --- readers -------------------------------------------------------------------------------


def test_medians_of_odd_and_even_counts_round_half_up():
    assert median_days({"10": 1, "20": 1, "30": 1}) == 2.0
    assert median_days({"30": 1, "10": 1, "20": 2}) == 2.0  # 10 20 20 30
    assert median_days({"10": 1, "25": 1}) == 1.8  # 17.5 tenths = 1.75 days
    assert median_days({"15": 2}) == 1.5
    assert median_days({"3": 1, "100": 1, "101": 1, "102": 1}) == 10.1  # (100 + 101) / 2
    assert median_days({}) is None and median_days(None) is None
    assert average_days(35, 2) == 1.8 and average_days(0, 0) is None


def test_competition_ranking_shares_a_rank_and_skips_the_next():
    assert ranks([300, 300, 100]) == [1, 1, 3]
    assert ranks([0, 5, 5, 7]) == [4, 2, 2, 1]


def test_lead_sources_rows_sorted_by_revenue_won_leads_with_a_total():
    merged = {
        "show": {"leads": 4, "reached": {"lead": 4, "delivered": 2}, "won": 2, "revenue": 900,
                 "toWon": {"20": 1, "50": 1}},
        "web": {"leads": 3, "reached": {"lead": 3, "delivered": 2}, "won": 2, "lost": 1,
                "revenue": 900, "toWon": {"10": 2}},
        "_none": {"leads": 1, "reached": {"lead": 1, "old_stage": 1}},
    }  # fmt: skip
    stage_rows = stage_list(STAGES, {"old_stage", "lead"})
    rows, totals = lead_sources(
        merged, stage_rows, {"show": {"label": "Spring show", "kind": "trade_show"}}
    )

    assert [r["source"] for r in rows] == ["show", "web", "_none"]  # tie on money and won
    assert rows[0]["label"] == "Spring show" and rows[0]["kind"] == "trade_show"
    assert rows[0]["medianDaysToWon"] == 3.5 and rows[0]["conversion"] == 0.5
    assert rows[2]["label"] == "No source" and rows[2]["medianDaysToWon"] is None
    assert rows[2]["reached"]["old_stage"] == 1 and rows[2]["reached"]["delivered"] == 0
    assert stage_rows[-1] == {"id": "old_stage", "label": "old_stage", "group": None}
    assert totals["source"] == "_total"
    assert (totals["leads"], totals["won"], totals["lost"], totals["revenue"]) == (8, 4, 1, 1800)
    assert totals["medianDaysToWon"] == 1.5  # 10 10 20 50
    assert totals["conversion"] == 0.5


def test_time_in_stage_in_pipeline_order_with_nulls_where_no_stay_ended():
    rows = time_in_stage(
        {"proposal_sent": {"stays": 3, "tenths": 100, "hist": {"20": 1, "30": 1, "50": 1}}},
        stage_list(STAGES, ()),
    )

    assert [r["stage"] for r in rows] == [s.id for s in STAGES]
    sent = rows[1]
    assert (sent["stays"], sent["medianDays"], sent["averageDays"]) == (3, 3.0, 3.3)
    assert (rows[0]["stays"], rows[0]["medianDays"], rows[0]["averageDays"]) == (0, None, None)


def test_reps_by_owner_named_from_the_team_with_demo_to_close():
    buckets = [
        {"ownerUid": REP_A, "rep": {"wins": 1, "revenue": 100, "demoCustomers": 2, "demoWins": 1}},
        {"ownerUid": REP_A, "rep": {"newLeads": 3}},
        {"ownerUid": REP_B, "rep": {"revenue": 500}},
        {"ownerUid": None, "rep": {"newLeads": 2}},
        {"ownerUid": "gone", "sources": {}},  # no activity: no row
    ]
    team = {REP_A: {"displayName": "Ana"}, REP_B: {"email": "b@studio.test"}}

    rows, totals = reps(buckets, team)

    assert [(r["uid"], r["name"]) for r in rows] == [
        (REP_B, "b@studio.test"),
        (REP_A, "Ana"),
        (None, "Unassigned"),
    ]
    assert rows[1]["demoToClose"] == 0.5 and rows[0]["demoToClose"] is None
    assert rows[1]["newLeads"] == 3
    assert (totals["newLeads"], totals["revenue"], totals["wins"]) == (5, 600, 1)


def test_trade_shows_of_the_period_ranked_by_revenue_and_wins():
    shows = {
        "a": {"label": "Alpha", "kind": "trade_show", "startsOn": "2026-03-01", "endsOn": "2026-03-03"},
        "b": {"label": "Beta", "kind": "trade_show", "startsOn": "2025-01-01", "endsOn": "2025-01-02"},
        "c": {"label": "Gamma", "kind": "trade_show", "startsOn": "2026-03-20"},
        "d": {"label": "Delta", "kind": "trade_show", "startsOn": "2027-01-01"},
    }  # fmt: skip
    merged = {
        "a": {"leads": 2, "won": 1, "revenue": 300},
        "b": {"leads": 1, "won": 2, "revenue": 300},
    }

    rows, totals = trade_shows(merged, shows, date(2026, 3, 1), date(2026, 3, 31))

    assert [(r["source"], r["revenueRank"], r["winsRank"]) for r in rows] == [
        ("b", 1, 1),  # held long ago, but its leads came in this period
        ("a", 1, 2),
        ("c", 3, 3),  # held in the period, nothing yet
    ]
    assert (totals["leads"], totals["won"], totals["revenue"]) == (3, 3, 600)


def test_the_owner_routing_gives_a_new_lead_becomes_its_cohort_owner_at_once():
    routed = {
        "type": "owner.changed",
        "at": at(0.01),
        "ownerUid": REP_A,
        "data": {"from": None, "to": REP_A, "reason": "Round robin", "rule": "team"},
    }
    facts, docs = run([created(0), routed, moved(1, "lead", "proposal_sent", REP_A)])

    assert facts is not None and facts.cohortOwner == REP_A
    assert bucket(docs, 0)["sources"]["show"]["leads"] == 0
    assert bucket(docs, 0, REP_A)["sources"]["show"] == {
        "leads": 1,
        "reached": {"lead": 1, "proposal_sent": 1},
    }
    later = dict(routed, ownerUid="rep-b", data={"from": REP_A, "to": "rep-b"})
    facts, _ = run([later], facts)
    assert facts is not None and facts.cohortOwner == REP_A  # the first owner keeps the cohort
