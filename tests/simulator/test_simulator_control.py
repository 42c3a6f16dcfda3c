"""The simulator's control routes and its Python interface around start and stop."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import aiohttp
import pytest

from sms123_simulator import FaultKind, Simulator

if TYPE_CHECKING:
    from simulator_client import FixedClock, Gateway

BALANCE = "/api/solde/"


async def control(
    gateway: Gateway, path: str, command: object = None
) -> tuple[int, object]:
    """Call a control route (GET without a command, POST with one)."""
    if command is None:
        reply = await gateway.raw(path, method="GET")
    else:
        reply = await gateway.raw(
            path, body=json.dumps(command).encode(), content_type="application/json"
        )
    return reply.status, json.loads(reply.body)


@pytest.mark.usefixtures("clock")
async def test_state_shows_accounts_and_scheduled_sends_without_keys(
    gateway: Gateway, simulator: Simulator
) -> None:
    account = simulator.accounts[gateway.username]
    account.blacklist.add("33699999999")
    await gateway.call("/api/group/add/", {"groupe": "Famille"})
    await gateway.call(
        "/api/contact/add/", {"groupe": "Famille", "numero": "0601020304", "nom": "A"}
    )
    await gateway.call(
        "/api/send/",
        {"numero": "0601020304", "message": "Rappel", "diff": "150015032026"},
    )

    status, state = await control(gateway, "/_simulator/state")

    assert status == 200
    assert gateway.api_key not in json.dumps(state)
    assert state == {
        "accounts": [
            {
                "username": gateway.username,
                "balance": 99.0,
                "long_sms": False,
                "overseas": False,
                "stop_mention_required": False,
                "declared_sender_ids": None,
                "allowed_ips": None,
                "blacklist": ["33699999999"],
                "groups": {"Famille": ["0601020304"]},
                "contacts": {
                    "0601020304": {
                        "nom": "A",
                        "prenom": "",
                        "societe": "",
                        "datea": "",
                        "v1": "",
                        "v2": "",
                        "v3": "",
                    }
                },
            }
        ],
        "scheduled": [
            {
                "username": gateway.username,
                "number": "0601020304",
                "message": "Rappel",
                "diff": "150015032026",
                "sender_id": None,
                "parts": 1,
                "send_at": "2026-03-15T15:00:00+01:00",
                "at": "2026-03-10T11:00:00+00:00",
            }
        ],
        "answer_style": "plain",
        "latency": 0.0,
        "fault_counts": {},
    }


async def test_state_lists_allowed_addresses(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.accounts[gateway.username].allowed_ips = frozenset(
        {"10.0.0.2", "10.0.0.1"}
    )

    _, state = await control(gateway, "/_simulator/state")

    assert isinstance(state, dict)
    assert state["accounts"][0]["allowed_ips"] == ["10.0.0.1", "10.0.0.2"]


async def test_messages_route_lists_accepted_sends(
    gateway: Gateway, clock: FixedClock
) -> None:
    await gateway.call("/api/send/", {"numero": "0601020304", "message": "Hi"})

    status, messages = await control(gateway, "/_simulator/messages")

    assert status == 200
    assert messages == [
        {
            "username": gateway.username,
            "number": "0601020304",
            "message": "Hi",
            "sender_id": None,
            "flash": False,
            "voice": False,
            "diff": None,
            "test": False,
            "code": "80",
            "parts": 1,
            "at": clock.now.isoformat(),
        }
    ]


async def test_fault_route_injects_faults(
    gateway: Gateway, simulator: Simulator
) -> None:
    status, _ = await control(
        gateway, "/_simulator/fault", {"kind": "technical_error", "times": 2}
    )

    answers = [await gateway.call(BALANCE) for _ in range(3)]

    assert status == 200
    assert answers == ["-2", "-2", "100"]
    assert simulator.fault_counts[FaultKind.TECHNICAL_ERROR] == 2


async def test_fault_route_takes_a_path_and_a_delay(gateway: Gateway) -> None:
    await control(
        gateway,
        "/_simulator/fault",
        {"kind": "hang", "path": "/api/send/", "delay": 0.05},
    )

    assert await gateway.call(BALANCE) == "100"
    with pytest.raises(aiohttp.ClientConnectionError):
        await gateway.call("/api/send/", {"numero": "0601020304", "message": "Hi"})


async def test_control_routes_are_never_faulted(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.set_outage(FaultKind.RESET)

    status, _ = await control(gateway, "/_simulator/state")

    assert status == 200
    assert simulator.requests == []


async def test_outage_route_starts_and_ends_an_outage(gateway: Gateway) -> None:
    await control(gateway, "/_simulator/outage", {"kind": "http_503"})
    during = await gateway.raw(BALANCE, body=b"{}", content_type="application/json")
    await control(gateway, "/_simulator/outage", {"kind": None})

    assert during.status == 503
    assert await gateway.call(BALANCE) == "100"


async def test_balance_route_sets_a_balance(gateway: Gateway) -> None:
    status, answer = await control(
        gateway, "/_simulator/balance", {"username": gateway.username, "balance": 5}
    )

    assert (status, answer) == (200, {"ok": True, "balance": 5.0})
    assert await gateway.call(BALANCE) == "5"


@pytest.mark.parametrize(
    ("path", "command", "error"),
    [
        ("/_simulator/fault", {"kind": "meteor"}, "'meteor' is not a valid FaultKind"),
        ("/_simulator/fault", {}, "'None' is not a valid FaultKind"),
        (
            "/_simulator/fault",
            {"kind": "reset", "times": 0},
            "times must be at least 1",
        ),
        ("/_simulator/fault", {"kind": "reset", "times": "x"}, "invalid literal"),
        ("/_simulator/fault", [], "body is not a JSON object"),
        ("/_simulator/outage", {"kind": "meteor"}, "'meteor' is not a valid FaultKind"),
        ("/_simulator/balance", {"username": "x@example.com"}, "unknown username"),
        (
            "/_simulator/balance",
            {"username": "demo@example.com", "balance": "lots"},
            "balance must be a number",
        ),
        ("/_simulator/balance", {"username": "demo@example.com"}, "balance must be"),
    ],
)
async def test_bad_control_commands_are_refused(
    gateway: Gateway, path: str, command: object, error: str
) -> None:
    status, answer = await control(gateway, path, command)

    assert status == 400
    assert isinstance(answer, dict)
    assert error in answer["error"]


async def test_control_command_must_be_json(gateway: Gateway) -> None:
    reply = await gateway.raw(
        "/_simulator/outage", body=b"kind=reset", content_type="application/json"
    )

    assert reply.status == 400
    assert json.loads(reply.body) == {"error": "body is not JSON"}


async def test_stop_then_start_again_on_the_same_port(
    gateway: Gateway, simulator: Simulator
) -> None:
    url = simulator.url
    await simulator.stop()
    await simulator.stop()

    with pytest.raises(aiohttp.ClientConnectionError):
        await gateway.call(BALANCE)
    assert await simulator.start() == url
    assert await gateway.call(BALANCE) == "100"


async def test_start_twice_is_refused(simulator: Simulator) -> None:
    with pytest.raises(RuntimeError, match="already running"):
        await simulator.start()


@pytest.mark.usefixtures("socket_enabled")
async def test_start_on_a_busy_port_fails_cleanly(simulator: Simulator) -> None:
    other = Simulator()

    with pytest.raises(OSError, match="address already in use"):
        await other.start(port=simulator.port)
    with pytest.raises(RuntimeError, match="never started"):
        _ = other.url


def test_account_names_are_unique() -> None:
    simulator = Simulator()
    simulator.add_account("a@example.com", "k1")

    with pytest.raises(ValueError, match="already exists"):
        simulator.add_account("a@example.com", "k2")


def test_account_repr_hides_the_key() -> None:
    account = Simulator().add_account("a@example.com", "secret-key")

    assert "secret-key" not in repr(account)
