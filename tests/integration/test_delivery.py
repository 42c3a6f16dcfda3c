"""Delivery on a bad day, through the actions only: each test is a scenario of issue 12.

The gateway is the simulator; what reached the phones is read from its log.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import pytest
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_API_KEY, EVENT_STATE_CHANGED, STATE_UNAVAILABLE
from homeassistant.core import Event, EventStateChangedData, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from homeassistant.util.file import WriteError
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.sms123.api import SendResult, Sms123Client, Sms123TimeoutError
from custom_components.sms123.const import DOMAIN, SERVICE_SEND_SMS
from custom_components.sms123.outbox import Outbox, OutboxSettings
from sms123_simulator import FaultKind
from tests.integration.conftest import ALICE_NUMBER
from tests.integration.helpers import advance, call_action

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from sms123_simulator import Simulator
    from sms123_simulator.state import Account

BALANCE = "sensor.demo_example_com_balance"
EVENTS = "event.demo_example_com_messages"
PENDING = "sensor.demo_example_com_pending_messages"
LEAK = "Water leak in the kitchen"
BOB = "33601020305"
FIVE_MINUTES = 300
SEND_PATH = "/api/send/"
NO_LIMITS = {"daily_limit": 0, "recipient_hourly_limit": 0}


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """Turn the spending guard off: these scenarios send more than a day's worth."""
    return NO_LIMITS


async def send(
    hass: HomeAssistant, entry: MockConfigEntry, message: str = LEAK, **data: object
) -> list[dict[str, Any]]:
    """Send `message` to Alice (or `recipients`) and return the per-SMS answers."""
    answer = await call_action(
        hass,
        SERVICE_SEND_SMS,
        {"recipients": [ALICE_NUMBER], "message": message, **data},
        entry=entry,
    )
    assert answer is not None
    recipients: list[dict[str, Any]] = answer["recipients"]  # type: ignore[assignment]
    return recipients


def texts_to(simulator: Simulator, number: str) -> list[str]:
    """Return the texts that reached `number`, in the order they arrived."""
    return [sent.message for sent in simulator.delivered if sent.number == number]


def messages_events(hass: HomeAssistant) -> list[tuple[str, str]]:
    """Collect (event type, recipient) of each event the messages entity fires."""
    fired: list[tuple[str, str]] = []

    @callback
    def _on_change(event: Event[EventStateChangedData]) -> None:
        """Keep what an event of the messages entity says."""
        state = event.data["new_state"]
        if (
            event.data["entity_id"] == EVENTS
            and state
            and "recipient" in state.attributes
        ):
            fired.append(
                (state.attributes["event_type"], state.attributes["recipient"])
            )

    hass.bus.async_listen(EVENT_STATE_CHANGED, _on_change)
    return fired


