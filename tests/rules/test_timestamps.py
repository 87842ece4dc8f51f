"""ISO 8601 out, and the "updatedAt you saw" matched back in at the client's precision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from google.api_core.datetime_helpers import DatetimeWithNanoseconds

from hearth.rules.timestamps import epoch_ns, iso, jsonable, parse_instant

STORED = DatetimeWithNanoseconds(2024, 5, 1, 10, 0, 0, nanosecond=123456789, tzinfo=UTC)


def test_a_stored_time_is_written_in_utc_with_all_its_digits() -> None:
    assert iso(STORED) == "2024-05-01T10:00:00.123456789Z"
    assert iso(datetime(2024, 5, 1, 10, 0, 0, 120000, tzinfo=UTC)) == "2024-05-01T10:00:00.120000Z"
    malta = timezone(timedelta(hours=2))
    assert iso(datetime(2024, 5, 1, 12, 0, tzinfo=malta)) == "2024-05-01T10:00:00.000000Z"


def test_what_is_written_reads_back_as_the_same_instant() -> None:
    for value in (STORED, datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)):
        assert parse_instant(iso(value)).matches(value)


@pytest.mark.parametrize(
    "sent",
    [
        "2024-05-01T10:00:00.123456789Z",
        "2024-05-01T10:00:00.123456Z",
        "2024-05-01T10:00:00.123Z",  # a browser's Date.toISOString()
        "2024-05-01T12:00:00.123456+02:00",
        "2024-05-01t10:00:00.123z",
    ],
)
def test_a_time_matches_at_the_precision_the_client_sent(sent: str) -> None:
    assert parse_instant(sent).matches(STORED)


@pytest.mark.parametrize(
    "sent",
    [
        "2024-05-01T10:00:00.124Z",
        "2024-05-01T10:00:00.123457Z",
        "2024-05-01T10:00:00.123456788Z",
        "2024-05-01T10:00:00.123456+01:00",
    ],
)
def test_a_different_time_does_not_match(sent: str) -> None:
    assert not parse_instant(sent).matches(STORED)


def test_nothing_stored_matches_nothing() -> None:
    assert not parse_instant("2024-05-01T10:00:00Z").matches(None)


@pytest.mark.parametrize(
    "sent",
    ["", "yesterday", "2024-05-01T10:00:00", "2024-05-01", "2024-02-30T10:00:00Z", "1714557600"],
)
def test_anything_but_a_zoned_iso_time_is_refused(sent: str) -> None:
    with pytest.raises(ValueError):
        parse_instant(sent)


def test_epoch_ns_keeps_the_nanoseconds() -> None:
    assert epoch_ns(STORED) == 1714557600_123456789
    assert epoch_ns("2024") is None


def test_stored_values_become_json() -> None:
    assert jsonable({"at": STORED, "list": [STORED, 1, None], "nested": {"ok": True}}) == {
        "at": "2024-05-01T10:00:00.123456789Z",
        "list": ["2024-05-01T10:00:00.123456789Z", 1, None],
        "nested": {"ok": True},
    }
