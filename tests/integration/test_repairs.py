"""Repairs a user can act on, each raised once and cleared by itself.

The stop mention (102), a sender ID (97), the overseas option (93) and a blocked
recipient (101).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component

from custom_components.sms123.const import CONF_SENDER_ID, CONF_STOP_MENTION, DOMAIN
from custom_components.sms123.diagnostics import async_get_config_entry_diagnostics
from tests.conftest import USERNAME
from tests.integration.conftest import ALICE_NUMBER, ALICE_SUBENTRY_ID

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

    from sms123_simulator import Simulator
    from sms123_simulator.state import Account
    from tests.integration.helpers import BoundAction

BOB = "33601020305"
REUNION = "262692123456"
MENTION = " STOP SMS au 36177"


def issues_of(hass: HomeAssistant, kind: str) -> list[ir.IssueEntry]:
    """Return the open repair issues of the integration of one kind."""
    return [
        issue
        for (domain, _), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN and issue.translation_key == kind
    ]


async def refused(send: BoundAction, data: dict[str, Any]) -> None:
    """Send, and expect the gateway to refuse it."""
    with pytest.raises(HomeAssistantError):
        await send(data)


async def fix(
    hass: HomeAssistant,
    client_factory: ClientSessionGenerator,
    issue: ir.IssueEntry,
    choice: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Run the fix flow of `issue` through Home Assistant's HTTP API; its last step."""
    assert await async_setup_component(hass, "repairs", {})
    client = await client_factory()
    started = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue.issue_id}
    )
    flow = await started.json()
    answer = await client.post(
        f"/api/repairs/issues/fix/{flow['flow_id']}", json=choice or {}
    )
    result: dict[str, Any] = await answer.json()
    await hass.async_block_till_done()
    return {"first": flow, **result}


# 102: the stop mention


@pytest.mark.parametrize("entry_options", [{CONF_SENDER_ID: "Maison"}])
async def test_102_raises_one_repair_whose_fix_turns_the_mention_on(  # noqa: PLR0913
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: Simulator,
    account: Account,
    init_integration: MockConfigEntry,
    send: BoundAction,
) -> None:
    """Two refused messages, one repair; its fix makes the next send go out."""
    account.stop_mention_required = True
    await refused(send, {"recipients": [ALICE_NUMBER], "message": "Door open"})
    await refused(send, {"recipients": [BOB], "message": "Window open"})
    (issue,) = issues_of(hass, "stop_mention_required")
    assert issue.is_fixable

    result = await fix(hass, hass_client, issue)

    assert result["first"]["step_id"] == "confirm"
    assert result["first"]["description_placeholders"] == {"account": USERNAME}
    assert result["type"] == "create_entry"
    assert init_integration.options[CONF_STOP_MENTION] is True
    assert issues_of(hass, "stop_mention_required") == []
    await send({"recipients": [ALICE_NUMBER], "message": "Door open"})
    assert simulator.delivered[-1].message == f"Door open{MENTION}"


@pytest.mark.parametrize("entry_options", [{CONF_SENDER_ID: "Maison"}])
async def test_the_mention_repair_clears_after_a_send_with_a_sender_id(
    hass: HomeAssistant,
    account: Account,
    init_integration: MockConfigEntry,
    send: BoundAction,
) -> None:
    """Once the gateway takes a message with a sender ID, the repair goes."""
    account.stop_mention_required = True
    await refused(send, {"recipients": [ALICE_NUMBER], "message": "Door open"})
    account.stop_mention_required = False

    await send({"recipients": [ALICE_NUMBER], "message": "Door open"})

    assert issues_of(hass, "stop_mention_required") == []


@pytest.mark.parametrize("entry_options", [{CONF_SENDER_ID: "Maison"}])
async def test_the_mention_repair_clears_when_the_option_is_turned_on(
    hass: HomeAssistant,
    account: Account,
    init_integration: MockConfigEntry,
    send: BoundAction,
) -> None:
    """Turning the option on by hand (the options form) solves it too."""
    account.stop_mention_required = True
    await refused(send, {"recipients": [ALICE_NUMBER], "message": "Door open"})

    hass.config_entries.async_update_entry(
        init_integration,
        options={**init_integration.options, CONF_STOP_MENTION: True},
    )
    await hass.async_block_till_done()

    assert issues_of(hass, "stop_mention_required") == []


