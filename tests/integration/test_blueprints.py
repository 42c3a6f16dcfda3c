"""Tests of the automation blueprints in blueprints/automation/sms123.

Each blueprint is checked against Home Assistant's blueprint schema, then copied
into the config dir of the test hass and used by an automation that must do
what the blueprint says, against the simulator.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, override
from unittest.mock import ANY

import pytest
from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint.models import Blueprint

# Newer Home Assistant defines the flag in notify.const without re-exporting it.
from homeassistant.components.notify import (  # type: ignore[attr-defined, unused-ignore]
    NotifyEntity,
    NotifyEntityFeature,
)
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util import yaml as yaml_util
from pytest_homeassistant_custom_component.common import (
    MockEntityPlatform,
    async_fire_time_changed,
    async_get_persistent_notifications,
)

from tests.integration.conftest import ALICE_NUMBER
from tests.integration.helpers import poll

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from sms123_simulator import Simulator
    from sms123_simulator.state import Account
    from tests.integration.helpers import BoundAction

BLUEPRINTS = Path(__file__).resolve().parents[2] / "blueprints" / "automation"
FOLDER = "sms123"
SOURCE_URL = (
    "https://github.com/sms123-ha/sms123/blob/main/blueprints/automation/sms123/"
)
MIN_VERSION = "2025.4.0"
INPUTS = {
    "low_balance.yaml": {"low_balance_sensor", "recipients", "message"},
    "state_alert.yaml": {"watched", "to_state", "recipients", "message", "cooldown"},
    "failed_sms_fallback.yaml": {
        "messages_event",
        "fallback",
        "persistent_notification",
    },
}
# The inputs that take entities of the integration only.
SMS123_INPUTS = {
    "low_balance.yaml": {"low_balance_sensor": "binary_sensor", "recipients": "notify"},
    "state_alert.yaml": {"recipients": "notify"},
    "failed_sms_fallback.yaml": {"messages_event": "event"},
}

ALICE = "notify.alice"
BALANCE = "sensor.demo_example_com_balance"
LOW_BALANCE = "binary_sensor.demo_example_com_low_balance"
MESSAGES = "event.demo_example_com_messages"
FRONT_DOOR = "binary_sensor.front_door"
BACK_DOOR = "binary_sensor.back_door"
BOB = "33601020305"
COOLDOWN_MINUTES = 10
LONGEST_COOLDOWN = timedelta(days=1, minutes=1)
# The integration appends the time to a text the number got in the last 24 hours.
REPEAT_SUFFIX = r"( \(\d\d:\d\d\))?"
# How long a test waits (real time) for runs of an automation to settle: a run
# that sends waits about a second for an answer before it does.
SETTLE_SECONDS = 10.0
# Lets the runs a change starts begin, before a test counts them (real time).
ANNOUNCE_SECONDS = 0.05


def load(name: str) -> Blueprint:
    """Load a blueprint file and validate it as Home Assistant does."""
    return Blueprint(
        yaml_util.load_yaml(BLUEPRINTS / FOLDER / name),
        expected_domain="automation",
        path=f"{FOLDER}/{name}",
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_blueprint_is_valid(name: str) -> None:
    """Each blueprint passes the schema, for this release, with its inputs."""
    blueprint = load(name)

    assert blueprint.validate() is None
    metadata = blueprint.metadata
    assert metadata["source_url"] == SOURCE_URL + name
    assert metadata["homeassistant"]["min_version"] == MIN_VERSION
    assert metadata["description"]
    assert set(blueprint.inputs) == INPUTS[name]
    for key, domain in SMS123_INPUTS[name].items():
        entity = blueprint.inputs[key]["selector"]["entity"]
        assert [(f["integration"], f["domain"]) for f in entity["filter"]] == [
            ("sms123", [domain])
        ]


def test_all_blueprints_are_tested() -> None:
    """No blueprint file escapes the checks above."""
    assert sorted(p.name for p in (BLUEPRINTS / FOLDER).iterdir()) == sorted(INPUTS)


@pytest.fixture
def blueprints(hass: HomeAssistant, tmp_path: Path) -> Path:
    """Give the test hass a config dir of its own, with the blueprints in it."""
    hass.config.config_dir = str(tmp_path)
    target = Path(hass.config.path("blueprints", "automation", FOLDER))
    shutil.copytree(BLUEPRINTS / FOLDER, target)
    return target


async def use_blueprint(hass: HomeAssistant, name: str, inputs: dict[str, Any]) -> str:
    """Set up one automation made from the blueprint; return its entity id."""
    alias = f"sms123 {Path(name).stem}"
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": alias,
                "use_blueprint": {"path": f"{FOLDER}/{name}", "input": inputs},
            }
        },
    )
    await hass.async_block_till_done()
    entity_id = f"automation.{alias.replace(' ', '_')}"
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == STATE_ON
    return entity_id


def texts(simulator: Simulator) -> list[tuple[str, str]]:
    """Return (number, text) of every SMS the simulator accepted."""
    return [(message.number, message.message) for message in simulator.messages]


# --- low_balance.yaml ---


async def test_low_balance_sends_the_balance(
    hass: HomeAssistant,
    blueprints: Path,
    simulator: Simulator,
    account: Account,
    init_integration: MockConfigEntry,
) -> None:
    """The low-balance sensor turning on sends the balance to the recipients."""
    await use_blueprint(
        hass,
        "low_balance.yaml",
        {"low_balance_sensor": LOW_BALANCE, "recipients": [ALICE]},
    )

    account.balance = 5
    await poll(hass)

    assert hass.states.get(LOW_BALANCE).state == STATE_ON
    assert texts(simulator) == [
        (ALICE_NUMBER, "123-SMS balance is low: 5 credits left.")
    ]

    # Still low at the next poll: nothing more. Low again after a top-up: again.
    await poll(hass)
    account.balance = 50
    await poll(hass)
    assert hass.states.get(LOW_BALANCE).state == STATE_OFF
    account.balance = 2.5
    await poll(hass)

    assert texts(simulator)[1:] == [
        (ALICE_NUMBER, "123-SMS balance is low: 2.5 credits left.")
    ]


async def test_low_balance_message_is_a_template(
    hass: HomeAssistant,
    blueprints: Path,
    simulator: Simulator,
    account: Account,
    init_integration: MockConfigEntry,
) -> None:
    """A message of one's own can use the balance too."""
    await use_blueprint(
        hass,
        "low_balance.yaml",
        {
            "low_balance_sensor": LOW_BALANCE,
            "recipients": [ALICE],
            "message": "Top up: {{ balance | int }} left",
        },
    )

    account.balance = 7
    await poll(hass)

    assert texts(simulator) == [(ALICE_NUMBER, "Top up: 7 left")]


