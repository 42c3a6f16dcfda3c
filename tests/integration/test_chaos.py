"""Chaos: 300 messages through faults on 30 % of requests and a restart, exactly once.

Home Assistant is really restarted in the middle: the first instance stops (its
stores are flushed as on a real shutdown, retries in flight are cut off), and a
second instance sharing the same storage sets the entry up again and resumes the
outbox. The simulator's log is the judge: every message accepted exactly once.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from contextlib import asynccontextmanager
from functools import partial
from logging import WARNING
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import pytest
from homeassistant import loader
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import CoreState, HomeAssistant
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from custom_components.sms123.api import (
    SendResult,
    Sms123Client,
    Sms123ConnectionError,
)
from custom_components.sms123.const import DOMAIN
from custom_components.sms123.outbox import Outbox, OutboxSettings
from sms123_simulator import Account, FaultKind, Simulator
from tests.integration.helpers import call_action

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable


ACTIONS = 30
RECIPIENTS_PER_ACTION = 10
MESSAGES = ACTIONS * RECIPIENTS_PER_ACTION
FAULT_RATE = 0.3
SEED = 20251124
# Every misbehaviour but plain added latency: hangs (past the client timeout),
# resets before and after processing, 5xx, -2, HTML, empty and garbage bodies.
FAULT_KINDS = [kind for kind in FaultKind if kind is not FaultKind.LATENCY]
# Real time runs the test (a frozen clock would also freeze the client's timeout):
# the retry policy is shrunk from 30 s..30 min to 50 ms..400 ms, same shape.
REQUEST_TIMEOUT = 0.25
RETRY_BASE = 0.05
RETRY_CAP = 0.4
DRAIN_LIMIT = 40.0
MAX_SETUP_TRIES = 20
SEND_PATH = "/api/send/"


def numbers_of(action: int) -> list[str]:
    """Return the distinct numbers of one action."""
    first = action * RECIPIENTS_PER_ACTION
    return [f"3370{index:07d}" for index in range(first, first + RECIPIENTS_PER_ACTION)]


def text_of(action: int) -> str:
    """Return the message of one action."""
    return f"Chaos message {action}"


async def send_action(
    hass: HomeAssistant, entry: MockConfigEntry, action: int
) -> list[str]:
    """Run one send action and return the status of each recipient."""
    response: Any = await call_action(
        hass,
        "send_sms",
        {"recipients": numbers_of(action), "message": text_of(action)},
        entry=entry,
    )
    return [answer["status"] for answer in response["recipients"]]


async def drain(hass: HomeAssistant, outbox: Outbox) -> float:
    """Wait until the outbox is empty (or the limit passes); return the wait."""
    started = time.perf_counter()
    while outbox.pending and time.perf_counter() - started < DRAIN_LIMIT:  # noqa: ASYNC110 - polls a count
        await asyncio.sleep(0.05)
    await hass.async_block_till_done()
    return time.perf_counter() - started


async def set_up_until_loaded(hass: HomeAssistant, entry: MockConfigEntry) -> int:
    """Set the entry up, reloading while the gateway fails its check; count tries."""
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    tries = 1
    while entry.state is not ConfigEntryState.LOADED and tries < MAX_SETUP_TRIES:
        await hass.config_entries.async_reload(entry.entry_id)
        await hass.async_block_till_done()
        tries += 1
    assert entry.state is ConfigEntryState.LOADED
    return tries


@asynccontextmanager
async def restarted(
    first: HomeAssistant, entry: MockConfigEntry
) -> AsyncIterator[tuple[HomeAssistant, MockConfigEntry]]:
    """Stop `first` and start a second Home Assistant on the same storage."""
    await first.async_stop()
    async with async_test_home_assistant(config_dir=first.config.config_dir) as second:
        second.data.pop(loader.DATA_CUSTOM_COMPONENTS)
        again = MockConfigEntry(
            domain=DOMAIN,
            entry_id=entry.entry_id,
            title=entry.title,
            unique_id=entry.unique_id,
            data=dict(entry.data),
            options=dict(entry.options),
        )
        again.add_to_hass(second)
        try:
            yield second, again
        finally:
            if again.state is ConfigEntryState.LOADED:
                await second.config_entries.async_unload(again.entry_id)
            await second.async_stop(force=True)


def failing_once_stopped(
    hass: HomeAssistant, tries_after_stop: list[str]
) -> Callable[..., Awaitable[SendResult]]:
    """Return the client's send, failing and recorded once Home Assistant stops."""
    real_send = Sms123Client.send_sms

    async def watched_send(
        client: Sms123Client, number: str, *args: object, **kwargs: object
    ) -> SendResult:
        """Record a try made after the stop (it cannot work), else send."""
        if hass.state is not CoreState.running:
            tries_after_stop.append(number)
            raise Sms123ConnectionError("Home Assistant has stopped")
        return await real_send(client, number, *args, **kwargs)

    return watched_send


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """Turn the spending guard off: the run sends 300 messages in a minute."""
    return {"daily_limit": 0, "recipient_hourly_limit": 0}


