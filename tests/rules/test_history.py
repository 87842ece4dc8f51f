"""Stage intervals from recorded events: backward moves and skipped stages as they are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hearth.rules.history import Interval, intervals, time_in_stage

DAY0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def day(n: float) -> datetime:
    return DAY0 + timedelta(days=n)


def created(at: datetime, stage: str = "lead") -> dict[str, Any]:
    return {
        "id": f"sub_{at:%j%H}.created",
        "type": "customer.created",
        "at": at,
        "data": {"stage": stage, "source": "website"},
    }


def moved(at: datetime, before: str, to: str) -> dict[str, Any]:
    return {
        "id": f"op_{at:%j%H}.stage",
        "type": "stage.changed",
        "at": at,
        "data": {"from": before, "to": to},
    }


def test_a_straight_path_is_one_stay_per_stage_and_the_last_is_open() -> None:
    events = [
        created(day(0)),
        moved(day(2), "lead", "proposal_sent"),
        moved(day(5), "proposal_sent", "proposal_signed"),
    ]

    assert intervals(events) == [
        Interval("lead", day(0), day(2)),
        Interval("proposal_sent", day(2), day(5)),
        Interval("proposal_signed", day(5), None),
    ]


def test_a_backward_move_makes_a_second_stay_in_the_earlier_stage() -> None:
    events = [
        created(day(0)),
        moved(day(1), "lead", "proposal_sent"),
        moved(day(3), "proposal_sent", "proposal_signed"),
        moved(day(4), "proposal_signed", "proposal_sent"),  # the client wants changes
        moved(day(10), "proposal_sent", "proposal_signed"),
    ]
    stays = intervals(events)

    assert [stay.stage for stay in stays] == [
        "lead",
        "proposal_sent",
        "proposal_signed",
        "proposal_sent",
        "proposal_signed",
    ]
    totals = time_in_stage(stays)
    assert totals["proposal_sent"] == timedelta(days=2 + 6)
    assert totals["proposal_signed"] == timedelta(days=1)  # the open stay is not counted
    assert time_in_stage(stays, now=day(12))["proposal_signed"] == timedelta(days=3)


def test_a_skipped_stage_has_no_stay_and_no_time() -> None:
    events = [created(day(0)), moved(day(6), "lead", "deposit_paid")]
    stays = intervals(events)

    assert stays == [Interval("lead", day(0), day(6)), Interval("deposit_paid", day(6), None)]
    totals = time_in_stage(stays, now=day(7))
    assert set(totals) == {"lead", "deposit_paid"}
    assert "proposal_sent" not in totals and "proposal_signed" not in totals


def test_events_in_any_order_and_other_types_give_the_same_history() -> None:
    events = [
        moved(day(3), "proposal_sent", "lead"),
        {"id": "pay", "type": "payment.recorded", "at": day(2), "data": {"amount": 5}},
        created(day(0)),
        moved(day(1), "lead", "proposal_sent"),
    ]

    assert intervals(events) == [
        Interval("lead", day(0), day(1)),
        Interval("proposal_sent", day(1), day(3)),
        Interval("lead", day(3), None),
    ]


def test_a_move_in_the_instant_of_creation_comes_after_it() -> None:
    events = [moved(day(0), "lead", "proposal_sent"), created(day(0))]

    assert intervals(events) == [
        Interval("lead", day(0), day(0)),
        Interval("proposal_sent", day(0), None),
    ]


def test_a_customer_older_than_events_starts_with_a_stay_of_unknown_start() -> None:
    stays = intervals([moved(day(4), "proposal_sent", "deposit_paid")])

    assert stays == [
        Interval("proposal_sent", None, day(4)),
        Interval("deposit_paid", day(4), None),
    ]
    assert stays[0].duration(now=day(9)) is None
    assert time_in_stage(stays, now=day(9)) == {"deposit_paid": timedelta(days=5)}


def test_no_stage_events_is_no_history() -> None:
    assert intervals([]) == []
    assert intervals([{"type": "booking.created", "at": day(1), "data": {}}]) == []
