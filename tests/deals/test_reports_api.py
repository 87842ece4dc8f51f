"""GET /reports/{name} through the function as the framework serves it, on a data set
made through the real API paths (intake, the admin API, the booking widget) and folded
by the sweep, with every expected figure worked out by hand below.

The events' times are set to a chosen past fortnight before the sweep folds them (as
if the moves had happened then), so durations are whole days. Times are 12:00 UTC:
the same date in Malta.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hearth import config, tasks
from hearth.rules import periods
from tests.answers import names_field, refusal
from tests.bookings.test_book import book, booked, malta, next_weekday
from tests.deals.helpers import MALTA, all_events, env, later, lead, patch, pay
from tests.store_counter import StoreCounter
from tests.studio import STUDIO_IDS

__all__ = ["env"]
pytestmark = pytest.mark.usefixtures("env")

REP_A, REP_B = "rep-a", "rep-b"
C1, C2, C3 = "c1@example.org", "c2@example.org", "c3@example.org"
START = datetime.combine(
    periods.business_day(datetime.now(UTC), MALTA) - timedelta(days=60),
    datetime.min.time(),
    tzinfo=UTC,
) + timedelta(hours=12)
FIRST = START.date()
PERIOD = {"from": FIRST.isoformat(), "to": (FIRST + timedelta(days=20)).isoformat()}
CONTRACT = {"report", "title", "from", "to", "timeZone", "currency", "scope", "upTo"}


def at(days: float) -> datetime:
    return START + timedelta(days=days)


@pytest.fixture
def admin(db, users, function_client):
    return function_client("admin")


@pytest.fixture
def reports(db, users, function_client):
    return function_client("reports")


def source(admin: Any, headers: dict[str, str], source_id: str, **body: Any) -> None:
    response = admin.put(f"/sources/{source_id}", json=body, headers=headers)
    assert response.status_code in (200, 201), response.get_data(as_text=True)


@pytest.fixture
def seeded(admin, intake, db, users, function_client) -> None:
    """Three customers, in this order (days after START, owner of the event):

    0    c1 created, source spring-show, unassigned (then given to rep A)
    1    c2 created, spring-show (then given to rep B)
    1+   c3 created, website, stays unassigned and in "lead"
    1+   c1 books a call (rep A): c1 joins rep A's cohort
    2    c1 lead -> proposal_sent (A)
    3    c2 lead -> proposal_sent (B): c2 joins rep B's cohort
    4    c2 proposal_sent -> delivered (B): won after 3 days
    5    c1 proposal_sent -> lead (A): backward
    6    c1 lead -> deposit_paid (A): skips proposal_signed; won after 6 days, after the call
    8    c1 pays 1,000.00 (A)
    9    c2 pays 500.00 (B)
    """
    owner = users.headers("owner")
    for uid, name in ((REP_A, "Ana Rep"), (REP_B, None)):
        users.token("rep", uid=uid)
        db.collection("team").document(uid).set(
            {"uid": uid, "email": f"{uid}@hearth.test", "role": "rep", "displayName": name}
        )
    show = {"kind": "trade_show", "place": "Valletta"}
    day = FIRST.isoformat()
    source(admin, owner, "spring-show", label="=Spring show", startsOn=day, endsOn=day, **show)
    later_day = (FIRST + timedelta(days=10)).isoformat()
    source(admin, owner, "autumn-fair", label="Autumn fair", startsOn=later_day, **show)
    source(admin, owner, "old-fair", label="Old fair", startsOn="2020-01-01", **show)

    lead(intake, C1, "spring-show")
    patch(admin, db, owner, C1, ownerUid=REP_A)
    lead(intake, C2, "spring-show")
    patch(admin, db, owner, C2, ownerUid=REP_B)
    lead(intake, C3, "website")
    booked(book({"book": function_client("book")}, malta(next_weekday(), 10), email=C1))
    patch(admin, db, owner, C1, stage="proposal_sent")
    patch(admin, db, owner, C2, stage="proposal_sent")
    patch(admin, db, owner, C2, stage="delivered")
    patch(admin, db, owner, C1, stage="lead")
    patch(admin, db, owner, C1, stage="deposit_paid")
    pay(admin, db, owner, C1, 100_000, "pay-c1-0001")
    pay(admin, db, owner, C2, 50_000, "pay-c2-0001")

    events = all_events(db)
    planned = [0, 1, 1.04, 1.08, 2, 3, 4, 5, 6, 8, 9]
    assert [(e["type"], e["customer"]) for e in events] == [
        ("customer.created", C1),
        ("customer.created", C2),
        ("customer.created", C3),
        ("booking.created", C1),
        ("stage.changed", C1),
        ("stage.changed", C2),
        ("stage.changed", C2),
        ("stage.changed", C1),
        ("stage.changed", C1),
        ("payment.recorded", C1),
        ("payment.recorded", C2),
    ]
    for event, days in zip(events, planned, strict=True):
        db.collection("events").document(event["id"]).update({"at": at(days)})
    assert tasks.sweep(config.load(), later())["reports"] == len(events)


def get(client: Any, headers: dict[str, str], name: str, **query: str) -> Any:
    return client.get(f"/reports/{name}", query_string=query, headers=headers)


def answer(client: Any, headers: dict[str, str], name: str, **query: str) -> dict[str, Any]:
    response = get(client, headers, name, **{**PERIOD, **query})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()


def reached(**counts: int) -> dict[str, int]:
    return {stage: counts.get(stage, 0) for stage in STUDIO_IDS}


# --- each report, by hand -----------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "manager"])
def test_lead_sources_by_hand(seeded, reports, users, role: str) -> None:
    body = answer(reports, users.headers(role), "lead-sources")

    assert CONTRACT | {"stages", "rows", "totals"} == set(body)
    assert (body["report"], body["scope"], body["timeZone"], body["currency"]) == (
        "lead-sources",
        "all",
        MALTA,
        "EUR",
    )
    assert body["upTo"] == at(9).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
    assert [s["id"] for s in body["stages"]] == list(STUDIO_IDS)
    spring, web = body["rows"]
    assert spring == {
        "source": "spring-show",
        "label": "=Spring show",
        "kind": "trade_show",
        "leads": 2,
        "reached": reached(lead=2, proposal_sent=2, deposit_paid=1, delivered=1),
        "won": 2,
        "lost": 0,
        "conversion": 1.0,
        "revenue": 150_000,
        "medianDaysToWon": 4.5,  # 3 and 6 days
    }
    assert web == {
        "source": "website",
        "label": "website",
        "kind": "inbound",
        "leads": 1,
        "reached": reached(lead=1),
        "won": 0,
        "lost": 0,
        "conversion": 0.0,
        "revenue": 0,
        "medianDaysToWon": None,
    }
    totals = body["totals"]
    assert (totals["source"], totals["leads"], totals["won"], totals["revenue"]) == (
        "_total",
        3,
        2,
        150_000,
    )
    assert (totals["conversion"], totals["medianDaysToWon"]) == (0.6667, 4.5)


def test_time_in_stage_by_hand(seeded, reports, users) -> None:
    body = answer(reports, users.headers("owner"), "time-in-stage")

    rows = {row["stage"]: row for row in body["rows"]}
    assert [row["stage"] for row in body["rows"]] == list(STUDIO_IDS)
    # lead: c1 2 days, c2 2 days, c1 again 1 day; proposal_sent: c1 3 days, c2 1 day.
    assert rows["lead"] == {
        "stage": "lead",
        "label": "Lead",
        "group": "lead",
        "stays": 3,
        "medianDays": 2.0,
        "averageDays": 1.7,  # 5 / 3
    }
    assert (rows["proposal_sent"]["stays"], rows["proposal_sent"]["medianDays"]) == (2, 2.0)
    assert rows["proposal_sent"]["averageDays"] == 2.0
    assert rows["proposal_signed"]["stays"] == 0  # skipped, never stayed in
    assert rows["proposal_signed"]["medianDays"] is None
    assert (body["totals"]["stays"], body["totals"]["medianDays"]) == (5, 2.0)
    assert body["totals"]["averageDays"] == 1.8  # 9 days over 5 stays


def test_reps_by_hand(seeded, reports, users) -> None:
    body = answer(reports, users.headers("manager"), "reps")

    assert body["rows"] == [
        {
            "uid": REP_A,
            "name": "Ana Rep",
            "newLeads": 0,
            "demos": 1,
            "cancelled": 0,
            "wins": 1,
            "demoCustomers": 1,
            "demoWins": 1,
            "demoToClose": 1.0,
            "revenue": 100_000,
        },
        {
            "uid": REP_B,
            "name": f"{REP_B}@hearth.test",
            "newLeads": 0,
            "demos": 0,
            "cancelled": 0,
            "wins": 1,
            "demoCustomers": 0,
            "demoWins": 0,
            "demoToClose": None,
            "revenue": 50_000,
        },
        {
            "uid": None,
            "name": "Unassigned",
            "newLeads": 3,  # every lead came in unassigned
            "demos": 0,
            "cancelled": 0,
            "wins": 0,
            "demoCustomers": 0,
            "demoWins": 0,
            "demoToClose": None,
            "revenue": 0,
        },
    ]
    assert (body["totals"]["wins"], body["totals"]["revenue"]) == (2, 150_000)


def test_trade_shows_by_hand(seeded, reports, users) -> None:
    body = answer(reports, users.headers("owner"), "trade-shows")

    assert [
        (r["source"], r["leads"], r["won"], r["revenue"], r["revenueRank"], r["winsRank"])
        for r in body["rows"]
    ] == [("spring-show", 2, 2, 150_000, 1, 1), ("autumn-fair", 0, 0, 0, 2, 2)]
    assert body["rows"][0]["place"] == "Valletta"
    assert body["rows"][0]["startsOn"] == FIRST.isoformat()


def test_a_period_before_the_events_is_empty(seeded, reports, users) -> None:
    before = {"from": (FIRST - timedelta(days=30)).isoformat(), "to": PERIOD["from"]}
    body = answer(reports, users.headers("owner"), "lead-sources", **before)
    assert [r["source"] for r in body["rows"]] == ["spring-show"]  # c1 came in on day 0
    assert body["rows"][0]["leads"] == 1 and body["rows"][0]["revenue"] == 100_000  # cohort


# --- a rep sees their own figures only ----------------------------------------------------


def test_a_rep_sees_only_their_own_figures(seeded, reports, users) -> None:
    rep_a = users.headers("rep", uid=REP_A)

    sources = answer(reports, rep_a, "lead-sources")
    assert sources["scope"] == "own"
    [spring] = sources["rows"]
    assert (spring["leads"], spring["won"], spring["revenue"]) == (1, 1, 100_000)
    assert spring["reached"] == reached(lead=1, proposal_sent=1, deposit_paid=1)
    assert spring["medianDaysToWon"] == 6.0
    stays = {r["stage"]: r for r in answer(reports, rep_a, "time-in-stage")["rows"]}
    assert (stays["lead"]["stays"], stays["lead"]["medianDays"]) == (2, 1.5)
    assert (stays["proposal_sent"]["stays"], stays["proposal_sent"]["medianDays"]) == (1, 3.0)
    people = answer(reports, rep_a, "reps")
    assert [r["uid"] for r in people["rows"]] == [REP_A]
    shows = answer(reports, rep_a, "trade-shows")["rows"]
    assert [(r["source"], r["revenue"]) for r in shows] == [
        ("spring-show", 100_000),
        ("autumn-fair", 0),
    ]
    for name in ("lead-sources", "reps", "time-in-stage", "trade-shows"):
        text = get(reports, rep_a, name, **PERIOD).get_data(as_text=True)
        assert REP_B not in text and "50000" not in text and "Unassigned" not in text


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-02-30"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-05-02", "to": "2026-05-01"}, "from"),
        ({"from": "2025-01-01", "to": "2026-01-02"}, "from"),  # 367 days
        ({"format": "xlsx"}, "format"),
    ],
)
def test_a_bad_period_or_format_is_a_400_naming_it(db, reports, users, query, field) -> None:
    response = get(reports, users.headers("owner"), "reps", **query)

    assert names_field(refusal(response, 400), field)


def test_a_year_of_366_days_is_allowed_and_the_default_is_the_last_30_days(
    db, reports, users
) -> None:
    owner = users.headers("owner")
    assert (
        get(reports, owner, "reps", **{"from": "2024-01-01", "to": "2024-12-31"}).status_code == 200
    )
    body = get(reports, owner, "reps").get_json()
    today = periods.business_day(datetime.now(UTC), MALTA)
    assert (body["from"], body["to"]) == (
        (today - timedelta(days=29)).isoformat(),
        today.isoformat(),
    )
    assert (body["rows"], body["upTo"]) == ([], None)


@pytest.mark.parametrize("path", ["/reports/sales", "/reports", "/reports/reps/x"])
def test_an_unknown_report_is_a_404_naming_the_name(db, reports, users, path: str) -> None:
    answer_ = refusal(reports.get(path, headers=users.headers("owner")), 404)

    assert names_field(answer_, "name")
    assert "lead-sources" in answer_["message"]


def test_without_a_valid_sign_in_the_answer_is_401(db, reports) -> None:
    for headers in ({}, {"Authorization": "Bearer not.a.token"}):
        assert refusal(get(reports, headers, "reps"), 401)["error"] == "unauthenticated"


@pytest.mark.parametrize(("role", "extra"), [("partner", {"segments": ["w"]}), (None, {})])
def test_a_partner_or_a_token_without_a_role_is_refused(db, reports, users, role, extra) -> None:
    answer_ = refusal(get(reports, users.headers(role, **extra), "lead-sources"), 403)

    assert names_field(answer_, "role")


def test_only_get_is_answered(db, reports, users) -> None:
    response = reports.post("/reports/reps", headers=users.headers("owner"), json={})
    assert refusal(response, 405)["error"] == "method_not_allowed"


# --- CSV ------------------------------------------------------------------------------------


def test_the_lead_sources_csv_has_a_column_per_stage_and_neutralised_labels(
    seeded, reports, users
) -> None:
    response = get(reports, users.headers("owner"), "lead-sources", format="csv", **PERIOD)

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="hearth-lead-sources-{PERIOD["from"]}-{PERIOD["to"]}.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8"), newline="")))
    assert rows[0][:4] == ["Source", "Kind", "Leads", "Reached: Lead"]
    assert "Reached: Proposal signed" in rows[0]
    assert rows[0][-5:] == ["Lost", "Conversion", "Revenue", "Currency", "Median days to won"]
    assert rows[1][:3] == ["'=Spring show", "trade_show", "2"]
    assert rows[1][-3:] == ["1500.00", "EUR", "4.5"]
    assert rows[2][-3:] == ["0.00", "EUR", ""]
    assert rows[3][0] == "Total"


@pytest.mark.parametrize("name", ["time-in-stage", "reps", "trade-shows"])
def test_every_report_comes_as_csv(seeded, reports, users, name: str) -> None:
    response = get(reports, users.headers("owner"), name, format="csv", **PERIOD)

    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8"), newline="")))
    assert rows[-1][0] == ("All stages" if name == "time-in-stage" else "Total")
    if name == "trade-shows":
        assert rows[1][0] == "'=Spring show" and rows[1][6:8] == ["1500.00", "EUR"]


# --- a bounded number of reads ---------------------------------------------------------------


def test_opening_a_report_reads_as_many_documents_for_40_customers_as_for_5(
    intake, db, reports, users
) -> None:
    owner = users.headers("owner")
    counter = StoreCounter()
    counter.attach(db)
    costs = []
    made = 0
    for count in (5, 40):
        while made < count:
            lead(intake, f"many{made}@example.org", "spring-show")
            made += 1
        tasks.sweep(config.load(), later())
        with counter.per(1) as cost:
            response = get(reports, owner, "lead-sources")
        body = response.get_json()
        assert body["rows"][0]["leads"] == count
        costs.append(cost["reads"])

    assert costs[0] == costs[1]
    assert costs[0] <= 6
