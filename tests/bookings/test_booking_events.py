"""booking.created and booking.cancelled on the real emulator: one event in the batch
that books or cancels the call, none for a refused, raced or repeated request.

No calendar is connected: events are decided by the store's batch, never by Google.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from hearth.store import events as domain_events
from tests.bookings.test_book import book, booked, malta, next_weekday, token_of
from tests.store_counter import StoreCounter

pytestmark = pytest.mark.usefixtures("settings_env")

ANA = "ana.borg@example.org"


@pytest.fixture
def clients(db, function_client) -> dict[str, Any]:
    return {name: function_client(name) for name in ("availability", "book", "booking")}


def events(db: Any, key: str = ANA, kind: str | None = None) -> list[dict[str, Any]]:
    found = domain_events.of_customer(db, key, 5)
    return [event for event in found if kind is None or event["type"] == kind]


def test_a_booking_by_a_visitor_is_one_booking_event_beside_the_new_customer(clients, db) -> None:
    start = malta(next_weekday(), 10)
    view = booked(book(clients, start, source="spring-show"))
    booking = db.collection("bookings").document(view["id"]).get().to_dict()

    created, made = events(db)
    assert created["type"] == "customer.created"
    assert created["data"] == {"stage": "lead", "source": "spring-show"}
    assert made == {
        "id": made["id"],
        "type": "booking.created",
        "customer": ANA,
        "at": booking["createdAt"],
        "by": None,
        "ownerUid": None,
        "data": {"booking": view["id"], "start": start, "type": "intro"},
    }
    assert made["id"].startswith(f"booking_{view['id']}.booked.")


def test_a_retried_booking_or_one_that_lost_the_slot_adds_no_booking_event(clients, db) -> None:
    start = malta(next_weekday(), 11)
    submission = uuid.uuid4().hex
    booked(book(clients, start, submission_id=submission))
    assert book(clients, start, submission_id=submission).status_code == 200  # the retry
    lost = book(clients, start, email="joe@example.org")
    assert lost.status_code == 409

    assert len(events(db, kind="booking.created")) == 1
    # A time already taken is refused before anything is stored: no customer, no event.
    assert events(db, "joe@example.org") == []


def test_a_cancel_is_one_event_and_a_repeated_cancel_or_a_move_adds_none(clients, db) -> None:
    day = next_weekday()
    view = booked(book(clients, malta(day, 10)))
    link = {"token": token_of(view)}
    moved = clients["booking"].post(
        f"/{view['id']}/reschedule", json={**link, "start": malta(day, 15).isoformat()}
    )
    assert moved.status_code == 200, moved.get_data(as_text=True)
    for _ in range(2):
        response = clients["booking"].post(f"/{view['id']}/cancel", json=link)
        assert response.status_code == 200, response.get_data(as_text=True)

    (cancelled,) = events(db, kind="booking.cancelled")
    booking = db.collection("bookings").document(view["id"]).get().to_dict()
    assert cancelled["at"] == booking["cancelledAt"]
    assert cancelled["by"] is None  # the customer, through their signed link
    assert cancelled["data"] == {"booking": view["id"], "start": malta(day, 15), "type": "intro"}
    assert [event["type"] for event in events(db)] == [
        "customer.created",
        "booking.created",
        "booking.cancelled",
    ]


def test_staff_bookings_and_cancels_name_who_and_whose(clients, users, db) -> None:
    day = next_weekday()
    booked(book(clients, malta(day, 9)))
    db.collection("customers").document(ANA).update({"ownerUid": "rep-a"})
    rep = users.headers("rep", uid="rep-a")
    response = clients["book"].post(
        "/", json={"email": ANA, "start": malta(day, 14).isoformat(), "type": "intro"}, headers=rep
    )
    view = booked(response)
    cancel = clients["booking"].post(f"/{view['id']}/cancel", json={}, headers=rep)
    assert cancel.status_code == 200

    made = [e for e in events(db, kind="booking.created") if e["data"]["booking"] == view["id"]]
    (cancelled,) = events(db, kind="booking.cancelled")
    for event in (*made, cancelled):
        assert event["by"] == {"uid": "rep-a", "role": "rep"}
        assert event["ownerUid"] == "rep-a"


def test_a_booking_and_a_cancel_cost_one_write_more_each(clients, db) -> None:
    counter = StoreCounter()
    counter.attach(db)
    day = next_weekday()
    booked(book(clients, malta(day, 9), email="warm@example.org"))

    with counter.per(1) as new_customer:
        view = booked(book(clients, malta(day, 10)))
    with counter.per(1) as returning:
        again = booked(book(clients, malta(day, 10) + timedelta(hours=3)))
    with counter.per(1) as cancel:
        response = clients["booking"].post(
            f"/{again['id']}/cancel", json={"token": token_of(again)}
        )
        assert response.status_code == 200

    # A new customer: customer, entry and customer.created, the day's analytics shard,
    # then the booking, 9 slot cells, its entry, booking.created and its busy day.
    assert new_customer["writes"] == 4 + 13
    assert returning["writes"] == 3 + 13  # no customer.created
    # The booking, 9 deleted cells, the entry, booking.cancelled and the busy day.
    assert cancel["writes"] == 13
    assert view["id"] != again["id"]
