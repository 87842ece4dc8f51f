"""The owner's booking settings: defaults a studio can live with, and typos reported."""

from __future__ import annotations

import pytest

from hearth.bookings import settings as booking_settings


def test_untouched_settings_are_weekday_office_hours_with_two_call_types() -> None:
    settings = booking_settings.parse(None)
    rules = settings.rules("Europe/Malta")
    assert rules.time_zone.key == "Europe/Malta"
    assert rules.hours[0] == ((9 * 60, 17 * 60),) and rules.hours[5] == ()
    assert {t.id: t.minutes for t in rules.types.values()} == {"intro": 30, "project": 60}
    assert settings.default_type_id() == "intro"


def test_a_booking_link_keeps_hours_in_its_own_zone_before_the_owners() -> None:
    settings = booking_settings.parse({"timeZone": "Europe/Rome"})
    assert settings.rules("Europe/Malta").time_zone.key == "Europe/Rome"
    assert settings.rules("Europe/Malta", "America/New_York").time_zone.key == "America/New_York"


def test_a_bad_range_is_reported_at_that_very_range() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as raised:
        booking_settings.BookingSettings.model_validate(
            {"hours": {"tue": ["09:00-12:00", "17:00-13:00"]}}
        )
    (error,) = raised.value.errors()
    assert error["loc"] == ("hours", "tue", 1)
    assert "ends before it starts" in error["msg"]


def test_a_lunch_break_and_a_day_that_runs_to_midnight() -> None:
    rules = booking_settings.parse(
        {"hours": {"mon": ["09:00-12:30", "13:30-17:00"], "sat": ["18:00-24:00"]}}
    ).rules("Europe/Malta")
    assert rules.hours[0] == ((540, 750), (810, 1020))
    assert rules.hours[5] == ((1080, 1440),)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"hours": {"monday": ["09:00-17:00"]}}, "'mon', 'tue'"),
        ({"fallbackVideoLink": "meet.google.com/abc"}, "https://"),
        ({"hours": {"mon": ["9-5"]}}, "not a range"),
        ({"hours": {"mon": ["17:00-09:00"]}}, "ends before it starts"),
        ({"hours": {"mon": ["09:07-17:00"]}}, "multiple of 5"),
        ({"timeZone": "Mars/Base"}, "not a time zone"),
        ({"types": {}}, "at least 1"),
        ({"types": {"Intro Call": {"label": "x", "minutes": 30}}}, "lowercase"),
        ({"types": {"intro": {"label": "x", "minutes": 33}}}, "multiple of 5"),
        ({"stepMinutes": 0}, "greater than or equal to 5"),
        ({"bufferMinutes": -5}, "greater than or equal to 0"),
    ],
)
def test_a_typo_in_the_settings_is_reported_not_replaced_by_defaults(data, words) -> None:
    with pytest.raises(ValueError, match="settings/booking is not valid") as raised:
        booking_settings.parse(data)
    assert words in str(raised.value)


@pytest.mark.parametrize("name", ["", "Mars/Base", "../../etc/passwd", "/etc/localtime", "x" * 80])
def test_only_real_time_zone_names_are_zones(name) -> None:
    with pytest.raises(ValueError, match="not a time zone"):
        booking_settings.zone(name)
