"""The simulator's own reading of the gateway rules (parts, numbers, dates)."""

from __future__ import annotations

import pytest

from sms123_simulator.rules import (
    count_parts,
    has_stop_mention,
    is_overseas,
    is_valid_birthday,
    is_valid_number,
    is_valid_sender_id,
    parse_schedule,
)


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("{" * 80, 1),
        ("{" * 81, 2),
        ("\f" * 80, 1),
        ("àéèùìòÄÖÑÜäöñüÇØøÅåÆæßÉ§¿¡£¥¤" + "a" * 130, 1),
        ("ç" * 70, 1),
        ("ç" * 71, 2),
        ("a" * 159 + "ê", 3),
        ("😀" * 35, 1),
        ("😀" * 36, 2),
    ],
)
def test_parts_follow_gsm7_and_ucs2(message: str, parts: int) -> None:
    assert count_parts(message) == parts


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("0601020304", True),
        ("0142685300", True),
        ("33601020304", True),
        ("1234567890", True),
        ("123456789012345", True),
        ("0001020304", False),
        ("060102030", False),
        ("06010203045", False),
        ("123456789", False),
        ("1234567890123456", False),
        ("+33601020304", False),
        ("", False),
        ("٠٦٠١٠٢٠٣٠٤", False),
    ],
)
def test_numbers(number: str, valid: bool) -> None:
    assert is_valid_number(number) is valid


@pytest.mark.parametrize(
    ("number", "overseas"),
    [("262692123456", True), ("687123456", True), ("33601020304", False)],
)
def test_overseas_numbers(number: str, overseas: bool) -> None:
    assert is_overseas(number) is overseas


def test_schedule_is_paris_wall_time() -> None:
    summer = parse_schedule("153012092018")
    cancel = parse_schedule("153012092018s")

    assert summer is not None
    assert summer.at.isoformat() == "2018-09-12T15:30:00+02:00"
    assert not summer.cancel
    assert cancel is not None
    assert cancel.cancel


@pytest.mark.parametrize(
    "diff",
    ["", "2400", "153012092018S", "246012092018", "153031022018", "1530 12092018"],
)
def test_malformed_schedules(diff: str) -> None:
    assert parse_schedule(diff) is None


@pytest.mark.parametrize(
    ("datea", "valid"),
    [("120268", True), ("290200", True), ("290201", False), ("1202", False)],
)
def test_birthdays(datea: str, valid: bool) -> None:
    assert is_valid_birthday(datea) is valid


@pytest.mark.parametrize(
    ("sender_id", "valid"),
    [
        ("Maison", True),
        ("Maison 2", True),
        ("ABCDEFGHIJK", True),
        ("ABCDEFGHIJKL", False),
        ("0612", False),
        ("Mai_son", False),
        ("", False),
    ],
)
def test_sender_ids(sender_id: str, valid: bool) -> None:
    assert is_valid_sender_id(sender_id) is valid


@pytest.mark.parametrize(
    ("message", "present"),
    [
        ("Promo. STOP SMS au 36177", True),
        ("Promo. stop sms au 36177  \n", True),
        ("Promo. stop SMS au 36177.", False),
        ("stop SMS au 36177 Promo", False),
    ],
)
def test_stop_mention(message: str, present: bool) -> None:
    assert has_stop_mention(message) is present
