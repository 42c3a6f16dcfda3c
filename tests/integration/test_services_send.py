"""Tests of the sms123.send_sms action."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.sms123.api import Sms123Client, split_message
from custom_components.sms123.const import (
    CONF_LONG_SMS,
    CONF_SENDER_ID,
    CONF_TEST_MODE,
    DOMAIN,
    SERVICE_SEND_SMS,
)
from custom_components.sms123.sending import parse_send_time
from sms123_simulator import FaultKind, Simulator
from tests.conftest import API_KEY, USERNAME
from tests.integration.conftest import ALICE_NUMBER
from tests.integration.helpers import call_action

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.core import HomeAssistant, ServiceResponse
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from sms123_simulator.state import Account
    from tests.integration.helpers import BoundAction

BOB = "33601020305"
CAROL = "33601020306"
NOTIFY_ALICE = "notify.alice"


def sends(simulator: Simulator) -> list[str]:
    """Return the numbers of every /api/send/ request the simulator received."""
    return [
        record.params.get("numero", "")
        for record in simulator.requests
        if record.path.rstrip("/") == "/api/send"
    ]


def statuses(answer: ServiceResponse) -> list[tuple[str, str, str | None]]:
    """Return (number, status, code) of each recipient in an answer."""
    assert answer is not None
    return [
        (item["number"], item["status"], item["code"])
        for item in answer["recipients"]  # type: ignore[union-attr]
    ]


async def test_send_to_numbers_and_entities_in_order(
    simulator: Simulator, send: BoundAction
) -> None:
    """Numbers are normalised, entities expanded, duplicates dropped, order kept."""
    answer = await send(
        {
            "recipients": [
                "06 01 02 03 05",
                NOTIFY_ALICE,
                "+33601020304",
                "0601020306",
            ],
            "message": "Alarm at home",
        }
    )

    assert statuses(answer) == [
        (BOB, "sent", "80"),
        (ALICE_NUMBER, "sent", "80"),
        (CAROL, "sent", "80"),
    ]
    assert answer["recipients"][0] == {  # type: ignore[index]
        "number": BOB,
        "status": "sent",
        "code": "80",
        "reason": "the message was sent",
        "reason_code": "sent",
        "parts": 1,
        "encoding": "gsm7",
    }
    assert sorted(msg.number for msg in simulator.messages) == [
        ALICE_NUMBER,
        BOB,
        CAROL,
    ]


async def test_every_option_reaches_the_gateway(
    simulator: Simulator, send: BoundAction
) -> None:
    """Title, sender ID and flash are sent; voice and test too."""
    await send(
        {
            "recipients": [ALICE_NUMBER],
            "message": "Door open",
            "title": "Alarm",
            "sender_id": "Maison",
            "flash": True,
        }
    )
    await send(
        {"recipients": [BOB], "message": "Door open", "voice": True, "test": True}
    )

    first, second = simulator.messages
    assert (first.message, first.sender_id, first.flash) == (
        "Alarm\nDoor open",
        "Maison",
        True,
    )
    assert (second.voice, second.test, second.flash) == (True, True, False)


async def test_without_answer_returns_nothing(
    simulator: Simulator, send: BoundAction
) -> None:
    """The answer is optional."""
    answer = await send({"recipients": ALICE_NUMBER, "message": "Hi"}, response=False)

    assert answer is None
    assert len(simulator.messages) == 1


@pytest.mark.parametrize(
    "entry_options",
    [{CONF_SENDER_ID: "Villa", CONF_TEST_MODE: True}],
)
async def test_account_options_apply(simulator: Simulator, send: BoundAction) -> None:
    """The account's sender ID and test mode are used by default."""
    answer = await send({"recipients": [BOB], "message": "Hi"})

    assert statuses(answer) == [(BOB, "test", "92")]
    (accepted,) = simulator.messages
    assert (accepted.sender_id, accepted.test) == ("Villa", True)


