"""Helpers shared by the integration tests: actions, time, results, snapshots."""

from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, ServiceResponse, State
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed
from syrupy.assertion import SnapshotAssertion

from custom_components.sms123.const import DOMAIN
from custom_components.sms123.outbox import DeliveryResult

# An action with its service (and entry) bound by a fixture: data in, answer out.
type BoundAction = Callable[..., Awaitable[ServiceResponse]]
# The default scan interval of the balance coordinator.
SCAN_INTERVAL = timedelta(minutes=30)
# State attributes that change from run to run, left out of snapshots.
VOLATILE_ATTRIBUTES = frozenset({"last_reset", "timestamp"})


async def call_action(  # noqa: PLR0913 - the parts of an action call
    hass: HomeAssistant,
    service: str,
    data: Mapping[str, Any],
    *,
    entry: ConfigEntry | None = None,
    domain: str = DOMAIN,
    response: bool = True,
) -> ServiceResponse:
    """Call an action to its end (for the entry, when given); return its response."""
    target = {} if entry is None else {"config_entry_id": entry.entry_id}
    return await hass.services.async_call(
        domain,
        service,
        {**target, **data},
        blocking=True,
        return_response=response,
    )


async def poll(hass: HomeAssistant, after: timedelta = SCAN_INTERVAL) -> None:
    """Let a scan interval (or `after`) pass and wait for the poll it starts."""
    async_fire_time_changed(hass, dt_util.utcnow() + after)
    await hass.async_block_till_done(wait_background_tasks=True)


async def advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Let what runs finish, move time forward, and let due retries run to their end.

    Moving the clock under a request in flight would trip its timeout at once.
    """
    await hass.async_block_till_done(wait_background_tasks=True)
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def code_of(result: DeliveryResult) -> str | None:
    """Return the code of a delivery result as the gateway wrote it."""
    return None if result.code is None else result.code.value


def plain_keys(mapping: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Return the mapping with its keys as plain text (newer versions use enums)."""
    return None if mapping is None else {str(k): v for k, v in mapping.items()}


def stable_fields(entity: er.RegistryEntry, state: State) -> dict[str, Any]:
    """Return what an entity shows the same on every Home Assistant version."""
    return {
        "entity_id": entity.entity_id,
        "unique_id": entity.unique_id,
        "platform": entity.platform,
        "config_subentry_id": entity.config_subentry_id,
        "has_entity_name": entity.has_entity_name,
        "translation_key": entity.translation_key,
        "original_name": entity.original_name,
        "original_icon": entity.original_icon,
        "device_class": entity.device_class,
        "original_device_class": entity.original_device_class,
        "entity_category": entity.entity_category,
        "unit_of_measurement": entity.unit_of_measurement,
        "capabilities": plain_keys(entity.capabilities),
        "supported_features": entity.supported_features,
        "disabled_by": entity.disabled_by,
        "hidden_by": entity.hidden_by,
        "state": state.state,
        "attributes": plain_keys(
            {
                key: value
                for key, value in state.attributes.items()
                if key not in VOLATILE_ATTRIBUTES
            }
        ),
    }


async def snapshot_entities(
    hass: HomeAssistant, entry: ConfigEntry, snapshot: SnapshotAssertion
) -> None:
    """Match the registry entry and state of each entity of the entry to snapshots."""
    await hass.async_block_till_done()
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    assert entities, "the entry has no entity"
    for entity in entities:
        state = hass.states.get(entity.entity_id)
        assert state is not None, f"no state for {entity.entity_id}"
        assert stable_fields(entity, state) == snapshot(name=entity.entity_id)