async def test_low_balance_finds_a_renamed_balance_sensor(
    hass: HomeAssistant,
    blueprints: Path,
    simulator: Simulator,
    account: Account,
    init_integration: MockConfigEntry,
) -> None:
    """A balance sensor whose entity ID lost `_balance` is found by its unit."""
    er.async_get(hass).async_update_entity(BALANCE, new_entity_id="sensor.wallet")
    await hass.async_block_till_done()
    await use_blueprint(
        hass,
        "low_balance.yaml",
        {"low_balance_sensor": LOW_BALANCE, "recipients": [ALICE]},
    )

    account.balance = 3
    await poll(hass)

    assert hass.states.get(BALANCE) is None
    assert texts(simulator) == [
        (ALICE_NUMBER, "123-SMS balance is low: 3 credits left.")
    ]


# --- state_alert.yaml ---


async def settle(
    hass: HomeAssistant, automation: str, check: Callable[[], bool], *, runs: int
) -> None:
    """Wait in real time until `runs` runs remain and `check` holds.

    The runs that hold a cooldown last minutes: the test cannot wait for all
    tasks, so it waits for the automation to count `runs` runs. The handshake
    between runs is timed by the loop's clock; moving time forward would end
    its waits before the other run could answer, so time is left alone.
    """
    await asyncio.sleep(ANNOUNCE_SECONDS)
    deadline = time.monotonic() + SETTLE_SECONDS
    while not (check() and current_runs(hass, automation) == runs):
        assert time.monotonic() < deadline, f"{current_runs(hass, automation)} runs"
        await asyncio.sleep(0.01)


