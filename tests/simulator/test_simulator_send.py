"""The simulator's /api/send/: every return code, in the documented order."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from simulator_client import BodyFormat, FixedClock, Gateway, Spelling

    from sms123_simulator import Simulator

SEND = "/api/send/"
MOBILE = "0601020304"
MOBILE_INTL = "33601020304"
REUNION = "262692123456"
LATER = "150015032026"  # 15:00 on 15 March 2026, Paris time
STOP = "Promo -50% ce soir. stop SMS au 36177"


def account_balance(simulator: Simulator) -> float:
    """Tell the demo account's balance."""
    return next(iter(simulator.accounts.values())).balance


async def test_send_is_accepted_debited_and_logged(
    gateway: Gateway, simulator: Simulator, body_format: BodyFormat, spelling: Spelling
) -> None:
    code = await gateway.call(
        SEND,
        {"numero": MOBILE, "message": "Alarme: porte ouverte"},
        body_format=body_format,
        spelling=spelling,
    )

    assert code == "80"
    assert account_balance(simulator) == 99
    [sent] = simulator.messages
    assert (sent.number, sent.message, sent.code, sent.parts) == (
        MOBILE,
        "Alarme: porte ouverte",
        "80",
        1,
    )
    assert (sent.flash, sent.voice, sent.test, sent.sender_id, sent.diff) == (
        False,
        False,
        False,
        None,
        None,
    )


async def test_send_records_its_options(gateway: Gateway, simulator: Simulator) -> None:
    params = {"numero": MOBILE, "message": "Hi", "flash": "o", "TTS": "o"}

    code = await gateway.call(SEND, params | {"senderid": "Maison"})

    assert code == "80"
    [sent] = simulator.messages
    assert (sent.flash, sent.voice, sent.sender_id) == (True, True, "Maison")


async def test_several_numbers_are_each_debited_and_logged(
    gateway: Gateway, simulator: Simulator
) -> None:
    code = await gateway.call(
        SEND, {"numero": f"{MOBILE}-{MOBILE_INTL}", "message": "Bonjour"}
    )

    assert code == "80"
    assert account_balance(simulator) == 98
    assert [sent.number for sent in simulator.messages] == [MOBILE, MOBILE_INTL]


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("€" * 80, 1),
        ("é" * 306, 2),
        ("😀" * 35, 1),
        ("ç" * 71, 2),
        ("ç" * 135, 3),
    ],
)
async def test_long_sms_account_is_debited_per_part(
    gateway: Gateway, simulator: Simulator, message: str, parts: int
) -> None:
    simulator.accounts[gateway.username].long_sms = True

    code = await gateway.call(SEND, {"numero": MOBILE, "message": message})

    assert code == "80"
    assert account_balance(simulator) == 100 - parts
    assert simulator.messages[0].parts == parts


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"numero": MOBILE, "message": "a" * 161}, "-1"),
        ({"numero": MOBILE, "message": "Hi", "flash": "yes"}, "-1"),
        ({"numero": MOBILE, "message": "Hi", "TTS": "1"}, "-1"),
        ({"numero": MOBILE, "message": "Hi", "test": "n"}, "-1"),
        ({"numero": "", "message": "Hi"}, "89"),
        ({"message": "Hi"}, "89"),
        ({"numero": MOBILE, "message": ""}, "90"),
        ({"numero": MOBILE}, "90"),
        ({"numero": "06 01 02 03 04", "message": "Hi"}, "84"),
        ({"numero": "+33601020304", "message": "Hi"}, "84"),
        ({"numero": "0012345678", "message": "Hi"}, "84"),
        ({"numero": "060102030", "message": "Hi"}, "84"),
        ({"numero": "1234567890123456", "message": "Hi"}, "84"),
        ({"numero": f"{MOBILE}-abc", "message": "Hi"}, "84"),
        ({"numero": f"{MOBILE}-", "message": "Hi"}, "84"),
        ({"numero": REUNION, "message": "Hi"}, "93"),
        ({"numero": f"{MOBILE}-590690123456", "message": "Hi"}, "93"),
        ({"numero": MOBILE, "message": "Hi", "diff": "1500150320"}, "85"),
        ({"numero": MOBILE, "message": "Hi", "diff": "250015032026"}, "85"),
        ({"numero": MOBILE, "message": "Hi", "diff": "150031022026"}, "85"),
        ({"numero": MOBILE, "message": "Hi", "diff": "15001503202x"}, "85"),
        ({"numero": MOBILE, "message": "Hi", "diff": "150015032026x"}, "85"),
        ({"numero": MOBILE, "message": "Hi", "diff": "115910032026"}, "85"),
        ({"numero": MOBILE, "message": "Hi", "senderid": "Maison12345X"}, "97"),
        ({"numero": MOBILE, "message": "Hi", "senderid": "123456"}, "97"),
        ({"numero": MOBILE, "message": "Hi", "senderid": "Café"}, "97"),
        ({"numero": MOBILE, "message": "Hi", "senderid": "my-home"}, "97"),
    ],
)
@pytest.mark.usefixtures("clock")
async def test_send_refusals_debit_and_log_nothing(
    gateway: Gateway, simulator: Simulator, params: dict[str, str], expected: str
) -> None:
    code = await gateway.call(SEND, params)

    assert code == expected
    assert account_balance(simulator) == 100
    assert simulator.messages == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"numero": "not-a-number", "message": ""}, "90"),
        ({"numero": "bad", "message": "Hi", "diff": "bad"}, "84"),
        ({"numero": REUNION, "message": "Hi", "diff": "bad"}, "93"),
        ({"numero": MOBILE, "message": "Hi", "diff": "bad", "senderid": "!"}, "85"),
        ({"numero": MOBILE, "message": "a" * 200, "senderid": "!"}, "97"),
    ],
)
async def test_send_checks_run_in_the_documented_order(
    gateway: Gateway, params: dict[str, str], expected: str
) -> None:
    assert await gateway.call(SEND, params) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"email": "", "pass": "key"}, "87"),
        ({"user": "", "cleAPI": "key"}, "87"),
        ({"pass": "key"}, "87"),
        ({"email": "demo@example.com", "pass": ""}, "88"),
        ({"user": "demo@example.com"}, "88"),
        ({"email": "demo@example.com", "pass": "wrong"}, "82"),
        ({"email": "nobody@example.com", "pass": "sk-test-0123456789abcdef"}, "82"),
        ({"user": "Demo@example.com", "cleAPI": "sk-test-0123456789abcdef"}, "82"),
    ],
)
async def test_send_credentials_refusals(
    gateway: Gateway, params: dict[str, str], expected: str
) -> None:
    reply = await gateway.raw(
        SEND,
        body=json_body(params | {"numero": MOBILE, "message": "Hi"}),
        content_type="application/json",
    )

    assert reply.text == expected


