"""The figures of a period on the real emulator, against numbers worked out by hand.

Roll-ups are written directly (tests/analytics_seed.py), customers and bookings with
the server client the way intake and booking leave them. The report is asked for at a
fixed instant, 2026-12-06 12:00 in Malta, so every range below is known in advance:
7d is 2026-11-30 to 2026-12-06, and the period before it 2026-11-23 to 2026-11-29.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hearth import config, reports
from tests import analytics_seed
from tests.analytics_seed import write_roll_ups

MALTA = ZoneInfo("Europe/Malta")
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=MALTA)


@pytest.fixture
def settings(db, default_settings, monkeypatch: pytest.MonkeyPatch) -> config.Settings:
    monkeypatch.setenv("HEARTH_TIME_ZONE", "Europe/Malta")
    return config.load()


def malta(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=MALTA)


# The scenario: two live shards and a compacted document for today (the moment the
# rollover is folding them, when both exist), a closed day earlier in the week, a day of
# the previous week, and days outside both periods that must not count.
ROLL_UPS: dict[str, dict[str, Any]] = {
    "2026-12-06_0": {
        "pageviews": 10,
        "visitors": 4,
        "leads": 1,
        "pages": {"/": 6, "/pricing": 4},
        "sources": {"google": 3, "=cmd": 1},
        "events": {"wizard_start": 4, "wizard_step": 6, "wizard_complete": 1},
        "wizardSteps": {"1": 4, "2": 2},
        "forms": {"contact": 1},
    },
    "2026-12-06_3": {
        "pageviews": 5,
        "visitors": 2,
        "leads": 1,
        "pages": {"/pricing": 5},
        "sources": {"google": 1, "facebook": 1},
        "events": {"wizard_start": 1},
        "wizardSteps": {"1": 1},
        "forms": {"pricing": 1},
    },
    "2026-12-06_all": {
        "pageviews": 20,
        "visitors": 6,
        "leads": 2,
        "pages": {"/": 20},
        "sources": {"google": 6},
        "forms": {"contact": 2},
    },
    "2026-12-01_all": {
        "pageviews": 50,
        "visitors": 20,
        "leads": 3,
        "sources": {"google": 10, "instagram": 8, "direct": 2},
        "mediums": {"cpc": 10},
        "campaigns": {"spring": 5},
        "events": {"wizard_start": 5, "wizard_complete": 3},
        "wizardSteps": {"1": 5, "2": 4, "10": 1},
        "forms": {"contact": 2, "pricing": 1},
    },
    "2026-11-29_all": {  # the previous week
        "pageviews": 40,
        "visitors": 20,
        "leads": 4,
        "sources": {"google": 20},
        "events": {"wizard_start": 10, "wizard_complete": 2},
        "forms": {"contact": 5},
    },
    "2026-11-22_all": {"pageviews": 999, "visitors": 999, "leads": 99},  # before both
    "2026-12-07_0": {"pageviews": 777, "visitors": 77, "sources": {"google": 77}},  # tomorrow
}

# Customers of the week: firstSource as intake folded it, stage and paid balance as the
# owner left them. created = when intake made the customer.
CUSTOMERS = {
    "a@example.org": ("google", "delivered", 150_000, malta(2, 10), False),
    "b@example.org": ("google", "lead", 0, malta(3, 11), False),
    "c@example.org": ("google", "in_production", 45_000, malta(4, 9), True),  # archived
    "d@example.org": ("instagram", "proposal_sent", 0, malta(5, 16), False),
    # 00:30 on the period's first day in Malta, still 29 November in UTC: inside.
    "e@example.org": ("referral", "deposit_paid", 30_000, malta(30, 0, 30, month=11), False),
    # 23:30 on the day before the period in Malta: the previous period, not this one.
    "f@example.org": ("google", "delivered", 999_900, malta(29, 23, 30, month=11), False),
    "g@example.org": ("google", "delivered", 500_000, malta(7, 0, 10), False),  # tomorrow
    "h@example.org": ("=cmd", "lead", 0, malta(6, 9), False),
}


def seed_customers(db: Any, rows: dict[str, tuple] | None = None) -> None:
    analytics_seed.seed_customers(db, rows or CUSTOMERS)


def seed_calls(db: Any) -> None:
    calls = {
        "bk_late": (malta(6, 15, 30), "confirmed"),
        "bk_early": (malta(6, 10), "confirmed"),
        "bk_cancelled": (malta(6, 12), "cancelled"),
        "bk_yesterday": (malta(5, 23, 30), "confirmed"),
        "bk_tomorrow": (malta(7, 0, 30), "confirmed"),
    }
    for booking_id, (start, status) in calls.items():
        db.collection("bookings").document(booking_id).set(
            {
                "customerKey": "a@example.org",
                "start": start.astimezone(UTC),
                "end": (start + timedelta(minutes=30)).astimezone(UTC),
                "status": status,
            }
        )


@pytest.fixture
def week(db, settings) -> dict[str, Any]:
    write_roll_ups(db, ROLL_UPS)
    seed_customers(db)
    seed_calls(db)
    return reports.analytics("7d", settings, now=NOW)


def test_the_answer_names_its_period_zone_currency_and_both_ranges(week) -> None:
    assert {key: week[key] for key in ("period", "label", "timeZone", "currency")} == {
        "period": "7d",
        "label": "Last 7 days",
        "timeZone": "Europe/Malta",
        "currency": "EUR",
    }
    assert week["range"] == {"from": "2026-11-30", "to": "2026-12-06"}
    assert week["previousRange"] == {"from": "2026-11-23", "to": "2026-11-29"}
    assert week["granularity"] == "day"


def test_totals_add_every_shard_and_compacted_day_and_compare_with_the_week_before(week) -> None:
    assert week["totals"] == {
        "pageviews": {"value": 85, "previous": 40, "change": 1.125},
        "visitors": {"value": 32, "previous": 20, "change": 0.6},
        "leads": {"value": 7, "previous": 4, "change": 0.75},
        "formSubmissions": {"value": 7, "previous": 5, "change": 0.4},
        "wizardCompletion": {"value": 0.4, "previous": 0.2, "change": 1.0},
    }


def test_the_series_has_every_day_of_the_period_with_zeros_where_nothing_happened(week) -> None:
    zero = {"pageviews": 0, "visitors": 0, "leads": 0}
    assert week["series"] == [
        {"date": "2026-11-30", **zero},
        {"date": "2026-12-01", "pageviews": 50, "visitors": 20, "leads": 3},
        {"date": "2026-12-02", **zero},
        {"date": "2026-12-03", **zero},
        {"date": "2026-12-04", **zero},
        {"date": "2026-12-05", **zero},
        {"date": "2026-12-06", "pageviews": 35, "visitors": 12, "leads": 4},
    ]


def test_the_lists_are_largest_first_with_ties_by_name(week) -> None:
    assert week["wizard"] == {
        "started": 10,
        "steps": [{"step": 1, "count": 10}, {"step": 2, "count": 6}, {"step": 10, "count": 1}],
        "completed": 4,
        "rate": 0.4,
    }
    assert week["forms"] == [
        {"form": "contact", "submissions": 5},
        {"form": "pricing", "submissions": 2},
    ]
    assert week["topPages"] == [
        {"path": "/", "pageviews": 26},
        {"path": "/pricing", "pageviews": 9},
    ]
    assert week["sources"] == [
        {"source": "google", "visitors": 20},
        {"source": "instagram", "visitors": 8},
        {"source": "direct", "visitors": 2},
        {"source": "=cmd", "visitors": 1},
        {"source": "facebook", "visitors": 1},
    ]
    assert week["mediums"] == [{"medium": "cpc", "visitors": 10}]
    assert week["campaigns"] == [{"campaign": "spring", "visitors": 5}]


def test_source_to_money_follows_the_periods_leads_to_what_they_paid(week) -> None:
    """google: a (delivered, 1500.00), b (lead), c (archived, in production, 450.00) of
    20 visitors; f made the day before and g tomorrow are not this week's leads."""
    assert week["sourceToMoney"] == [
        {
            "source": "google",
            "visitors": 20,
            "leads": 3,
            "won": 2,
            "revenue": "1950.00",
            "visitorToLead": 0.15,
            "leadToWon": 0.6667,
        },
        {
            "source": "referral",  # leads without a visitor: word of mouth
            "visitors": 0,
            "leads": 1,
            "won": 1,
            "revenue": "300.00",
            "visitorToLead": None,
            "leadToWon": 1.0,
        },
        {
            "source": "instagram",
            "visitors": 8,
            "leads": 1,
            "won": 0,
            "revenue": "0.00",
            "visitorToLead": 0.125,
            "leadToWon": 0.0,
        },
        {
            "source": "=cmd",
            "visitors": 1,
            "leads": 1,
            "won": 0,
            "revenue": "0.00",
            "visitorToLead": 1.0,
            "leadToWon": 0.0,
        },
        {
            "source": "direct",  # visitors without a lead
            "visitors": 2,
            "leads": 0,
            "won": 0,
            "revenue": "0.00",
            "visitorToLead": 0.0,
            "leadToWon": None,
        },
        {
            "source": "facebook",
            "visitors": 1,
            "leads": 0,
            "won": 0,
            "revenue": "0.00",
            "visitorToLead": 0.0,
            "leadToWon": None,
        },
    ]


