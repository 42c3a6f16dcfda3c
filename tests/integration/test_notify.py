"""Tests of the notify entities, one per recipient."""

from __future__ import annotations

from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING

import pytest
from homeassistant.components.notify import (
    ATTR_MESSAGE,
    ATTR_TITLE,
    SERVICE_SEND_MESSAGE,
    NotifyEntity,
)
from homeassistant.components.notify import (
    DOMAIN as NOTIFY_DOMAIN,
)
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import ATTR_ENTITY_ID, CONF_NAME, Platform
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from custom_components.sms123.const import (
    CONF_LONG_SMS,
    CONF_NUMBERS,
    CONF_SENDER_ID,
    DOMAIN,
    SUBENTRY_TYPE_RECIPIENT,
)
from tests.conftest import USERNAME
from tests.integration.conftest import ALICE_NUMBER
from tests.integration.helpers import call_action, snapshot_entities

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from syrupy.assertion import SnapshotAssertion

    from sms123_simulator import Simulator
    from sms123_simulator.state import Account
    from tests.integration.helpers import BoundAction

ALICE = "notify.alice"
FAMILY = "notify.family"
FAMILY_NUMBERS = ["33601020305", "33601020306"]


@pytest.fixture
def notify(hass: HomeAssistant) -> BoundAction:
    """Return notify.send_message (it answers nothing): give it entity and message."""
    return partial(
        call_action, hass, SERVICE_SEND_MESSAGE, domain=NOTIFY_DOMAIN, response=False
    )


async def add_family(hass: HomeAssistant, entry: MockConfigEntry) -> ConfigSubentry:
    """Add a second recipient with two numbers, as the subentry flow does."""
    subentry = ConfigSubentry(
        data=MappingProxyType({CONF_NAME: "Family", CONF_NUMBERS: FAMILY_NUMBERS}),
        subentry_type=SUBENTRY_TYPE_RECIPIENT,
        title="Family",
        unique_id=None,
    )
    hass.config_entries.async_add_subentry(entry, subentry)
    await hass.async_block_till_done()
    return subentry


