"""The spending guard: the daily and the per-number hourly limits, at their edges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir

from custom_components.sms123.const import DOMAIN
from sms123_simulator import FaultKind
from tests.integration.conftest import ALICE_NUMBER
from tests.integration.helpers import advance

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from sms123_simulator import Simulator
    from tests.integration.helpers import BoundAction

BOB = "33601020305"
CAROL = "33601020306"
EVENTS = "event.demo_example_com_messages"
HOURLY = {"daily_limit": 0, "recipient_hourly_limit": 3}
DAILY = {"daily_limit": 4, "recipient_hourly_limit": 0}
# 10:00 in New York, far from midnight there and in Paris.
MORNING = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def sends_to(simulator: Simulator, number: str) -> int:
    """Return how many send requests reached the gateway for `number`."""
    return sum(
        record.params.get("numero") == number
        for record in simulator.requests
        if record.path == "/api/send/"
    )


def failed_events(hass: HomeAssistant) -> list[tuple[str, str, str]]:
    """Collect (recipient, reason code, reason) of every failed messages event."""
    seen: list[tuple[str, str, str]] = []

    @callback
    def _on_change(event: Event[EventStateChangedData]) -> None:
        """Keep a failed event of the messages entity."""
        state = event.data["new_state"]
        attributes = {} if state is None else state.attributes
        if event.data["entity_id"] == EVENTS and attributes.get("event_type") == (
            "failed"
        ):
            seen.append(
                (
                    attributes["recipient"],
                    attributes["reason_code"],
                    attributes["reason"],
                )
            )

    hass.bus.async_listen(EVENT_STATE_CHANGED, _on_change)
    return seen


@pytest.fixture
async def morning(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Run in New York, at 10:00 on 1 December 2026."""
    await hass.config.async_set_time_zone("America/New_York")
    freezer.move_to(MORNING)


