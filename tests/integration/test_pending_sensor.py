"""Tests of the pending-messages sensor and of the outbox inside the entry."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.sms123.const import DOMAIN, SERVICE_SEND_SMS
from sms123_simulator import FaultKind
from tests.conftest import USERNAME

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from sms123_simulator import Simulator
    from sms123_simulator.state import Account

ENTITY_ID = "sensor.demo_example_com_pending_messages"
BOB = "33601020305"


def pending(hass: HomeAssistant) -> str:
    """Return the state of the pending-messages sensor."""
    state = hass.states.get(ENTITY_ID)
    assert state is not None
    return state.state


async def send(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Send one message to Bob."""
    await hass.services.async_call(
        DOMAIN,
        SERVICE_SEND_SMS,
        {"config_entry_id": entry.entry_id, "recipients": [BOB], "message": "Hi"},
        blocking=True,
    )


async def later(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, minutes: float
) -> None:
    """Move time on and let the retries run."""
    freezer.tick(timedelta(minutes=minutes))
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_sensor_counts_waiting_messages(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A queued message counts until a retry gets it through."""
    entity = er.async_get(hass).async_get(ENTITY_ID)
    assert entity is not None
    assert entity.unique_id == f"{USERNAME}_pending_messages"
    assert pending(hass) == "0"
    simulator.set_outage(FaultKind.HTTP_503)

    await send(hass, init_integration)
    assert pending(hass) == "1"

    simulator.set_outage(None)
    await later(hass, freezer, 5)
    assert pending(hass) == "0"


async def test_sensor_stays_available_when_the_gateway_is_down(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The count is local: it does not need the balance to be readable."""
    simulator.set_outage(FaultKind.RESET)
    await send(hass, init_integration)

    await later(hass, freezer, 30)

    state = hass.states.get("sensor.demo_example_com_balance")
    assert state is not None
    assert state.state == STATE_UNAVAILABLE
    assert pending(hass) == "1"


async def test_pending_messages_resume_after_restart(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A message pending at unload is sent once after the next setup."""
    simulator.set_outage(FaultKind.RESET)
    await send(hass, init_integration)
    await hass.config_entries.async_unload(init_integration.entry_id)
    simulator.set_outage(None)

    await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    assert pending(hass) == "1"
    await later(hass, freezer, 5)

    assert [msg.number for msg in simulator.messages] == [BOB]
    assert pending(hass) == "0"


async def test_held_message_goes_when_the_balance_comes_back(
    hass: HomeAssistant,
    simulator: Simulator,
    account: Account,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """No credit holds the message; the next balance poll with credit sends it."""
    account.balance = 0
    await send(hass, init_integration)
    account.balance = 50

    await init_integration.runtime_data.coordinator.async_refresh()
    await later(hass, freezer, 0)

    assert [msg.number for msg in simulator.messages] == [BOB]


async def test_removing_the_entry_removes_its_outbox(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """The stored outbox goes with the account."""
    simulator.set_outage(FaultKind.RESET)
    await send(hass, init_integration)
    await hass.config_entries.async_unload(init_integration.entry_id)
    key = f"{DOMAIN}.outbox.{init_integration.entry_id}"
    assert key in hass_storage

    await hass.config_entries.async_remove(init_integration.entry_id)

    assert key not in hass_storage
