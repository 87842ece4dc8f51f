"""A show's booking link routes its bookings to the reps who staff the show: a visitor
books through the link's page (/book with the link's source), and the call and the new
customer go to the show's reps by round robin, while a plain booking falls back. On the
real emulators, through the real /book and admin functions.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.bookings.test_book import book, booked, malta, next_weekday
from tests.routing.helpers import ANA, BEN, CARLA, customer, make_team, saved

SHOW = "spring-show-2026"


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("HEARTH_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HEARTH_MIN_FILL_MS", "0")


def show_link(admin: Any, users: Any) -> None:
    made = admin.put(
        f"/booking-links/{SHOW}", json={"label": "Spring Show"}, headers=users.headers("owner")
    )
    assert made.status_code == 200, made.get_data(as_text=True)


def test_a_shows_booking_link_routes_its_bookings_to_the_shows_reps(
    db, users, function_client
) -> None:
    make_team(db)
    admin = function_client("admin")
    show_link(admin, users)
    saved(
        admin,
        users,
        [{"id": "show", "match": {"source": SHOW}, "action": {"group": [ANA, BEN]}}],
        {"rep": CARLA},
    )
    clients = {"book": function_client("book")}
    day = next_weekday()

    calls = []
    for n, hour in enumerate((9, 10, 11)):
        email = f"visitor{n}@example.org"
        calls.append(booked(book(clients, malta(day, hour), email=email, source=SHOW)))
    plain = booked(book(clients, malta(day, 14), email="walk-in@example.org"))

    owners = [customer(db, f"visitor{n}@example.org")["ownerUid"] for n in range(3)]
    # Round robin between the show's two reps: one, the other, the first again.
    assert set(owners) == {ANA, BEN} and owners[0] != owners[1] and owners[2] == owners[0]
    assert customer(db, "walk-in@example.org")["ownerUid"] == CARLA
    # The call follows its customer's rep, so the rep sees it in their calendar.
    stored = {c["id"]: db.collection("bookings").document(c["id"]).get().to_dict() for c in calls}
    assert [stored[c["id"]]["ownerUid"] for c in calls] == owners
    assert db.collection("bookings").document(plain["id"]).get().to_dict()["ownerUid"] == CARLA
