"""Binary sensors of a 123-SMS account."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import override

from homeassistant.components.binary_sensor import (  # type: ignore[attr-defined,unused-ignore]
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import Sms123BalanceCoordinator, Sms123ConfigEntry
from .entity import Sms123Entity

# The coordinator does every request; entities only read its data.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class Sms123BinarySensorDescription(BinarySensorEntityDescription):
    """Describe a binary sensor computed from the balance coordinator."""

    is_on_fn: Callable[[Sms123BalanceCoordinator], bool]


BINARY_SENSORS: tuple[Sms123BinarySensorDescription, ...] = (
    Sms123BinarySensorDescription(
        key="low_balance",
        translation_key="low_balance",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda coordinator: (
            coordinator.data.credits < coordinator.low_balance_threshold
        ),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature Home Assistant calls
    entry: Sms123ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the account binary sensors."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        Sms123BinarySensor(coordinator, description) for description in BINARY_SENSORS
    )


class Sms123BinarySensor(Sms123Entity, BinarySensorEntity):
    """A binary sensor of a 123-SMS account."""

    entity_description: Sms123BinarySensorDescription

    @property
    @override
    def is_on(self) -> bool:
        """Return the state the description computes."""
        return self.entity_description.is_on_fn(self.coordinator)