async def set_up(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the entry up and let it settle."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


# 1. Offline-first start


@pytest.mark.parametrize(
    "fault",
    [FaultKind.RESET, FaultKind.HTTP_503, FaultKind.TECHNICAL_ERROR, FaultKind.GARBAGE],
)
async def test_gateway_down_at_start_loads_queues_and_delivers_once(
    hass: HomeAssistant,
    simulator: Simulator,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    fault: FaultKind,
) -> None:
    """The "power is back" alert is queued, and goes out once the gateway is back."""
    simulator.set_outage(fault)
    await set_up(hass, mock_config_entry)

    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert hass.states.get("notify.alice") is not None
    assert hass.states.get(BALANCE).state == STATE_UNAVAILABLE
    assert [r["status"] for r in await send(hass, mock_config_entry)] == ["queued"]

    simulator.set_outage(None)
    await advance(hass, freezer, FIVE_MINUTES)

    assert texts_to(simulator, ALICE_NUMBER) == [LEAK]
    await advance(hass, freezer, 31 * 60)  # past the next balance poll
    assert hass.states.get(BALANCE).state == "99"


async def test_reload_while_the_gateway_is_down_keeps_the_entry_loaded(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """An option changed during an outage reloads the entry; it stays usable."""
    simulator.set_outage(FaultKind.RESET)
    hass.config_entries.async_update_entry(
        init_integration, options={"sender_id": "Maison"}
    )
    await hass.async_block_till_done()

    assert init_integration.state is ConfigEntryState.LOADED
    assert [r["status"] for r in await send(hass, init_integration)] == ["queued"]


async def test_refused_credentials_at_start_still_ask_for_reauth(
    hass: HomeAssistant,
    account: Account,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A gateway that answers and refuses the key is no outage: reauthenticate."""
    account.api_key = "rotated-key-0123456789"
    await set_up(hass, mock_config_entry)

    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


# 2. Repeated alerts


async def test_a_repeat_gets_a_time_suffix_and_goes_out(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The second leak alarm of the day is sent with the time, then the seconds."""
    await hass.config.async_set_time_zone("America/New_York")
    freezer.move_to(datetime(2026, 12, 1, 19, 32, 7, tzinfo=UTC))  # 14:32:07 there

    answers = [await send(hass, init_integration) for _ in range(3)]

    assert [a[0]["status"] for a in answers] == ["sent", "sent", "sent"]
    assert texts_to(simulator, ALICE_NUMBER) == [
        LEAK,
        f"{LEAK} (14:32)",
        f"{LEAK} (14:32:07)",
    ]


@pytest.mark.parametrize("entry_options", [{**NO_LIMITS, "unique_repeats": False}])
async def test_a_repeat_is_refused_when_unique_repeats_is_off(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """With the option off, a repeat fails at once, naming the number and the rule."""
    await send(hass, init_integration)
    requests = len(simulator.requests)

    with pytest.raises(ServiceValidationError) as caught:
        await send(hass, init_integration)

    assert caught.value.translation_key == "repeat_within_24h"
    assert ALICE_NUMBER in str(caught.value)
    assert "24 hours" in str(caught.value)
    assert len(simulator.requests) == requests


async def test_a_suffix_that_overflows_one_sms_is_a_long_message(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """A 155-character repeat no longer fits one SMS: refused, or split if asked."""
    text = "x" * 155
    await send(hass, init_integration, text)

    with pytest.raises(ServiceValidationError) as caught:
        await send(hass, init_integration, text)
    assert caught.value.translation_key == "message_too_long"

    answers = await send(hass, init_integration, text, split=True)
    assert [a["status"] for a in answers] == ["sent", "sent"]
    assert all(a["parts"] == 1 for a in answers)


async def test_a_retry_answered_91_fails_when_no_try_reached_the_gateway(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A first try refused with -2 never got through: its retry's 91 is a failure."""
    outside = "Sent from the 123-SMS website"
    website = Sms123Client(
        "demo@example.com",
        init_integration.data[CONF_API_KEY],
        session=async_get_clientsession(hass),
        base_url=simulator.url,
    )
    await website.send_sms(ALICE_NUMBER, outside)
    simulator.inject(FaultKind.TECHNICAL_ERROR, times=1, path=SEND_PATH)

    answers = await send(hass, init_integration, outside)
    await advance(hass, freezer, FIVE_MINUTES)

    assert [a["status"] for a in answers] == ["queued"]
    state = hass.states.get(EVENTS)
    assert (state.attributes["event_type"], state.attributes["code"]) == (
        "failed",
        "91",
    )
    assert texts_to(simulator, ALICE_NUMBER) == [outside]


# 3.1 Refused credentials or IP on a retry


async def test_a_key_rotated_during_an_outage_keeps_the_message_for_the_new_key(
    hass: HomeAssistant,
    simulator: Simulator,
    account: Account,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The retry meets a refused key: reauth once, and the new key delivers it."""
    simulator.set_outage(FaultKind.RESET)
    await send(hass, init_integration, "one")
    await send(hass, init_integration, "two", recipients=[BOB])
    account.api_key = "rotated-key-0123456789"
    simulator.set_outage(None)
    await advance(hass, freezer, FIVE_MINUTES)

    assert texts_to(simulator, ALICE_NUMBER) == []
    assert hass.states.get(PENDING).state == "2"
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]

    hass.config_entries.async_update_entry(
        init_integration,
        data={**init_integration.data, CONF_API_KEY: "rotated-key-0123456789"},
    )
    await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    await advance(hass, freezer, FIVE_MINUTES)

    assert texts_to(simulator, ALICE_NUMBER) == ["one"]
    assert texts_to(simulator, BOB) == ["two"]


async def test_a_refused_ip_keeps_the_message_until_it_is_allowed(
    hass: HomeAssistant,
    simulator: Simulator,
    account: Account,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """96 on a send keeps the message, raises the repair, and resumes once allowed."""
    account.allowed_ips = frozenset({"192.0.2.1"})

    assert [r["status"] for r in await send(hass, init_integration)] == ["queued"]
    issue_id = f"ip_not_allowed_{init_integration.entry_id}"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None

    account.allowed_ips = None
    await advance(hass, freezer, 31 * 60)  # past the next balance poll

    assert texts_to(simulator, ALICE_NUMBER) == [LEAK]
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


# 3.2 and 3.3 Scheduled sends after a lost answer


@pytest.mark.parametrize(
    ("outage", "down_for"),
    [(None, 40), (FaultKind.RESET, 150)],
    ids=["retried-in-the-last-minute", "retried-after-its-time"],
)
async def test_a_scheduled_send_retried_late_reaches_the_phone_once(  # noqa: PLR0913
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    outage: FaultKind | None,
    down_for: int,
) -> None:
    """A lost 81 answer, retried near or after the time: exactly one copy arrives."""
    when = dt_util.utcnow() + timedelta(seconds=90)
    simulator.inject(FaultKind.LOST_ANSWER, times=1, path=SEND_PATH)
    (queued,) = await send(hass, init_integration, scheduled_at=when.isoformat())
    simulator.set_outage(outage)
    await advance(hass, freezer, down_for)
    simulator.set_outage(None)
    await advance(hass, freezer, FIVE_MINUTES)
    await advance(hass, freezer, FIVE_MINUTES)

    assert queued["status"] == "queued"
    assert simulator.copies(ALICE_NUMBER, LEAK) == 1
    assert hass.states.get(PENDING).state == "0"


async def test_cancelling_a_queued_scheduled_send_deletes_the_copy_at_the_gateway(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """The unanswered try stored the send: cancel deletes it there, then says so."""
    when = dt_util.utcnow() + timedelta(hours=2)
    simulator.inject(FaultKind.LOST_ANSWER, times=1, path=SEND_PATH)
    (queued,) = await send(hass, init_integration, scheduled_at=when.isoformat())
    assert queued["status"] == "queued"
    assert len(simulator.scheduled) == 1

    answer = await call_action(
        hass, "cancel_scheduled_sms", {"id": queued["id"]}, entry=init_integration
    )

    assert answer is not None
    assert [(r["status"], r["code"]) for r in answer["recipients"]] == [
        ("canceled", "94")
    ]
    assert simulator.scheduled == []
    assert simulator.copies(ALICE_NUMBER, LEAK) == 0


# 3.4 A store that cannot be written


async def test_a_message_that_cannot_be_stored_is_never_answered_queued(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """The disk refuses the write and the gateway is down: the action says failed."""
    simulator.set_outage(FaultKind.RESET)

    async def broken_write(*_args: object) -> None:
        raise WriteError("disk full")

    with (
        patch.object(Store, "_async_write_data", broken_write),
        pytest.raises(HomeAssistantError) as caught,
    ):
        await send(hass, init_integration)

    assert "stored" in str(caught.value)
    assert hass.states.get(PENDING).state == "0"


# 3.5 The horizon


async def test_no_try_is_made_after_23_hours_50(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Retries end with a margin before the gateway forgets a first copy."""
    simulator.set_outage(FaultKind.RESET)
    await send(hass, init_integration)
    start = dt_util.utcnow()
    while dt_util.utcnow() < start + timedelta(hours=24, minutes=10):
        await advance(hass, freezer, FIVE_MINUTES)

    last_try = max(r.at for r in simulator.requests if r.path == SEND_PATH)
    assert last_try <= start + timedelta(hours=23, minutes=50)
    assert hass.states.get(PENDING).state == "0"


# 3.6 First tries never wait behind retries


async def test_a_new_alert_goes_out_while_retries_hang(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """With the gateway hanging on the backlog's retries, a first try still starts."""
    simulator.set_outage(FaultKind.RESET)
    for index in range(12):
        await send(hass, init_integration, f"backlog {index}", recipients=[BOB])
    simulator.set_outage(None)
    hanging, release = asyncio.Event(), asyncio.Event()
    real_send = Sms123Client.send_sms

    async def hanging_send(
        client: Sms123Client,
        number: str,
        message: str,
        **options: Any,  # noqa: ANN401
    ) -> SendResult:
        """Hang on the backlog until released, as a gateway past its timeout."""
        if message.startswith("backlog"):
            hanging.set()
            await release.wait()
            raise Sms123TimeoutError("no answer")
        return await real_send(client, number, message, **options)

    with patch.object(Sms123Client, "send_sms", hanging_send):
        freezer.tick(timedelta(minutes=5))
        async_fire_time_changed(hass)
        async with asyncio.timeout(5):
            await hanging.wait()
        async with asyncio.timeout(5):
            answers = await send(hass, init_integration, "Alarm!")
        release.set()
        await hass.async_block_till_done(wait_background_tasks=True)

    assert [a["status"] for a in answers] == ["sent"]
    assert texts_to(simulator, ALICE_NUMBER) == ["Alarm!"]


# 3.7 One probe at a time while the gateway is down


async def test_an_outage_costs_at_most_one_request_a_minute(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """100 pending messages in a 3-hour outage: probes, then all sent within 5 min."""
    simulator.set_outage(FaultKind.RESET)
    numbers = [f"336010{index:05d}" for index in range(100)]
    await send(hass, init_integration, recipients=numbers)
    start = dt_util.utcnow()
    for _ in range(36):
        await advance(hass, freezer, FIVE_MINUTES)
    after_ten = [r for r in simulator.requests if r.at >= start + timedelta(minutes=10)]

    back = dt_util.utcnow()
    simulator.set_outage(None)
    await advance(hass, freezer, FIVE_MINUTES)
    await advance(hass, freezer, FIVE_MINUTES)

    assert len(after_ten) <= 170  # 170 minutes: at most one request a minute
    assert sorted(sent.number for sent in simulator.delivered) == numbers
    assert max(sent.at for sent in simulator.delivered) <= back + timedelta(minutes=5)


# 3.8 A broken record in the store


async def test_a_broken_stored_record_is_reported_and_the_rest_is_sent(
    hass: HomeAssistant,
    simulator: Simulator,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A record lacks a key: the entry loads, sends the rest, reports the broken one."""
    now = dt_util.utcnow().isoformat()
    good = {
        "id": "good",
        "number": ALICE_NUMBER,
        "message": "Freezer warm",
        "sender_id": None,
        "flash": False,
        "voice": False,
        "test": False,
        "scheduled_at": None,
        "created_at": now,
        "next_try": now,
        "attempts": 1,
        "held": False,
        "last_code": None,
        "last_reason": None,
    }
    broken = {**good, "id": "broken", "number": BOB}
    del broken["message"]
    hass_storage[f"{DOMAIN}.outbox.{mock_config_entry.entry_id}"] = {
        "version": 1,
        "minor_version": 1,
        "key": f"{DOMAIN}.outbox.{mock_config_entry.entry_id}",
        "data": {"items": [good, broken], "scheduled": []},
    }

    fired = messages_events(hass)
    await set_up(hass, mock_config_entry)
    await advance(hass, freezer, FIVE_MINUTES)

    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert texts_to(simulator, ALICE_NUMBER) == ["Freezer warm"]
    assert sorted(fired) == [("failed", BOB), ("sent", ALICE_NUMBER)]


# 3.9 The repeated autumn hour


async def test_the_second_0230_of_the_autumn_night_is_refused(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """02:30 Paris time happens twice on 31 October 2027; the second is refused."""
    first = datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 02:30 summer time
    second = datetime(2027, 10, 31, 1, 30, tzinfo=UTC)  # 02:30 winter time

    with pytest.raises(ServiceValidationError) as caught:
        await send(hass, init_integration, scheduled_at=second.isoformat())
    answers = await send(hass, init_integration, scheduled_at=first.isoformat())

    assert caught.value.translation_key == "scheduled_at_ambiguous"
    assert [a["status"] for a in answers] == ["scheduled"]
    assert [s.diff for s in simulator.scheduled] == ["023031102027"]


# 3.10 A message too long to be an SMS


@pytest.mark.parametrize("data", [{"split": True}, {}], ids=["split", "plain"])
async def test_a_40_kb_text_is_refused_before_any_work(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    data: dict[str, Any],
) -> None:
    """A template gone wrong does not become 267 SMS."""
    with pytest.raises(ServiceValidationError) as caught:
        await send(hass, init_integration, "word " * 8000, **data)

    assert caught.value.translation_key == "message_too_many_parts"
    assert "at most 10 SMS" in str(caught.value)
    assert [r for r in simulator.requests if r.path == SEND_PATH] == []


@pytest.mark.parametrize("entry_options", [{**NO_LIMITS, "long_sms": True}])
async def test_a_long_sms_over_the_cap_is_refused(
    hass: HomeAssistant, account: Account, init_integration: MockConfigEntry
) -> None:
    """With the long-SMS option, eleven parts are refused too; ten go out."""
    account.long_sms = True
    with pytest.raises(ServiceValidationError) as caught:
        await send(hass, init_integration, "a" * (153 * 10 + 1))
    answers = await send(hass, init_integration, "a" * (153 * 10))

    assert caught.value.translation_key == "message_too_many_parts"
    assert [(a["status"], a["parts"]) for a in answers] == [("sent", 10)]


# 3.13 The parts of one message arrive in order


async def test_the_parts_of_a_message_reach_each_number_in_order(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """A slow answer to part 1 does not let parts 2 and 3 overtake it."""
    simulator.inject(FaultKind.LATENCY, times=1, path=SEND_PATH, delay=0.3)
    text = " ".join(f"word{index}" for index in range(60))

    await send(hass, init_integration, text, split=True, recipients=[ALICE_NUMBER, BOB])

    for number in (ALICE_NUMBER, BOB):
        prefixes = [message[:5] for message in texts_to(simulator, number)]
        assert prefixes == ["(1/3)", "(2/3)", "(3/3)"]


async def test_ten_parts_of_text_that_need_eleven_numbered_sms_are_refused(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """1,500 characters are ten SMS long, but eleven once numbered: refused."""
    with pytest.raises(ServiceValidationError) as caught:
        await send(hass, init_integration, "a" * 1500, split=True)

    assert caught.value.translation_key == "message_too_many_parts"
    assert caught.value.translation_placeholders == {"parts": "11", "max_parts": "10"}
    assert [r for r in simulator.requests if r.path == SEND_PATH] == []


# 3.14 The outbox has a capacity


async def test_a_full_outbox_refuses_the_action_with_a_clear_error(
    hass: HomeAssistant,
    simulator: Simulator,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Over the capacity, the action is refused and nothing more is stored."""
    small = partial(Outbox, settings=OutboxSettings(capacity=2))
    with patch("custom_components.sms123.Outbox", small):
        await set_up(hass, mock_config_entry)
    simulator.set_outage(FaultKind.RESET)
    await send(hass, mock_config_entry, recipients=[ALICE_NUMBER, BOB])

    with pytest.raises(HomeAssistantError) as caught:
        await send(hass, mock_config_entry, "More")

    assert caught.value.translation_key == "outbox_full"
    assert "2 messages already wait" in str(caught.value)
    assert hass.states.get(PENDING).state == "2"
