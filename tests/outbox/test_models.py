"""The outbox records and their codec, without Home Assistant."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from custom_components.sms123.outbox.models import (
    Hold,
    OutboxItem,
    OutgoingSms,
    ScheduledSend,
    decode,
    encode,
)

NOW = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)
ITEM = OutboxItem(
    id="abc",
    batch="batch",
    sms=OutgoingSms(
        number="33601020304",
        message="Hi",
        sender_id="Maison",
        flash=True,
        test=True,
        scheduled_at=NOW,
    ),
    created_at=NOW,
    next_try=NOW,
    attempts=3,
    after="previous",
    maybe_at_gateway=True,
    cancel_requested=True,
    last_code="83",
    last_reason="waiting",
    hold=Hold.CREDIT,
)


def test_an_item_reads_back_as_written_but_its_hold() -> None:
    data = encode(ITEM)
    assert "hold" not in data
    assert data["sms"]["scheduled_at"] == NOW.isoformat()
    back = decode(OutboxItem, data)
    assert back.hold is None
    back.hold = Hold.CREDIT
    assert back == ITEM


def test_fields_with_a_default_may_be_missing() -> None:
    data = {
        "id": "abc",
        "batch": "abc",
        "sms": {"number": "33601020304", "message": "Hi"},
        "created_at": NOW.isoformat(),
        "next_try": NOW.isoformat(),
    }
    item = decode(OutboxItem, data)
    assert (item.attempts, item.maybe_at_gateway, item.sms.flash) == (0, False, False)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"sms": {"number": "33601020304"}}, "no message"),
        ({"attempts": "three"}, "is not a int"),
        ({"attempts": True}, "is not a int"),
        ({"created_at": 5}, "not text"),
        ({"created_at": "yesterday"}, "Invalid isoformat"),
        ({"sms": "Hi"}, "not an object"),
    ],
)
def test_a_broken_record_is_refused(change: dict[str, Any], problem: str) -> None:
    with pytest.raises((KeyError, TypeError, ValueError), match=problem):
        decode(OutboxItem, {**encode(ITEM), **change})


def test_a_scheduled_send_reads_back_as_written() -> None:
    record = ScheduledSend(
        id="x", batch="b", number="33601020304", message="Hi", scheduled_at=NOW
    )
    assert decode(ScheduledSend, encode(record)) == record
