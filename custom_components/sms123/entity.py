"""Base entities and devices of a 123-SMS account."""

from typing import Any, cast

from homeassistant.config_entries import ConfigEntry
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN, MANUFACTURER, PROVIDER_URL
from .coordinator import Sms123BalanceCoordinator


def account_device_info(entry: ConfigEntry) -> DeviceInfo:
    """Return the service device of an account, the one its own entities are on."""
    return DeviceInfo(
        identifiers={(DOMAIN, str(entry.unique_id))},
        name=entry.title,
        manufacturer=MANUFACTURER,
        entry_type=DeviceEntryType.SERVICE,
        configuration_url=PROVIDER_URL,
    )


def linked_device_info(
    entry: ConfigEntry, key: str, name: str, account_device_id: str
) -> DeviceInfo:
    """Return a device of the account (a recipient's), linked to the account device."""
    device = DeviceInfo(
        identifiers={(DOMAIN, f"{entry.unique_id}_{key}")},
        name=name,
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


class Sms123AccountEntity(Entity):
    """An entity of one account, named by its translation key or its device."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(
        self, entry: ConfigEntry, key: str, device_info: DeviceInfo | None = None
    ) -> None:
        """Give the entity its unique ID and put it on its device."""
        self._attr_unique_id = f"{entry.unique_id}_{key}"
        self._attr_device_info = device_info or account_device_info(entry)


class Sms123Entity(CoordinatorEntity[Sms123BalanceCoordinator], Sms123AccountEntity):
    """An account entity fed by the balance coordinator."""

    def __init__(
        self, coordinator: Sms123BalanceCoordinator, description: EntityDescription
    ) -> None:
        """Attach the entity to the coordinator and to the account device."""
        CoordinatorEntity.__init__(self, coordinator)
        Sms123AccountEntity.__init__(self, coordinator.config_entry, description.key)
        self.entity_description = description
