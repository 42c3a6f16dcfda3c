"""Faults the simulator applies on request: transport failures and broken answers."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import Counter
from typing import TYPE_CHECKING

import aiohttp
import pytest

from sms123_simulator import FaultKind, Simulator

if TYPE_CHECKING:
    from simulator_client import Gateway

SEND = "/api/send/"
BALANCE = "/api/solde/"
MESSAGE = {"numero": "0601020304", "message": "Alarme"}


@pytest.mark.parametrize(
    ("kind", "status", "body"),
    [
        (FaultKind.HTTP_500, 500, b"500 Internal Server Error"),
        (FaultKind.HTTP_502, 502, b"502 Bad Gateway"),
        (FaultKind.HTTP_503, 503, b"503 Service Unavailable"),
        (FaultKind.TECHNICAL_ERROR, 200, b"-2\n"),
        (FaultKind.EMPTY, 200, b""),
    ],
)
async def test_broken_answers_do_not_process_the_request(
    gateway: Gateway, simulator: Simulator, kind: FaultKind, status: int, body: bytes
) -> None:
    simulator.inject(kind)
    document = gateway.credentials() | MESSAGE

    reply = await gateway.raw(
        SEND, body=_json(document), content_type="application/json"
    )

    assert (reply.status, reply.body) == (status, body)
    assert simulator.messages == []
    assert simulator.accounts[gateway.username].balance == 100
    assert simulator.fault_counts == Counter({kind: 1})
    assert await gateway.call(SEND, MESSAGE) == "80"


async def test_html_page_answer(gateway: Gateway, simulator: Simulator) -> None:
    simulator.inject(FaultKind.HTML)

    reply = await gateway.raw(BALANCE, body=b"{}", content_type="application/json")

    assert (reply.status, reply.content_type) == (200, "text/html")
    assert reply.body.startswith(b"<!DOCTYPE html>")


async def test_garbage_answer_is_not_utf8(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.inject(FaultKind.GARBAGE, times=2)

    first = await gateway.raw(BALANCE, body=b"{}", content_type="application/json")
    second = await gateway.raw(BALANCE, body=b"{}", content_type="application/json")

    assert first.status == 200
    assert first.body != second.body
    with pytest.raises(UnicodeDecodeError):
        first.body.decode()


@pytest.mark.parametrize("kind", [FaultKind.RESET, FaultKind.LOST_ANSWER])
async def test_connection_reset_gives_no_answer(
    gateway: Gateway, simulator: Simulator, kind: FaultKind
) -> None:
    simulator.inject(kind)

    with pytest.raises(aiohttp.ClientConnectionError):
        await gateway.call(SEND, MESSAGE)

    assert simulator.requests[0].fault is kind


async def test_reset_request_is_not_processed(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.inject(FaultKind.RESET)

    with pytest.raises(aiohttp.ClientConnectionError):
        await gateway.call(SEND, MESSAGE)

    assert simulator.messages == []
    assert await gateway.call(SEND, MESSAGE) == "80"


async def test_lost_answer_is_processed_so_a_retry_gets_91(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.inject(FaultKind.LOST_ANSWER)

    with pytest.raises(aiohttp.ClientConnectionError):
        await gateway.call(SEND, MESSAGE)

    assert [sent.code for sent in simulator.messages] == ["80"]
    assert simulator.requests[0].code == "80"
    assert await gateway.call(SEND, MESSAGE) == "91"
    assert simulator.accounts[gateway.username].balance == 99


async def test_latency_fault_delays_the_normal_answer(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.inject(FaultKind.LATENCY, delay=0.2)
    loop = asyncio.get_running_loop()

    started = loop.time()
    answer = await gateway.call(BALANCE)
    elapsed = loop.time() - started

    assert answer == "100"
    assert elapsed >= 0.2
    assert simulator.fault_counts[FaultKind.LATENCY] == 1


async def test_latency_setting_delays_every_answer(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.latency = 0.1
    loop = asyncio.get_running_loop()

    started = loop.time()
    answers = [await gateway.call(BALANCE), await gateway.call(BALANCE)]
    elapsed = loop.time() - started

    assert answers == ["100", "100"]
    assert elapsed >= 0.2
    assert simulator.fault_counts == Counter()


async def test_hang_outlasts_the_client_timeout_and_ends_on_stop(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.inject(FaultKind.HANG)
    loop = asyncio.get_running_loop()

    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.2):
            await gateway.call(SEND, MESSAGE)
    started = loop.time()
    await simulator.stop()

    assert loop.time() - started < 1
    assert simulator.messages == []


async def test_hang_still_waiting_when_stopped_resets_the_connection(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.inject(FaultKind.HANG)
    waiting = asyncio.ensure_future(gateway.call(BALANCE))
    await asyncio.sleep(0.1)

    await simulator.stop()

    with pytest.raises(aiohttp.ClientConnectionError):
        await waiting


async def test_hang_with_a_short_delay_ends_with_a_reset(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.inject(FaultKind.HANG, delay=0.05)

    with pytest.raises(aiohttp.ClientConnectionError):
        await gateway.call(BALANCE)

    assert simulator.requests[0].code is None


async def test_injection_is_used_up_after_its_times(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.inject(FaultKind.TECHNICAL_ERROR, times=2)

    answers = [await gateway.call(BALANCE) for _ in range(3)]

    assert answers == ["-2", "-2", "100"]
    assert simulator.fault_counts == Counter({FaultKind.TECHNICAL_ERROR: 2})


async def test_injection_for_one_path_spares_the_others(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.inject(FaultKind.TECHNICAL_ERROR, path="/api/send")

    balance = await gateway.call(BALANCE)
    sent = await gateway.call(SEND, MESSAGE)
    again = await gateway.call(SEND, MESSAGE | {"message": "Autre"})

    assert (balance, sent, again) == ("100", "-2", "80")


async def test_injections_are_used_in_order(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.inject(FaultKind.TECHNICAL_ERROR)
    simulator.inject(FaultKind.EMPTY)

    answers = [await gateway.call(BALANCE) for _ in range(3)]

    assert answers == ["-2", "", "100"]


async def test_outage_lasts_until_lifted(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.set_outage(FaultKind.TECHNICAL_ERROR)

    during = [await gateway.call(BALANCE) for _ in range(3)]
    simulator.set_outage(None)
    after = await gateway.call(BALANCE)

    assert (during, after) == (["-2", "-2", "-2"], "100")
    assert simulator.fault_counts[FaultKind.TECHNICAL_ERROR] == 3


async def test_chaos_mode_is_reproducible(
    gateway: Gateway, simulator: Simulator
) -> None:
    kinds = [FaultKind.TECHNICAL_ERROR, FaultKind.EMPTY]

    async def run() -> list[str]:
        simulator.set_fault_rate(0.5, kinds=kinds, seed=1234)
        return [await gateway.call(BALANCE) for _ in range(20)]

    first, second = await run(), await run()

    assert first == second
    assert {"-2", "", "100"} == set(first)
    assert sum(simulator.fault_counts.values()) == 2 * (20 - first.count("100"))


async def test_chaos_mode_default_kinds_are_quick(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.set_fault_rate(1.0, seed=7)

    for _ in range(30):
        with contextlib.suppress(aiohttp.ClientConnectionError):
            await gateway.raw(BALANCE, body=b"{}", content_type="application/json")

    assert sum(simulator.fault_counts.values()) == 30
    assert FaultKind.HANG not in simulator.fault_counts
    assert FaultKind.LATENCY not in simulator.fault_counts


async def test_chaos_mode_off_again(gateway: Gateway, simulator: Simulator) -> None:
    simulator.set_fault_rate(1.0, kinds=[FaultKind.EMPTY])
    simulator.set_fault_rate(0)

    assert await gateway.call(BALANCE) == "100"


async def test_clear_faults_forgets_everything(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.inject(FaultKind.EMPTY)
    simulator.set_outage(FaultKind.EMPTY)
    simulator.set_fault_rate(1.0, kinds=[FaultKind.EMPTY])

    simulator.clear_faults()

    assert await gateway.call(BALANCE) == "100"


async def test_reset_logs_clears_messages_requests_and_counts(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.inject(FaultKind.EMPTY)
    await gateway.call(BALANCE)
    await gateway.call(SEND, MESSAGE)

    simulator.reset_logs()

    assert (simulator.messages, simulator.requests) == ([], [])
    assert simulator.fault_counts == Counter()
    assert await gateway.call(SEND, MESSAGE) == "91"


@pytest.mark.parametrize(("rate", "kinds"), [(-0.1, None), (1.5, None), (0.5, [])])
def test_bad_fault_rate_is_refused(rate: float, kinds: list[FaultKind] | None) -> None:
    with pytest.raises(ValueError, match="must"):
        Simulator().set_fault_rate(rate, kinds=kinds)


def test_bad_injection_count_is_refused() -> None:
    with pytest.raises(ValueError, match="times"):
        Simulator().inject(FaultKind.RESET, times=0)


def _json(document: dict[str, str]) -> bytes:
    """Encode a JSON body."""
    return json.dumps(document).encode()
