"""Tests of the pending-messages sensor and of the outbox inside the entry."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.helpers import entity_registry as er

from custom_components.sms123.const import DOMAIN
from sms123_simulator import FaultKind
from tests.conftest import USERNAME
from tests.integration.helpers import advance

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from sms123_simulator import Simulator
    from sms123_simulator.state import Account
    from tests.integration.helpers import BoundAction

ENTITY_ID = "sensor.demo_example_com_pending_messages"
BOB = "33601020305"
HI_BOB = {"recipients": [BOB], "message": "Hi"}


def pending(hass: HomeAssistant) -> str:
    """Return the state of the pending-messages sensor."""
    state = hass.states.get(ENTITY_ID)
    assert state is not None
    return state.state


async def test_sensor_counts_waiting_messages(
    hass: HomeAssistant,
    simulator: Simulator,
    send: BoundAction,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A queued message counts until a retry gets it through."""
    entity = er.async_get(hass).async_get(ENTITY_ID)
    assert entity is not None
    assert entity.unique_id == f"{USERNAME}_pending_messages"
    assert pending(hass) == "0"
    simulator.set_outage(FaultKind.HTTP_503)

    await send(HI_BOB)
    assert pending(hass) == "1"

    simulator.set_outage(None)
    await advance(hass, freezer, 5 * 60)
    assert pending(hass) == "0"


async def test_sensor_stays_available_when_the_gateway_is_down(
    hass: HomeAssistant,
    simulator: Simulator,
    send: BoundAction,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The count is local: it does not need the balance to be readable."""
    simulator.set_outage(FaultKind.RESET)
    await send(HI_BOB)

    await advance(hass, freezer, 30 * 60)

    state = hass.states.get("sensor.demo_example_com_balance")
    assert state is not None
    assert state.state == STATE_UNAVAILABLE
    assert pending(hass) == "1"


@pytest.fixture
async def unloaded_with_one_pending(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    send: BoundAction,
) -> MockConfigEntry:
    """Queue a message to Bob while the gateway is down, then unload the entry."""
    simulator.set_outage(FaultKind.RESET)
    await send(HI_BOB)
    await hass.config_entries.async_unload(init_integration.entry_id)
    return init_integration


async def test_pending_messages_resume_after_restart(
    hass: HomeAssistant,
    simulator: Simulator,
    unloaded_with_one_pending: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A message pending at unload is sent once after the next setup."""
    simulator.set_outage(None)

    await hass.config_entries.async_setup(unloaded_with_one_pending.entry_id)
    await hass.async_block_till_done()
    assert pending(hass) == "1"
    await advance(hass, freezer, 5 * 60)

    assert [msg.number for msg in simulator.messages] == [BOB]
    assert pending(hass) == "0"


async def test_held_message_goes_when_the_balance_comes_back(  # noqa: PLR0913 - fixtures
    hass: HomeAssistant,
    simulator: Simulator,
    account: Account,
    init_integration: MockConfigEntry,
    send: BoundAction,
    freezer: FrozenDateTimeFactory,
) -> None:
    """No credit holds the message; the next balance poll with credit sends it."""
    account.balance = 0
    await send(HI_BOB)
    account.balance = 50

    await init_integration.runtime_data.coordinator.async_refresh()
    await advance(hass, freezer, 0)

    assert [msg.number for msg in simulator.messages] == [BOB]


async def test_removing_the_entry_removes_its_outbox(
    hass: HomeAssistant,
    unloaded_with_one_pending: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """The stored outbox goes with the account."""
    key = f"{DOMAIN}.outbox.{unloaded_with_one_pending.entry_id}"
    assert key in hass_storage

    await hass.config_entries.async_remove(unloaded_with_one_pending.entry_id)

    assert key not in hass_storage
