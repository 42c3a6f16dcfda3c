"""Sensors of a 123-SMS account."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfTime
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_track_time_change
from homeassistant.util import dt as dt_util

from .api import Balance
from .coordinator import Sms123ConfigEntry, Sms123Data
from .entity import Sms123AccountEntity, Sms123Entity
from .limits import used_today

# The coordinator does every request; entities only read its data.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class Sms123SensorDescription(SensorEntityDescription):
    """Describe a sensor computed from the balance coordinator."""

    value_fn: Callable[[Balance], float]


def _whole_if_whole(amount: float) -> float:
    """Return whole credits as an integer, so they show without a decimal."""
    return int(amount) if amount.is_integer() else amount


SENSORS: tuple[Sms123SensorDescription, ...] = (
    Sms123SensorDescription(
        key="balance",
        translation_key="balance",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda balance: _whole_if_whole(balance.credits),
    ),
)

PENDING_SENSOR = SensorEntityDescription(
    key="pending_messages",
    translation_key="pending_messages",
    state_class=SensorStateClass.MEASUREMENT,
)


@dataclass(frozen=True, kw_only=True)
class Sms123UsageDescription(SensorEntityDescription):
    """Describe a sensor of what the account sent through the integration."""

    value_fn: Callable[[Sms123Data], float | None]


def _limit_left(data: Sms123Data) -> int | None:
    """Return the SMS parts the daily limit still allows today (none: no limit)."""
    limit = data.options.daily_limit
    return max(limit - used_today(data.outbox), 0) if limit else None


def _credit_days_left(data: Sms123Data) -> float | None:
    """Return the days the balance lasts at the last 30 days' use (see README)."""
    balance = data.coordinator.data
    per_day = data.outbox.usage.average_per_day(dt_util.now().date())
    if balance is None or per_day is None:
        return None
    return round(max(balance.credits, 0) / per_day, 1)


USAGE_SENSORS: tuple[Sms123UsageDescription, ...] = (
    Sms123UsageDescription(
        key="sent_today",
        translation_key="sent_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda data: data.outbox.usage.sent_on(dt_util.now().date()),
    ),
    Sms123UsageDescription(
        key="sent_total",
        translation_key="sent_total",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda data: data.outbox.usage.total,
    ),
    Sms123UsageDescription(
        key="daily_limit_left",
        translation_key="daily_limit_left",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=_limit_left,
    ),
    Sms123UsageDescription(
        key="credit_days_left",
        translation_key="credit_days_left",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.DAYS,
        suggested_display_precision=0,
        value_fn=_credit_days_left,
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
    async_add_entities([Sms123PendingSensor(entry)])
    async_add_entities(
        Sms123UsageSensor(entry, description) for description in USAGE_SENSORS
    )


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


class Sms123UsageSensor(Sms123AccountEntity, SensorEntity):
    """What the account sent, counted here: shown even while the gateway is down."""

    entity_description: Sms123UsageDescription

    def __init__(
        self, entry: Sms123ConfigEntry, description: Sms123UsageDescription
    ) -> None:
        """Attach the sensor to the account device and to what it counts."""
        super().__init__(entry, description.key)
        self.entity_description = description
        self._data = entry.runtime_data
        self._shown: float | None = None

    @property
    @override
    def native_value(self) -> float | None:
        """Return the value the description computes."""
        return self.entity_description.value_fn(self._data)

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the sends, the pending messages, the balance and the local day."""
        await super().async_added_to_hass()
        # Home Assistant writes this value once the entity is added.
        self._shown = self.native_value
        outbox = self._data.outbox
        self.async_on_remove(outbox.async_add_usage_listener(self._changed))
        self.async_on_remove(outbox.async_add_pending_listener(self._changed))
        self.async_on_remove(self._data.coordinator.async_add_listener(self._changed))
        self.async_on_remove(
            async_track_time_change(
                self.hass, self._changed, hour=0, minute=0, second=0
            )
        )

    @callback
    def _changed(self, *_args: object) -> None:
        """Show the new value; a signal that left it as it was writes nothing.

        Each sensor hears every send, result and balance read, and most of them
        move only one of the four values.
        """
        value = self.native_value
        if value != self._shown:
            self._shown = value
            self.async_write_ha_state()
