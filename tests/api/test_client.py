"""Tests for the client against the simulated gateway, in both body formats."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from custom_components.sms123.api import (
    Balance,
    CodeKind,
    Contact,
    CredentialStyle,
    DataFormat,
    InvalidPhoneNumberError,
    InvalidSenderIdError,
    SendCode,
    Sms123ApiError,
    Sms123AuthenticationError,
    Sms123Client,
    Sms123InvalidRequestError,
)
from sms123_simulator import AnswerStyle

if TYPE_CHECKING:
    from collections.abc import Callable

    import aiohttp

    from sms123_simulator import Account, Simulator

MOBILE = "06 01 02 03 04"
MOBILE_INTL = "33601020304"
OTHER_MOBILE = "+33 7 12 34 56 78"
OTHER_MOBILE_INTL = "33712345678"
HOSTILE = "</message><pass>x</pass> & \"quoted\" 'it' <b> é € [x] 😀\r\nline2 ]]>"


def _tomorrow() -> datetime:
    """Return a send time the gateway accepts."""
    return datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=1)


async def test_send_sms(
    client: Sms123Client, simulator: Simulator, account: Account
) -> None:
    result = await client.send_sms(MOBILE, "Hello from Home Assistant")
    assert result.code.success
    assert result.code.value == "80"
    assert result.code.kind is CodeKind.SUCCESS
    assert result.numbers == (MOBILE_INTL,)
    [message] = simulator.messages
    assert (message.number, message.message) == (
        MOBILE_INTL,
        "Hello from Home Assistant",
    )
    assert (message.flash, message.voice, message.test, message.sender_id) == (
        False,
        False,
        False,
        None,
    )
    assert account.balance == 99


async def test_send_sms_to_several_numbers_in_one_request(
    client: Sms123Client, simulator: Simulator
) -> None:
    result = await client.send_sms([MOBILE, OTHER_MOBILE], "Dinner is ready")
    assert result.numbers == (MOBILE_INTL, OTHER_MOBILE_INTL)
    [request] = simulator.requests
    assert request.params["numero"] == f"{MOBILE_INTL}-{OTHER_MOBILE_INTL}"
    assert [message.number for message in simulator.messages] == [
        MOBILE_INTL,
        OTHER_MOBILE_INTL,
    ]


async def test_send_sms_options(client: Sms123Client, simulator: Simulator) -> None:
    result = await client.send_sms(
        MOBILE, "Door open", sender_id=" Maison ", flash=True, voice=True
    )
    assert result.code.value == "80"
    [request] = simulator.requests
    assert request.params["flash"] == "o"
    assert request.params["TTS"] == "o"
    assert request.params["senderid"] == "Maison"
    [message] = simulator.messages
    assert (message.flash, message.voice, message.sender_id) == (True, True, "Maison")


async def test_send_sms_test_mode(
    client: Sms123Client, simulator: Simulator, account: Account
) -> None:
    result = await client.send_sms(MOBILE, "Only a test", test=True)
    assert result.code.value == SendCode.TEST_OK.value
    assert result.code.success
    assert simulator.messages[0].test is True
    assert account.balance == 100


async def test_send_sms_hostile_text_survives(
    client: Sms123Client, simulator: Simulator
) -> None:
    await client.send_sms(MOBILE, HOSTILE)
    assert simulator.messages[0].message == HOSTILE
    assert simulator.requests[0].params["message"] == HOSTILE


async def test_schedule_then_cancel(
    client: Sms123Client, simulator: Simulator, account: Account
) -> None:
    when = _tomorrow()
    scheduled = await client.send_sms(MOBILE, "Later", scheduled_at=when)
    assert scheduled.code.value == "81"
    assert len(simulator.scheduled) == 1
    canceled = await client.cancel_scheduled_sms(MOBILE, "Later", when)
    assert canceled.code.value == "94"
    assert canceled.code.success
    assert canceled.numbers == (MOBILE_INTL,)
    assert simulator.scheduled == []
    assert account.balance == 100
    with pytest.raises(Sms123ApiError, match="code 95") as caught:
        await client.cancel_scheduled_sms(MOBILE, "Later", when)
    assert caught.value.code is not None
    assert caught.value.code.value == "95"


async def test_schedule_in_the_past_is_refused(client: Sms123Client) -> None:
    with pytest.raises(Sms123InvalidRequestError, match="code 85"):
        await client.send_sms(
            MOBILE, "Too late", scheduled_at=datetime(2020, 1, 1, tzinfo=UTC)
        )


async def test_blacklisted_number_is_information(
    client: Sms123Client, simulator: Simulator, account: Account
) -> None:
    account.blacklist.add(MOBILE_INTL)
    result = await client.send_sms(MOBILE, "Hello")
    assert result.code.value == "101"
    assert result.code.kind is CodeKind.INFO
    assert result.code.success is False
    assert simulator.messages == []


async def test_duplicate_within_24_hours(client: Sms123Client) -> None:
    await client.send_sms(MOBILE, "Same text")
    with pytest.raises(Sms123ApiError, match="code 91, this message was already sent"):
        await client.send_sms(MOBILE, "Same text")


async def test_no_credit(client: Sms123Client, account: Account) -> None:
    account.balance = 0
    with pytest.raises(Sms123ApiError, match="code 83") as caught:
        await client.send_sms(MOBILE, "Hello")
    assert caught.value.transient is False


async def test_empty_message(client: Sms123Client) -> None:
    with pytest.raises(
        Sms123InvalidRequestError, match="code 90, the message is empty"
    ):
        await client.send_sms(MOBILE, "")


async def test_long_message_without_option(client: Sms123Client) -> None:
    with pytest.raises(Sms123InvalidRequestError, match="code -1"):
        await client.send_sms(MOBILE, "a" * 161)


async def test_long_message_with_option(client: Sms123Client, account: Account) -> None:
    account.long_sms = True
    result = await client.send_sms(MOBILE, "a" * 161)
    assert result.code.success
    assert account.balance == 98


async def test_overseas_needs_option(client: Sms123Client) -> None:
    with pytest.raises(Sms123ApiError, match="code 93"):
        await client.send_sms("0692 12 34 56", "Bonjour La Réunion")


async def test_overseas_with_option(
    client: Sms123Client, account: Account, simulator: Simulator
) -> None:
    account.overseas = True
    result = await client.send_sms("0692 12 34 56", "Bonjour La Réunion")
    assert result.numbers == ("262692123456",)
    assert simulator.messages[0].number == "262692123456"


async def test_stop_mention_required(client: Sms123Client, account: Account) -> None:
    account.stop_mention_required = True
    with pytest.raises(Sms123InvalidRequestError, match="code 102"):
        await client.send_sms(MOBILE, "Promo", sender_id="Shop")
    result = await client.send_sms(MOBILE, "Promo stop SMS au 36177", sender_id="Shop")
    assert result.code.success


async def test_ip_not_allowed(client: Sms123Client, account: Account) -> None:
    account.allowed_ips = frozenset({"192.0.2.1"})
    with pytest.raises(Sms123ApiError, match="code 96, this IP address is not allowed"):
        await client.send_sms(MOBILE, "Hello")


async def test_invalid_input_is_refused_before_any_request(
    client: Sms123Client, simulator: Simulator
) -> None:
    with pytest.raises(InvalidPhoneNumberError):
        await client.send_sms("not a number", "Hello")
    with pytest.raises(InvalidPhoneNumberError) as caught:
        await client.send_sms([], "Hello")
    assert caught.value.reason == "empty"
    with pytest.raises(InvalidSenderIdError):
        await client.send_sms(MOBILE, "Hello", sender_id="Way too long name")
    with pytest.raises(ValueError, match="timezone-aware"):
        await client.send_sms(MOBILE, "Hello", scheduled_at=datetime(2030, 1, 1))  # noqa: DTZ001
    assert simulator.requests == []


async def test_get_balance(client: Sms123Client, account: Account) -> None:
    assert await client.get_balance() == Balance(credits=100.0)
    account.balance = 97.5
    assert await client.get_balance() == Balance(credits=97.5)


async def test_get_balance_decimal_comma(
    client: Sms123Client, simulator: Simulator, account: Account
) -> None:
    simulator.decimal_comma = True
    account.balance = 12.25
    assert await client.get_balance() == Balance(credits=12.25)


@pytest.mark.parametrize("style", list(AnswerStyle))
async def test_answer_styles(
    client: Sms123Client, simulator: Simulator, account: Account, style: AnswerStyle
) -> None:
    simulator.answer_style = style
    account.balance = 42.5
    assert await client.get_balance() == Balance(credits=42.5)
    assert (await client.send_sms(MOBILE, "Hi")).code.value == "80"
    assert (await client.add_group("Family")).code.value == "514"
    with pytest.raises(Sms123InvalidRequestError, match="code 513"):
        await client.add_group("Family")


async def test_groups(client: Sms123Client, account: Account) -> None:
    added = await client.add_group("Family")
    assert (added.code.value, added.code.success) == ("514", True)
    assert "Family" in account.groups
    with pytest.raises(
        Sms123InvalidRequestError, match="code 513, a group with that name"
    ):
        await client.add_group("Family")
    renamed = await client.rename_group("Family", "Home")
    assert renamed.code.value == "514"
    assert set(account.groups) == {"Home"}
    with pytest.raises(
        Sms123InvalidRequestError, match="code 517, the group does not exist"
    ):
        await client.rename_group("Family", "Other")
    deleted = await client.delete_group("Home")
    assert deleted.code.value == "516"
    assert account.groups == {}
    with pytest.raises(Sms123InvalidRequestError, match="code 517"):
        await client.delete_group("Home")


async def test_delete_group_with_contacts(client: Sms123Client) -> None:
    await client.add_group("Family")
    await client.add_contact(Contact(phone=MOBILE, groups=("Family",)))
    with pytest.raises(
        Sms123InvalidRequestError, match="code 515, the group still has"
    ):
        await client.delete_group("Family")


async def test_contacts(
    client: Sms123Client, account: Account, simulator: Simulator
) -> None:
    await client.add_group("Family")
    await client.add_group("Work")
    contact = Contact(
        phone=MOBILE,
        groups=("Family", "Work"),
        last_name="Dupont",
        first_name="Élise",
        company="ACME & Fils <SA>",
        birthday=date(1968, 2, 12),
        var1="v1",
        var2="v2",
        var3="v3",
    )
    added = await client.add_contact(contact)
    assert (added.code.value, added.code.success) == ("507", True)
    assert simulator.requests[-1].params["groupe"] == "Family--Work"
    record = account.contacts[MOBILE_INTL]
    assert (record.nom, record.prenom, record.societe, record.datea) == (
        "Dupont",
        "Élise",
        "ACME & Fils <SA>",
        "120268",
    )
    assert (record.v1, record.v2, record.v3) == ("v1", "v2", "v3")
    assert account.groups == {"Family": {MOBILE_INTL}, "Work": {MOBILE_INTL}}
    with pytest.raises(
        Sms123InvalidRequestError, match="code 506, this number is already"
    ):
        await client.add_contact(contact)

    updated = await client.update_contact(
        "Family", MOBILE, Contact(phone=OTHER_MOBILE, last_name="Martin")
    )
    assert updated.code.value == "507"
    params = simulator.requests[-1].params
    assert (params["numeroa"], params["numero"], params["nom"]) == (
        MOBILE_INTL,
        OTHER_MOBILE_INTL,
        "Martin",
    )
    assert "prenom" not in params
    assert OTHER_MOBILE_INTL in account.groups["Family"]

    deleted = await client.delete_contact(OTHER_MOBILE, "Family")
    assert deleted.code.value == "509"
    assert OTHER_MOBILE_INTL not in account.groups["Family"]
    deleted_everywhere = await client.delete_contact(MOBILE)
    assert deleted_everywhere.code.value == "509"
    assert "groupe" not in simulator.requests[-1].params
    assert account.groups == {"Family": set(), "Work": set()}


async def test_contact_errors(client: Sms123Client) -> None:
    await client.add_group("Family")
    await client.add_group("Work")
    with pytest.raises(Sms123InvalidRequestError, match="code 517"):
        await client.add_contact(Contact(phone=MOBILE, groups=("Nope",)))
    with pytest.raises(Sms123InvalidRequestError, match="code -1"):
        await client.add_contact(Contact(phone=MOBILE))
    await client.add_contact(Contact(phone=MOBILE, groups=("Family",)))
    with pytest.raises(
        Sms123InvalidRequestError, match="code 508, this number is not in"
    ):
        await client.update_contact("Family", OTHER_MOBILE, Contact(phone=MOBILE))
    with pytest.raises(
        Sms123InvalidRequestError, match="code 510, this number is not in that"
    ):
        await client.update_contact("Work", MOBILE, Contact(phone=OTHER_MOBILE))
    with pytest.raises(Sms123InvalidRequestError, match="code 510"):
        await client.delete_contact(MOBILE, "Work")
    with pytest.raises(Sms123InvalidRequestError, match="code 508"):
        await client.delete_contact(OTHER_MOBILE)


@pytest.mark.parametrize("style", list(CredentialStyle))
async def test_credential_spellings(
    simulator: Simulator,
    account: Account,
    demo_client: Callable[..., Sms123Client],
    data_format: DataFormat,
    style: CredentialStyle,
) -> None:
    client = demo_client(data_format=data_format, credential_style=style)
    assert (await client.get_balance()).credits == 100
    assert (await client.send_sms(MOBILE, "Hi")).code.success
    assert (await client.add_group("G")).code.success
    names = {"email": ("email", "pass"), "user": ("user", "cleAPI")}[style]
    for request in simulator.requests:
        assert request.params[names[0]] == account.username
        assert request.params[names[1]] == account.api_key


@pytest.mark.parametrize(
    ("username", "api_key", "send", "balance", "group"),
    [
        ("", "key", "87", "E501", "501"),
        ("USER", "", "88", "E502", "502"),
        ("USER", "wrong-key", "82", "E505", "505"),
        ("nobody@example.com", "KEY", "82", "E505", "505"),
    ],
)
async def test_credentials_refused(  # noqa: PLR0913 - one argument per code
    simulator: Simulator,
    account: Account,
    session: aiohttp.ClientSession,
    data_format: DataFormat,
    username: str,
    api_key: str,
    send: str,
    balance: str,
    group: str,
) -> None:
    client = Sms123Client(
        username.replace("USER", account.username),
        api_key.replace("KEY", account.api_key),
        session=session,
        base_url=simulator.url,
        data_format=data_format,
    )
    with pytest.raises(Sms123AuthenticationError, match=f"code {send}"):
        await client.send_sms(MOBILE, "Hi")
    with pytest.raises(Sms123AuthenticationError, match=f"code {balance}"):
        await client.get_balance()
    with pytest.raises(Sms123AuthenticationError, match=f"code {group}"):
        await client.add_group("G")
    with pytest.raises(Sms123AuthenticationError, match=f"code {group}"):
        await client.delete_contact(MOBILE)
