"""Tests of the messages event entity."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.const import Platform
from homeassistant.core import callback
from homeassistant.exceptions import HomeAssistantError

from custom_components.sms123.const import CONF_TEST_MODE
from sms123_simulator import FaultKind
from tests.integration.conftest import ALICE_NUMBER
from tests.integration.helpers import advance, snapshot_entities

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import Event, EventStateChangedData, HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from syrupy.assertion import SnapshotAssertion

    from sms123_simulator import Simulator
    from sms123_simulator.state import Account
    from tests.integration.helpers import BoundAction

ENTITY_ID = "event.demo_example_com_messages"
BOB = "33601020305"


@pytest.fixture
def fired(hass: HomeAssistant) -> list[dict[str, Any]]:
    """Collect the attributes of every event the entity fires."""
    seen: list[dict[str, Any]] = []

    # A callback runs in the event loop as the state changes; a plain function
    # would run later in a worker thread, after the test looked.
    @callback
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


async def test_sent_then_scheduled_then_canceled(
    send: BoundAction, cancel: BoundAction, fired: list[dict[str, Any]]
) -> None:
    """Each final result fires its event with recipient, code and reason."""
    later = {
        "recipients": [BOB],
        "message": "Later",
        "scheduled_at": "2030-01-01 10:00",
    }
    await send({"recipients": [BOB], "message": "Now"})
    await send(later)
    await cancel(later)

    assert summary(fired) == [
        ("sent", BOB, "80"),
        ("scheduled", BOB, "81"),
        ("canceled", BOB, "94"),
    ]
    assert fired[0]["reason"] == "the message was sent"
    assert [item["reason_code"] for item in fired] == ["sent", "scheduled", "canceled"]


async def test_event_names_the_recipient(
    send: BoundAction, fired: list[dict[str, Any]]
) -> None:
    """A number that belongs to a recipient gives the recipient's name; others none."""
    await send({"recipients": ["notify.alice", BOB], "message": "Now"})

    assert sorted((item["recipient"], item["recipient_name"]) for item in fired) == [
        (ALICE_NUMBER, "Alice"),
        (BOB, None),
    ]


async def test_failed_event_names_the_reason(
    account: Account, send: BoundAction, fired: list[dict[str, Any]]
) -> None:
    """A refused SMS fires failed, so automations can react."""
    account.blacklist.add(BOB)

    with pytest.raises(HomeAssistantError):
        await send({"recipients": [BOB], "message": "Hi"})

    assert summary(fired) == [("failed", BOB, "101")]
    assert "blacklisted" in fired[0]["reason"]
    assert fired[0]["reason_code"] == "blacklisted"


@pytest.mark.parametrize("entry_options", [{CONF_TEST_MODE: True}])
async def test_test_sends_fire_nothing(
    send: BoundAction, fired: list[dict[str, Any]]
) -> None:
    """A test send reaches nobody: no event."""
    await send({"recipients": [BOB], "message": "Hi"})

    assert fired == []


async def test_retry_fires_when_it_settles(
    hass: HomeAssistant,
    simulator: Simulator,
    send: BoundAction,
    freezer: FrozenDateTimeFactory,
    fired: list[dict[str, Any]],
) -> None:
    """A queued message fires sent only once a retry gets it through."""
    simulator.inject(FaultKind.HTTP_502, times=1, path="/api/send/")
    await send({"recipients": [BOB], "message": "Hi"})
    assert fired == []

    await advance(hass, freezer, 5 * 60)

    assert summary(fired) == [("sent", BOB, "80")]


@pytest.mark.parametrize("platforms", [[Platform.EVENT]], ids=["event"])
async def test_entities(
    hass: HomeAssistant, init_integration: MockConfigEntry, snapshot: SnapshotAssertion
) -> None:
    """Messages: an event entity with its four event types, as registered."""
    await snapshot_entities(hass, init_integration, snapshot)