async def test_scheduled_send_lands_on_paris_wall_time(
    hass: HomeAssistant, simulator: Simulator, send: BoundAction
) -> None:
    """A time in Home Assistant's zone is sent as the same instant in Paris."""
    await hass.config.async_set_time_zone("America/New_York")

    answer = await send(
        {
            "recipients": [BOB],
            "message": "Dentist",
            "scheduled_at": "2030-01-15 09:00:00",
        }
    )

    assert statuses(answer) == [(BOB, "scheduled", "81")]
    assert answer["recipients"][0]["id"]  # type: ignore[index]
    (scheduled,) = simulator.scheduled
    assert scheduled.diff == "150015012030"


async def test_split_sends_numbered_parts(
    simulator: Simulator, send: BoundAction
) -> None:
    """Without long SMS, split cuts a long text into numbered SMS."""
    text = " ".join(["word"] * 40)

    answer = await send({"recipients": [BOB], "message": text, "split": True})

    assert statuses(answer) == [(BOB, "sent", "80"), (BOB, "sent", "80")]
    messages = [msg.message for msg in simulator.messages]
    assert [message[:6] for message in messages] == ["(1/2) ", "(2/2) "]
    assert " ".join(message[6:] for message in messages) == text


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("a" * 160, ["a" * 160]),
        ("a" * 161, ["(1/2) " + "a" * 154, "(2/2) " + "a" * 7]),
        ("😀" * 70, ["(1/3) " + "😀" * 32, "(2/3) " + "😀" * 32, "(3/3) " + "😀" * 6]),
    ],
)
def test_split_message_fits_each_part_in_one_sms(text: str, parts: list[str]) -> None:
    """Each part, prefix included, fits one SMS; short text is kept whole."""
    assert split_message(text) == parts


def test_split_message_widens_the_prefix_past_nine_parts() -> None:
    """Ten parts or more get a two-digit counter that still fits."""
    parts = split_message("b" * 1600)

    assert len(parts) == 11
    assert parts[0].startswith("(1/11) ")
    assert all(len(part) <= 160 for part in parts)
    assert "".join(part.split(") ", 1)[1] for part in parts) == "b" * 1600


@pytest.mark.parametrize("entry_options", [{CONF_LONG_SMS: True}])
async def test_long_sms_option_sends_long_text_whole(
    simulator: Simulator, account: Account, send: BoundAction
) -> None:
    """With long SMS, a long text goes as one request, billed per part."""
    account.long_sms = True

    answer = await send({"recipients": [BOB], "message": "x" * 200})

    assert answer["recipients"][0]["parts"] == 2  # type: ignore[index]
    (accepted,) = simulator.messages
    assert accepted.parts == 2


@pytest.mark.parametrize(
    ("data", "key", "placeholders"),
    [
        ({"message": "   "}, "message_empty", None),
        (
            {"message": "Leak\x00"},
            "control_character",
            {"field": "message", "character": "U+0000"},
        ),
        (
            {"title": "Alarm\x1b[31m"},
            "control_character",
            {"field": "title", "character": "U+001B"},
        ),
        (
            {"message": "bad \ud800 half"},
            "control_character",
            {"field": "message", "character": "U+D800"},
        ),
        ({"recipients": []}, "recipients_empty", None),
        ({"recipients": ["06 01 0A"]}, "invalid_phone_number", {"number": "06 01 0A"}),
        (
            {"recipients": ["notify.nobody"]},
            "unknown_entity",
            {"entity_id": "notify.nobody"},
        ),
        ({"sender_id": " "}, "sender_id_empty", {"sender_id": " "}),
        (
            {"sender_id": "MyLongSender1"},
            "sender_id_too_long",
            {"sender_id": "MyLongSender1"},
        ),
        ({"sender_id": "Café"}, "sender_id_characters", {"sender_id": "Café"}),
        ({"flash": True, "voice": True}, "voice_with_flash", None),
        ({"message": "é" * 161}, "message_too_long", {"length": "161", "parts": "2"}),
        ({"message": "😀" * 40}, "message_too_long", {"length": "80", "parts": "2"}),
    ],
)
async def test_invalid_input_is_refused_before_any_request(
    simulator: Simulator,
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str] | None,
    send: BoundAction,
) -> None:
    """Each mistake has its own translated error; nothing is sent."""
    call = {"recipients": [BOB], "message": "Hi", **data}

    with pytest.raises(ServiceValidationError) as caught:
        await send(call)

    assert caught.value.translation_key == key
    assert caught.value.translation_placeholders == placeholders
    assert sends(simulator) == []


