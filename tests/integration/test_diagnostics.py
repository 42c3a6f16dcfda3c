"""Tests of the diagnostics: useful state, no secret and no phone number."""

from homeassistant.const import CONF_URL
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.sms123.const import CONF_SENDER_ID
from sms123_simulator import FaultKind, Simulator
from tests.conftest import API_KEY, USERNAME
from tests.integration.conftest import ALICE_NUMBER
from tests.integration.helpers import poll


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Diagnostics hold the settings and coordinator state, secrets redacted."""
    hass.config_entries.async_update_entry(
        init_integration, options={CONF_SENDER_ID: "Maison"}
    )
    await hass.async_block_till_done()

    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )

    assert diagnostics["entry"]["data"][CONF_URL] == simulator.url
    assert diagnostics == snapshot(exclude=props(CONF_URL))
    text = str(diagnostics)
    for secret in (API_KEY, USERNAME, ALICE_NUMBER, "0601020304"):
        assert secret not in text


async def test_diagnostics_after_a_failed_poll(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """After a failed poll, diagnostics name the error and keep the last balance."""
    simulator.set_outage(FaultKind.HTTP_503)
    await poll(hass)

    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )

    assert diagnostics["coordinator"] == {
        "last_update_success": False,
        "update_interval_seconds": 1800.0,
        "low_balance_threshold": 10.0,
        "balance": 100.0,
        "last_error": {
            "type": "Sms123ConnectionError",
            "code": None,
            "transient": True,
        },
    }
