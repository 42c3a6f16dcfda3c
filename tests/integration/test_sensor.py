"""Tests of the balance sensor."""

from datetime import timedelta

from homeassistant.components.sensor import ATTR_STATE_CLASS, SensorStateClass
from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from sms123_simulator import FaultKind, Simulator
from tests.conftest import USERNAME

ENTITY_ID = "sensor.demo_example_com_balance"


async def _poll(hass: HomeAssistant) -> None:
    """Let one default poll interval pass."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=30))
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_balance_sensor(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The balance sensor shows the credits, as a measurement in credits."""
    state = hass.states.get(ENTITY_ID)
    assert state is not None
    assert state.state == "100.0"
    assert state.attributes[ATTR_STATE_CLASS] is SensorStateClass.MEASUREMENT
    assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == "credits"
    assert state.name == f"{USERNAME} Balance"
    entry = er.async_get(hass).async_get(ENTITY_ID)
    assert entry is not None
    assert entry.unique_id == f"{USERNAME}_balance"
    assert entry.translation_key == "balance"


async def test_balance_follows_account_and_availability(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """The sensor follows the balance, and is unavailable while the gateway is."""
    simulator.accounts[USERNAME].balance = 57.5
    await _poll(hass)
    assert hass.states.get(ENTITY_ID).state == "57.5"

    simulator.set_outage(FaultKind.RESET)
    await _poll(hass)
    assert hass.states.get(ENTITY_ID).state == STATE_UNAVAILABLE

    simulator.set_outage(None)
    simulator.accounts[USERNAME].balance = 3
    await _poll(hass)
    assert hass.states.get(ENTITY_ID).state == "3.0"