@pytest.mark.usefixtures("morning")
@pytest.mark.parametrize("entry_options", [HOURLY])
async def test_the_hourly_limit_counts_in_a_rolling_hour(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    send: BoundAction,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The 3rd SMS of the hour passes, the 4th is refused, also across 11:00."""
    freezer.move_to(MORNING + timedelta(minutes=40))  # 10:40
    for index in range(3):
        await send({"recipients": [BOB], "message": f"Door {index}"})
    await advance(hass, freezer, 30 * 60)  # 11:10: the three are 30 minutes old

    with pytest.raises(HomeAssistantError) as caught:
        await send({"recipients": [BOB], "message": "Door 3"})

    assert caught.value.translation_key == "recipient_limit_reached"
    assert caught.value.translation_placeholders == {"limit": "3", "numbers": BOB}
    assert "3 SMS an hour" in str(caught.value)
    assert sends_to(simulator, BOB) == 3
    await advance(hass, freezer, 31 * 60)  # 11:41: the first three are over an hour
    await send({"recipients": [BOB], "message": "Door 3"})
    assert sends_to(simulator, BOB) == 4


@pytest.mark.usefixtures("morning")
@pytest.mark.parametrize("entry_options", [HOURLY])
async def test_refused_recipients_get_nothing_while_the_others_are_sent(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    send: BoundAction,
) -> None:
    """Only the number over its limit is refused, with a failed event; no request."""
    for index in range(3):
        await send({"recipients": [BOB], "message": f"Door {index}"})
    fired = failed_events(hass)

    with pytest.raises(HomeAssistantError) as caught:
        await send({"recipients": [BOB, CAROL], "message": "Alarm"})

    assert caught.value.translation_key == "recipient_limit_reached"
    assert (sends_to(simulator, BOB), sends_to(simulator, CAROL)) == (3, 1)
    assert fired == [
        (
            BOB,
            "recipient_limit",
            "the limit of 3 SMS an hour to this number is reached",
        )
    ]


@pytest.mark.usefixtures("morning")
@pytest.mark.parametrize("entry_options", [HOURLY])
async def test_ignore_limits_lets_an_alarm_through_but_notify_obeys(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    send: BoundAction,
) -> None:
    """send_sms with ignore_limits goes; a notify entity never ignores them."""
    for index in range(3):
        await send({"recipients": [ALICE_NUMBER], "message": f"Door {index}"})

    await send(
        {"recipients": [ALICE_NUMBER], "message": "Fire!", "ignore_limits": True}
    )
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            "notify",
            "send_message",
            {"entity_id": "notify.alice", "message": "Fire again!"},
            blocking=True,
        )

    assert caught.value.translation_key == "recipient_limit_reached"
    assert sends_to(simulator, ALICE_NUMBER) == 4


@pytest.mark.usefixtures("morning")
@pytest.mark.parametrize("entry_options", [DAILY])
async def test_the_daily_limit_counts_parts_and_resets_at_local_midnight(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    send: BoundAction,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A 3-part message and one SMS make 4; the 5th part waits for midnight there."""
    await send({"recipients": [BOB], "message": "word " * 60, "split": True})
    await send({"recipients": [CAROL], "message": "One more"})
    issue_id = f"daily_limit_reached_{init_integration.entry_id}"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders == {
        "account": "demo@example.com",
        "limit": "4",
    }

    with pytest.raises(HomeAssistantError) as caught:
        await send({"recipients": [ALICE_NUMBER], "message": "Too many"})
    assert caught.value.translation_key == "daily_limit_reached"
    assert caught.value.translation_placeholders == {
        "limit": "4",
        "numbers": ALICE_NUMBER,
    }

    # 23:59 in New York is already the next day in Paris: still refused.
    freezer.move_to(datetime(2026, 12, 2, 4, 59, tzinfo=UTC))
    with pytest.raises(HomeAssistantError):
        await send({"recipients": [ALICE_NUMBER], "message": "Too many"})
    await advance(hass, freezer, 61)  # 00:00:01 in New York
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    await send({"recipients": [ALICE_NUMBER], "message": "Too many"})
    assert sends_to(simulator, ALICE_NUMBER) == 1


@pytest.mark.usefixtures("morning")
@pytest.mark.parametrize("entry_options", [DAILY])
async def test_raising_the_limit_clears_its_repair(
    hass: HomeAssistant, init_integration: MockConfigEntry, send: BoundAction
) -> None:
    """The repair goes as soon as the limit is above what was sent."""
    await send({"recipients": [BOB, CAROL, ALICE_NUMBER], "message": "Hi"})
    await send({"recipients": ["33601020307"], "message": "Hi"})
    issue_id = f"daily_limit_reached_{init_integration.entry_id}"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None

    hass.config_entries.async_update_entry(
        init_integration, options={**DAILY, "daily_limit": 10}
    )
    await hass.async_block_till_done()

    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


@pytest.mark.usefixtures("morning")
@pytest.mark.parametrize("entry_options", [DAILY])
async def test_the_counters_survive_a_reload_and_test_sends_count_for_nothing(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    send: BoundAction,
) -> None:
    """Four SMS before a reload still count after it; test sends never do."""
    await send({"recipients": [BOB, CAROL], "message": "Hi"})
    await send({"recipients": [BOB, CAROL], "message": "Test", "test": True})
    await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    await send({"recipients": [BOB, CAROL], "message": "Hello"})

    with pytest.raises(HomeAssistantError):
        await send({"recipients": [ALICE_NUMBER], "message": "Over"})
    assert sends_to(simulator, ALICE_NUMBER) == 0


@pytest.mark.usefixtures("morning")
@pytest.mark.parametrize(
    "entry_options", [{"daily_limit": 2, "recipient_hourly_limit": 0}]
)
async def test_retries_of_accepted_messages_are_never_blocked(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    send: BoundAction,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Two messages accepted during an outage count at once, and both still go."""
    simulator.set_outage(FaultKind.RESET)
    answers: list[Any] = [
        await send({"recipients": [number], "message": "Hi"}) for number in (BOB, CAROL)
    ]
    with pytest.raises(HomeAssistantError):
        await send({"recipients": [ALICE_NUMBER], "message": "Hi"})
    simulator.set_outage(None)
    await advance(hass, freezer, 300)

    assert [a["recipients"][0]["status"] for a in answers] == ["queued", "queued"]
    assert sorted(sent.number for sent in simulator.delivered) == [BOB, CAROL]
