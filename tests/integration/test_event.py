"""Tests of the messages event entity."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.sms123.const import (
    CONF_TEST_MODE,
    DOMAIN,
    SERVICE_CANCEL_SCHEDULED_SMS,
    SERVICE_SEND_SMS,
)
from sms123_simulator import FaultKind

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import Event, EventStateChangedData, HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from sms123_simulator import Simulator
    from sms123_simulator.state import Account

ENTITY_ID = "event.demo_example_com_messages"
BOB = "33601020305"


@pytest.fixture
def fired(hass: HomeAssistant) -> list[dict[str, Any]]:
    """Collect the attributes of every event the entity fires."""
    seen: list[dict[str, Any]] = []

    def _changed(event: Event[EventStateChangedData]) -> None:
        new_state = event.data["new_state"]
        if (
            event.data["entity_id"] == ENTITY_ID
            and new_state is not None
            and new_state.attributes.get("event_type")
        ):
            seen.append(dict(new_state.attributes))

    hass.bus.async_listen("state_changed", _changed)
    return seen


def summary(fired: list[dict[str, Any]]) -> list[tuple[str, str, str | None]]:
    """Return (event type, recipient, code) of each event."""
    return [(item["event_type"], item["recipient"], item["code"]) for item in fired]


async def send(hass: HomeAssistant, entry: MockConfigEntry, **data: object) -> None:
    """Call the send action."""
    await hass.services.async_call(
        DOMAIN,
        SERVICE_SEND_SMS,
        {"config_entry_id": entry.entry_id, "recipients": [BOB], **data},
        blocking=True,
    )


async def test_entity_lists_the_event_types(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The entity exists with its four event types."""
    state = hass.states.get(ENTITY_ID)

    assert state is not None
    assert state.attributes["event_types"] == [
        "sent",
        "scheduled",
        "failed",
        "canceled",
    ]


async def test_sent_then_scheduled_then_canceled(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    fired: list[dict[str, Any]],
) -> None:
    """Each final result fires its event with recipient, code and reason."""
    await send(hass, init_integration, message="Now")
    await send(hass, init_integration, message="Later", scheduled_at="2030-01-01 10:00")
    await hass.services.async_call(
        DOMAIN,
        SERVICE_CANCEL_SCHEDULED_SMS,
        {
            "config_entry_id": init_integration.entry_id,
            "recipients": [BOB],
            "scheduled_at": "2030-01-01 10:00",
            "message": "Later",
        },
        blocking=True,
    )

    assert summary(fired) == [
        ("sent", BOB, "80"),
        ("scheduled", BOB, "81"),
        ("canceled", BOB, "94"),
    ]
    assert fired[0]["reason"] == "the message was sent"


async def test_failed_event_names_the_reason(
    hass: HomeAssistant,
    account: Account,
    init_integration: MockConfigEntry,
    fired: list[dict[str, Any]],
) -> None:
    """A refused SMS fires failed, so automations can react."""
    account.blacklist.add(BOB)

    with pytest.raises(HomeAssistantError):
        await send(hass, init_integration, message="Hi")

    assert summary(fired) == [("failed", BOB, "101")]
    assert "blacklisted" in fired[0]["reason"]


@pytest.mark.parametrize("entry_options", [{CONF_TEST_MODE: True}])
async def test_test_sends_fire_nothing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    fired: list[dict[str, Any]],
) -> None:
    """A test send reaches nobody: no event."""
    await send(hass, init_integration, message="Hi")

    assert fired == []


async def test_retry_fires_when_it_settles(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    fired: list[dict[str, Any]],
) -> None:
    """A queued message fires sent only once a retry gets it through."""
    simulator.inject(FaultKind.HTTP_502, times=1, path="/api/send/")
    await send(hass, init_integration, message="Hi")
    assert fired == []

    freezer.tick(timedelta(minutes=5))
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done(wait_background_tasks=True)

    assert summary(fired) == [("sent", BOB, "80")]
