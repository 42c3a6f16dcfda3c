"""Repair issues for account problems only the user can fix on the provider's site."""

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN, ISSUE_BALANCE_EXHAUSTED, ISSUE_IP_NOT_ALLOWED, PROVIDER_URL

ACCOUNT_ISSUES = (ISSUE_IP_NOT_ALLOWED, ISSUE_BALANCE_EXHAUSTED)


def issue_id(kind: str, entry: ConfigEntry) -> str:
    """Return the repair issue id of one kind of problem for one account."""
    return f"{kind}_{entry.entry_id}"


@callback
def async_raise_account_issue(
    hass: HomeAssistant, entry: ConfigEntry, kind: str
) -> None:
    """Show a repair issue for an account problem, once per account."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(kind, entry),
        is_fixable=False,
        is_persistent=False,
        learn_more_url=PROVIDER_URL,
        severity=ir.IssueSeverity.ERROR,
        translation_key=kind,
        translation_placeholders={"account": entry.title},
    )


@callback
def async_clear_account_issue(
    hass: HomeAssistant, entry: ConfigEntry, kind: str
) -> None:
    """Remove an account repair issue once the problem is gone."""
    ir.async_delete_issue(hass, DOMAIN, issue_id(kind, entry))


@callback
def async_clear_account_issues(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Remove every repair issue of an account (the entry is being removed)."""
    for kind in ACCOUNT_ISSUES:
        async_clear_account_issue(hass, entry, kind)


@callback
def async_track_balance(
    hass: HomeAssistant, entry: ConfigEntry, balance: float
) -> None:
    """Raise or clear the exhausted-balance issue from a balance just read."""
    if balance <= 0:
        async_raise_account_issue(hass, entry, ISSUE_BALANCE_EXHAUSTED)
    else:
        async_clear_account_issue(hass, entry, ISSUE_BALANCE_EXHAUSTED)