def test_calls_today_are_todays_confirmed_calls_in_malta_time(week) -> None:
    assert week["callsToday"] == {
        "count": 2,
        "calls": [
            {"start": "2026-12-06T10:00:00+01:00", "end": "2026-12-06T10:30:00+01:00"},
            {"start": "2026-12-06T15:30:00+01:00", "end": "2026-12-06T16:00:00+01:00"},
        ],
    }


def test_the_owners_pipeline_decides_which_stages_are_won(db, settings) -> None:
    db.collection("settings").document("pipeline").set(
        {
            "stages": [
                {"id": "lead", "label": "Lead", "group": "lead"},
                {"id": "proposal_sent", "label": "Agreed", "group": "production"},
                {"id": "delivered", "label": "Delivered", "group": "delivered"},
            ]
        }
    )
    write_roll_ups(db, {"2026-12-06_all": {"sources": {"google": 4, "instagram": 2}}})
    seed_customers(db)

    rows = {
        row["source"]: row for row in reports.analytics("7d", settings, now=NOW)["sourceToMoney"]
    }

    # in_production is no stage of this pipeline; proposal_sent is now a won stage.
    assert (rows["google"]["won"], rows["instagram"]["won"], rows["referral"]["won"]) == (1, 1, 0)


def test_an_empty_store_answers_zeros_and_unknown_ratios_not_errors(db, settings) -> None:
    answer = reports.analytics("30d", settings, now=NOW)

    assert answer["range"] == {"from": "2026-11-07", "to": "2026-12-06"}
    assert len(answer["series"]) == 30
    assert all(point["pageviews"] == 0 for point in answer["series"])
    assert answer["totals"]["pageviews"] == {"value": 0, "previous": 0, "change": None}
    assert answer["totals"]["wizardCompletion"] == {"value": None, "previous": None, "change": None}
    assert answer["wizard"] == {"started": 0, "steps": [], "completed": 0, "rate": None}
    assert answer["sourceToMoney"] == []
    assert answer["callsToday"] == {"count": 0, "calls": []}


