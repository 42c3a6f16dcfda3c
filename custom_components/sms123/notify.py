"""One notify entity per recipient of a 123-SMS account."""

from __future__ import annotations

from typing import TYPE_CHECKING, override

# Newer Home Assistant defines the flag in notify.const without re-exporting it.
from homeassistant.components.notify import (  # type: ignore[attr-defined, unused-ignore]
    NotifyEntity,
    NotifyEntityFeature,
)
from homeassistant.helpers import device_registry as dr

from .const import CONF_NUMBERS, SUBENTRY_TYPE_RECIPIENT
from .entity import Sms123AccountEntity, account_device_info, linked_device_info
from .sending import SendOptions, async_deliver, build_messages, compose_text

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


class Sms123NotifyEntity(Sms123AccountEntity, NotifyEntity):
    """Send an SMS to every number of one recipient."""

    _attr_supported_features = NotifyEntityFeature.TITLE
    # The entity takes the name of its device: the recipient's.
    _attr_name = None

    def __init__(
        self,
        entry: Sms123ConfigEntry,
        subentry: ConfigSubentry,
        account_device_id: str,
    ) -> None:
        """Put the entity on a device of its recipient, linked to the account's."""
        # A device belongs to one subentry: each recipient gets its own.
        super().__init__(
            entry,
            subentry.subentry_id,
            linked_device_info(
                entry, subentry.subentry_id, subentry.title, account_device_id
            ),
        )
        self._entry = entry
        self._numbers: list[str] = list(subentry.data[CONF_NUMBERS])

    @override
    async def async_added_to_hass(self) -> None:
        """Let the send action find the entity to record its notifications."""
        await super().async_added_to_hass()
        self._entry.runtime_data.notify_entities[self.entity_id] = self

    @override
    async def async_will_remove_from_hass(self) -> None:
        """Forget the entity when it leaves Home Assistant."""
        self._entry.runtime_data.notify_entities.pop(self.entity_id, None)
        await super().async_will_remove_from_hass()

    @override
    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Send the message, with the title before it, using the account options."""
        text = compose_text(message, title)
        data = self._entry.runtime_data
        messages = build_messages(
            data.options, self._numbers, text, SendOptions(), data.outbox.is_repeat
        )
        await async_deliver(self.hass, self._entry, messages)