async def test_one_entity_per_recipient_on_its_own_device(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Each recipient is a notify entity named after it, under the account."""
    (subentry_id,) = init_integration.subentries
    entity = er.async_get(hass).async_get(ALICE)

    assert entity is not None
    assert entity.unique_id == f"{USERNAME}_{subentry_id}"
    assert entity.config_subentry_id == subentry_id
    balance = er.async_get(hass).async_get("sensor.demo_example_com_balance")
    device = dr.async_get(hass).async_get(entity.device_id or "")
    assert balance is not None
    assert device is not None
    assert (device.name, device.via_device_id) == ("Alice", balance.device_id)
    assert device.identifiers == {(DOMAIN, entity.unique_id)}
    state = hass.states.get(ALICE)
    assert state is not None
    assert state.name == "Alice"


async def test_send_message_with_title(
    simulator: Simulator, init_integration: MockConfigEntry, notify: BoundAction
) -> None:
    """The title goes on a line before the message."""
    await notify(
        {ATTR_ENTITY_ID: ALICE, ATTR_MESSAGE: "Door open", ATTR_TITLE: "Alarm"}
    )

    (accepted,) = simulator.messages
    assert (accepted.number, accepted.message) == (ALICE_NUMBER, "Alarm\nDoor open")


async def test_recipients_follow_subentries_without_restart(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    notify: BoundAction,
) -> None:
    """A new recipient gets its entity, which sends to each of its numbers."""
    family = await add_family(hass, init_integration)

    await notify({ATTR_ENTITY_ID: FAMILY, ATTR_MESSAGE: "Dinner is ready"})

    assert sorted(msg.number for msg in simulator.messages) == FAMILY_NUMBERS
    hass.config_entries.async_remove_subentry(init_integration, family.subentry_id)
    await hass.async_block_till_done()
    assert hass.states.get(FAMILY) is None
    assert er.async_get(hass).async_get(FAMILY) is None


@pytest.mark.parametrize("entry_options", [{CONF_SENDER_ID: "Maison"}])
async def test_account_sender_id_is_used(
    simulator: Simulator, init_integration: MockConfigEntry, notify: BoundAction
) -> None:
    """The account's default sender ID applies to notify messages."""
    await notify({ATTR_ENTITY_ID: ALICE, ATTR_MESSAGE: "Hi"})

    (accepted,) = simulator.messages
    assert accepted.sender_id == "Maison"


async def test_long_message_is_refused_without_long_sms(
    simulator: Simulator, init_integration: MockConfigEntry, notify: BoundAction
) -> None:
    """Without the long SMS option, a message must fit one SMS."""
    with pytest.raises(ServiceValidationError) as caught:
        await notify({ATTR_ENTITY_ID: ALICE, ATTR_MESSAGE: "x" * 161})

    assert caught.value.translation_key == "message_too_long"
    assert simulator.messages == []


@pytest.mark.parametrize("entry_options", [{CONF_LONG_SMS: True}])
async def test_long_message_goes_with_long_sms(
    simulator: Simulator,
    account: Account,
    init_integration: MockConfigEntry,
    notify: BoundAction,
) -> None:
    """With the long SMS option, the message is sent whole."""
    account.long_sms = True

    await notify({ATTR_ENTITY_ID: ALICE, ATTR_MESSAGE: "x" * 161})

    (accepted,) = simulator.messages
    assert accepted.parts == 2


async def test_empty_message_is_refused(
    simulator: Simulator, init_integration: MockConfigEntry, notify: BoundAction
) -> None:
    """An empty message is refused before any request."""
    with pytest.raises(ServiceValidationError) as caught:
        await notify({ATTR_ENTITY_ID: ALICE, ATTR_MESSAGE: "  "})

    assert caught.value.translation_key == "message_empty"
    assert simulator.messages == []


async def test_refusal_raises(
    account: Account, init_integration: MockConfigEntry, notify: BoundAction
) -> None:
    """A refused message raises with the number and the reason."""
    account.blacklist.add(ALICE_NUMBER)

    with pytest.raises(HomeAssistantError) as caught:
        await notify({ATTR_ENTITY_ID: ALICE, ATTR_MESSAGE: "Hi"})

    assert caught.value.translation_key == "send_failed"


@pytest.mark.parametrize("platforms", [[Platform.NOTIFY]], ids=["notify"])
async def test_entities(
    hass: HomeAssistant, init_integration: MockConfigEntry, snapshot: SnapshotAssertion
) -> None:
    """Alice: a notify entity with titles, on her own subentry, as registered."""
    await snapshot_entities(hass, init_integration, snapshot)


# Home Assistant records a notification sent by another action only from 2026.
RECORDS_OTHER_ACTIONS = hasattr(NotifyEntity, "_async_record_notification")


async def test_send_sms_to_a_notify_entity_updates_its_state(
    hass: HomeAssistant, init_integration: MockConfigEntry, send: BoundAction
) -> None:
    """Its state is the time of its last notification, as with notify.send_message."""
    before = hass.states.get(ALICE)
    assert before is not None

    await send({"recipients": [ALICE], "message": "Door open"})

    after = hass.states.get(ALICE)
    assert after is not None
    assert before.state == "unknown"
    assert (after.state != "unknown") is RECORDS_OTHER_ACTIONS


async def test_a_failed_send_sms_leaves_the_state_alone(
    hass: HomeAssistant,
    account: Account,
    init_integration: MockConfigEntry,
    send: BoundAction,
) -> None:
    """A send that fails is no notification (notify.send_message does the same)."""
    account.blacklist.add(ALICE_NUMBER)

    with pytest.raises(HomeAssistantError):
        await send({"recipients": [ALICE], "message": "Door open"})

    state = hass.states.get(ALICE)
    assert state is not None
    assert state.state == "unknown"
