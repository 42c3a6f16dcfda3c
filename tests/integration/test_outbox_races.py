"""The outbox under cancellation, reloads, lost answers and long downtime."""

import asyncio
from datetime import timedelta
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.sms123.api import (
    SendResult,
    Sms123Client,
    Sms123ConnectionError,
)
from custom_components.sms123.const import DOMAIN
from custom_components.sms123.outbox import (
    DeliveryResult,
    DeliveryStatus,
    Outbox,
    OutboxSettings,
    OutgoingSms,
)
from sms123_simulator import FaultKind, Simulator
from tests.conftest import API_KEY, USERNAME
from tests.integration.helpers import advance

STORE_KEY = "sms123.outbox.races"
ALARM = OutgoingSms(number="33601020304", message="Alarm")


def make_outbox(hass: HomeAssistant, simulator: Simulator) -> Outbox:
    """Return an outbox with quick retries, talking to the simulator."""
    client = Sms123Client(
        USERNAME,
        API_KEY,
        session=async_get_clientsession(hass),
        base_url=simulator.url,
        request_timeout=5,
    )
    return Outbox(hass, client, STORE_KEY, OutboxSettings(probe_base=10, probe_cap=60))


async def run_for(hass: HomeAssistant, duration: timedelta) -> None:
    """Let the retry timers fire over `duration`, half an hour at a time."""
    steps = int(duration / timedelta(minutes=30))
    for step in range(1, steps + 1):
        async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=30 * step))
        await hass.async_block_till_done(wait_background_tasks=True)


async def cancelled(task: asyncio.Task[list[DeliveryResult]]) -> None:
    """Cancel the caller's task and wait until it has ended."""
    task.cancel()
    done, _ = await asyncio.wait({task})
    assert task in done


async def test_caller_cancelled_during_store_write_still_sends(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """A script stopped while the message is written does not strand it."""
    outbox = make_outbox(hass, simulator)
    await outbox.async_load()
    outbox.async_start()
    real_save = Store.async_save

    async def slow_save(store: Store[Any], data: object) -> None:
        """Take the time a real write in the executor takes."""
        await asyncio.sleep(0.05)
        await real_save(store, data)

    with patch.object(Store, "async_save", slow_save):
        task = hass.async_create_task(outbox.async_submit([ALARM]))
        await asyncio.sleep(0.01)
        await cancelled(task)
        await hass.async_block_till_done()
        await run_for(hass, timedelta(hours=1))

    assert [message.number for message in simulator.messages] == [ALARM.number]
    assert outbox.pending == 0
    await outbox.async_stop()


async def test_caller_cancelled_during_first_try_is_retried(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    """A first try cut from its caller goes on, and its failure is retried."""
    outbox = make_outbox(hass, simulator)
    await outbox.async_load()
    outbox.async_start()
    in_flight, release = asyncio.Event(), asyncio.Event()
    real_send = Sms123Client.send_sms

    async def held_send(
        client: Sms123Client, *args: object, **kwargs: object
    ) -> SendResult:
        """Hold the first try until the caller is gone, then fail it."""
        if not in_flight.is_set():
            in_flight.set()
            await release.wait()
            raise Sms123ConnectionError("connection lost")
        return await real_send(client, *args, **kwargs)

    with patch.object(Sms123Client, "send_sms", held_send):
        task = hass.async_create_task(outbox.async_submit([ALARM]))
        await in_flight.wait()
        await cancelled(task)
        release.set()
        await hass.async_block_till_done()
        await advance(hass, freezer, 30)

    assert [message.number for message in simulator.messages] == [ALARM.number]
    assert outbox.pending == 0
    await outbox.async_stop()


async def test_lost_answer_on_scheduled_send_keeps_one_at_the_gateway(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    """The retry deletes what the lost try stored before scheduling again."""
    outbox = make_outbox(hass, simulator)
    await outbox.async_load()
    outbox.async_start()
    simulator.inject(FaultKind.LOST_ANSWER)
    when = dt_util.utcnow() + timedelta(days=2)

    (first,) = await outbox.async_submit(
        [OutgoingSms(number="33601020304", message="Reminder", scheduled_at=when)]
    )
    await advance(hass, freezer, 30)

    assert first.status is DeliveryStatus.QUEUED
    assert len(simulator.scheduled) == 1
    assert simulator.accounts[USERNAME].balance == 99
    assert outbox.pending == 0
    await outbox.async_stop()


async def test_reload_during_first_try_schedules_once(
    hass: HomeAssistant, init_integration: MockConfigEntry, simulator: Simulator
) -> None:
    """An options change mid-send: the send is resumed, not doubled."""
    simulator.latency = 0.3
    call = hass.async_create_task(
        hass.services.async_call(
            DOMAIN,
            "send_sms",
            {
                "config_entry_id": init_integration.entry_id,
                "recipients": ["0601020304"],
                "message": "Reminder",
                "scheduled_at": "2030-01-15 09:00:00",
            },
            blocking=True,
            return_response=True,
        )
    )
    await asyncio.sleep(0.1)
    await hass.config_entries.async_reload(init_integration.entry_id)
    answer = await call
    simulator.latency = 0
    await run_for(hass, timedelta(hours=1))

    assert answer is not None
    assert [r["status"] for r in answer["recipients"]] == ["queued"]
    assert len(simulator.scheduled) == 1
    assert init_integration.runtime_data.outbox.pending == 0


async def test_message_past_its_horizon_is_not_sent_after_downtime(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    """Home Assistant down for three days: the alarm fails instead of arriving late."""
    outbox = make_outbox(hass, simulator)
    await outbox.async_load()
    outbox.async_start()
    simulator.inject(FaultKind.HTTP_503)
    (first,) = await outbox.async_submit([ALARM])
    await outbox.async_stop()
    freezer.tick(timedelta(days=3))

    resumed = make_outbox(hass, simulator)
    await resumed.async_load()
    results: list[DeliveryResult] = []
    resumed.async_add_result_listener(results.append)
    resumed.async_start()
    await advance(hass, freezer, 0)

    assert first.status is DeliveryStatus.QUEUED
    assert simulator.messages == []
    assert [result.status for result in results] == [DeliveryStatus.FAILED]
    assert results[0].reason.startswith("gave up after 23.8333 h")
    assert resumed.pending == 0
    await resumed.async_stop()
