"""Fixtures of the integration tests: a config entry served by the simulator."""

import logging
from collections.abc import Iterator
from functools import partial
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.const import CONF_API_KEY, CONF_NAME, Platform
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.sms123 import PLATFORMS
from custom_components.sms123.const import (
    CONF_NUMBERS,
    DOMAIN,
    SERVICE_CANCEL_SCHEDULED_SMS,
    SERVICE_SEND_SMS,
    SUBENTRY_TYPE_RECIPIENT,
)
from sms123_simulator import Simulator
from sms123_simulator.state import Account
from tests.conftest import API_KEY, USERNAME
from tests.entries import account_entry
from tests.integration.helpers import BoundAction, call_action

ALICE_NUMBER = "33601020304"
# A fixed id, so that the ids built on it (notify entity, device) are the same each run.
ALICE_SUBENTRY_ID = "alice"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from custom_components."""


@pytest.fixture(autouse=True)
def no_api_key_in_logs(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    """Fail any test after which an API key shows in a log line or its traceback."""
    yield
    keys = secrets_in_play(request.node.funcargs)
    leaks = [
        f"{record.name}: {record.getMessage()[:200]}"
        for phase in ("setup", "call", "teardown")
        for record in caplog.get_records(phase)
        if any(key in logged_text(record) for key in keys)
    ]
    assert not leaks, f"API key logged: {leaks}"


# Shorter strings would match ordinary words; every key the tests use is longer.
MIN_SECRET_LENGTH = 8


def secrets_in_play(funcargs: dict[str, Any]) -> set[str]:
    """Return the API keys a test used: the demo one, the simulator's, the entries'."""
    keys = {API_KEY}
    if isinstance(sim := funcargs.get("simulator"), Simulator):
        keys.update(account.api_key for account in sim.accounts.values())
    if isinstance(hass := funcargs.get("hass"), HomeAssistant):
        keys.update(
            str(entry.data.get(CONF_API_KEY, ""))
            for entry in hass.config_entries.async_entries(DOMAIN)
        )
    return {key for key in keys if len(key) >= MIN_SECRET_LENGTH}


def logged_text(record: logging.LogRecord) -> str:
    """Return all the text a log record carries: message, traceback, stack."""
    text = [record.getMessage(), record.exc_text or "", record.stack_info or ""]
    if record.exc_info and record.exc_info[1] is not None:
        text.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(text)


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
    return account_entry(
        simulator,
        options=entry_options,
        subentries_data=[
            {
                "data": {CONF_NAME: "Alice", CONF_NUMBERS: [ALICE_NUMBER]},
                "subentry_id": ALICE_SUBENTRY_ID,
                "subentry_type": SUBENTRY_TYPE_RECIPIENT,
                "title": "Alice",
                "unique_id": None,
            }
        ],
    )


@pytest.fixture
def platforms() -> list[Platform]:
    """Return the platforms to set up: all of them, unless a test names some."""
    return PLATFORMS


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, platforms: list[Platform]
) -> MockConfigEntry:
    """Set the entry up against the simulator, with the chosen platforms."""
    mock_config_entry.add_to_hass(hass)
    with patch("custom_components.sms123.PLATFORMS", platforms):
        await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
    return mock_config_entry


@pytest.fixture
def send(hass: HomeAssistant, init_integration: MockConfigEntry) -> BoundAction:
    """Return the send action of the loaded entry: data in, answer out."""
    return partial(call_action, hass, SERVICE_SEND_SMS, entry=init_integration)


@pytest.fixture
def cancel(hass: HomeAssistant, init_integration: MockConfigEntry) -> BoundAction:
    """Return the cancel action of the loaded entry: data in, answer out."""
    return partial(
        call_action, hass, SERVICE_CANCEL_SCHEDULED_SMS, entry=init_integration
    )
