"""Sensors of a 123-SMS account."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import override

from homeassistant.components.sensor import (
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import Sms123BalanceCoordinator, Sms123ConfigEntry
from .entity import Sms123Entity

# The coordinator does every request; entities only read its data.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class Sms123SensorDescription(SensorEntityDescription):
    """Describe a sensor computed from the balance coordinator."""

    value_fn: Callable[[Sms123BalanceCoordinator], float | None]


SENSORS: tuple[Sms123SensorDescription, ...] = (
    Sms123SensorDescription(
        key="balance",
        translation_key="balance",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda coordinator: coordinator.data.credits,
    ),
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


class Sms123Sensor(Sms123Entity, SensorEntity):
    """A sensor of a 123-SMS account."""

    entity_description: Sms123SensorDescription

    @property
    @override
    def native_value(self) -> float | None:
        """Return the value the description computes."""
        return self.entity_description.value_fn(self.coordinator)
