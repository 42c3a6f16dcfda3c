"""The simulator's /api/solde/: the balance and its credential codes."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from simulator_client import BodyFormat, Gateway, Spelling

    from sms123_simulator import Simulator

BALANCE = "/api/solde/"


async def test_balance_is_answered(
    gateway: Gateway, body_format: BodyFormat, spelling: Spelling
) -> None:
    answer = await gateway.call(BALANCE, body_format=body_format, spelling=spelling)

    assert answer == "100"


@pytest.mark.parametrize(
    ("balance", "decimal_comma", "expected"),
    [
        (97.5, False, "97.5"),
        (97.5, True, "97,5"),
        (0, False, "0"),
        (12.25, True, "12,25"),
        (1234, True, "1234"),
    ],
)
async def test_balance_is_a_decimal_number(
    gateway: Gateway,
    simulator: Simulator,
    balance: float,
    decimal_comma: bool,
    expected: str,
) -> None:
    simulator.accounts[gateway.username].balance = balance
    simulator.decimal_comma = decimal_comma

    assert await gateway.call(BALANCE) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "E501"),
        ({"email": "", "pass": "sk-test-0123456789abcdef"}, "E501"),
        ({"user": "demo@example.com"}, "E502"),
        ({"email": "demo@example.com", "pass": ""}, "E502"),
        ({"user": "demo@example.com", "cleAPI": "wrong"}, "E505"),
        ({"user": "other@example.com", "cleAPI": "sk-test-0123456789abcdef"}, "E505"),
    ],
)
async def test_balance_credentials_refusals(
    gateway: Gateway, params: dict[str, str], expected: str
) -> None:
    reply = await gateway.raw(
        BALANCE, body=json.dumps(params).encode(), content_type="application/json"
    )

    assert reply.text == expected


async def test_balance_refuses_an_address_outside_the_allowed_list(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.accounts[gateway.username].allowed_ips = frozenset({"192.0.2.10"})

    assert await gateway.call(BALANCE) == "E505"


async def test_balance_follows_sends(gateway: Gateway) -> None:
    assert await gateway.call("/api/send/", {"numero": "0601020304", "message": "x"})

    assert await gateway.call(BALANCE) == "99"
