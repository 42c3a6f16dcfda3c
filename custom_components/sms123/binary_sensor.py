"""The low-balance binary sensor of a 123-SMS account."""

from typing import override

from homeassistant.components.binary_sensor import (  # type: ignore[attr-defined,unused-ignore]
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import Sms123ConfigEntry
from .entity import Sms123Entity

# The coordinator does every request; entities only read its data.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature Home Assistant calls
    entry: Sms123ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the low-balance binary sensor of the account."""
    low_balance = BinarySensorEntityDescription(
        key="low_balance",
        translation_key="low_balance",
        device_class=BinarySensorDeviceClass.PROBLEM,
    )
    async_add_entities(
        [Sms123LowBalanceSensor(entry.runtime_data.coordinator, low_balance)]
    )


class Sms123LowBalanceSensor(Sms123Entity, BinarySensorEntity):
    """On while the balance is below the account's threshold."""

    @property
    @override
    def is_on(self) -> bool | None:
        """Tell whether the balance is below the threshold (unknown before a read)."""
        balance = self.coordinator.data
        if balance is None:
            return None
        return balance.credits < self.coordinator.low_balance_threshold
