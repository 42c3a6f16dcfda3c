"""Tests of the low-balance binary sensor."""

import pytest
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.sms123.const import CONF_LOW_BALANCE_THRESHOLD
from sms123_simulator import FaultKind, Simulator
from tests.conftest import USERNAME
from tests.integration.helpers import poll, snapshot_entities

ENTITY_ID = "binary_sensor.demo_example_com_low_balance"


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
    await poll(hass)
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
    await poll(hass)
    assert hass.states.get(ENTITY_ID).state == STATE_UNAVAILABLE


@pytest.mark.parametrize("platforms", [[Platform.BINARY_SENSOR]], ids=["binary_sensor"])
async def test_entities(
    hass: HomeAssistant, init_integration: MockConfigEntry, snapshot: SnapshotAssertion
) -> None:
    """Low balance: a problem sensor, off with 100 credits, as registered."""
    await snapshot_entities(hass, init_integration, snapshot)
