"""Tests for the schedule (`diff`) and birthday formats."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from custom_components.sms123.api import (
    format_birthday,
    format_schedule,
    is_second_paris_occurrence,
)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (datetime(2018, 9, 12, 13, 30, tzinfo=UTC), "153012092018"),
        (datetime(2026, 1, 5, 8, 7, tzinfo=UTC), "090705012026"),
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "003001012027"),
        (
            datetime(2026, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=-3))),
            "130001032026",
        ),
        # Daylight saving time ends at 03:00 Paris time on 25 October 2026.
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "023025102026"),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "023025102026"),
    ],
)
def test_format_schedule(when: datetime, expected: str) -> None:
    assert format_schedule(when) == expected


def test_format_schedule_cancel_adds_suffix() -> None:
    when = datetime(2018, 9, 12, 13, 30, tzinfo=UTC)
    assert format_schedule(when, cancel=True) == "153012092018s"


def test_format_schedule_rejects_naive_datetime() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        format_schedule(datetime(2026, 1, 5, 8, 7))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("birthday", "expected"),
    [
        (date(1968, 2, 12), "120268"),
        (date(2001, 11, 3), "031101"),
    ],
)
def test_format_birthday(birthday: date, expected: str) -> None:
    assert format_birthday(birthday) == expected


def test_the_autumn_hour_needs_an_aware_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        is_second_paris_occurrence(datetime(2027, 10, 31, 2, 30))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("when", "second"),
    [
        (datetime(2027, 10, 31, 0, 30, tzinfo=UTC), False),  # 02:30 summer time
        (datetime(2027, 10, 31, 1, 30, tzinfo=UTC), True),  # 02:30 winter time
        (datetime(2027, 10, 31, 2, 30, tzinfo=UTC), False),  # 03:30
        (datetime(2027, 3, 28, 1, 30, tzinfo=UTC), False),  # spring: no repeat
    ],
)
def test_only_the_second_occurrence_of_the_repeated_hour(
    when: datetime, second: bool
) -> None:
    assert is_second_paris_occurrence(when) is second
