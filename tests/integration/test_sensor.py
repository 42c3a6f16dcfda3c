"""Tests of the balance and pending-messages sensors."""

import pytest
from homeassistant.const import STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from sms123_simulator import FaultKind, Simulator
from tests.conftest import USERNAME
from tests.integration.helpers import poll, snapshot_entities

ENTITY_ID = "sensor.demo_example_com_balance"


async def test_balance_follows_account_and_availability(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """The balance shows whole credits without a decimal; unavailable while down."""
    simulator.accounts[USERNAME].balance = 57.5
    await poll(hass)
    assert hass.states.get(ENTITY_ID).state == "57.5"

    simulator.set_outage(FaultKind.RESET)
    await poll(hass)
    assert hass.states.get(ENTITY_ID).state == STATE_UNAVAILABLE

    simulator.set_outage(None)
    simulator.accounts[USERNAME].balance = 3
    await poll(hass)
    assert hass.states.get(ENTITY_ID).state == "3"


@pytest.mark.parametrize("platforms", [[Platform.SENSOR]], ids=["sensor"])
async def test_entities(
    hass: HomeAssistant, init_integration: MockConfigEntry, snapshot: SnapshotAssertion
) -> None:
    """Balance (100 credits, a measurement) and pending messages, as registered."""
    await snapshot_entities(hass, init_integration, snapshot)