async def test_chaos_delivers_every_message_exactly_once(
    hass: HomeAssistant,
    simulator: Simulator,
    account: Account,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """30 % faults, a restart mid-way: none lost, none duplicated."""
    account.balance = 10 * MESSAGES
    first_try: Counter[str] = Counter()
    half = ACTIONS // 2
    short_timeout = partial(Sms123Client, request_timeout=REQUEST_TIMEOUT)
    quick_retries = partial(
        Outbox, settings=OutboxSettings(probe_base=RETRY_BASE, probe_cap=RETRY_CAP)
    )
    with (
        patch("custom_components.sms123.Sms123Client", short_timeout),
        patch("custom_components.sms123.Outbox", quick_retries),
    ):
        mock_config_entry.add_to_hass(hass)
        await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
        simulator.set_fault_rate(FAULT_RATE, kinds=FAULT_KINDS, seed=SEED)

        for action in range(half - 1):
            first_try.update(await send_action(hass, mock_config_entry, action))
        # The last action of the first half meets the gateway down: its messages
        # are pending when Home Assistant restarts.
        simulator.set_outage(FaultKind.RESET)
        first_try.update(await send_action(hass, mock_config_entry, half - 1))
        pending_at_restart = mock_config_entry.runtime_data.outbox.pending

        async with restarted(hass, mock_config_entry) as (second, entry):
            simulator.set_outage(None)
            setup_tries = await set_up_until_loaded(second, entry)
            outbox = entry.runtime_data.outbox
            resumed = outbox.pending
            for action in range(half, ACTIONS):
                first_try.update(await send_action(second, entry, action))
            drained_in = await drain(second, outbox)
            pending = outbox.pending

    delivered = Counter(
        (message.number, message.message) for message in simulator.messages
    )
    expected = {
        (number, text_of(action))
        for action in range(ACTIONS)
        for number in numbers_of(action)
    }
    sends = sum(record.path == SEND_PATH for record in simulator.requests)
    faults = simulator.fault_counts
    lost = len(expected - delivered.keys())
    duplicated = sum(count - 1 for count in delivered.values())
    print(  # noqa: T201 - the figures this test exists to show
        f"\nchaos: messages={MESSAGES} faults_injected={faults.total()} "
        f"({', '.join(f'{kind}={count}' for kind, count in sorted(faults.items()))}) "
        f"send_requests={sends} retries={sends - MESSAGES} restarts=1 "
        f"queued_at_first_try={first_try['queued']} "
        f"pending_at_restart={pending_at_restart} resumed_after_restart={resumed} "
        f"setup_tries_after_restart={setup_tries} drained_in={drained_in:.1f}s "
        f"lost={lost} duplicated={duplicated}"
    )
    assert pending == 0
    assert set(delivered) == expected
    assert lost == 0
    assert duplicated == 0
    assert set(first_try) <= {"sent", "queued"}
    assert first_try["queued"] > 0
    assert resumed == pending_at_restart > 0
    assert faults.total() > 0.2 * sends
    assert {FaultKind.HANG, FaultKind.LOST_ANSWER, FaultKind.GARBAGE} <= set(faults)
    tracebacks = [r for r in caplog.records if r.exc_info and r.levelno >= WARNING]
    assert not tracebacks


async def test_outbox_stops_when_home_assistant_stops(
    hass: HomeAssistant,
    simulator: Simulator,
    account: Account,
    mock_config_entry: MockConfigEntry,
) -> None:
    """No retry runs once Home Assistant is stopping: the session goes away."""
    tries_after_stop: list[str] = []
    quick_retries = partial(
        Outbox, settings=OutboxSettings(probe_base=RETRY_BASE, probe_cap=RETRY_BASE)
    )
    watched_send = failing_once_stopped(hass, tries_after_stop)
    with (
        patch("custom_components.sms123.Outbox", quick_retries),
        patch.object(Sms123Client, "send_sms", watched_send),
    ):
        mock_config_entry.add_to_hass(hass)
        await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
        simulator.set_outage(FaultKind.HTTP_503)
        assert await send_action(hass, mock_config_entry, 0) == (
            ["queued"] * RECIPIENTS_PER_ACTION
        )
        await hass.async_stop()
        await asyncio.sleep(4 * RETRY_BASE)
        await hass.config_entries.async_unload(mock_config_entry.entry_id)

    assert tries_after_stop == []
