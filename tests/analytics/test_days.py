"""Visits across days, played at chosen instants through the ingest itself (the HTTP
side is test_track's): a visitor is one per day, a visit that crosses midnight keeps its
source, and the rollover rotates salts and folds closed days without changing a number.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hearth import analytics, config
from hearth.rules import traffic
from tests.analytics.helpers import CHROME, IP, SITE, body, documents, rollup
from tests.analytics_seed import write_roll_ups
from tests.store_counter import StoreCounter

# December: Malta is UTC+1, so 22:50 UTC is 23:50 on the 6th and 23:10 UTC 00:10 on the 7th.
DAY_1, DAY_2, DAY_3 = "2026-12-06", "2026-12-07", "2026-12-08"
EVENING = datetime(2026, 12, 6, 22, 50, tzinfo=UTC)
JUST_AFTER_MIDNIGHT = datetime(2026, 12, 6, 23, 10, tzinfo=UTC)
AFTER_THE_WINDOW = datetime(2026, 12, 6, 23, 45, tzinfo=UTC)


@pytest.fixture
def settings(db, default_settings, monkeypatch) -> config.Settings:
    from hearth.store import analytics as store

    monkeypatch.delenv("HEARTH_TIME_ZONE", raising=False)
    store.forget_salts()
    yield config.load()
    store.forget_salts()


def visit(db: Any, settings: config.Settings, at: datetime, path: str = "/", **extra: Any) -> str:
    hit = analytics.Hit.model_validate(body(path=path, **extra))
    return analytics.accept(hit, analytics.Sender(IP, CHROME), settings, at=at, client=db)


def test_a_visit_from_the_newsletter_that_crosses_midnight_keeps_its_source(db, settings) -> None:
    assert visit(db, settings, EVENING, "/?utm_source=newsletter") == "new visitor"
    assert visit(db, settings, JUST_AFTER_MIDNIGHT, "/pricing", referrer=f"{SITE}/") == (
        "new visitor"
    )

    for day in (DAY_1, DAY_2):
        figures = rollup(db, day)
        assert (figures["visitors"], figures["sources"]) == (1, {"newsletter": 1}), day
    [marker] = [m for m in documents(db, "analytics_visitors") if m["day"] == DAY_2]
    assert marker["source"] == "newsletter"


def test_after_the_first_half_hour_a_new_day_is_a_new_visit(db, settings) -> None:
    visit(db, settings, EVENING, "/?utm_source=newsletter")
    visit(db, settings, AFTER_THE_WINDOW, "/pricing", referrer=f"{SITE}/")

    assert rollup(db, DAY_2)["sources"] == {"direct": 1}


def test_the_same_visitor_counts_once_a_day_and_again_the_next_day(db, settings) -> None:
    for minutes in (0, 5, 30, 60):
        visit(db, settings, EVENING - timedelta(hours=10, minutes=minutes))
    visit(db, settings, AFTER_THE_WINDOW)
    visit(db, settings, AFTER_THE_WINDOW + timedelta(hours=5))

    assert (rollup(db, DAY_1)["pageviews"], rollup(db, DAY_1)["visitors"]) == (4, 1)
    assert (rollup(db, DAY_2)["pageviews"], rollup(db, DAY_2)["visitors"]) == (2, 1)
    ids = {m["day"]: key for key, m in _markers(db).items()}
    assert ids[DAY_1].split("_")[1] != ids[DAY_2].split("_")[1]  # not linkable across days


def _markers(db: Any) -> dict[str, dict[str, Any]]:
    return {s.id: s.to_dict() for s in db.collection("analytics_visitors").stream()}


def salts(db: Any) -> dict[str, bytes]:
    return {s.id: s.get("salt") for s in db.collection("analytics_salts").stream()}


def test_the_rollover_makes_todays_salt_and_deletes_those_older_than_yesterday(
    db, settings
) -> None:
    visit(db, settings, EVENING - timedelta(days=1))
    visit(db, settings, EVENING)
    assert sorted(salts(db)) == ["2026-12-05", DAY_1]

    done = analytics.rollover(settings, at=JUST_AFTER_MIDNIGHT, client=db)
    assert done["day"] == DAY_2
    assert done["saltsDeleted"] == ["2026-12-05"]
    kept = salts(db)
    assert sorted(kept) == [DAY_1, DAY_2]
    assert len(kept[DAY_2]) == 32 and kept[DAY_1] != kept[DAY_2]

    analytics.rollover(settings, at=JUST_AFTER_MIDNIGHT + timedelta(days=1), client=db)
    assert sorted(salts(db)) == [DAY_2, DAY_3]


def test_the_rollover_folds_closed_days_with_identical_numbers_and_only_once(db, settings) -> None:
    for n in range(30):
        visit(db, settings, EVENING - timedelta(minutes=n), f"/p{n % 3}?utm_source=s{n % 2}")
    for n in range(10):
        hit = analytics.Hit.model_validate(body(path="/a.b/c", referrer="https://www.google.com/"))
        sender = analytics.Sender(f"192.0.2.{n}", CHROME)
        analytics.accept(hit, sender, settings, at=EVENING, client=db)
    hit = analytics.Hit.model_validate(body("wizard_step", step=2))
    analytics.accept(hit, analytics.Sender(IP, CHROME), settings, at=EVENING, client=db)
    visit(db, settings, AFTER_THE_WINDOW)  # today's shards stay live
    before = rollup(db, DAY_1)
    shards_before = [s.id for s in db.collection("analytics_days").stream()]
    assert len([s for s in shards_before if s.startswith(DAY_1)]) > 1

    first = analytics.rollover(settings, at=AFTER_THE_WINDOW, client=db)
    second = analytics.rollover(settings, at=AFTER_THE_WINDOW, client=db)

    assert first["compacted"] == {DAY_1: len([s for s in shards_before if s.startswith(DAY_1)])}
    assert second["compacted"] == {}
    assert rollup(db, DAY_1) == before
    assert before["pageviews"] == 40 and before["visitors"] == 11
    assert before["pages"]["/a.b/c"] == 10 and before["wizardSteps"] == {"2": 1}
    left = {s.id: s.to_dict() for s in db.collection("analytics_days").stream()}
    assert [key for key in left if key.startswith(DAY_1)] == [f"{DAY_1}_all"]
    assert left[f"{DAY_1}_all"]["shard"] == "all" and left[f"{DAY_1}_all"]["day"] == DAY_1
    assert any(key.startswith(DAY_2) and key != f"{DAY_2}_all" for key in left)


def test_a_late_shard_of_a_compacted_day_is_folded_in_too(db, settings) -> None:
    visit(db, settings, EVENING)
    analytics.rollover(settings, at=AFTER_THE_WINDOW, client=db)
    visit(db, settings, EVENING + timedelta(minutes=1), "/late")  # written just before midnight
    analytics.rollover(settings, at=AFTER_THE_WINDOW, client=db)

    figures = rollup(db, DAY_1)
    assert (figures["pageviews"], figures["visitors"]) == (2, 1)
    days = [s.id for s in db.collection("analytics_days").stream()]
    assert days == [f"{DAY_1}_all"]


# --- monthly roll-ups -------------------------------------------------------------------------


def months(db: Any) -> dict[str, dict[str, Any]]:
    """The month roll-ups, without their bookkeeping time."""
    return {
        s.id: {k: v for k, v in s.to_dict().items() if k != "updatedAt"}
        for s in db.collection("analytics_days").stream()
        if s.id.endswith("_month")
    }


def test_the_rollover_folds_each_closed_month_from_its_days_once(db, settings) -> None:
    write_roll_ups(
        db,
        {
            "2026-08-31_all": {"pageviews": 1, "visitors": 1, "sources": {"direct": 1}},
            # September: no traffic at all.
            "2026-10-01_all": {"pageviews": 3, "visitors": 2, "sources": {"google": 2}},
            "2026-10-31_all": {"pageviews": 4, "visitors": -2, "pages": {"/a.b/c": 4}},
            "2026-11-15_all": {"pageviews": 7, "leads": 1, "leadSources": {"google": 1}},
            "2026-11-30_2": {"pageviews": 1, "forms": {"contact": 1}},  # still live
            "2026-12-06_0": {"pageviews": 9},  # this month: still being counted
        },
    )

    first = analytics.rollover(settings, at=EVENING, client=db)

    assert first["compacted"] == {"2026-11-30": 1}
    assert first["months"] == {"2026-08": 1, "2026-09": 0, "2026-10": 2, "2026-11": 2}
    folded = months(db)
    assert folded["2026-10_month"] == {
        "month": "2026-10",
        "shard": "month",
        "pageviews": 7,
        "visitors": 2,  # the -2 a report reads as 0 is not folded in
        "sources": {"google": 2},
        "pages": {"/a.b/c": 4},
    }
    assert folded["2026-09_month"] == {"month": "2026-09", "shard": "month"}
    assert folded["2026-11_month"]["pageviews"] == 8
    assert folded["2026-11_month"]["forms"] == {"contact": 1}
    assert all("day" not in doc for doc in folded.values())  # day queries never see them
    assert rollup(db, "2026-10-01")["pageviews"] == 3  # the days stay
    stamps = {s.id: s.get("updatedAt") for s in db.collection("analytics_days").stream()}

    counter = StoreCounter()
    counter.attach(db)
    with counter.per(1) as cost:
        again = analytics.rollover(settings, at=EVENING + timedelta(minutes=5), client=db)

    assert again["months"] == {} and again["compacted"] == {}
    assert {s.id: s.get("updatedAt") for s in db.collection("analytics_days").stream()} == stamps
    # The live shards (none: billed one), the first day, the count of months; today's salt
    # is in memory, and the salts' listing is not a query this counter sees.
    assert (cost["reads"], cost["writes"]) == (3, 0)


def test_a_late_day_of_a_folded_month_has_its_month_folded_again(db, settings) -> None:
    write_roll_ups(db, {"2026-11-15_all": {"pageviews": 7}})
    assert analytics.rollover(settings, at=EVENING, client=db)["months"] == {"2026-11": 1}

    write_roll_ups(db, {"2026-11-30_3": {"pageviews": 2, "pages": {"/late": 2}}})
    done = analytics.rollover(settings, at=EVENING, client=db)

    assert (done["compacted"], done["months"]) == ({"2026-11-30": 1}, {"2026-11": 2})
    assert months(db)["2026-11_month"] == {
        "month": "2026-11",
        "shard": "month",
        "pageviews": 9,
        "pages": {"/late": 2},
    }


def test_months_before_the_first_traffic_or_the_report_s_reach_are_left_alone(db, settings) -> None:
    write_roll_ups(
        db,
        {
            "2024-11-30_all": {"pageviews": 100},  # 25 months back: no report reads it
            "2025-01-10_all": {"pageviews": 5},
        },
    )

    done = analytics.rollover(settings, at=EVENING, client=db)

    assert list(done["months"]) == [f"2025-{m:02d}" for m in range(1, 13)] + [
        f"2026-{m:02d}" for m in range(1, 12)
    ]
    assert set(months(db)) == {f"{month}_month" for month in done["months"]}
    assert done["months"]["2025-01"] == 1 and done["months"]["2025-02"] == 0


def test_the_scheduled_function_runs_the_rollover(db, settings, function_client) -> None:
    answer = function_client("analytics_rollover").post("/")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    today = traffic.day_key(traffic.business_day(datetime.now(UTC), settings.time_zone))
    assert answer.get_json() == {"day": today, "saltsDeleted": [], "compacted": {}, "months": {}}
    assert list(salts(db)) == [today]
    assert function_client("analytics_rollover").delete("/").status_code == 405


def test_make_devs_loop_runs_the_rollover_once_a_business_day(db, settings) -> None:
    from devstack.google_calendar import _analytics_rollover

    today = traffic.day_key(traffic.business_day(datetime.now(UTC), settings.time_zone))
    assert _analytics_rollover(None) == today
    assert list(salts(db)) == [today]
    db.collection("analytics_salts").document(today).delete()
    assert _analytics_rollover(today) == today
    assert salts(db) == {}  # the same day: nothing run again, not even a read


def test_make_devs_loop_runs_the_rollover_without_a_calendar(db, settings, monkeypatch) -> None:
    """`make dev --no-calendar` starts the same loop: its calendar pass does nothing, the
    rollover still runs (the sample's and the day's roll-ups get folded)."""
    import time

    from devstack.google_calendar import SyncLoop

    for name in ("HEARTH_GOOGLE_CALENDAR_ID", "HEARTH_GOOGLE_API_ROOT"):
        monkeypatch.delenv(name, raising=False)
    write_roll_ups(db, {"2020-01-01_0": {"pageviews": 1}})
    today = traffic.day_key(traffic.business_day(datetime.now(UTC), settings.time_zone))
    loop = SyncLoop(every_s=0.05)
    loop.start()
    try:
        deadline = time.monotonic() + 20
        while today not in salts(db) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        loop.stop()

    assert list(salts(db)) == [today]
    assert rollup(db, "2020-01-01") == {"pageviews": 1}
    assert [s.id for s in db.collection("analytics_days").stream()] == ["2020-01-01_all"]


def test_make_dev_starts_the_loop_without_a_calendar(db, tmp_path, monkeypatch) -> None:
    from argparse import Namespace

    from devstack.__main__ import DevStack, _after_firestore

    monkeypatch.delenv("HEARTH_GOOGLE_CALENDAR_ID", raising=False)
    stack = DevStack(data_dir=tmp_path)  # an emulator someone else runs, as with --no-calendar
    _after_firestore(stack, Namespace(fresh=False, seed=False))
    try:
        assert stack.calendar_sync is not None and stack.calendar_sync._thread.is_alive()
    finally:
        stack.stop()
