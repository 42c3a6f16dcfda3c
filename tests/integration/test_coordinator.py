"""Tests of the balance coordinator: polling, failures, reauth and repair issues."""

from datetime import timedelta
from unittest.mock import patch

import pytest
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms123.api import (
    SendCode,
    Sms123ApiError,
    Sms123Client,
)
from custom_components.sms123.const import DOMAIN
from sms123_simulator import FaultKind, Simulator
from tests.conftest import USERNAME
from tests.integration.helpers import SCAN_INTERVAL, poll


async def test_polls_every_scan_interval(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """The balance is read again after each interval, not before."""
    coordinator = init_integration.runtime_data.coordinator
    simulator.accounts[USERNAME].balance = 42.5
    await poll(hass, after=SCAN_INTERVAL - timedelta(minutes=1))
    assert coordinator.data.credits == 100

    await poll(hass)
    assert coordinator.data.credits == 42.5
    assert [request.path for request in simulator.requests] == ["/api/solde/"] * 2


async def test_failure_logged_once_when_lost_and_back(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An outage is logged once when it starts and once when it ends."""
    coordinator = init_integration.runtime_data.coordinator
    simulator.set_outage(FaultKind.HTTP_503)
    for _ in range(3):
        await poll(hass)
    assert not coordinator.last_update_success
    assert coordinator.last_error is not None
    assert coordinator.last_error.transient
    errors = [
        record for record in caplog.records if "Error fetching" in record.getMessage()
    ]
    assert len(errors) == 1
    assert "Could not read the 123-SMS balance" in errors[0].getMessage()

    simulator.set_outage(None)
    await poll(hass)
    await poll(hass)
    assert coordinator.last_update_success
    assert coordinator.last_error is None
    recovered = [
        record for record in caplog.records if "recovered" in record.getMessage()
    ]
    assert len(recovered) == 1


async def test_refused_credentials_start_reauth(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """A key revoked while running starts a reauth flow for the entry."""
    simulator.accounts[USERNAME].api_key = "revoked"
    await poll(hass)
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert flows[0]["context"]["entry_id"] == init_integration.entry_id
    assert not init_integration.runtime_data.coordinator.last_update_success


async def test_balance_exhausted_issue_raised_and_cleared(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """A zero balance raises a repair issue that goes once credit is back."""
    issues = ir.async_get(hass)
    issue_id = f"balance_exhausted_{init_integration.entry_id}"
    assert issues.async_get_issue(DOMAIN, issue_id) is None

    simulator.accounts[USERNAME].balance = 0
    await poll(hass)
    issue = issues.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "balance_exhausted"
    assert issue.translation_placeholders == {"account": USERNAME}
    assert issue.learn_more_url == "https://www.123-sms.net"
    assert not issue.is_fixable
    assert issue.severity is ir.IssueSeverity.ERROR

    simulator.accounts[USERNAME].balance = 20
    await poll(hass)
    assert issues.async_get_issue(DOMAIN, issue_id) is None


async def test_ip_not_allowed_issue_raised_and_cleared(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
) -> None:
    """Code 96 raises a repair issue that goes once a call succeeds again."""
    coordinator = init_integration.runtime_data.coordinator
    issues = ir.async_get(hass)
    issue_id = f"ip_not_allowed_{init_integration.entry_id}"
    refused = Sms123ApiError(
        "The gateway refused the request: code 96, the IP address is not allowed",
        code=SendCode.IP_NOT_ALLOWED,
    )
    with patch.object(Sms123Client, "get_balance", side_effect=refused):
        await poll(hass)
    assert not coordinator.last_update_success
    assert coordinator.last_exception is not None
    assert coordinator.last_exception.translation_key == "ip_not_allowed"
    issue = issues.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "ip_not_allowed"
    assert issue.learn_more_url == "https://www.123-sms.net"
    assert not issue.is_fixable

    await poll(hass)
    assert coordinator.last_update_success
    assert issues.async_get_issue(DOMAIN, issue_id) is None
