"""Repair issues: account problems, and refusals a setting or its owner can lift."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .api import SendCode, is_overseas_number
from .const import (
    DOMAIN,
    ISSUE_BALANCE_EXHAUSTED,
    ISSUE_DAILY_LIMIT_REACHED,
    ISSUE_IP_NOT_ALLOWED,
    ISSUE_NUMBER_BLOCKED,
    ISSUE_OVERSEAS_NOT_ENABLED,
    ISSUE_SENDER_ID_REFUSED,
    ISSUE_STOP_MENTION_REQUIRED,
    PROVIDER_URL,
)
from .limits import daily_limit_reached
from .outbox import DeliveryStatus
from .recipients import recipient_of

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry

    from .outbox import DeliveryResult

# One issue per account of these kinds; the others are one per sender ID or number.
ACCOUNT_ISSUES = (
    ISSUE_IP_NOT_ALLOWED,
    ISSUE_BALANCE_EXHAUSTED,
    ISSUE_STOP_MENTION_REQUIRED,
    ISSUE_OVERSEAS_NOT_ENABLED,
    ISSUE_DAILY_LIMIT_REACHED,
)
# The issues a fix flow (repairs.py) can solve from Home Assistant.
FIXABLE = frozenset({ISSUE_STOP_MENTION_REQUIRED, ISSUE_SENDER_ID_REFUSED})


def issue_id(kind: str, entry: ConfigEntry, about: str = "") -> str:
    """Return the repair issue id of one kind of problem of an account."""
    return f"{kind}_{entry.entry_id}" + (f"_{about}" if about else "")


@callback
def async_raise_account_issue(  # noqa: PLR0913 - what the issue names and holds
    hass: HomeAssistant,
    entry: ConfigEntry,
    kind: str,
    *,
    about: str = "",
    placeholders: dict[str, str] | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Show a repair issue for a problem of an account, once (per `about`)."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(kind, entry, about),
        is_fixable=kind in FIXABLE,
        is_persistent=False,
        learn_more_url=None if kind == ISSUE_NUMBER_BLOCKED else PROVIDER_URL,
        severity=ir.IssueSeverity.ERROR,
        translation_key=kind,
        translation_placeholders={"account": entry.title, **(placeholders or {})},
        data={"entry_id": entry.entry_id, "kind": kind, **(data or {})},
    )


@callback
def async_clear_account_issue(
    hass: HomeAssistant, entry: ConfigEntry, kind: str, about: str = ""
) -> None:
    """Remove a repair issue once the problem is gone."""
    ir.async_delete_issue(hass, DOMAIN, issue_id(kind, entry, about))


def account_issues(hass: HomeAssistant, entry: ConfigEntry) -> list[ir.IssueEntry]:
    """Return the open repair issues of an account."""
    return [
        issue
        for (domain, identifier), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN and f"_{entry.entry_id}" in identifier
    ]


@callback
def async_clear_account_issues(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Remove every repair issue of an account (the entry is being removed)."""
    for issue in account_issues(hass, entry):
        ir.async_delete_issue(hass, DOMAIN, issue.issue_id)


@callback
def async_track_balance(
    hass: HomeAssistant, entry: ConfigEntry, balance: float
) -> None:
    """Raise or clear the exhausted-balance issue from a balance just read."""
    if balance <= 0:
        async_raise_account_issue(hass, entry, ISSUE_BALANCE_EXHAUSTED)
    else:
        async_clear_account_issue(hass, entry, ISSUE_BALANCE_EXHAUSTED)


def _slug(sender_id: str) -> str:
    """Return a sender ID as it may stand in an issue id."""
    return sender_id.casefold().replace(" ", "_")


@callback
def async_track_result(
    hass: HomeAssistant, entry: ConfigEntry, result: DeliveryResult
) -> None:
    """Raise the repair a refusal calls for, or clear those a success lifts."""
    if result.status in (DeliveryStatus.SENT, DeliveryStatus.SCHEDULED):
        _clear_after_success(hass, entry, result)
    elif result.status is DeliveryStatus.FAILED:
        _raise_for_refusal(hass, entry, result)


def _clear_after_success(
    hass: HomeAssistant, entry: ConfigEntry, result: DeliveryResult
) -> None:
    """Clear what a send that went through shows is solved."""
    async_clear_account_issue(hass, entry, ISSUE_IP_NOT_ALLOWED)
    async_clear_account_issue(hass, entry, ISSUE_NUMBER_BLOCKED, result.number)
    if result.sender_id is not None:
        async_clear_account_issue(hass, entry, ISSUE_STOP_MENTION_REQUIRED)
        async_clear_account_issue(
            hass, entry, ISSUE_SENDER_ID_REFUSED, _slug(result.sender_id)
        )
    if is_overseas_number(result.number):
        async_clear_account_issue(hass, entry, ISSUE_OVERSEAS_NOT_ENABLED)


def _raise_for_refusal(
    hass: HomeAssistant, entry: ConfigEntry, result: DeliveryResult
) -> None:
    """Raise the repair of a refusal that a setting, or its owner, can lift."""
    code = result.code
    if code is SendCode.STOP_MENTION_REQUIRED:
        async_raise_account_issue(hass, entry, ISSUE_STOP_MENTION_REQUIRED)
    elif code is SendCode.INVALID_SENDER_ID and result.sender_id is not None:
        async_raise_account_issue(
            hass,
            entry,
            ISSUE_SENDER_ID_REFUSED,
            about=_slug(result.sender_id),
            placeholders={"sender_id": result.sender_id},
            data={"sender_id": result.sender_id},
        )
    elif code is SendCode.OVERSEAS_NOT_ENABLED:
        async_raise_account_issue(hass, entry, ISSUE_OVERSEAS_NOT_ENABLED)
    elif code is SendCode.BLACKLISTED:
        recipient = recipient_of(entry, result.number)
        async_raise_account_issue(
            hass,
            entry,
            ISSUE_NUMBER_BLOCKED,
            about=result.number,
            placeholders={"recipient": recipient.title if recipient else result.number},
            data={
                "number": result.number,
                "subentry_id": recipient.subentry_id if recipient else None,
            },
        )


@callback
def async_track_daily_limit(
    hass: HomeAssistant, entry: ConfigEntry, *, refused: bool = False
) -> None:
    """Show the daily-limit repair while the limit is reached (a new day clears it).

    `refused`: the limit just kept a message from going, whatever is left of it.
    """
    data = entry.runtime_data
    if refused or daily_limit_reached(data.options, data.outbox):
        async_raise_account_issue(
            hass,
            entry,
            ISSUE_DAILY_LIMIT_REACHED,
            placeholders={"limit": str(data.options.daily_limit)},
        )
    else:
        async_clear_account_issue(hass, entry, ISSUE_DAILY_LIMIT_REACHED)


@callback
def async_clear_solved_issues(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """At setup, clear what the options or the recipients now solve."""
    if entry.runtime_data.options.stop_mention:
        async_clear_account_issue(hass, entry, ISSUE_STOP_MENTION_REQUIRED)
    for issue in account_issues(hass, entry):
        subentry_id = (issue.data or {}).get("subentry_id")
        if (
            issue.translation_key == ISSUE_NUMBER_BLOCKED
            and subentry_id is not None
            and subentry_id not in entry.subentries
        ):
            ir.async_delete_issue(hass, DOMAIN, issue.issue_id)