async def test_schedule_in_the_past_is_refused(
    simulator: Simulator, send: BoundAction
) -> None:
    """A send time that has passed names that time."""
    past = dt_util.now() - timedelta(minutes=5)

    with pytest.raises(ServiceValidationError) as caught:
        await send(
            {"recipients": [BOB], "message": "Late", "scheduled_at": past.isoformat()}
        )

    assert caught.value.translation_key == "scheduled_at_past"
    assert caught.value.translation_placeholders == {"scheduled_at": past.isoformat()}
    assert sends(simulator) == []


async def test_entity_of_another_account_is_unknown(
    simulator: Simulator, send: BoundAction
) -> None:
    """Only notify entities of the account itself name recipients."""
    with pytest.raises(ServiceValidationError) as caught:
        await send({"recipients": ["sensor.demo_example_com_balance"], "message": "Hi"})

    assert caught.value.translation_key == "unknown_entity"
    assert sends(simulator) == []


@pytest.mark.parametrize(
    ("entry_id", "key"),
    [("missing", "entry_not_found")],
)
async def test_unknown_entry_is_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry, entry_id: str, key: str
) -> None:
    """The action names an entry that must exist."""
    with pytest.raises(ServiceValidationError) as caught:
        await call_action(
            hass,
            SERVICE_SEND_SMS,
            {"config_entry_id": entry_id, "recipients": [BOB], "message": "Hi"},
            response=False,
        )

    assert caught.value.translation_key == key


async def test_unloaded_entry_is_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry, send: BoundAction
) -> None:
    """An account that is not loaded cannot send."""
    await hass.config_entries.async_unload(init_integration.entry_id)
    assert init_integration.state is ConfigEntryState.NOT_LOADED

    with pytest.raises(ServiceValidationError) as caught:
        await send({"recipients": [BOB], "message": "Hi"})

    assert caught.value.translation_key == "entry_not_loaded"


@pytest.mark.parametrize(
    ("prepare", "code"),
    [
        (lambda acct: acct.blacklist.add(BOB), "101"),
        (lambda acct: setattr(acct, "stop_mention_required", True), "102"),
    ],
)
async def test_permanent_refusal_raises_naming_the_number(
    account: Account, prepare: Callable[[Account], object], code: str, send: BoundAction
) -> None:
    """A refusal for good raises with the number and the reason."""
    prepare(account)

    with pytest.raises(HomeAssistantError) as caught:
        await send({"recipients": [BOB], "message": "Hi", "sender_id": "Maison"})

    assert caught.value.translation_key == "send_failed"
    failures = caught.value.translation_placeholders["failures"]  # type: ignore[index]
    assert failures.startswith(f"{BOB}: ")
    assert code in failures


async def test_failure_of_one_number_still_sends_the_others(
    simulator: Simulator, account: Account, send: BoundAction
) -> None:
    """The others are sent; the error names only the failed number."""
    account.blacklist.add(BOB)

    with pytest.raises(HomeAssistantError) as caught:
        await send({"recipients": [ALICE_NUMBER, BOB], "message": "Hi"})

    failures = caught.value.translation_placeholders["failures"]  # type: ignore[index]
    assert ALICE_NUMBER not in failures
    assert [msg.number for msg in simulator.messages] == [ALICE_NUMBER]


