"""Tests of the sms123.cancel_scheduled_sms action."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from sms123_simulator import Simulator
    from tests.integration.helpers import BoundAction

BOB = "33601020305"
CAROL = "33601020306"
WHEN = "2030-01-15 09:00:00"


async def schedule(send: BoundAction) -> list[str]:
    """Schedule a reminder to Bob and Carol; return the ids."""
    answer = await send(
        {"recipients": [BOB, CAROL], "message": "Dentist", "scheduled_at": WHEN}
    )
    assert answer is not None
    return [item["id"] for item in answer["recipients"]]  # type: ignore[union-attr]


async def test_cancel_by_id(
    simulator: Simulator, send: BoundAction, cancel: BoundAction
) -> None:
    """The id answered at scheduling cancels that send only."""
    bob_id, _carol_id = await schedule(send)

    answer = await cancel({"id": bob_id})

    assert answer == {
        "recipients": [
            {
                "number": BOB,
                "status": "canceled",
                "code": "94",
                "reason": "the scheduled send was deleted",
                "reason_code": "canceled",
                "parts": 1,
                "encoding": "gsm7",
                "id": bob_id,
            }
        ]
    }
    assert [scheduled.number for scheduled in simulator.scheduled] == [CAROL]


async def test_cancel_by_recipients_time_and_message(
    simulator: Simulator,
    init_integration: MockConfigEntry,
    send: BoundAction,
    cancel: BoundAction,
) -> None:
    """The same recipients, time and text cancel every matching send."""
    await schedule(send)

    answer = await cancel(
        {
            "recipients": ["06 01 02 03 05", "+33 6 01 02 03 06"],
            "scheduled_at": WHEN,
            "message": "Dentist",
        }
    )

    assert answer is not None
    assert [item["status"] for item in answer["recipients"]] == [  # type: ignore[union-attr]
        "canceled",
        "canceled",
    ]
    assert simulator.scheduled == []
    assert init_integration.runtime_data.outbox.scheduled_sends() == []


async def test_cancel_without_answer(
    simulator: Simulator, send: BoundAction, cancel: BoundAction
) -> None:
    """The answer is optional."""
    ids = await schedule(send)

    answer = await cancel({"id": ids}, response=False)

    assert answer is None
    assert simulator.scheduled == []


async def test_gateway_refusal_raises(cancel: BoundAction) -> None:
    """95 (nothing to delete) raises, naming the number."""
    with pytest.raises(HomeAssistantError) as caught:
        await cancel(
            {"recipients": [BOB], "scheduled_at": WHEN, "message": "Never scheduled"}
        )

    assert caught.value.translation_key == "cancel_failed"
    failures = caught.value.translation_placeholders["failures"]  # type: ignore[index]
    assert failures.startswith(f"{BOB}: ")
    assert "95" in failures


@pytest.mark.parametrize(
    ("data", "key", "placeholders"),
    [
        ({"id": "nope"}, "unknown_schedule_id", {"id": "nope"}),
        ({}, "cancel_target", None),
        ({"recipients": [BOB], "message": "Dentist"}, "cancel_target", None),
        (
            {"id": "x", "recipients": [BOB], "scheduled_at": WHEN, "message": "D"},
            "cancel_target",
            None,
        ),
        (
            {"recipients": [BOB], "scheduled_at": WHEN, "message": " "},
            "message_empty",
            None,
        ),
        (
            {"recipients": ["abc"], "scheduled_at": WHEN, "message": "Dentist"},
            "invalid_phone_number",
            {"number": "abc"},
        ),
    ],
)
async def test_invalid_cancel_is_refused_before_any_request(
    simulator: Simulator,
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str] | None,
    cancel: BoundAction,
) -> None:
    """Each mistake has its own translated error; nothing is sent."""
    simulator.reset_logs()

    with pytest.raises(ServiceValidationError) as caught:
        await cancel(data)

    assert caught.value.translation_key == key
    assert caught.value.translation_placeholders == placeholders
    assert simulator.requests == []


async def test_cancel_time_in_the_past_is_refused(cancel: BoundAction) -> None:
    """A send time that has passed cannot be canceled any more."""
    past = dt_util.now() - timedelta(hours=1)

    with pytest.raises(ServiceValidationError) as caught:
        await cancel(
            {
                "recipients": [BOB],
                "scheduled_at": past.isoformat(),
                "message": "Dentist",
            }
        )

    assert caught.value.translation_key == "scheduled_at_past"


async def test_scheduled_ids_survive_a_reload(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    send: BoundAction,
    cancel: BoundAction,
) -> None:
    """Scheduled sends are remembered across a restart of the entry."""
    bob_id, _carol_id = await schedule(send)
    await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    await cancel({"id": [bob_id]})

    assert [scheduled.number for scheduled in simulator.scheduled] == [CAROL]


async def test_one_id_cancels_the_whole_scheduled_send(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    send: BoundAction,
    cancel: BoundAction,
) -> None:
    """The send's own id cancels all its SMS, even after a restart of the entry."""
    answer = await send(
        {"recipients": [BOB, CAROL], "message": "Dentist", "scheduled_at": WHEN}
    )
    assert answer is not None
    send_id = answer["id"]
    per_number = [item["id"] for item in answer["recipients"]]  # type: ignore[union-attr]
    assert send_id not in per_number
    await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    cancelled = await cancel({"id": send_id})

    assert cancelled is not None
    assert [
        (item["number"], item["status"], item["id"])
        for item in cancelled["recipients"]  # type: ignore[union-attr]
    ] == [(BOB, "canceled", per_number[0]), (CAROL, "canceled", per_number[1])]
    assert simulator.scheduled == []


async def test_a_send_now_answers_no_send_id(send: BoundAction) -> None:
    """Only a scheduled send has an id to cancel it by."""
    answer = await send({"recipients": [BOB], "message": "Now"})

    assert answer is not None
    assert "id" not in answer


async def test_unknown_send_id_is_refused(cancel: BoundAction) -> None:
    """An id that names neither an SMS nor a send is refused, naming it."""
    with pytest.raises(ServiceValidationError) as caught:
        await cancel({"id": "0123456789abcdef"})

    assert caught.value.translation_key == "unknown_schedule_id"
    assert caught.value.translation_placeholders == {"id": "0123456789abcdef"}