def test_counters_that_are_not_counts_are_read_as_zero(db, settings) -> None:
    write_roll_ups(
        db,
        {
            "2026-12-06_1": {"pageviews": "12", "visitors": -3, "leads": True, "pages": "/x"},
            "2026-12-06_2": {"pageviews": 2, "sources": {"google": 1.5, "bing": 1}},
        },
    )

    answer = reports.analytics("today", settings, now=NOW)

    assert answer["totals"]["pageviews"]["value"] == 2
    assert answer["totals"]["visitors"]["value"] == 0
    assert answer["sources"] == [{"source": "bing", "visitors": 1}]


def test_today_is_one_point_compared_with_yesterday(db, settings) -> None:
    write_roll_ups(
        db,
        {
            "2026-12-06_5": {"pageviews": 6, "visitors": 3},
            "2026-12-05_all": {"pageviews": 4, "visitors": 2},
        },
    )

    answer = reports.analytics("today", settings, now=NOW)

    assert answer["range"] == {"from": "2026-12-06", "to": "2026-12-06"}
    assert answer["series"] == [{"date": "2026-12-06", "pageviews": 6, "visitors": 3, "leads": 0}]
    assert answer["totals"]["pageviews"] == {"value": 6, "previous": 4, "change": 0.5}


def test_twelve_months_are_bucketed_by_month_against_the_twelve_before(db, settings) -> None:
    write_roll_ups(
        db,
        {
            "2026-01-15_all": {"pageviews": 10, "leads": 1},
            "2026-01-31_all": {"pageviews": 5},
            "2026-12-06_2": {"pageviews": 3, "leads": 2},
            "2025-12-31_all": {"pageviews": 7},  # the previous twelve months
            "2025-01-01_all": {"pageviews": 1},
            "2024-12-31_all": {"pageviews": 100},  # before both
        },
    )

    answer = reports.analytics("12m", settings, now=NOW)

    assert answer["granularity"] == "month"
    assert answer["range"] == {"from": "2026-01-01", "to": "2026-12-06"}
    assert answer["previousRange"] == {"from": "2025-01-01", "to": "2025-12-31"}
    series = {point["date"]: point["pageviews"] for point in answer["series"]}
    assert list(series) == [f"2026-{month:02d}" for month in range(1, 13)]
    assert series == {**dict.fromkeys(series, 0), "2026-01": 15, "2026-12": 3}
    assert answer["series"][0]["leads"] == 1 and answer["series"][-1]["leads"] == 2
    assert answer["totals"]["pageviews"] == {"value": 18, "previous": 8, "change": 1.25}


