"""The 123-SMS integration: send SMS through the 123-SMS.net gateway."""

from datetime import datetime

from homeassistant.const import (
    CONF_API_KEY,
    CONF_URL,
    CONF_USERNAME,
    EVENT_HOMEASSISTANT_STOP,
    Platform,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_track_time_change
from homeassistant.helpers.typing import ConfigType

from .api import DataFormat, Sms123Client
from .const import (
    CONF_DATA_FORMAT,
    DEFAULT_DATA_FORMAT,
    DEFAULT_URL,
    DOMAIN,
    ISSUE_IP_NOT_ALLOWED,
    LOGGER,
)
from .coordinator import Sms123BalanceCoordinator, Sms123ConfigEntry, Sms123Data
from .issues import (
    async_clear_account_issues,
    async_clear_solved_issues,
    async_raise_account_issue,
    async_track_daily_limit,
    async_track_result,
)
from .options import account_options
from .outbox import (
    AccountRefusal,
    DeliveryResult,
    DeliveryStatus,
    Outbox,
    OutboxStore,
)
from .services import async_setup_services

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.EVENT,
    Platform.NOTIFY,
    Platform.SENSOR,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, _config: ConfigType) -> bool:
    """Register the actions of the integration, once for every account."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: Sms123ConfigEntry) -> bool:
    """Set up an account; an unreachable gateway only delays its balance."""
    client = _client_of(hass, entry)
    options = account_options(entry)
    coordinator = Sms123BalanceCoordinator(hass, entry, client, options)
    await _async_first_balance(entry, coordinator)
    outbox = Outbox(hass, client, _outbox_store_key(entry))
    await outbox.async_load()
    if not coordinator.last_update_success:
        outbox.async_gateway_unreachable()
    entry.runtime_data = Sms123Data(
        client=client, options=options, coordinator=coordinator, outbox=outbox
    )
    entry.async_on_unload(outbox.async_stop)
    _async_stop_with_hass(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    async_clear_solved_issues(hass, entry)
    _async_watch_daily_limit(hass, entry)
    _async_link_outbox(hass, entry)
    outbox.async_start()
    entry.async_on_unload(entry.add_update_listener(_async_reload_entry))
    return True


def _client_of(hass: HomeAssistant, entry: Sms123ConfigEntry) -> Sms123Client:
    """Return the gateway client of an account, on Home Assistant's shared session."""
    return Sms123Client(
        entry.data[CONF_USERNAME],
        entry.data[CONF_API_KEY],
        session=async_get_clientsession(hass),
        base_url=entry.data.get(CONF_URL, DEFAULT_URL),
        data_format=DataFormat(entry.data.get(CONF_DATA_FORMAT, DEFAULT_DATA_FORMAT)),
    )


async def _async_first_balance(
    entry: Sms123ConfigEntry, coordinator: Sms123BalanceCoordinator
) -> None:
    """Read the balance once; refused credentials raise ConfigEntryAuthFailed."""
    try:
        await coordinator.async_config_entry_first_refresh()
    except ConfigEntryNotReady:
        # Offline first: the "power is back" alert must not wait for the router.
        # The outbox takes messages now and sends them once the gateway answers;
        # the balance entities stay unavailable until the first good poll.
        LOGGER.warning(
            "The 123-SMS gateway cannot be reached for %s (%s); messages are queued"
            " until it answers",
            entry.title,
            coordinator.last_error,
        )


@callback
def _async_stop_with_hass(hass: HomeAssistant, entry: Sms123ConfigEntry) -> None:
    """Stop the outbox when Home Assistant stops, before the shared session closes."""
    data = entry.runtime_data

    async def _async_stop_outbox(_event: Event) -> None:
        """Stop retrying; the pending messages stay stored."""
        data.coordinator.async_cancel_refresh_after_sends()
        await data.outbox.async_stop()

    # Home Assistant does not unload entries when it stops.
    # Not listen_once: unloading after the stop would remove a listener that is gone.
    entry.async_on_unload(
        hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, _async_stop_outbox)
    )


@callback
def _async_watch_daily_limit(hass: HomeAssistant, entry: Sms123ConfigEntry) -> None:
    """Check the daily limit now and again at each local midnight."""
    async_track_daily_limit(hass, entry)

    @callback
    def _on_midnight(_now: datetime) -> None:
        """Start the daily limit again on a new local day."""
        async_track_daily_limit(hass, entry)

    entry.async_on_unload(
        async_track_time_change(hass, _on_midnight, hour=0, minute=0, second=0)
    )


def _outbox_store_key(entry: Sms123ConfigEntry) -> str:
    """Return the storage key of the outbox of an account."""
    return f"{DOMAIN}.outbox.{entry.entry_id}"


@callback
def _async_link_outbox(hass: HomeAssistant, entry: Sms123ConfigEntry) -> None:
    """Wire the outbox to the balance polls, reauthentication and repairs."""
    coordinator = entry.runtime_data.coordinator
    outbox = entry.runtime_data.outbox

    @callback
    def _on_result(result: DeliveryResult) -> None:
        """Keep the repairs in step; read the balance after the sends."""
        async_track_result(hass, entry, result)
        if result.status in (DeliveryStatus.SENT, DeliveryStatus.SCHEDULED):
            coordinator.async_refresh_after_sends()

    @callback
    def _on_balance() -> None:
        """Tell the outbox whether the account answers: one source for its pacing."""
        if coordinator.last_update_success and coordinator.data is not None:
            outbox.async_gateway_answered(coordinator.data.credits)
        elif coordinator.last_error is not None and coordinator.last_error.transient:
            outbox.async_gateway_unreachable()

    @callback
    def _on_refusal(refusal: AccountRefusal) -> None:
        """Ask the owner to lift a refusal of the account (Home Assistant asks once)."""
        if refusal is AccountRefusal.CREDENTIALS:
            entry.async_start_reauth(hass)
        else:
            async_raise_account_issue(hass, entry, ISSUE_IP_NOT_ALLOWED)

    entry.async_on_unload(outbox.async_add_result_listener(_on_result))
    entry.async_on_unload(coordinator.async_cancel_refresh_after_sends)
    entry.async_on_unload(outbox.async_add_refusal_listener(_on_refusal))
    entry.async_on_unload(coordinator.async_add_listener(_on_balance))


async def _async_reload_entry(hass: HomeAssistant, entry: Sms123ConfigEntry) -> None:
    """Reload the entry so new options and recipients take effect."""
    await hass.config_entries.async_reload(entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: Sms123ConfigEntry) -> bool:
    """Unload the entities of an account."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: Sms123ConfigEntry) -> None:
    """Drop the repair issues and the outbox of an account that is removed."""
    async_clear_account_issues(hass, entry)
    await OutboxStore(hass, _outbox_store_key(entry)).async_remove()
