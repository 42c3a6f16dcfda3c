"""Tests of setting up, reloading and removing a 123-SMS entry."""

import logging
from datetime import timedelta

import pytest
from homeassistant.config_entries import SOURCE_REAUTH, SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_API_KEY, CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms123.const import (
    CONF_LOW_BALANCE_THRESHOLD,
    CONF_NUMBERS,
    CONF_SCAN_INTERVAL,
    DOMAIN,
    SUBENTRY_TYPE_RECIPIENT,
)
from sms123_simulator import FaultKind, Simulator
from tests.conftest import USERNAME


async def test_setup_and_unload(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """An entry loads with one service device and unloads cleanly."""
    assert init_integration.state is ConfigEntryState.LOADED
    assert init_integration.runtime_data.coordinator.data.credits == 100
    devices = dr.async_entries_for_config_entry(
        dr.async_get(hass), init_integration.entry_id
    )
    # Recipients get devices of their own, linked to the account's.
    (device,) = [device for device in devices if device.via_device_id is None]
    assert device.identifiers == {(DOMAIN, USERNAME.casefold())}
    assert device.name == USERNAME
    assert device.manufacturer == "123-SMS"
    assert device.entry_type is dr.DeviceEntryType.SERVICE
    assert device.configuration_url == "https://www.123-sms.net"

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.NOT_LOADED


@pytest.mark.parametrize(
    "fault", [FaultKind.RESET, FaultKind.HTTP_502, FaultKind.TECHNICAL_ERROR]
)
async def test_setup_loads_when_unreachable_and_says_so_once(
    hass: HomeAssistant,
    simulator: Simulator,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    fault: FaultKind,
) -> None:
    """An unreachable gateway does not hold the account back; one warning says why."""
    simulator.set_outage(fault)
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert [w for w in warnings if "cannot be reached" in w] == [
        "The 123-SMS gateway cannot be reached for demo@example.com"
        f" ({mock_config_entry.runtime_data.coordinator.last_error}); messages are"
        " queued until it answers"
    ]


async def test_setup_asks_for_reauth_when_refused(
    hass: HomeAssistant, simulator: Simulator, mock_config_entry: MockConfigEntry
) -> None:
    """Refused credentials fail setup and start a reauth flow."""
    simulator.accounts[USERNAME].api_key = "rotated-elsewhere"
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
    assert mock_config_entry.error_reason_translation_key == "invalid_auth"
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert flows[0]["context"]["entry_id"] == mock_config_entry.entry_id


async def test_api_key_never_sent_outside_the_body(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """The balance call carries the credentials in its JSON body only."""
    (request,) = simulator.requests
    assert request.path == "/api/solde/"
    assert request.content_type == "application/json"
    assert init_integration.data[CONF_API_KEY] in request.params.values()


async def test_options_change_reloads_with_new_interval(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """New options reload the entry; the poll interval follows."""
    old_data = init_integration.runtime_data
    assert old_data.coordinator.update_interval == timedelta(minutes=30)
    hass.config_entries.async_update_entry(
        init_integration,
        options={CONF_SCAN_INTERVAL: 5, CONF_LOW_BALANCE_THRESHOLD: 3.0},
    )
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.LOADED
    assert init_integration.runtime_data is not old_data
    coordinator = init_integration.runtime_data.coordinator
    assert coordinator.update_interval == timedelta(minutes=5)
    assert coordinator.low_balance_threshold == 3.0


async def test_new_recipient_reloads_without_restart(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Adding a recipient reloads the entry so its entities follow."""
    old_data = init_integration.runtime_data
    result = await hass.config_entries.subentries.async_init(
        (init_integration.entry_id, SUBENTRY_TYPE_RECIPIENT),
        context={"source": SOURCE_USER},
    )
    await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: "Bob", CONF_NUMBERS: ["0611223344"]}
    )
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.LOADED
    assert init_integration.runtime_data is not old_data


async def test_remove_entry_clears_repair_issues(
    hass: HomeAssistant, simulator: Simulator, mock_config_entry: MockConfigEntry
) -> None:
    """Removing an account removes its repair issues too."""
    simulator.accounts[USERNAME].balance = 0
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    issues = ir.async_get(hass)
    issue_id = f"balance_exhausted_{mock_config_entry.entry_id}"
    assert issues.async_get_issue(DOMAIN, issue_id) is not None

    await hass.config_entries.async_remove(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert issues.async_get_issue(DOMAIN, issue_id) is None