# --- twelve months from month roll-ups -----------------------------------------------------------


def two_years_of_days() -> dict[str, dict[str, Any]]:
    """Days in most months of both twelve-month periods (and one before them), compacted
    and live, with values a report reads as 0 among them."""
    docs: dict[str, dict[str, Any]] = {"2024-12-31_all": {"pageviews": 1_000}}
    for year, month in [(2025, m) for m in range(1, 13)] + [(2026, m) for m in range(1, 13)]:
        if (year, month) == (2025, 6):
            continue  # a month without traffic
        n = year - 2024 + month
        docs[f"{year}-{month:02d}-01_all"] = {
            "pageviews": 10 * n,
            "visitors": n,
            "leads": n % 3,
            "sources": {"google": n, "=cmd": 1},
            "pages": {"/pricing": 4 * n, "/a.b/c": n},
            "events": {"wizard_start": n, "wizard_complete": n // 2},
            "wizardSteps": {"1": n, "2": n // 2},
            "forms": {"contact": n % 3},
        }
        docs[f"{year}-{month:02d}-28_3"] = {"pageviews": n, "visitors": -1, "mediums": {"cpc": n}}
    docs["2026-12-06_0"] = {"pageviews": 3, "leads": 1, "sources": {"google": 2}}
    return docs


def test_twelve_months_read_from_month_roll_ups_are_the_same_as_from_days(db, settings) -> None:
    """The same answer, and the same CSV, before the rollover (all days), after it (month
    roll-ups and this month's days), and with a closed month whose roll-up is missing."""
    from hearth import analytics

    write_roll_ups(db, two_years_of_days())
    seed_customers(db)
    from_days = reports.analytics("12m", settings, now=NOW)
    csv_from_days = reports.source_to_money_file("12m", settings, now=NOW).body

    done = analytics.rollover(settings, at=NOW, client=db)
    assert len(done["months"]) == 23  # 2025-01 to 2026-11: the reach of both periods
    folded = {s.id for s in db.collection("analytics_days").stream() if s.id.endswith("_month")}
    assert "2026-03_month" in folded and "2026-12_month" not in folded
    assert reports.analytics("12m", settings, now=NOW) == from_days
    assert reports.source_to_money_file("12m", settings, now=NOW).body == csv_from_days

    for month in ("2026-03", "2025-06"):  # not folded yet: read from its days, once
        db.collection("analytics_days").document(f"{month}_month").delete()
    assert reports.analytics("12m", settings, now=NOW) == from_days

    series = {point["date"]: point for point in from_days["series"]}
    assert series["2026-03"] == {
        "date": "2026-03",
        "pageviews": 10 * 5 + 5,
        "visitors": 5,
        "leads": 2,
    }
    assert series["2026-12"]["pageviews"] == 10 * 14 + 3  # the 28th is to come
    assert from_days["totals"]["pageviews"]["previous"] == sum(
        11 * n for n in range(2, 14) if n != 7
    )


def test_a_month_roll_up_stands_for_its_days_it_is_never_added_to_them(db, settings) -> None:
    """Once folded, a month's days are not read for 12 months: a month roll-up that says
    something else than its days wins (what the rollover wrote is what is read)."""
    write_roll_ups(db, {"2026-05-10_all": {"pageviews": 4}, "2026-12-01_all": {"pageviews": 1}})
    db.collection("analytics_days").document("2026-05_month").set(
        {"month": "2026-05", "shard": "month", "pageviews": 5}
    )

    answer = reports.analytics("12m", settings, now=NOW)

    assert answer["totals"]["pageviews"]["value"] == 6
    series = {point["date"]: point["pageviews"] for point in answer["series"]}
    assert (series["2026-05"], series["2026-12"]) == (5, 1)
    assert reports.analytics("30d", settings, now=NOW)["totals"]["pageviews"]["value"] == 1
