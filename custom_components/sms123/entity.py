"""Base entity and device of a 123-SMS account."""

from homeassistant.config_entries import ConfigEntry
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN, MANUFACTURER, PROVIDER_URL
from .coordinator import Sms123BalanceCoordinator


def account_device_info(entry: ConfigEntry) -> DeviceInfo:
    """Return the service device every entity of an account belongs to."""
    return DeviceInfo(
        identifiers={(DOMAIN, str(entry.unique_id))},
        name=entry.title,
        manufacturer=MANUFACTURER,
        entry_type=DeviceEntryType.SERVICE,
        configuration_url=PROVIDER_URL,
    )


class Sms123Entity(CoordinatorEntity[Sms123BalanceCoordinator]):
    """An entity fed by the balance coordinator of one account."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: Sms123BalanceCoordinator, description: EntityDescription
    ) -> None:
        """Attach the entity to its account device."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self.entity_description = description
        self._attr_unique_id = f"{entry.unique_id}_{description.key}"
        self._attr_device_info = account_device_info(entry)
