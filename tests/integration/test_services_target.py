"""Tests of the send action's recipients: the target picker and blank rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from tests.integration.conftest import ALICE_NUMBER

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from sms123_simulator import Simulator
    from tests.integration.helpers import BoundAction

BOB = "33601020305"
NOTIFY_ALICE = "notify.alice"
BALANCE = "sensor.demo_example_com_balance"


def _put_device_in(hass: HomeAssistant, entity_id: str, area_id: str) -> None:
    """Put the device of an entity in an area (its entities follow it)."""
    entity = er.async_get(hass).async_get(entity_id)
    assert entity is not None
    assert entity.device_id is not None
    dr.async_get(hass).async_update_device(entity.device_id, area_id=area_id)


def numbers_sent(simulator: Simulator) -> list[str]:
    """Return the numbers the gateway got an SMS for, in order."""
    return [message.number for message in simulator.messages]


async def test_target_entity_merges_with_typed_numbers(
    simulator: Simulator, send: BoundAction
) -> None:
    """A targeted notify entity adds its recipient's numbers to those typed."""
    answer = await send(
        {"entity_id": NOTIFY_ALICE, "recipients": ["06 01 02 03 05"], "message": "Hi"}
    )

    assert answer is not None
    assert [item["number"] for item in answer["recipients"]] == [ALICE_NUMBER, BOB]  # type: ignore[index]
    assert sorted(numbers_sent(simulator)) == [ALICE_NUMBER, BOB]


async def test_target_alone_is_enough(simulator: Simulator, send: BoundAction) -> None:
    """With a target, no number needs typing; one number named twice gets one SMS."""
    await send(
        {
            "entity_id": [NOTIFY_ALICE],
            "recipients": [NOTIFY_ALICE, "+33 6 01 02 03 04"],
            "message": "Hi",
        }
    )

    assert numbers_sent(simulator) == [ALICE_NUMBER]


async def test_target_device_sends_to_its_recipient(
    hass: HomeAssistant, simulator: Simulator, send: BoundAction
) -> None:
    """Targeting the recipient's device sends to the recipient."""
    entity = er.async_get(hass).async_get(NOTIFY_ALICE)
    assert entity is not None
    assert entity.device_id is not None

    await send({"device_id": entity.device_id, "message": "Hi"})

    assert numbers_sent(simulator) == [ALICE_NUMBER]


async def test_target_area_keeps_only_recipients(
    hass: HomeAssistant, simulator: Simulator, send: BoundAction
) -> None:
    """An area also holding other entities sends to the recipients in it only."""
    kitchen = ar.async_get(hass).async_create("Kitchen")
    for entity_id in (NOTIFY_ALICE, BALANCE):
        _put_device_in(hass, entity_id, kitchen.id)

    await send({"area_id": kitchen.id, "message": "Hi"})

    assert numbers_sent(simulator) == [ALICE_NUMBER]


async def test_target_area_without_recipient_is_refused(
    hass: HomeAssistant, simulator: Simulator, send: BoundAction
) -> None:
    """An area with no recipient in it names nobody: nothing is sent."""
    garage = ar.async_get(hass).async_create("Garage")
    _put_device_in(hass, BALANCE, garage.id)

    with pytest.raises(ServiceValidationError) as caught:
        await send({"area_id": garage.id, "message": "Hi"})

    assert caught.value.translation_key == "recipients_empty"
    assert simulator.messages == []


async def test_target_entity_of_another_kind_is_refused(
    simulator: Simulator, send: BoundAction
) -> None:
    """An entity named in the target must be a recipient of the account."""
    with pytest.raises(ServiceValidationError) as caught:
        await send({"entity_id": BALANCE, "message": "Hi"})

    assert caught.value.translation_key == "unknown_entity"
    assert caught.value.translation_placeholders == {"entity_id": BALANCE}
    assert simulator.messages == []


@pytest.mark.parametrize(
    "recipients",
    [["", "  "], []],
    ids=["blank-rows", "none"],
)
async def test_no_recipient_at_all_is_refused(
    simulator: Simulator, send: BoundAction, recipients: list[str]
) -> None:
    """Blank rows the form's Add leaves name nobody; without a target, that is said."""
    with pytest.raises(ServiceValidationError) as caught:
        await send({"recipients": recipients, "message": "Hi"})

    assert caught.value.translation_key == "recipients_empty"
    assert simulator.messages == []


async def test_recipients_may_be_left_out(
    simulator: Simulator, send: BoundAction
) -> None:
    """The field is optional: leaving it and the target out says no recipient."""
    with pytest.raises(ServiceValidationError) as caught:
        await send({"message": "Hi"})

    assert caught.value.translation_key == "recipients_empty"


async def test_blank_rows_are_ignored(simulator: Simulator, send: BoundAction) -> None:
    """A blank row among the numbers is skipped, not refused as a bad number."""
    await send({"recipients": ["", "06 01 02 03 05", " "], "message": "Hi"})

    assert numbers_sent(simulator) == [BOB]