async def test_a_text_the_gateway_already_sent_elsewhere_is_refused(
    hass: HomeAssistant, simulator: Simulator, send: BoundAction
) -> None:
    """The gateway's 91 on a first try (sent from its website today) is a failure."""
    website = Sms123Client(
        USERNAME, API_KEY, session=async_get_clientsession(hass), base_url=simulator.url
    )
    await website.send_sms(BOB, "Hi")

    with pytest.raises(HomeAssistantError) as caught:
        await send({"recipients": [BOB], "message": "Hi"})

    assert "91" in caught.value.translation_placeholders["failures"]  # type: ignore[index]


async def test_overseas_without_option_is_refused(send: BoundAction) -> None:
    """An overseas number without the account option fails with 93."""
    with pytest.raises(HomeAssistantError) as caught:
        await send({"recipients": ["0692 12 34 56"], "message": "Hi"})

    assert "93" in caught.value.translation_placeholders["failures"]  # type: ignore[index]


@pytest.mark.parametrize("entry_options", [{CONF_LONG_SMS: True}])
async def test_gateway_format_refusal_raises(send: BoundAction) -> None:
    """A long text refused by an account without the option fails with -1."""
    with pytest.raises(HomeAssistantError) as caught:
        await send({"recipients": [BOB], "message": "x" * 200})

    assert "-1" in caught.value.translation_placeholders["failures"]  # type: ignore[index]


async def test_refused_credentials_start_reauth(
    hass: HomeAssistant, account: Account, send: BoundAction
) -> None:
    """An 82 answer raises invalid_auth and opens a reauth flow."""
    account.api_key = "changed-on-the-website"

    with pytest.raises(HomeAssistantError) as caught:
        await send({"recipients": [BOB], "message": "Hi"})

    assert caught.value.translation_key == "invalid_auth"
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        (FaultKind.TECHNICAL_ERROR, "-2"),
        (FaultKind.HTTP_503, None),
        (FaultKind.RESET, None),
        (FaultKind.GARBAGE, None),
    ],
)
async def test_transient_failure_answers_queued(
    simulator: Simulator,
    init_integration: MockConfigEntry,
    fault: FaultKind,
    code: str | None,
    send: BoundAction,
) -> None:
    """A transient failure does not raise: the message waits in the outbox."""
    simulator.inject(fault, times=1, path="/api/send/")

    answer = await send({"recipients": [BOB], "message": "Hi"})

    assert statuses(answer) == [(BOB, "queued", code)]
    assert init_integration.runtime_data.outbox.pending == 1


async def test_no_credit_answers_queued(account: Account, send: BoundAction) -> None:
    """No credit keeps the message, with the reason."""
    account.balance = 0

    answer = await send({"recipients": [BOB], "message": "Hi"})

    assert statuses(answer) == [(BOB, "queued", "83")]
    assert answer["recipients"][0]["reason"] == (  # type: ignore[index]
        "waiting for the account to be credited"
    )


async def test_balance_is_read_again_after_sends(
    hass: HomeAssistant, simulator: Simulator, send: BoundAction
) -> None:
    """The balance sensor follows a burst of sends, with one read after the last."""
    simulator.reset_logs()

    def balance_reads() -> int:
        return sum(r.path.startswith("/api/solde") for r in simulator.requests)

    await send({"recipients": [ALICE_NUMBER, BOB], "message": "Hi"})
    await send({"recipients": [CAROL], "message": "Hi"})
    assert balance_reads() == 0

    await later(hass, 2)

    assert balance_reads() == 1
    state = hass.states.get("sensor.demo_example_com_balance")
    assert state is not None
    assert float(state.state) == 97


async def later(hass: HomeAssistant, seconds: float) -> None:
    """Fire the timers due `seconds` from now and let what they start finish."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=seconds))
    await hass.async_block_till_done(wait_background_tasks=True)


def test_naive_and_aware_times_mean_the_same_instant() -> None:
    """A time zone given in the value wins over Home Assistant's."""
    aware = datetime(2030, 1, 15, 9, 0, tzinfo=dt_util.get_time_zone("Asia/Tokyo"))

    assert parse_send_time(aware) == datetime(2030, 1, 15, 0, 0, tzinfo=dt_util.UTC)
