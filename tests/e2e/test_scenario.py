"""The integration in a real Home Assistant, driven over its REST API like a user."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from conftest import RECIPIENT_CANONICAL, TIMINGS, USERNAME, Demo
from harness import integration_errors, wait_until

if TYPE_CHECKING:
    from sms123_simulator import SentMessage

SECOND_NUMBER = "06 98 76 54 32"
SECOND_CANONICAL = "33698765432"
REFUSED_NUMBER = "+33 6 11 11 11 11"
REFUSED_CANONICAL = "33611111111"
QUEUED_NUMBER = "+33 7 00 00 00 01"
QUEUED_CANONICAL = "33700000001"
MESSAGE_IN_HTTP_ERROR = (2026, 1)
SETTLE = 30.0
OUTBOX_RESUME = 120.0


async def _balance(demo: Demo) -> float | None:
    """Return the balance sensor's value, or None while it is unavailable."""
    state = (await demo.state("balance"))["state"]
    return None if state in {"unavailable", "unknown"} else float(state)


async def _balance_becomes(demo: Demo, expected: float) -> float:
    """Wait until the balance sensor shows `expected` credits."""

    async def probe() -> float | None:
        value = await _balance(demo)
        return value if value == expected else None

    return await wait_until(probe, within=SETTLE, what=f"balance {expected:g}")


def _new_messages(demo: Demo, before: int) -> list[tuple[str, str]]:
    """Return (number, text) of every message the simulator accepted since `before`."""
    sent: list[SentMessage] = demo.simulator.messages[before:]
    return [(message.number, message.message) for message in sent]


async def test_config_flow_created_a_loaded_entry(demo: Demo) -> None:
    """The entry added through the REST config flow is loaded, titled by account."""
    entries = await demo.api.request(
        "GET", "/api/config/config_entries/entry?domain=sms123"
    )

    assert [(e["title"], e["state"], e["num_subentries"]) for e in entries] == [
        (USERNAME, "loaded", 1)
    ]
    assert demo.notify_entity.startswith("notify.")


async def test_balance_sensor_shows_the_gateway_balance(demo: Demo) -> None:
    """The balance sensor reads what the simulator's account holds.

    Modules before this one may have sent: the balance is read again after sends.
    """
    assert await _balance_becomes(demo, demo.account.balance) == demo.account.balance


async def test_notify_send_message_reaches_the_gateway(demo: Demo) -> None:
    """notify.send_message sends the titled message to the recipient's number."""
    before = len(demo.simulator.messages)

    status, _ = await demo.api.call(
        "notify",
        "send_message",
        {"entity_id": demo.notify_entity, "title": "Alarm", "message": "Door open"},
    )

    assert status == 200
    [(number, text)] = _new_messages(demo, before)
    assert number == RECIPIENT_CANONICAL
    assert text.startswith("Alarm")
    assert text.endswith("Door open")


async def test_send_sms_answers_per_recipient(demo: Demo) -> None:
    """sms123.send_sms to a number and a notify entity answers one result each."""
    before = len(demo.simulator.messages)

    status, body = await demo.send_sms(
        recipients=[SECOND_NUMBER, demo.notify_entity], message="Hello"
    )

    assert status == 200, body
    results = body["service_response"]["recipients"]
    assert [(r["number"], r["status"], r["code"]) for r in results] == [
        (SECOND_CANONICAL, "sent", "80"),
        (RECIPIENT_CANONICAL, "sent", "80"),
    ]
    assert _new_messages(demo, before) == [
        (SECOND_CANONICAL, "Hello"),
        (RECIPIENT_CANONICAL, "Hello"),
    ]


async def test_balance_sensor_drops_after_sends(demo: Demo) -> None:
    """After sends the balance sensor follows the gateway without waiting a poll."""
    before = await _balance(demo)

    status, body = await demo.send_sms(recipients=[SECOND_NUMBER], message="Ping")

    assert status == 200, body
    assert demo.account.balance < (before or 0)
    assert await _balance_becomes(demo, demo.account.balance) < (before or 0)


async def test_refused_send_raises_and_fires_a_failed_event(demo: Demo) -> None:
    """A number the gateway refuses fails the action and fires a `failed` event."""
    demo.account.blacklist.add(REFUSED_CANONICAL)
    before = len(demo.simulator.messages)

    status, body = await demo.send_sms(recipients=[REFUSED_NUMBER], message="Hi")

    assert status == 500
    if demo.ha_version >= MESSAGE_IN_HTTP_ERROR:  # 2025.4: a bare 500 page
        assert REFUSED_CANONICAL in body["message"]
    assert _new_messages(demo, before) == []

    async def failed_event() -> dict[str, Any] | None:
        state = await demo.state("messages")
        attributes: dict[str, Any] = state["attributes"]
        return attributes if attributes.get("event_type") == "failed" else None

    event = await wait_until(failed_event, within=SETTLE, what="a failed event")
    assert (event["recipient"], event["code"]) == (REFUSED_CANONICAL, "101")
    assert event["reason"]


async def test_outbox_survives_a_restart_while_the_gateway_is_down(
    demo: Demo,
) -> None:
    """A message queued while the gateway is down is sent after hass restarts."""
    await demo.simulator.stop()
    before = len(demo.simulator.messages)

    status, body = await demo.send_sms(recipients=[QUEUED_NUMBER], message="Later")

    assert status == 200, body
    [result] = body["service_response"]["recipients"]
    assert (result["number"], result["status"]) == (QUEUED_CANONICAL, "queued")
    assert (await demo.state("pending_messages"))["state"] == "1"

    await demo.hass.stop()
    await demo.simulator.start("127.0.0.1", demo.simulator.port)
    started = time.monotonic()
    await demo.restart_hass()

    async def delivered() -> list[tuple[str, str]] | None:
        return _new_messages(demo, before) or None

    sent = await wait_until(delivered, within=OUTBOX_RESUME, what="the queued SMS")
    TIMINGS["restart to queued SMS delivered"] = time.monotonic() - started
    assert sent == [(QUEUED_CANONICAL, "Later")]

    async def outbox_empty() -> bool | None:
        return True if (await demo.state("pending_messages"))["state"] == "0" else None

    assert await wait_until(outbox_empty, within=SETTLE, what="an empty outbox")
    assert _new_messages(demo, before) == [(QUEUED_CANONICAL, "Later")]


def test_integration_logged_no_error(demo: Demo) -> None:
    """Through all of the above, the integration itself logged no error.

    Every run of this module's hass counts: the harness keeps the log of each
    (Home Assistant itself keeps the last two only).
    """
    logs = demo.hass.logs()

    assert len(logs) >= 2  # the first run and the one after the restart
    assert integration_errors(logs) == []
