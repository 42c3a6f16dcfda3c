"""Helpers shared by the integration tests: time, results."""

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.sms123.outbox import DeliveryResult


async def advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Move time forward and let due retries run to their end."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def code_of(result: DeliveryResult) -> str | None:
    """Return the code of a delivery result as the gateway wrote it."""
    return None if result.code is None else result.code.value