def current_runs(hass: HomeAssistant, automation: str) -> int:
    """Return how many runs of the automation are going on."""
    return int(hass.states.get(automation).attributes.get("current", 0))


async def end_cooldowns(hass: HomeAssistant, automation: str) -> None:
    """Let the cooldown pass: every run that held one ends."""
    async_fire_time_changed(hass, dt_util.utcnow() + LONGEST_COOLDOWN)
    await hass.async_block_till_done()
    assert current_runs(hass, automation) == 0


def turn_on(hass: HomeAssistant, *entity_ids: str) -> None:
    """Turn each entity off, then on: a change to `on` each."""
    for entity_id in entity_ids:
        name = entity_id.split(".")[1].replace("_", " ").capitalize()
        hass.states.async_set(entity_id, STATE_OFF, {"friendly_name": name})
        hass.states.async_set(entity_id, STATE_ON, {"friendly_name": name})


def matches(text: str, expected: str) -> bool:
    """Tell whether an SMS text is the expected one, with a repeat suffix or not."""
    return re.fullmatch(re.escape(expected) + REPEAT_SUFFIX, text) is not None


@pytest.fixture
async def state_alert(
    hass: HomeAssistant, blueprints: Path, init_integration: MockConfigEntry
) -> str:
    """Set up an alert on both doors turning on, with a cooldown of 10 minutes."""
    for entity_id in (FRONT_DOOR, BACK_DOOR):
        hass.states.async_set(entity_id, STATE_OFF)
    return await use_blueprint(
        hass,
        "state_alert.yaml",
        {
            "watched": [FRONT_DOOR, BACK_DOOR],
            "to_state": STATE_ON,
            "recipients": [ALICE],
            "cooldown": COOLDOWN_MINUTES,
            "message": "{{ entity_name }} is {{ state }}",
        },
    )


def sent_about(simulator: Simulator) -> list[str]:
    """Return which door each SMS was about, in order, checking its number."""
    doors = []
    for number, text in texts(simulator):
        assert number == ALICE_NUMBER
        door = next(d for d in ("Front door", "Back door") if text.startswith(d))
        assert matches(text, f"{door} is on"), text
        doors.append(door)
    return doors


async def test_state_alert_cooldown_is_per_entity(
    hass: HomeAssistant, simulator: Simulator, state_alert: str
) -> None:
    """Each entity has its own cooldown: one SMS each per cooldown."""
    turn_on(hass, FRONT_DOOR)
    await settle(hass, state_alert, lambda: len(simulator.messages) == 1, runs=1)
    # The back door is not held by the front door's cooldown.
    turn_on(hass, BACK_DOOR)
    await settle(hass, state_alert, lambda: len(simulator.messages) == 2, runs=2)
    assert sent_about(simulator) == ["Front door", "Back door"]

    # Within the cooldown: the runs these changes start stop, nothing is sent.
    turn_on(hass, FRONT_DOOR)
    turn_on(hass, BACK_DOOR)
    turn_on(hass, FRONT_DOOR)
    await settle(hass, state_alert, lambda: True, runs=2)
    assert len(simulator.messages) == 2

    # After the cooldown each door sends again, once.
    await end_cooldowns(hass, state_alert)
    turn_on(hass, BACK_DOOR, FRONT_DOOR)
    await settle(hass, state_alert, lambda: len(simulator.messages) == 4, runs=2)
    turn_on(hass, FRONT_DOOR)
    await settle(hass, state_alert, lambda: True, runs=2)

    doors = sent_about(simulator)
    assert doors[:2] == ["Front door", "Back door"]
    assert sorted(doors[2:]) == ["Back door", "Front door"]
    await end_cooldowns(hass, state_alert)


