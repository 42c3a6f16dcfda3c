"""The usage sensors: SMS sent today and in all, the limit left, days of credit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, callback

from custom_components.sms123.const import DOMAIN
from tests.integration.conftest import ALICE_NUMBER
from tests.integration.helpers import advance

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from sms123_simulator.state import Account
    from tests.integration.helpers import BoundAction

TODAY = "sensor.demo_example_com_sms_sent_today"
TOTAL = "sensor.demo_example_com_sms_sent"
LEFT = "sensor.demo_example_com_daily_limit_left"
DAYS = "sensor.demo_example_com_days_of_credit_left"
BOB = "33601020305"
# 10:00 in New York on 1 December 2026.
MORNING = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def value(hass: HomeAssistant, entity_id: str) -> str:
    """Return the state of an entity."""
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state


@pytest.fixture
async def morning(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Run in New York, at 10:00 on 1 December 2026."""
    await hass.config.async_set_time_zone("America/New_York")
    freezer.move_to(MORNING)


@pytest.mark.usefixtures("morning")
async def test_parts_sent_today_and_in_all_and_what_the_limit_leaves(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    send: BoundAction,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A 3-part message and a test: 3 today, 3 in all, 47 of 50 left; a day later, 0."""
    assert (value(hass, TODAY), value(hass, TOTAL), value(hass, LEFT)) == (
        "0",
        "0",
        "50",
    )

    await send({"recipients": [BOB], "message": "word " * 60, "split": True})
    await send({"recipients": [BOB], "message": "Only a test", "test": True})

    assert (value(hass, TODAY), value(hass, TOTAL), value(hass, LEFT)) == (
        "3",
        "3",
        "47",
    )
    freezer.move_to(datetime(2026, 12, 2, 4, 59, 59, tzinfo=UTC))  # 23:59:59 there
    await advance(hass, freezer, 2)
    assert (value(hass, TODAY), value(hass, TOTAL), value(hass, LEFT)) == (
        "0",
        "3",
        "50",
    )


@pytest.mark.usefixtures("morning")
async def test_the_counts_survive_a_restart(
    hass: HomeAssistant, init_integration: MockConfigEntry, send: BoundAction
) -> None:
    """What was sent is kept with the outbox and read back at the next start."""
    await send({"recipients": [BOB, ALICE_NUMBER], "message": "Hi"})
    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()

    assert (value(hass, TODAY), value(hass, TOTAL)) == ("2", "2")


@pytest.mark.parametrize("entry_options", [{"daily_limit": 0}])
async def test_no_limit_leaves_the_limit_sensor_unknown(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """With the daily limit off there is nothing to count down."""
    assert value(hass, LEFT) == "unknown"


def history(days: dict[int, int], since: int) -> dict[str, Any]:
    """Return a stored outbox whose usage log holds `days` (days ago: parts)."""
    today = date(2026, 12, 1)
    return {
        "items": [],
        "scheduled": [],
        "history": {},
        "usage": {
            "total": sum(days.values()),
            "since": (today - timedelta(days=since)).isoformat(),
            "days": {
                (today - timedelta(days=ago)).isoformat(): parts
                for ago, parts in days.items()
            },
            "recent": [],
        },
    }


@pytest.mark.usefixtures("morning")
@pytest.mark.parametrize(
    ("days", "since", "balance", "expected"),
    [
        # 60 parts in the last 30 days: 2 a day; 100 credits last 50 days.
        (dict.fromkeys(range(1, 31), 2), 60, 100, "50.0"),
        # Older days and today are not in the average: 30 in 30 days, 1 a day.
        ({0: 40, 31: 500, **dict.fromkeys(range(1, 31), 1)}, 60, 100, "100.0"),
        # Ten days of history: 20 parts in 10 days, 2 a day.
        (dict.fromkeys(range(1, 11), 2), 10, 30, "15.0"),
        # Less than a week of history: unknown.
        (dict.fromkeys(range(1, 6), 2), 6, 100, "unknown"),
        # A month with nothing sent: unknown.
        ({}, 60, 100, "unknown"),
    ],
    ids=["30-days", "window", "10-days", "under-a-week", "nothing-sent"],
)
async def test_days_of_credit_left_at_the_last_30_days_use(  # noqa: PLR0913
    hass: HomeAssistant,
    account: Account,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    days: dict[int, int],
    since: int,
    balance: float,
    expected: str,
) -> None:
    """The balance over the average of the last 30 days, once there is a week."""
    account.balance = balance
    key = f"{DOMAIN}.outbox.{mock_config_entry.entry_id}"
    hass_storage[key] = {
        "version": 2,
        "minor_version": 1,
        "key": key,
        "data": history(days, since),
    }
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert value(hass, DAYS) == expected


@pytest.mark.usefixtures("morning")
async def test_a_signal_that_moves_nothing_writes_nothing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    send: BoundAction,
    freezer: FrozenDateTimeFactory,
) -> None:
    """SMS sent hears each pending change and balance read; written as it moves."""
    written: list[str] = []

    @callback
    def total_only(event_data: Any) -> bool:  # noqa: ANN401 - either event's data
        return bool(event_data["entity_id"] == TOTAL)

    @callback
    def collect(event: Event[Any]) -> None:
        written.append(event.event_type)

    for event_type in (EVENT_STATE_CHANGED, EVENT_STATE_REPORTED):
        hass.bus.async_listen(event_type, collect, event_filter=total_only)

    await send({"recipients": [BOB], "message": "One SMS"})
    await advance(hass, freezer, 2)  # the balance read after the sends

    assert value(hass, TOTAL) == "1"
    assert written == [EVENT_STATE_CHANGED]
