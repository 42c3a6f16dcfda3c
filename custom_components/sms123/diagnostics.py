"""Diagnostics of a 123-SMS account, with every secret and phone number redacted."""

from typing import Any

from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.const import CONF_API_KEY, CONF_USERNAME
from homeassistant.core import HomeAssistant

from .const import CONF_NUMBERS, SUBENTRY_TYPE_RECIPIENT
from .coordinator import Sms123ConfigEntry
from .issues import account_issues

TO_REDACT = {CONF_API_KEY, CONF_USERNAME, CONF_NUMBERS}
# A repair names the account, and may name a number or the recipient's name.
ISSUE_REDACT = {"account", "number", "recipient"}


def _repairs(hass: HomeAssistant, entry: Sms123ConfigEntry) -> list[dict[str, Any]]:
    """Describe the open repairs of the account, without personal data."""
    return [
        {
            "kind": issue.translation_key,
            "fixable": issue.is_fixable,
            "placeholders": async_redact_data(
                dict(issue.translation_placeholders or {}), ISSUE_REDACT
            ),
        }
        for issue in sorted(
            account_issues(hass, entry), key=lambda issue: str(issue.translation_key)
        )
    ]


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: Sms123ConfigEntry
) -> dict[str, Any]:
    """Return the entry settings, the balance polling state and the open repairs."""
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
        "repairs": _repairs(hass, entry),
    }
