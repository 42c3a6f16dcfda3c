"""The outbox's pure rules, without Home Assistant: horizon, breaker, repeats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.sms123.outbox.policy import (
    HORIZON,
    SUFFIX_ROOM,
    Breaker,
    deadline,
    probe_delay,
    text_digest,
    unique_text,
)

NOW = datetime(2026, 12, 1, 14, 32, 7, tzinfo=UTC)


def test_the_horizon_ends_ten_minutes_before_the_gateway_forgets() -> None:
    assert timedelta(hours=23, minutes=50) == HORIZON
    assert deadline(NOW) == NOW + timedelta(hours=23, minutes=50)
    assert deadline(NOW, timedelta(minutes=10)) == NOW + timedelta(minutes=10)


@pytest.mark.parametrize(
    ("failures", "seconds"),
    [(0, 30), (1, 30), (2, 60), (3, 120), (4, 240), (5, 300), (6, 300), (500, 300)],
)
def test_probe_delay_doubles_up_to_five_minutes(failures: int, seconds: float) -> None:
    assert probe_delay(failures) == seconds


def test_a_closed_breaker_lets_every_try_through() -> None:
    breaker = Breaker()
    assert not breaker.is_open
    assert breaker.may_probe(NOW)
    assert breaker.reset() is False


def test_an_open_breaker_waits_longer_after_each_failed_probe() -> None:
    breaker = Breaker(base=10, cap=60)
    probes = []
    now = NOW
    for _ in range(5):
        breaker.trip(now)
        assert breaker.is_open
        assert breaker.next_probe is not None
        assert not breaker.may_probe(breaker.next_probe - timedelta(seconds=1))
        assert breaker.may_probe(breaker.next_probe)
        probes.append((breaker.next_probe - now).total_seconds())
        now = breaker.next_probe
    assert probes == [10, 20, 40, 60, 60]


def test_an_answer_closes_the_breaker_and_says_it_was_open() -> None:
    breaker = Breaker()
    breaker.trip(NOW)
    assert breaker.reset() is True
    assert (breaker.is_open, breaker.failures, breaker.next_probe) == (False, 0, None)


def test_a_text_not_used_is_kept() -> None:
    assert unique_text("Leak", NOW, lambda _text: False) == "Leak"


def test_a_repeat_gets_the_minute_then_the_second_then_a_count() -> None:
    used = {"Leak"}
    texts = []
    for _ in range(4):
        text = unique_text("Leak", NOW, used.__contains__)
        used.add(text)
        texts.append(text)
    assert texts == [
        "Leak (14:32)",
        "Leak (14:32:07)",
        "Leak (14:32:07-2)",
        "Leak (14:32:07-3)",
    ]


def test_the_suffix_room_holds_the_longest_time_suffix() -> None:
    assert len(" (14:32:07)") == SUFFIX_ROOM


def test_a_digest_names_the_number_and_the_text_but_holds_neither() -> None:
    digest = text_digest("33601020304", "Leak")
    assert digest == text_digest("33601020304", "Leak")
    assert digest != text_digest("33601020305", "Leak")
    assert digest != text_digest("33601020304", "Leak!")
    assert "Leak" not in digest
    assert "33601020304" not in digest
