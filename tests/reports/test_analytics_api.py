"""GET /analytics through the function as the framework serves it, with real sign-ins.

Who may see the figures (owner and manager; a rep, a partner or a token without a role
gets a 403, no token a 401), the period and format a caller may ask for, the CSV a
spreadsheet opens safely, and a read count that stays the same however busy the site
was. Dates here are the real today in Malta, since the function asks the clock.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hearth.rules import periods
from tests.analytics_seed import write_roll_ups
from tests.answers import names_field, refusal
from tests.customers.test_export import customer, seed
from tests.store_counter import StoreCounter

MALTA = "Europe/Malta"
CONTRACT_KEYS = {
    "period",
    "label",
    "timeZone",
    "currency",
    "range",
    "previousRange",
    "granularity",
    "totals",
    "series",
    "wizard",
    "forms",
    "topPages",
    "sources",
    "mediums",
    "campaigns",
    "sourceToMoney",
    "callsToday",
}


@pytest.fixture
def analytics(db, users, function_client, default_settings, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HEARTH_TIME_ZONE", MALTA)
    return function_client("analytics")


def today() -> str:
    return periods.business_day(datetime.now(UTC), MALTA).isoformat()


def get(client: Any, headers: dict[str, str], **query: str) -> Any:
    return client.get("/", query_string=query, headers=headers)


def seed_today(db: Any) -> None:
    """Today's traffic and two of today's leads, one from a source a formula could hide in."""
    write_roll_ups(
        db,
        {
            f"{today()}_0": {"pageviews": 30, "visitors": 10, "sources": {"google": 8}},
            f"{today()}_1": {"pageviews": 5, "visitors": 4, "sources": {"=cmd": 2, "google": 2}},
        },
    )
    now = datetime.now(UTC) - timedelta(seconds=1)
    seed(
        db,
        customer(
            "won@example.org",
            firstSource="google",
            stage="delivered",
            balances={"pending": 0, "paid": 250_050, "currency": "EUR"},
            createdAt=now,
        ),
        customer("formula@example.org", firstSource="=cmd", stage="lead", createdAt=now),
    )


# --- who may see the figures ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "manager"])
def test_the_owner_and_a_manager_get_the_figures(analytics, db, users, role: str) -> None:
    seed_today(db)

    response = get(analytics, users.headers(role), period="today")

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert set(body) == CONTRACT_KEYS
    assert body["totals"]["pageviews"]["value"] == 35
    assert body["sourceToMoney"][0]["revenue"] == "2500.50"
    assert "won@example.org" not in response.get_data(as_text=True)  # no person, ever


@pytest.mark.parametrize(
    ("role", "extra"),
    [("rep", {}), ("partner", {"segments": ["wholesale"]}), (None, {})],
    ids=["rep", "partner", "no-role"],
)
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_rep_a_partner_or_a_token_without_a_role_is_refused(
    analytics, db, users, role, extra, fmt: str
) -> None:
    seed_today(db)

    answer = refusal(get(analytics, users.headers(role, **extra), format=fmt), 403)

    assert answer["error"] == "forbidden"
    assert names_field(answer, "role")
    assert "google" not in str(answer)


def test_without_a_valid_sign_in_the_answer_is_401(analytics, db) -> None:
    for headers in ({}, {"Authorization": "Bearer not.a.token"}):
        response = get(analytics, headers)

        assert refusal(response, 401)["error"] == "unauthenticated"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


# --- what may be asked -------------------------------------------------------------------------


def test_the_period_is_30_days_unless_asked_otherwise(analytics, db, users) -> None:
    body = get(analytics, users.headers("owner")).get_json()

    assert body["period"] == "30d"
    assert body["range"]["to"] == today()
    assert len(body["series"]) == 30


@pytest.mark.parametrize("period", ["90d", "", "week", "30D "])
def test_an_unknown_period_is_a_400_naming_the_period_and_the_allowed_values(
    analytics, db, users, period: str
) -> None:
    if period == "30D ":  # spelling is forgiven: case and spaces
        assert get(analytics, users.headers("owner"), period=period).status_code == 200
        return

    answer = refusal(get(analytics, users.headers("owner"), period=period), 400)

    assert names_field(answer, "period")
    for allowed in ("today", "7d", "30d", "12m"):
        assert allowed in answer["fields"]["period"]
        assert allowed in answer["message"]


def test_an_unknown_format_is_a_400_naming_the_format(analytics, db, users) -> None:
    answer = refusal(get(analytics, users.headers("owner"), format="xlsx"), 400)

    assert names_field(answer, "format")


def test_only_get_is_answered(analytics, db, users) -> None:
    response = analytics.post("/", headers=users.headers("owner"), json={})

    assert refusal(response, 405)["error"] == "method_not_allowed"


# --- the CSV -----------------------------------------------------------------------------------


def test_the_csv_is_the_source_to_money_table_with_formulas_neutralised(
    analytics, db, users
) -> None:
    seed_today(db)

    response = get(analytics, users.headers("manager"), period="7d", format="csv")

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="hearth-source-to-money-7d-{today()}.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data().decode("utf-8")
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["Source", "Visitors", "Leads", "Won", "Revenue", "Visitor to lead", "Lead to won"],
        ["google", "10", "1", "1", "2500.50", "0.1", "1.0"],
        ["'=cmd", "2", "1", "0", "0.00", "0.5", "0.0"],
    ]


def test_a_source_without_visitors_or_leads_has_empty_ratios_in_the_csv(
    analytics, db, users
) -> None:
    write_roll_ups(db, {f"{today()}_all": {"visitors": 3, "sources": {"@home": 3}}})

    response = get(analytics, users.headers("owner"), period="today", format="csv")

    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8"), newline="")))
    assert rows[1] == ["'@home", "3", "0", "0", "0.00", "0.0", ""]


# --- what a request costs ----------------------------------------------------------------------


@pytest.fixture
def counter(db) -> Iterator[StoreCounter]:
    """Counts what the function reads: it shares the server client the db fixture made."""
    counting = StoreCounter()
    counting.attach(db)
    yield counting


def seed_events(db: Any, count: int, start: int = 0) -> None:
    """Raw events, as the ingest keeps them for drill-down: the report never reads them."""
    for first in range(start, start + count, 500):
        batch = db.batch()
        for n in range(first, min(first + 500, start + count)):
            batch.set(
                db.collection("analytics_events").document(f"evt-{n:06d}"),
                {"day": today(), "name": "pageview", "path": "/", "source": "google"},
            )
        batch.commit()


def busy_day(pageviews: int) -> dict[str, dict[str, Any]]:
    live = {
        f"{today()}_{shard}": {"pageviews": pageviews, "visitors": pageviews // 10}
        for shard in range(8)
    }
    return {**live, f"{today()}_all": {"pageviews": pageviews, "pages": {"/": pageviews}}}


def test_a_request_reads_the_same_for_a_quiet_day_and_a_busy_one(
    analytics, db, users, counter
) -> None:
    owner = users.headers("owner")
    write_roll_ups(db, busy_day(1_000))
    seed_events(db, 20)
    with counter.per(1) as quiet:
        first = get(analytics, owner, period="today")

    write_roll_ups(db, busy_day(100_000))
    seed_events(db, 1_000, start=20)
    with counter.per(1) as busy:
        second = get(analytics, owner, period="today")

    assert first.get_json()["totals"]["pageviews"]["value"] == 9 * 1_000
    assert second.get_json()["totals"]["pageviews"]["value"] == 9 * 100_000
    assert busy["reads"] == quiet["reads"]
    # Today's nine roll-ups; yesterday's (none: billed one); no customers, no calls (one
    # each); the pipeline settings (one).
    assert quiet["reads"] == 9 + 1 + 1 + 1 + 1


def two_years_of_days() -> dict[str, dict[str, Any]]:
    """A compacted roll-up for every day from the first of the month 23 months back to
    yesterday, and two live shards today: the reach of 12m and the twelve months before."""
    day = periods.business_day(datetime.now(UTC), MALTA)
    first = periods.add_months(day.replace(day=1), -23)
    docs = {f"{today()}_{shard}": {"pageviews": 1, "visitors": 1} for shard in (0, 1)}
    while first < day:
        docs[f"{first.isoformat()}_all"] = {"pageviews": 2, "visitors": 1, "pages": {"/": 2}}
        first += timedelta(days=1)
    return docs


def test_twelve_months_read_month_roll_ups_not_every_day(analytics, db, users, counter) -> None:
    from hearth import analytics as ingest
    from hearth import config
    from hearth.store import analytics as analytics_store

    owner = users.headers("owner")
    docs = two_years_of_days()
    for chunk in range(0, len(docs), 400):
        write_roll_ups(db, dict(list(docs.items())[chunk : chunk + 400]))
    with counter.per(1) as dear:
        before = get(analytics, owner, period="12m").get_json()

    ingest.rollover(config.load(), client=db)
    analytics_store.forget_salts()
    with counter.per(1) as cheap:
        after = get(analytics, owner, period="12m").get_json()
    with counter.per(1) as thirty:
        get(analytics, owner, period="30d")

    assert after == before
    days_this_month = periods.business_day(datetime.now(UTC), MALTA).day
    # Before the rollover: two queries for month roll-ups that find none (billed one
    # each), every day of both periods, then customers, calls and pipeline.
    assert dear["reads"] == 2 + len(docs) + 1 + 1 + 1 > 690
    # After: 11 closed months and this month's days (yesterday's compacted, today's two
    # shards), the previous 12 months, then customers, calls and pipeline.
    assert cheap["reads"] == 11 + (days_this_month - 1 + 2) + 12 + 1 + 1 + 1
    # 30 days still read days: 29 compacted and today's two shards, the 30 before.
    assert thirty["reads"] == 29 + 2 + 30 + 1 + 1 + 1
