"""Tests for SMS part counting and sender ID checks."""

from __future__ import annotations

import pytest

from custom_components.sms123.api import (
    Encoding,
    InvalidSenderIdError,
    MessageParts,
    count_parts,
    validate_sender_id,
)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("", MessageParts(encoding=Encoding.GSM7, length=0, parts=0)),
        ("Hello", MessageParts(encoding=Encoding.GSM7, length=5, parts=1)),
        ("a" * 160, MessageParts(encoding=Encoding.GSM7, length=160, parts=1)),
        ("a" * 161, MessageParts(encoding=Encoding.GSM7, length=161, parts=2)),
        ("a" * 306, MessageParts(encoding=Encoding.GSM7, length=306, parts=2)),
        ("a" * 307, MessageParts(encoding=Encoding.GSM7, length=307, parts=3)),
        ("Prix: 5€", MessageParts(encoding=Encoding.GSM7, length=9, parts=1)),
        ("€" * 80, MessageParts(encoding=Encoding.GSM7, length=160, parts=1)),
        ("€" * 81, MessageParts(encoding=Encoding.GSM7, length=162, parts=2)),
        ("[alarm] {on}", MessageParts(encoding=Encoding.GSM7, length=16, parts=1)),
        ("a^b~c|d\\e\f", MessageParts(encoding=Encoding.GSM7, length=15, parts=1)),
        ("Crème brûlée", MessageParts(encoding=Encoding.UCS2, length=12, parts=1)),
        (
            "Où est élève? à ùñ",
            MessageParts(encoding=Encoding.GSM7, length=18, parts=1),
        ),
        ("Ça va", MessageParts(encoding=Encoding.GSM7, length=5, parts=1)),
        ("ça va", MessageParts(encoding=Encoding.UCS2, length=5, parts=1)),
        ("Alarm 🚨", MessageParts(encoding=Encoding.UCS2, length=8, parts=1)),
        ("😀" * 35, MessageParts(encoding=Encoding.UCS2, length=70, parts=1)),
        ("😀" * 36, MessageParts(encoding=Encoding.UCS2, length=72, parts=2)),
        ("é" * 9 + "ê" * 61, MessageParts(encoding=Encoding.UCS2, length=70, parts=1)),
        ("ê" * 71, MessageParts(encoding=Encoding.UCS2, length=71, parts=2)),
        ("ê" * 134, MessageParts(encoding=Encoding.UCS2, length=134, parts=2)),
        ("ê" * 135, MessageParts(encoding=Encoding.UCS2, length=135, parts=3)),
        ("Привет", MessageParts(encoding=Encoding.UCS2, length=6, parts=1)),
        ("ΔΦΓΛΩ", MessageParts(encoding=Encoding.GSM7, length=5, parts=1)),
    ],
)
def test_count_parts(message: str, expected: MessageParts) -> None:
    assert count_parts(message) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Alarm", "Alarm"),
        ("  Home 42  ", "Home 42"),
        ("ABCDEFGHIJK", "ABCDEFGHIJK"),
        ("a", "a"),
        ("1 2 3 x", "1 2 3 x"),
    ],
)
def test_validate_sender_id(given: str, expected: str) -> None:
    assert validate_sender_id(given) == expected


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("ABCDEFGHIJKL", "too_long"),
        ("Maison-Alarm", "too_long"),
        ("12345", "characters"),
        ("Alarm!", "characters"),
        ("Élodie", "characters"),
        ("Home_1", "characters"),
    ],
)
def test_validate_sender_id_rejects(given: str, reason: str) -> None:
    with pytest.raises(InvalidSenderIdError) as caught:
        validate_sender_id(given)
    assert caught.value.reason == reason
    assert caught.value.value == given
    assert reason in str(caught.value)
