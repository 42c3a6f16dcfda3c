"""The recipients of an account: the config subentries that name phone numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .const import CONF_NUMBERS, SUBENTRY_TYPE_RECIPIENT

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry, ConfigSubentry


def recipient_of(entry: ConfigEntry, number: str) -> ConfigSubentry | None:
    """Return the recipient a number belongs to, if it belongs to one."""
    return next(
        (
            subentry
            for subentry in entry.subentries.values()
            if subentry.subentry_type == SUBENTRY_TYPE_RECIPIENT
            and number in subentry.data[CONF_NUMBERS]
        ),
        None,
    )