async def test_mixed_credential_spellings_are_accepted(gateway: Gateway) -> None:
    params = {"email": gateway.username, "cleAPI": gateway.api_key, "numero": MOBILE}
    reply = await gateway.raw(
        SEND,
        body=json_body(params | {"message": "Hi"}),
        content_type="application/json",
    )

    assert reply.text == "80"


async def test_ip_outside_the_allowed_list_is_refused(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.accounts[gateway.username].allowed_ips = frozenset({"192.0.2.10"})

    assert await gateway.call(SEND, {"numero": MOBILE, "message": "Hi"}) == "96"

    simulator.accounts[gateway.username].allowed_ips = frozenset({"127.0.0.1"})
    assert await gateway.call(SEND, {"numero": MOBILE, "message": "Hi"}) == "80"


async def test_overseas_numbers_need_the_option(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.accounts[gateway.username].overseas = True

    assert await gateway.call(SEND, {"numero": REUNION, "message": "Hi"}) == "80"


async def test_stop_mention_is_required_with_a_sender_id(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.accounts[gateway.username].stop_mention_required = True
    with_sender = {"numero": MOBILE, "senderid": "Boutique"}

    refused = await gateway.call(SEND, with_sender | {"message": "Promo -50%"})
    accepted = await gateway.call(SEND, with_sender | {"message": STOP.upper() + " "})
    no_sender = await gateway.call(SEND, {"numero": MOBILE, "message": "Promo"})

    assert (refused, accepted, no_sender) == ("102", "80", "80")


async def test_test_mode_validates_without_debit(
    gateway: Gateway, simulator: Simulator
) -> None:
    params = {"numero": MOBILE, "message": "Hi", "test": "o"}

    first = await gateway.call(SEND, params)
    second = await gateway.call(SEND, params)

    assert (first, second) == ("92", "92")
    assert account_balance(simulator) == 100
    assert [(sent.code, sent.test) for sent in simulator.messages] == [
        ("92", True),
        ("92", True),
    ]
    assert await gateway.call(SEND, {"numero": MOBILE, "message": "Hi"}) == "80"


async def test_test_mode_still_validates_the_request(gateway: Gateway) -> None:
    code = await gateway.call(SEND, {"numero": "12", "message": "Hi", "test": "o"})

    assert code == "84"


async def test_blacklisted_number_is_refused(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.accounts[gateway.username].blacklist.add(MOBILE_INTL)

    code = await gateway.call(
        SEND, {"numero": f"{MOBILE}-{MOBILE_INTL}", "message": "Hi"}
    )

    assert code == "101"
    assert account_balance(simulator) == 100
    assert simulator.messages == []


@pytest.mark.parametrize(("balance", "expected"), [(0, "83"), (1.5, "83"), (2, "80")])
async def test_send_needs_credit_for_every_part_and_number(
    gateway: Gateway, simulator: Simulator, balance: float, expected: str
) -> None:
    simulator.accounts[gateway.username].balance = balance

    code = await gateway.call(
        SEND, {"numero": f"{MOBILE}-{MOBILE_INTL}", "message": "Hi"}
    )

    assert code == expected


async def test_same_message_to_same_number_within_24_hours_is_refused(
    gateway: Gateway, simulator: Simulator, clock: FixedClock
) -> None:
    params = {"numero": MOBILE, "message": "Hi"}
    assert await gateway.call(SEND, params) == "80"

    clock.advance(timedelta(hours=23, minutes=59))
    within = await gateway.call(SEND, params)
    other_number = await gateway.call(SEND, params | {"numero": MOBILE_INTL})
    other_text = await gateway.call(SEND, params | {"message": "Hello"})
    clock.advance(timedelta(minutes=1))
    after = await gateway.call(SEND, params)

    assert (within, other_number, other_text, after) == ("91", "80", "80", "80")
    assert account_balance(simulator) == 96


async def test_scheduled_send_is_stored_and_debited(
    gateway: Gateway, simulator: Simulator, clock: FixedClock
) -> None:
    params = {"numero": MOBILE, "message": "Rappel", "diff": "120110032026"}

    code = await gateway.call(SEND, params)

    assert code == "81"
    assert account_balance(simulator) == 99
    [pending] = simulator.scheduled
    assert (pending.number, pending.message, pending.diff) == (
        MOBILE,
        "Rappel",
        "120110032026",
    )
    assert pending.send_at.isoformat() == "2026-03-10T12:01:00+01:00"
    assert pending.at == clock.now
    assert [(sent.code, sent.diff) for sent in simulator.messages] == [
        ("81", "120110032026")
    ]


@pytest.mark.usefixtures("clock")
async def test_scheduled_send_can_be_deleted_and_is_refunded(
    gateway: Gateway, simulator: Simulator
) -> None:
    params = {"numero": f"{MOBILE}-{MOBILE_INTL}", "message": "Rappel", "diff": LATER}
    assert await gateway.call(SEND, params) == "81"
    assert account_balance(simulator) == 98

    deleted = await gateway.call(SEND, params | {"diff": f"{LATER}s"})
    again = await gateway.call(SEND, params | {"diff": f"{LATER}s"})

    assert (deleted, again) == ("94", "95")
    assert account_balance(simulator) == 100
    assert simulator.scheduled == []


@pytest.mark.parametrize(
    "cancel",
    [
        {"numero": MOBILE_INTL},
        {"message": "Autre"},
        {"diff": "150115032026s"},
        {"numero": f"{MOBILE}-{MOBILE}"},
    ],
)
@pytest.mark.usefixtures("clock")
async def test_deleting_an_unknown_scheduled_send_fails(
    gateway: Gateway, simulator: Simulator, cancel: dict[str, str]
) -> None:
    params = {"numero": MOBILE, "message": "Rappel", "diff": LATER}
    assert await gateway.call(SEND, params) == "81"

    code = await gateway.call(SEND, params | {"diff": f"{LATER}s"} | cancel)

    assert code == "95"
    assert len(simulator.scheduled) == 1
    assert account_balance(simulator) == 99


async def test_deleting_a_past_scheduled_send_is_not_a_format_error(
    gateway: Gateway,
) -> None:
    code = await gateway.call(
        SEND, {"numero": MOBILE, "message": "Hi", "diff": "100001012020s"}
    )

    assert code == "95"


def json_body(params: dict[str, str]) -> bytes:
    """Encode parameters as a JSON body, credentials included as given."""
    return json.dumps(params).encode()


async def test_an_undeclared_sender_id_is_refused(
    gateway: Gateway, simulator: Simulator
) -> None:
    account = next(iter(simulator.accounts.values()))
    account.declared_sender_ids = {"Maison"}
    send = {"numero": MOBILE, "message": "Hi"}

    assert await gateway.call(SEND, {**send, "senderid": "Garage"}) == "97"
    assert await gateway.call(SEND, {**send, "senderid": "Maison"}) == "80"