@pytest.mark.parametrize(
    ("entry_options", "data", "expected"),
    [
        ({CONF_STOP_MENTION: True}, {"sender_id": "Maison"}, f"Door open{MENTION}"),
        ({CONF_STOP_MENTION: True}, {}, "Door open"),
        ({}, {"sender_id": "Maison"}, "Door open"),
        (
            {CONF_STOP_MENTION: True},
            {"sender_id": "Maison", "message": "Promo: stop sms au 36177"},
            "Promo: stop sms au 36177",
        ),
    ],
    ids=["on-sender", "on-no-sender", "off-sender", "already-there"],
)
async def test_the_mention_is_added_only_with_a_sender_id_and_only_once(
    simulator: Simulator,
    init_integration: MockConfigEntry,
    send: BoundAction,
    data: dict[str, Any],
    expected: str,
) -> None:
    """The option adds the mention to messages with a sender ID, never twice."""
    await send({"recipients": [ALICE_NUMBER], "message": "Door open", **data})

    assert [sent.message for sent in simulator.delivered] == [expected]


@pytest.mark.parametrize("entry_options", [{CONF_STOP_MENTION: True}])
async def test_the_mention_counts_in_the_parts_of_every_sms(
    simulator: Simulator,
    account: Account,
    init_integration: MockConfigEntry,
    send: BoundAction,
) -> None:
    """150 characters and the mention need two SMS; each part ends with it."""
    account.stop_mention_required = True

    answer = await send(
        {
            "recipients": [ALICE_NUMBER],
            "message": "word " * 30,
            "sender_id": "Maison",
            "split": True,
        }
    )

    texts = [sent.message for sent in simulator.delivered]
    assert len(texts) == len(answer["recipients"]) == 2  # type: ignore[index]
    assert all(text.startswith(f"({n}/2) ") for n, text in enumerate(texts, 1))
    assert all(text.endswith(MENTION) for text in texts)
    assert all(len(text) <= 160 for text in texts)


@pytest.mark.parametrize("entry_options", [{CONF_STOP_MENTION: True}])
async def test_without_split_a_mention_that_overflows_is_a_long_message(
    init_integration: MockConfigEntry, send: BoundAction
) -> None:
    """The mention is counted before anything is sent: 150 characters no longer fit."""
    with pytest.raises(HomeAssistantError) as caught:
        await send(
            {"recipients": [ALICE_NUMBER], "message": "x" * 150, "sender_id": "Maison"}
        )

    assert caught.value.translation_key == "message_too_long"
    assert caught.value.translation_placeholders == {"length": "168", "parts": "2"}


# 97: a sender ID the gateway refuses


@pytest.mark.parametrize("entry_options", [{CONF_SENDER_ID: "Maison"}])
async def test_97_names_the_sender_id_and_its_fix_removes_the_default(  # noqa: PLR0913
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: Simulator,
    account: Account,
    init_integration: MockConfigEntry,
    send: BoundAction,
) -> None:
    """The default sender ID is refused: one repair; "remove" sends with the number."""
    account.declared_sender_ids = {"Garage"}
    await refused(send, {"recipients": [ALICE_NUMBER], "message": "Door open"})
    await refused(send, {"recipients": [BOB], "message": "Door open"})
    (issue,) = issues_of(hass, "sender_id_refused")
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["sender_id"] == "Maison"
    assert issue.learn_more_url == "https://www.123-sms.net"

    result = await fix(hass, hass_client, issue, {"next_step_id": "remove"})

    assert result["first"]["menu_options"] == ["remove", "keep"]
    assert result["type"] == "create_entry"
    assert CONF_SENDER_ID not in init_integration.options
    await send({"recipients": [ALICE_NUMBER], "message": "Door open"})
    assert simulator.delivered[-1].sender_id is None
    assert issues_of(hass, "sender_id_refused") == []


async def test_a_refused_sender_id_of_an_action_can_only_be_kept(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    account: Account,
    init_integration: MockConfigEntry,
    send: BoundAction,
) -> None:
    """Not the default: the fix flow leaves the options alone."""
    account.declared_sender_ids = {"Garage"}
    data = {"recipients": [ALICE_NUMBER], "message": "Hi", "sender_id": "Maison"}
    await refused(send, data)
    (issue,) = issues_of(hass, "sender_id_refused")

    result = await fix(hass, hass_client, issue, {"next_step_id": "keep"})

    assert result["first"]["menu_options"] == ["keep"]
    assert result["type"] == "create_entry"
    assert init_integration.options == {}


