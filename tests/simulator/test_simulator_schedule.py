"""The simulator delivers scheduled sends at their time, as the gateway does."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator_client import FixedClock, Gateway

    from sms123_simulator import Simulator

SEND = "/api/send/"
MOBILE = "0601020304"
LATER = "150010032026"  # 15:00 on 10 March 2026, Paris time: three hours on
TEXT = "Dentist tomorrow"


async def schedule(gateway: Gateway) -> str:
    """Schedule the text for 15:00 and return the code."""
    return await gateway.call(SEND, {"numero": MOBILE, "message": TEXT, "diff": LATER})


async def test_a_scheduled_send_reaches_the_phone_at_its_time(
    gateway: Gateway, simulator: Simulator, clock: FixedClock
) -> None:
    assert await schedule(gateway) == "81"
    assert (len(simulator.scheduled), simulator.delivered) == (1, [])
    clock.advance(timedelta(hours=3))
    [delivered] = simulator.delivered
    assert (delivered.number, delivered.message, delivered.code) == (MOBILE, TEXT, "80")
    assert simulator.scheduled == []
    assert simulator.copies(MOBILE, TEXT) == 1


async def test_a_delivered_scheduled_send_cannot_be_deleted(
    gateway: Gateway, simulator: Simulator, clock: FixedClock
) -> None:
    await schedule(gateway)
    clock.advance(timedelta(hours=3, minutes=1))
    params = {"numero": MOBILE, "message": TEXT, "diff": f"{LATER}s"}
    assert await gateway.call(SEND, params) == "95"
    assert simulator.copies(MOBILE, TEXT) == 1


async def test_a_delivered_scheduled_send_counts_for_the_24_hour_rule(
    gateway: Gateway, simulator: Simulator, clock: FixedClock
) -> None:
    await schedule(gateway)
    clock.advance(timedelta(hours=4))
    assert await gateway.call(SEND, {"numero": MOBILE, "message": TEXT}) == "91"
    clock.advance(timedelta(hours=24))
    assert await gateway.call(SEND, {"numero": MOBILE, "message": TEXT}) == "80"
    assert simulator.copies(MOBILE, TEXT) == 2


async def test_a_scheduled_send_deleted_in_time_never_arrives(
    gateway: Gateway, simulator: Simulator, clock: FixedClock
) -> None:
    await schedule(gateway)
    params = {"numero": MOBILE, "message": TEXT, "diff": f"{LATER}s"}
    assert await gateway.call(SEND, params) == "94"
    clock.advance(timedelta(hours=4))
    assert simulator.copies(MOBILE, TEXT) == 0
