"""The spending guard in a real Home Assistant: a send over the hourly limit."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Demo

NUMBER = "+33 6 40 00 00 01"
CANONICAL = "33640000001"
HOURLY_LIMIT = 10  # the default of the option
# 2025.4 answers a failed action over REST with a bare 500 page, without the message.
MESSAGE_IN_HTTP_ERROR = (2026, 1)


async def test_the_eleventh_sms_of_the_hour_to_one_number_is_refused(
    demo: Demo,
) -> None:
    """Ten SMS to one number go out; the eleventh is refused before any request."""
    before = sum(sent.number == CANONICAL for sent in demo.simulator.delivered)
    for index in range(HOURLY_LIMIT):
        status, body = await demo.send_sms(recipients=[NUMBER], message=f"Ping {index}")
        assert status == 200, body

    requests = len(demo.simulator.requests)
    status, body = await demo.send_sms(recipients=[NUMBER], message="Ping again")

    assert status != 200
    assert demo.ha_version < MESSAGE_IN_HTTP_ERROR or (
        f"{HOURLY_LIMIT} SMS an hour" in body["message"]
        and CANONICAL in body["message"]
    )
    sent = sum(sent.number == CANONICAL for sent in demo.simulator.delivered)
    assert sent - before == HOURLY_LIMIT
    assert all(
        record.params.get("numero") != CANONICAL
        for record in demo.simulator.requests[requests:]
    )