async def test_state_alert_flapping_sends_once(
    hass: HomeAssistant, simulator: Simulator, state_alert: str
) -> None:
    """Changes less than a second apart count as one: one SMS."""
    turn_on(hass, FRONT_DOOR)
    turn_on(hass, FRONT_DOOR)
    await asyncio.sleep(0.01)
    turn_on(hass, FRONT_DOOR)
    await settle(hass, state_alert, lambda: len(simulator.messages) == 1, runs=1)
    await settle(hass, state_alert, lambda: True, runs=1)

    assert sent_about(simulator) == ["Front door"]
    await end_cooldowns(hass, state_alert)


async def test_state_alert_ignores_other_states_and_restarts(
    hass: HomeAssistant, simulator: Simulator, state_alert: str
) -> None:
    """Another state, or `on` coming back from unavailable, sends nothing."""
    hass.states.async_set(FRONT_DOOR, "open")
    hass.states.async_set(FRONT_DOOR, STATE_UNAVAILABLE)
    hass.states.async_set(FRONT_DOOR, STATE_ON)
    await settle(hass, state_alert, lambda: True, runs=0)

    assert simulator.messages == []


async def test_state_alert_message_variables(
    hass: HomeAssistant,
    blueprints: Path,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """The message can name the entity, its id, its state and the time."""
    hass.states.async_set(FRONT_DOOR, STATE_OFF)
    automation = await use_blueprint(
        hass,
        "state_alert.yaml",
        {
            "watched": [FRONT_DOOR],
            "to_state": "open",
            "recipients": [ALICE],
            "message": "{{ entity_name }}|{{ entity_id }}|{{ state }}|{{ time }}",
        },
    )

    hass.states.async_set(FRONT_DOOR, "open", {"friendly_name": "Front door"})
    changed = dt_util.as_local(hass.states.get(FRONT_DOOR).last_changed)
    await settle(hass, automation, lambda: len(simulator.messages) == 1, runs=1)

    assert texts(simulator) == [
        (
            ALICE_NUMBER,
            f"Front door|{FRONT_DOOR}|open|{changed:%H:%M}",
        )
    ]
    await end_cooldowns(hass, automation)


async def test_state_alert_default_message(
    hass: HomeAssistant,
    blueprints: Path,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """By default the SMS tells which entity changed, to what, and when."""
    hass.states.async_set(FRONT_DOOR, STATE_OFF)
    automation = await use_blueprint(
        hass,
        "state_alert.yaml",
        {"watched": [FRONT_DOOR], "recipients": [ALICE], "cooldown": 0},
    )

    turn_on(hass, FRONT_DOOR)
    changed = dt_util.as_local(hass.states.get(FRONT_DOOR).last_changed)
    await settle(hass, automation, lambda: len(simulator.messages) == 1, runs=0)

    assert texts(simulator) == [
        (ALICE_NUMBER, f"Front door changed to on at {changed:%H:%M}.")
    ]


# --- failed_sms_fallback.yaml ---


class RecordingNotify(NotifyEntity):
    """A notify entity of another integration that keeps what it is sent."""

    _attr_supported_features = NotifyEntityFeature.TITLE

    def __init__(self) -> None:
        """Name the entity notify.phone."""
        self.entity_id = "notify.phone"
        self._attr_name = "Phone"
        self.sent: list[tuple[str | None, str]] = []

    @override
    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Keep the title and the message."""
        self.sent.append((title, message))


@pytest.fixture
async def phone(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> RecordingNotify:
    """Add notify.phone, a notify entity of another integration."""
    entity = RecordingNotify()
    platform = MockEntityPlatform(hass, domain="notify", platform_name="phone")
    await platform.async_add_entities([entity])
    return entity


@pytest.fixture
async def fallback(
    hass: HomeAssistant, blueprints: Path, phone: RecordingNotify
) -> str:
    """Set up the fallback of the account's messages to notify.phone."""
    assert await async_setup_component(hass, "persistent_notification", {})
    return await use_blueprint(
        hass,
        "failed_sms_fallback.yaml",
        {
            "messages_event": MESSAGES,
            "fallback": phone.entity_id,
            "persistent_notification": True,
        },
    )


def fallback_text(event: Mapping[str, Any]) -> str:
    """Return what the fallback is told of a failed event.

    The name and the reason code are given when the event has them.
    """
    number, name = event["recipient"], event.get("recipient_name")
    who = f"{name} ({number})" if name else number
    codes = [f"code {event['code']}", *filter(None, [event.get("reason_code")])]
    reason = f"{event['reason']} ({', '.join(codes)})"
    return f"123-SMS could not send an SMS to {who}: {reason}."


async def test_failed_sms_reaches_the_fallback(
    hass: HomeAssistant,
    account: Account,
    send: BoundAction,
    phone: RecordingNotify,
    fallback: str,
) -> None:
    """A refused SMS is told to the fallback: recipient, code and reason."""
    await send({"recipients": [ALICE_NUMBER], "message": "Sent"})
    account.blacklist.update({BOB, ALICE_NUMBER})
    told = []

    for number in (BOB, ALICE_NUMBER):
        with pytest.raises(HomeAssistantError):
            await send({"recipients": [number], "message": "Hi"})
        await hass.async_block_till_done()
        event = hass.states.get(MESSAGES).attributes
        assert (event["event_type"], event["recipient"]) == ("failed", number)
        assert (event["code"], event["reason"]) == ("101", ANY)
        told.append(("SMS not sent", fallback_text(event)))

    assert phone.sent == told
    assert f"to {BOB}: " in told[0][1]
    notification = async_get_persistent_notifications(hass)[f"sms123_failed_sms_{BOB}"]
    assert (notification["title"], notification["message"]) == told[0]


async def test_fallback_names_the_recipient_when_the_event_does(
    hass: HomeAssistant, phone: RecordingNotify, fallback: str
) -> None:
    """With a recipient name and a reason code, the fallback gives both."""
    attributes = {
        "event_type": "failed",
        "recipient": BOB,
        "recipient_name": "Bob",
        "code": "101",
        "reason": "the number is blacklisted",
        "reason_code": "blacklisted",
    }
    hass.states.async_set(MESSAGES, dt_util.utcnow().isoformat(), attributes)
    await hass.async_block_till_done()

    assert phone.sent == [
        (
            "SMS not sent",
            f"123-SMS could not send an SMS to Bob ({BOB}): "
            "the number is blacklisted (code 101, blacklisted).",
        )
    ]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # Another kind of event.
        ("2030-01-01T10:00:00+00:00", {"event_type": "sent", "recipient": BOB}),
        # The last event coming back after a restart or a reload.
        (STATE_UNAVAILABLE, {"event_type": "failed", "recipient": BOB}),
        # The same event, only renamed.
        ("2030-01-01T10:00:00+00:00", {"event_type": "failed", "friendly_name": "x"}),
    ],
    ids=["sent", "restored", "renamed"],
)
async def test_fallback_ignores_what_is_no_new_failure(
    hass: HomeAssistant,
    phone: RecordingNotify,
    fallback: str,
    before: str,
    after: dict[str, str],
) -> None:
    """Only a new failed event reaches the fallback."""
    hass.states.async_set(MESSAGES, before, {"event_type": "failed", "recipient": BOB})
    await hass.async_block_till_done()
    phone.sent.clear()
    state = before if "friendly_name" in after else "2030-01-01T10:00:01+00:00"

    hass.states.async_set(MESSAGES, state, after)
    await hass.async_block_till_done()

    assert phone.sent == []
