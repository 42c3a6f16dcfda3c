"""Balance polling and the typed runtime data of a 123-SMS account."""

from dataclasses import dataclass, field
from typing import override

from homeassistant.components.notify import NotifyEntity
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .api import (
    Balance,
    SendCode,
    Sms123AuthenticationError,
    Sms123Client,
    Sms123Error,
)
from .const import DOMAIN, ISSUE_IP_NOT_ALLOWED, LOGGER
from .issues import (
    async_clear_account_issue,
    async_raise_account_issue,
    async_track_balance,
)
from .options import AccountOptions
from .outbox import Outbox

# The balance is read once a burst of sends has been quiet this long (seconds).
REFRESH_AFTER_SENDS = 1.0


@dataclass
class Sms123Data:
    """What a loaded 123-SMS entry holds while it runs."""

    client: Sms123Client
    options: AccountOptions
    coordinator: "Sms123BalanceCoordinator"
    outbox: Outbox
    # The notify entity of each recipient, by entity id, while it is in Home Assistant.
    notify_entities: dict[str, NotifyEntity] = field(default_factory=dict)


type Sms123ConfigEntry = ConfigEntry[Sms123Data]


class Sms123BalanceCoordinator(DataUpdateCoordinator[Balance | None]):
    """Poll the account balance every `scan_interval` minutes (None until a read)."""

    config_entry: Sms123ConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: Sms123ConfigEntry,
        client: Sms123Client,
        options: AccountOptions,
    ) -> None:
        """Prepare the coordinator for one account."""
        self.client = client
        self.low_balance_threshold = options.low_balance_threshold
        self.last_error: Sms123Error | None = None
        self._unsub_after_sends: CALLBACK_TYPE | None = None
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"123-SMS {entry.title} balance",
            update_interval=options.scan_interval,
        )

    @callback
    def async_refresh_after_sends(self) -> None:
        """Read the balance once the sends of a burst are over.

        Each send moves the read on, so a burst costs one read, made after the
        last of its sends (a request made during a read is not lost either).
        """
        self.async_cancel_refresh_after_sends()
        self._unsub_after_sends = async_call_later(
            self.hass, REFRESH_AFTER_SENDS, self._refresh_after_sends
        )

    @callback
    def async_cancel_refresh_after_sends(self) -> None:
        """Drop a balance read planned after sends (the entry unloads)."""
        if self._unsub_after_sends is not None:
            self._unsub_after_sends()
            self._unsub_after_sends = None

    @callback
    def _refresh_after_sends(self, _now: object) -> None:
        """Read the balance now, in the background."""
        self._unsub_after_sends = None
        if self.hass.is_stopping:
            return
        self.config_entry.async_create_background_task(
            self.hass, self.async_refresh(), "sms123 balance after sends"
        )

    @override
    async def _async_update_data(self) -> Balance:
        """Read the balance and keep the account repair issues in step."""
        try:
            balance = await self.client.get_balance()
        except Sms123AuthenticationError as error:
            self.last_error = error
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from error
        except Sms123Error as error:
            self.last_error = error
            if error.code is SendCode.IP_NOT_ALLOWED:
                async_raise_account_issue(
                    self.hass, self.config_entry, ISSUE_IP_NOT_ALLOWED
                )
                raise UpdateFailed(
                    translation_domain=DOMAIN, translation_key="ip_not_allowed"
                ) from error
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="update_failed",
                translation_placeholders={"error": str(error)},
            ) from error
        self.last_error = None
        async_clear_account_issue(self.hass, self.config_entry, ISSUE_IP_NOT_ALLOWED)
        async_track_balance(self.hass, self.config_entry, balance.credits)
        return balance