async def test_the_sender_id_repair_clears_once_it_is_declared(
    hass: HomeAssistant,
    account: Account,
    init_integration: MockConfigEntry,
    send: BoundAction,
) -> None:
    """Declared in the customer area, the next send with it clears the repair."""
    account.declared_sender_ids = {"Garage"}
    data = {"recipients": [ALICE_NUMBER], "message": "Hi", "sender_id": "Maison"}
    await refused(send, data)
    account.declared_sender_ids.add("Maison")

    await send(data)

    assert issues_of(hass, "sender_id_refused") == []


# 93: the overseas option


async def test_93_raises_one_repair_cleared_by_a_send_overseas(
    hass: HomeAssistant,
    account: Account,
    init_integration: MockConfigEntry,
    send: BoundAction,
) -> None:
    """Overseas numbers need an option: one repair, gone once one goes through."""
    await refused(send, {"recipients": [REUNION], "message": "Cyclone warning"})
    await refused(send, {"recipients": [REUNION], "message": "Cyclone over"})
    (issue,) = issues_of(hass, "overseas_not_enabled")
    assert not issue.is_fixable
    assert issue.learn_more_url == "https://www.123-sms.net"

    account.overseas = True
    await send({"recipients": [BOB], "message": "Fine here"})
    assert len(issues_of(hass, "overseas_not_enabled")) == 1
    await send({"recipients": [REUNION], "message": "Cyclone over"})

    assert issues_of(hass, "overseas_not_enabled") == []


# 101: a blocked recipient


async def test_101_names_the_recipient_once_per_number(
    hass: HomeAssistant,
    account: Account,
    init_integration: MockConfigEntry,
    send: BoundAction,
) -> None:
    """A blocked recipient is named; a bare number is shown; one repair each."""
    account.blacklist.update({ALICE_NUMBER, BOB})
    await refused(send, {"recipients": ["notify.alice"], "message": "Hi"})
    await refused(send, {"recipients": ["notify.alice"], "message": "Hi again"})
    await refused(send, {"recipients": [BOB], "message": "Hi"})

    issues = issues_of(hass, "number_blocked")
    names = sorted(
        (issue.translation_placeholders or {})["recipient"] for issue in issues
    )
    assert names == sorted(["Alice", BOB])
    assert all(issue.learn_more_url is None for issue in issues)


async def test_the_blocked_repair_clears_after_a_send_to_the_number(
    hass: HomeAssistant,
    account: Account,
    init_integration: MockConfigEntry,
    send: BoundAction,
) -> None:
    """The recipient sent START: the next SMS to them clears the repair."""
    account.blacklist.add(BOB)
    await refused(send, {"recipients": [BOB], "message": "Hi"})
    account.blacklist.discard(BOB)

    await send({"recipients": [BOB], "message": "Hi"})

    assert issues_of(hass, "number_blocked") == []


async def test_the_blocked_repair_clears_when_the_recipient_is_removed(
    hass: HomeAssistant,
    account: Account,
    init_integration: MockConfigEntry,
    send: BoundAction,
) -> None:
    """Removing the recipient takes its repair away; a bare number's stays."""
    account.blacklist.update({ALICE_NUMBER, BOB})
    await refused(send, {"recipients": ["notify.alice"], "message": "Hi"})
    await refused(send, {"recipients": [BOB], "message": "Hi"})

    hass.config_entries.async_remove_subentry(init_integration, ALICE_SUBENTRY_ID)
    await hass.async_block_till_done()

    (left,) = issues_of(hass, "number_blocked")
    assert (left.translation_placeholders or {})["recipient"] == BOB


async def test_removing_the_account_removes_its_repairs(
    hass: HomeAssistant,
    account: Account,
    init_integration: MockConfigEntry,
    send: BoundAction,
) -> None:
    """No repair of an account outlives it."""
    account.blacklist.add(BOB)
    await refused(send, {"recipients": [BOB], "message": "Hi"})
    await refused(send, {"recipients": [REUNION], "message": "Hi"})

    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()

    assert [k for k, _ in ir.async_get(hass).issues if k == DOMAIN] == []


async def test_diagnostics_list_the_open_repairs_without_personal_data(
    hass: HomeAssistant,
    account: Account,
    init_integration: MockConfigEntry,
    send: BoundAction,
) -> None:
    """The kinds and what they name, the number and the recipient redacted."""
    account.blacklist.add(ALICE_NUMBER)
    await refused(send, {"recipients": ["notify.alice"], "message": "Hi"})

    diagnostics = await async_get_config_entry_diagnostics(hass, init_integration)

    assert diagnostics["repairs"] == [
        {
            "kind": "number_blocked",
            "fixable": False,
            "placeholders": {"account": "**REDACTED**", "recipient": "**REDACTED**"},
        }
    ]
    assert ALICE_NUMBER not in str(diagnostics)
