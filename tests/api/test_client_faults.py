"""Tests for the client when the simulated gateway misbehaves."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.sms123.api import (
    Sms123ApiError,
    Sms123Client,
    Sms123ConnectionError,
    Sms123Error,
    Sms123TimeoutError,
    Sms123UnexpectedAnswerError,
)
from sms123_simulator import FaultKind

if TYPE_CHECKING:
    from collections.abc import Callable

    from sms123_simulator import Account, Simulator

MOBILE = "0601020304"


@pytest.mark.parametrize(
    ("kind", "error_type", "message"),
    [
        (FaultKind.RESET, Sms123ConnectionError, "Cannot reach the gateway"),
        (FaultKind.HTTP_500, Sms123ConnectionError, "unavailable: HTTP 500"),
        (FaultKind.HTTP_502, Sms123ConnectionError, "unavailable: HTTP 502"),
        (FaultKind.HTTP_503, Sms123ConnectionError, "unavailable: HTTP 503"),
        (
            FaultKind.TECHNICAL_ERROR,
            Sms123ApiError,
            "code -2, the gateway had a technical",
        ),
        (
            FaultKind.HTML,
            Sms123UnexpectedAnswerError,
            "answered something unexpected: b'",
        ),
        (
            FaultKind.EMPTY,
            Sms123UnexpectedAnswerError,
            "answered something unexpected: b''",
        ),
        (
            FaultKind.GARBAGE,
            Sms123UnexpectedAnswerError,
            "answered something unexpected",
        ),
    ],
)
async def test_fault_on_every_endpoint(
    client: Sms123Client,
    simulator: Simulator,
    kind: FaultKind,
    error_type: type[Sms123Error],
    message: str,
) -> None:
    simulator.set_outage(kind)
    calls = (
        client.send_sms(MOBILE, "Hi"),
        client.get_balance(),
        client.add_group("G"),
        client.delete_contact(MOBILE),
    )
    for call in calls:
        with pytest.raises(error_type, match=message) as caught:
            await call
        assert type(caught.value) is error_type
        assert caught.value.transient is True
    assert simulator.fault_counts[kind] == len(calls)
    simulator.set_outage(None)
    assert (await client.get_balance()).credits == 100


async def test_latency_within_timeout(
    client: Sms123Client, simulator: Simulator
) -> None:
    simulator.inject(FaultKind.LATENCY, delay=0.05)
    assert (await client.send_sms(MOBILE, "Hi")).code.value == "80"


async def test_hang_times_out(
    simulator: Simulator, demo_client: Callable[..., Sms123Client]
) -> None:
    client = demo_client(request_timeout=0.2)
    simulator.inject(FaultKind.HANG)
    with pytest.raises(Sms123TimeoutError, match=r"within 0\.2 seconds") as caught:
        await client.get_balance()
    assert caught.value.transient is True
    assert simulator.messages == []


async def test_lost_answer_then_retry_is_a_duplicate(
    client: Sms123Client, simulator: Simulator
) -> None:
    simulator.inject(FaultKind.LOST_ANSWER)
    with pytest.raises(Sms123ConnectionError):
        await client.send_sms(MOBILE, "Alarm")
    assert len(simulator.messages) == 1
    with pytest.raises(Sms123ApiError, match="code 91") as caught:
        await client.send_sms(MOBILE, "Alarm")
    assert caught.value.transient is False


async def test_gateway_down(client: Sms123Client, simulator: Simulator) -> None:
    await simulator.stop()
    with pytest.raises(Sms123ConnectionError, match="Cannot reach the gateway"):
        await client.get_balance()


async def test_garbage_never_shows_credentials(
    client: Sms123Client, simulator: Simulator, account: Account
) -> None:
    simulator.inject(FaultKind.GARBAGE)
    with pytest.raises(Sms123UnexpectedAnswerError) as caught:
        await client.get_balance()
    assert account.api_key not in str(caught.value)
    assert account.username not in str(caught.value)
