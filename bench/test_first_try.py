"""Benchmark: a new message behind 1000 due retries, with the gateway hanging on them.

First tries have concurrency slots of their own: a new alert must not wait for
the backlog's retries, each of which holds a slot for a whole request timeout.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

from bench.helpers import (
    bench_entry,
    disk_like_writes,
    elapsed_since,
    ms,
    numbers,
    set_up,
)
from bench.report import API_KEY, USERNAME, Report
from custom_components.sms123.api import SendResult, Sms123Client, Sms123TimeoutError
from custom_components.sms123.api.client import DEFAULT_TIMEOUT
from custom_components.sms123.const import DOMAIN
from custom_components.sms123.outbox import OutboxSettings
from sms123_simulator import FaultKind

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from sms123_simulator import Simulator

ACTIONS = 10
RECIPIENTS = 100
MESSAGES = ACTIONS * RECIPIENTS
BACKLOG = "Backlog"
ALERT_NUMBER = "33699999999"
BOUND = OutboxSettings().bound
# A first try may wait for one request timeout at most, and a second for the rest.
TARGET = DEFAULT_TIMEOUT + 1.0
# How long the backlog's retries may take to fill every retry slot.
FILL_TIMEOUT = 5.0


async def send(
    hass: HomeAssistant, entry: MockConfigEntry, recipients: list[str], message: str
) -> list[str]:
    """Call the action and return the status of each recipient."""
    response: Any = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {
            "config_entry_id": entry.entry_id,
            "recipients": recipients,
            "message": message,
        },
        blocking=True,
        return_response=True,
    )
    return [answer["status"] for answer in response["recipients"]]


async def test_first_try_behind_hanging_retries(
    hass: HomeAssistant, simulator: Simulator, report: Report
) -> None:
    """1000 retries due and hanging, then one new message: how long until its answer."""
    entry = bench_entry(simulator, USERNAME, API_KEY)
    await set_up(hass, entry)
    outbox = entry.runtime_data.outbox
    coordinator = entry.runtime_data.coordinator
    with disk_like_writes():
        simulator.set_outage(FaultKind.RESET)
        for action in range(ACTIONS):
            statuses = await send(
                hass,
                entry,
                numbers(RECIPIENTS, start=action * RECIPIENTS),
                f"{BACKLOG} {action}",
            )
            assert set(statuses) == {"queued"}
        assert outbox.pending == MESSAGES
        assert outbox.gateway_down
        simulator.set_outage(None)

        hanging = 0
        filled, release = asyncio.Event(), asyncio.Event()
        real_send = Sms123Client.send_sms

        async def hanging_send(
            client: Sms123Client,
            number: str,
            message: str,
            **options: Any,  # noqa: ANN401 - the client's own options
        ) -> SendResult:
            """Hang on the backlog for a request timeout, as a gateway past it."""
            nonlocal hanging
            if not message.startswith(BACKLOG):
                return await real_send(client, number, message, **options)
            hanging += 1
            if hanging >= BOUND:
                filled.set()
            try:
                async with asyncio.timeout(DEFAULT_TIMEOUT):
                    await release.wait()
            finally:
                hanging -= 1
            raise Sms123TimeoutError("the gateway did not answer")

        with patch.object(Sms123Client, "send_sms", hanging_send):
            # The gateway answers a balance read: the breaker closes, every retry
            # is due at once, and the first of them fill the retry slots.
            await coordinator.async_refresh()
            async with asyncio.timeout(FILL_TIMEOUT):
                await filled.wait()
            assert not outbox.gateway_down
            in_flight = hanging
            started = time.perf_counter()
            statuses = await send(hass, entry, [ALERT_NUMBER], "Smoke in the kitchen")
            latency = elapsed_since(started)
            still_hanging = hanging
            pending = outbox.pending
            # Stop the outbox while the backlog still hangs; nothing is lost.
            assert await hass.config_entries.async_unload(entry.entry_id)
            release.set()
            await hass.async_block_till_done()

    assert statuses == ["sent"]
    assert [sent.number for sent in simulator.messages] == [ALERT_NUMBER]
    assert in_flight == BOUND
    assert still_hanging == BOUND
    report.add(
        f"First try of a new message behind {MESSAGES} due retries, the gateway "
        f"hanging on them ({in_flight} in flight, {pending - in_flight} waiting "
        "for a slot)",
        f"{ms(latency)} until its answer (sent)",
        f"≤ {TARGET:g} s (one request timeout + 1 s)",
        met=latency <= TARGET,
    )
    report.notes.append(
        "First try: the backlog was queued while the simulator reset every "
        "connection; a balance read then closed the breaker, so all 1000 retries "
        "were due at once. The client's send hangs for the backlog's texts (until "
        f"its {DEFAULT_TIMEOUT:g}-s timeout) and goes to the simulator for the new "
        "one; the clock is real."
    )
    print(f"first try: {latency * 1000:.1f} ms, {in_flight} hanging, {pending} pending")
