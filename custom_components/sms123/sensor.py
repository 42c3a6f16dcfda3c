"""Sensors of a 123-SMS account."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import override

from homeassistant.components.sensor import (
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Balance
from .coordinator import Sms123ConfigEntry
from .entity import Sms123AccountEntity, Sms123Entity

# The coordinator does every request; entities only read its data.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class Sms123SensorDescription(SensorEntityDescription):
    """Describe a sensor computed from the balance coordinator."""

    value_fn: Callable[[Balance], float]


SENSORS: tuple[Sms123SensorDescription, ...] = (
    Sms123SensorDescription(
        key="balance",
        translation_key="balance",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda balance: balance.credits,
    ),
)

PENDING_SENSOR = SensorEntityDescription(
    key="pending_messages",
    translation_key="pending_messages",
    state_class=SensorStateClass.MEASUREMENT,
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature Home Assistant calls
    entry: Sms123ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the account sensors."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        Sms123Sensor(coordinator, description) for description in SENSORS
    )
    async_add_entities([Sms123PendingSensor(entry)])


class Sms123Sensor(Sms123Entity, SensorEntity):
    """A sensor of a 123-SMS account computed from its balance."""

    entity_description: Sms123SensorDescription

    @property
    @override
    def native_value(self) -> float | None:
        """Return the value the description computes, unknown before a first read."""
        balance = self.coordinator.data
        return None if balance is None else self.entity_description.value_fn(balance)


class Sms123PendingSensor(Sms123AccountEntity, SensorEntity):
    """Count the messages waiting in the outbox for a final answer."""

    entity_description = PENDING_SENSOR

    def __init__(self, entry: Sms123ConfigEntry) -> None:
        """Attach the sensor to the account device and its outbox."""
        super().__init__(entry, PENDING_SENSOR.key)
        self._outbox = entry.runtime_data.outbox
        self._attr_native_value = self._outbox.pending

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the number of pending messages."""
        await super().async_added_to_hass()
        self.async_on_remove(self._outbox.async_add_pending_listener(self._on_pending))

    @callback
    def _on_pending(self, count: int) -> None:
        """Show the new number of pending messages."""
        self._attr_native_value = count
        self.async_write_ha_state()
