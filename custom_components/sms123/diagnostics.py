"""Diagnostics of a 123-SMS account, with every secret and phone number redacted."""

from typing import Any

from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.const import CONF_API_KEY, CONF_USERNAME
from homeassistant.core import HomeAssistant

from .const import CONF_NUMBERS, SUBENTRY_TYPE_RECIPIENT
from .coordinator import Sms123ConfigEntry

TO_REDACT = {CONF_API_KEY, CONF_USERNAME, CONF_NUMBERS}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant,  # noqa: ARG001 - the signature Home Assistant calls
    entry: Sms123ConfigEntry,
) -> dict[str, Any]:
    """Return the entry settings and the balance coordinator state."""
    coordinator = entry.runtime_data.coordinator
    last_error = coordinator.last_error
    return {
        "entry": {
            "title": REDACTED,
            "data": async_redact_data(dict(entry.data), TO_REDACT),
            "options": async_redact_data(dict(entry.options), TO_REDACT),
        },
        "recipients": [
            {
                "title": subentry.title,
                "data": async_redact_data(dict(subentry.data), TO_REDACT),
            }
            for subentry in entry.subentries.values()
            if subentry.subentry_type == SUBENTRY_TYPE_RECIPIENT
        ],
        "coordinator": {
            "last_update_success": coordinator.last_update_success,
            "update_interval_seconds": (
                coordinator.update_interval.total_seconds()
                if coordinator.update_interval
                else None
            ),
            "low_balance_threshold": coordinator.low_balance_threshold,
            "balance": None if coordinator.data is None else coordinator.data.credits,
            "last_error": (
                None
                if last_error is None
                else {
                    "type": type(last_error).__name__,
                    "code": last_error.code.value if last_error.code else None,
                    "transient": last_error.transient,
                }
            ),
        },
    }
