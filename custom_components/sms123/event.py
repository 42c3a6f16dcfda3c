"""The messages event entity: one event per final result of a message."""

from __future__ import annotations

from typing import TYPE_CHECKING, override

from homeassistant.components.event import EventEntity
from homeassistant.core import callback

from .entity import Sms123AccountEntity
from .outbox import DeliveryResult, DeliveryStatus
from .recipients import recipient_of

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import Sms123ConfigEntry

# Events come from the outbox; the entity makes no request.
PARALLEL_UPDATES = 0

ATTR_RECIPIENT = "recipient"
ATTR_CODE = "code"
ATTR_REASON = "reason"
ATTR_REASON_CODE = "reason_code"
ATTR_RECIPIENT_NAME = "recipient_name"

# Test sends reach nobody and queued messages are not final: neither fires.
EVENT_TYPES = (
    DeliveryStatus.SENT,
    DeliveryStatus.SCHEDULED,
    DeliveryStatus.FAILED,
    DeliveryStatus.CANCELED,
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature Home Assistant calls
    entry: Sms123ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the messages event entity of the account."""
    async_add_entities([Sms123MessagesEvent(entry)])


class Sms123MessagesEvent(Sms123AccountEntity, EventEntity):
    """Fire sent, scheduled, failed and canceled for every message."""

    _attr_translation_key = "messages"

    def __init__(self, entry: Sms123ConfigEntry) -> None:
        """Attach the entity to the account device."""
        super().__init__(entry, "messages")
        self._entry = entry
        self._attr_event_types = [status.value for status in EVENT_TYPES]

    @override
    async def async_added_to_hass(self) -> None:
        """Listen to the final results of the outbox."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self._entry.runtime_data.outbox.async_add_result_listener(self._on_result)
        )

    @callback
    def _on_result(self, result: DeliveryResult) -> None:
        """Fire the event of one final result."""
        if result.status not in EVENT_TYPES:
            return
        recipient = recipient_of(self._entry, result.number)
        self._trigger_event(
            result.status.value,
            {
                ATTR_RECIPIENT: result.number,
                ATTR_RECIPIENT_NAME: None if recipient is None else recipient.title,
                ATTR_CODE: None if result.code is None else result.code.value,
                ATTR_REASON: result.reason,
                ATTR_REASON_CODE: result.reason_code,
            },
        )
        self.async_write_ha_state()
