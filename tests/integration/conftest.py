"""Fixtures of the integration tests: a config entry served by the simulator."""

from typing import Any

import pytest
from homeassistant.const import CONF_API_KEY, CONF_NAME, CONF_URL, CONF_USERNAME
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.sms123.const import (
    CONF_DATA_FORMAT,
    CONF_NUMBERS,
    DOMAIN,
    SUBENTRY_TYPE_RECIPIENT,
)
from sms123_simulator import Simulator
from sms123_simulator.state import Account
from tests.conftest import API_KEY, USERNAME

ALICE_NUMBER = "33601020304"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from custom_components."""


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Serialise snapshots like Home Assistant, into `snapshots/` beside the tests."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
def account(simulator: Simulator) -> Account:
    """Return the simulator's demo account."""
    return simulator.accounts[USERNAME]


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """Return the options of the test entry (none: every default)."""
    return {}


@pytest.fixture
def mock_config_entry(
    simulator: Simulator, entry_options: dict[str, Any]
) -> MockConfigEntry:
    """Return a config entry for the demo account, with one recipient."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=USERNAME,
        unique_id=USERNAME.casefold(),
        data={
            CONF_USERNAME: USERNAME,
            CONF_API_KEY: API_KEY,
            CONF_URL: simulator.url,
            CONF_DATA_FORMAT: "json",
        },
        options=entry_options,
        subentries_data=[
            {
                "data": {CONF_NAME: "Alice", CONF_NUMBERS: [ALICE_NUMBER]},
                "subentry_type": SUBENTRY_TYPE_RECIPIENT,
                "title": "Alice",
                "unique_id": None,
            }
        ],
    )


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> MockConfigEntry:
    """Set the entry up against the simulator."""
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry
