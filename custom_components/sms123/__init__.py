"""The 123-SMS integration: send SMS through the 123-SMS.net gateway."""

from homeassistant.const import CONF_API_KEY, CONF_URL, CONF_USERNAME, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .api import DataFormat, Sms123Client
from .const import CONF_DATA_FORMAT, DEFAULT_DATA_FORMAT, DEFAULT_URL, DOMAIN
from .coordinator import Sms123BalanceCoordinator, Sms123ConfigEntry, Sms123Data
from .issues import async_clear_account_issues

PLATFORMS: list[Platform] = [Platform.BINARY_SENSOR, Platform.SENSOR]


async def async_setup_entry(hass: HomeAssistant, entry: Sms123ConfigEntry) -> bool:
    """Check the account with a balance call, then set up its entities."""
    client = Sms123Client(
        entry.data[CONF_USERNAME],
        entry.data[CONF_API_KEY],
        session=async_get_clientsession(hass),
        base_url=entry.data.get(CONF_URL, DEFAULT_URL),
        data_format=DataFormat(entry.data.get(CONF_DATA_FORMAT, DEFAULT_DATA_FORMAT)),
    )
    coordinator = Sms123BalanceCoordinator(hass, entry, client)
    try:
        await coordinator.async_config_entry_first_refresh()
    except ConfigEntryNotReady as error:
        # Older Home Assistant drops the translation of the first refresh failure.
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"error": str(coordinator.last_error)},
        ) from error
    entry.runtime_data = Sms123Data(client=client, coordinator=coordinator)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_on_unload(entry.add_update_listener(_async_reload_entry))
    return True


async def _async_reload_entry(hass: HomeAssistant, entry: Sms123ConfigEntry) -> None:
    """Reload the entry so new options and recipients take effect."""
    await hass.config_entries.async_reload(entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: Sms123ConfigEntry) -> bool:
    """Unload the entities of an account."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: Sms123ConfigEntry) -> None:
    """Drop the repair issues of an account that is removed."""
    async_clear_account_issues(hass, entry)
