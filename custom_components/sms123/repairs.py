"""Fix flows of the repairs a setting can solve: the stop mention, a sender ID."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.repairs import RepairsFlow

from .const import CONF_SENDER_ID, CONF_STOP_MENTION, ISSUE_STOP_MENTION_REQUIRED

if TYPE_CHECKING:
    import sys

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    # Newer Home Assistant types the results of fix flows with a class of their own.
    if sys.version_info >= (3, 14):
        from homeassistant.components.repairs import RepairsFlowResult as FlowResult
    else:
        from homeassistant.data_entry_flow import FlowResult


class _OptionsFixFlow(RepairsFlow):
    """A fix flow that changes the options of the account the issue is about."""

    def __init__(self, entry: ConfigEntry, sender_id: str | None) -> None:
        """Remember the account, and the sender ID the gateway refused (if any)."""
        self._entry = entry
        self._sender_id = sender_id

    def _set_options(self, **changes: object) -> FlowResult:
        """Save the options with `changes` (the account reloads) and close the issue."""
        options = {**self._entry.options, **changes}
        self.hass.config_entries.async_update_entry(
            self._entry, options={k: v for k, v in options.items() if v is not None}
        )
        return self.async_create_entry(data={})


class StopMentionFixFlow(_OptionsFixFlow):
    """Turn on the option that ends every SMS sent with a sender ID with the mention."""

    async def async_step_init(
        self,
        user_input: dict[str, str] | None = None,  # noqa: ARG002 - the issue's data
    ) -> FlowResult:
        """Start with the explanation."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> FlowResult:
        """Explain the rule and offer to follow it."""
        if user_input is not None:
            return self._set_options(**{CONF_STOP_MENTION: True})
        return self.async_show_form(
            step_id="confirm", description_placeholders={"account": self._entry.title}
        )


class SenderIdFixFlow(_OptionsFixFlow):
    """Stop using a refused default sender ID, or keep it to declare it first."""

    async def async_step_init(
        self,
        user_input: dict[str, str] | None = None,  # noqa: ARG002 - the issue's data
    ) -> FlowResult:
        """Offer to remove it from the options (if it is the default), or keep it."""
        is_default = self._entry.options.get(CONF_SENDER_ID) == self._sender_id
        return self.async_show_menu(
            step_id="init",
            menu_options=["remove", "keep"] if is_default else ["keep"],
            description_placeholders={
                "sender_id": self._sender_id or "",
                "account": self._entry.title,
            },
        )

    async def async_step_remove(
        self,
        user_input: dict[str, str] | None = None,  # noqa: ARG002 - a menu choice
    ) -> FlowResult:
        """Send with the account's number again: the default sender ID is cleared."""
        return self._set_options(**{CONF_SENDER_ID: None})

    async def async_step_keep(
        self,
        user_input: dict[str, str] | None = None,  # noqa: ARG002 - a menu choice
    ) -> FlowResult:
        """Keep the sender ID: its owner declares it in the customer area."""
        return self.async_create_entry(data={})


async def async_create_fix_flow(
    hass: HomeAssistant,
    issue_id: str,  # noqa: ARG001 - the data says what the issue is about
    data: dict[str, str | int | float | None] | None,
) -> RepairsFlow:
    """Return the fix flow of a repair issue of this integration."""
    data = data or {}
    entry = hass.config_entries.async_get_entry(str(data["entry_id"]))
    if entry is None:
        raise ValueError("the account of this repair is gone")
    sender_id = data.get("sender_id")
    flow = (
        StopMentionFixFlow
        if data["kind"] == ISSUE_STOP_MENTION_REQUIRED
        else SenderIdFixFlow
    )
    return flow(entry, None if sender_id is None else str(sender_id))
