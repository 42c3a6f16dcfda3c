"""One notify entity per recipient of a 123-SMS account."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast, override

# Newer Home Assistant defines the flag in notify.const without re-exporting it.
from homeassistant.components.notify import (  # type: ignore[attr-defined, unused-ignore]
    NotifyEntity,
    NotifyEntityFeature,
)
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo

from .const import CONF_NUMBERS, DOMAIN, MANUFACTURER, SUBENTRY_TYPE_RECIPIENT
from .entity import account_device_info
from .sending import SendOptions, async_deliver, build, compose

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigSubentry
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import Sms123ConfigEntry

# Sends go through the outbox, which bounds the requests itself.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: Sms123ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a notify entity for every recipient subentry."""
    account = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **account_device_info(entry)
    )
    for subentry_id, subentry in entry.subentries.items():
        if subentry.subentry_type == SUBENTRY_TYPE_RECIPIENT:
            async_add_entities(
                [Sms123NotifyEntity(entry, subentry, account.id)],
                config_subentry_id=subentry_id,
            )


def _recipient_device(
    entry: Sms123ConfigEntry, subentry: ConfigSubentry, account_device_id: str
) -> DeviceInfo:
    """Return the device of one recipient, linked to the account device."""
    device = DeviceInfo(
        identifiers={(DOMAIN, f"{entry.unique_id}_{subentry.subentry_id}")},
        name=subentry.title,
        manufacturer=MANUFACTURER,
        entry_type=DeviceEntryType.SERVICE,
    )
    # Newer Home Assistant links devices by id; older releases by identifier.
    link = cast("dict[str, Any]", device)
    if "via_device_id" in DeviceInfo.__annotations__:
        link["via_device_id"] = account_device_id
    else:
        link["via_device"] = (DOMAIN, str(entry.unique_id))
    return device


class Sms123NotifyEntity(NotifyEntity):
    """Send an SMS to every number of one recipient."""

    _attr_has_entity_name = True
    _attr_supported_features = NotifyEntityFeature.TITLE

    def __init__(
        self,
        entry: Sms123ConfigEntry,
        subentry: ConfigSubentry,
        account_device_id: str,
    ) -> None:
        """Name the entity after the recipient, on a device of its own."""
        self._entry = entry
        self._numbers: list[str] = list(subentry.data[CONF_NUMBERS])
        self._attr_unique_id = f"{entry.unique_id}_{subentry.subentry_id}"
        # A device belongs to one subentry: each recipient gets its own, linked
        # to the account device, and the entity takes the recipient's name.
        self._attr_name = None
        self._attr_device_info = _recipient_device(entry, subentry, account_device_id)

    @override
    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Send the message, with the title before it, using the account options."""
        text = compose(message, title)
        messages = build(self._entry, self._numbers, text, SendOptions())
        await async_deliver(self.hass, self._entry, messages)
