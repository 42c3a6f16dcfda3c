"""Tests of the low-balance binary sensor."""

from datetime import timedelta

import pytest
from homeassistant.components.binary_sensor import BinarySensorDeviceClass
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.sms123.const import CONF_LOW_BALANCE_THRESHOLD
from sms123_simulator import FaultKind, Simulator
from tests.conftest import USERNAME

ENTITY_ID = "binary_sensor.demo_example_com_low_balance"


async def _poll(hass: HomeAssistant) -> None:
    """Let one default poll interval pass."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=30))
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_low_balance_sensor(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The low-balance sensor is a problem sensor, off with 100 credits."""
    state = hass.states.get(ENTITY_ID)
    assert state is not None
    assert state.state == STATE_OFF
    assert state.attributes[ATTR_DEVICE_CLASS] == BinarySensorDeviceClass.PROBLEM
    assert state.name == f"{USERNAME} Low balance"
    entry = er.async_get(hass).async_get(ENTITY_ID)
    assert entry is not None
    assert entry.unique_id == f"{USERNAME}_low_balance"


@pytest.mark.parametrize(
    ("balance", "expected"), [(10, STATE_OFF), (9.5, STATE_ON), (0, STATE_ON)]
)
async def test_low_balance_under_default_threshold(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    balance: float,
    expected: str,
) -> None:
    """The sensor turns on strictly under the default threshold of 10."""
    simulator.accounts[USERNAME].balance = balance
    await _poll(hass)
    assert hass.states.get(ENTITY_ID).state == expected


@pytest.mark.parametrize("entry_options", [{CONF_LOW_BALANCE_THRESHOLD: 150.0}])
async def test_low_balance_follows_threshold_option(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """The threshold option decides; the sensor is unavailable with the gateway."""
    assert hass.states.get(ENTITY_ID).state == STATE_ON

    simulator.set_outage(FaultKind.TECHNICAL_ERROR)
    await _poll(hass)
    assert hass.states.get(ENTITY_ID).state == STATE_UNAVAILABLE
