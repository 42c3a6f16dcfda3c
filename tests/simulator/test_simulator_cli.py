"""The simulator as a program: `python -m sms123_simulator`."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from typing import TYPE_CHECKING

import aiohttp
import pytest

from sms123_simulator.__main__ import parse_options, serve, start_demo

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator

START_TIMEOUT = 10.0


@pytest.fixture
async def session(socket_enabled: None) -> AsyncGenerator[aiohttp.ClientSession]:
    """Give an HTTP session, sockets allowed."""
    async with aiohttp.ClientSession() as session:
        yield session


async def balance(session: aiohttp.ClientSession, url: str, key: str) -> str:
    """Ask a running simulator for the demo account's balance."""
    body = {"email": "cli@example.com", "pass": key}
    async with session.post(f"{url}/api/solde/", json=body) as response:
        return (await response.text()).strip()


async def test_cli_serves_until_terminated(session: aiohttp.ClientSession) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sms123_simulator",
        "--port",
        "0",
        "--username",
        "cli@example.com",
        "--api-key",
        "cli-key",
        "--balance",
        "42.5",
        "--answer-style",
        "json",
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        async with asyncio.timeout(START_TIMEOUT):
            listening = (await process.stdout.readline()).decode()
            account = (await process.stdout.readline()).decode()
        url = listening.rsplit(" ", 1)[-1].strip()

        answer = await balance(session, url, "cli-key")
    finally:
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(START_TIMEOUT):
            rest, _ = await process.communicate()

    assert listening.startswith("123-SMS simulator listening on http://127.0.0.1:")
    assert account.split() == [
        "account:",
        "username=cli@example.com",
        "api_key=cli-key",
        "balance=42.5",
    ]
    assert json.loads(answer) == {"solde": "42.5"}
    assert rest.decode() == "123-SMS simulator stopped\n"
    assert process.returncode == 0


async def test_demo_applies_the_options(session: aiohttp.ClientSession) -> None:
    arguments = ["--port", "0", "--username", "cli@example.com", "--api-key", "k"]
    options = parse_options([*arguments, "--latency", "0.01", "--answer-style", "xml"])
    simulator = await start_demo(options)
    try:
        answer = await balance(session, simulator.url, "k")
    finally:
        await simulator.stop()

    assert answer.endswith("<response><solde>100</solde></response>")
    assert simulator.latency == 0.01


@pytest.mark.usefixtures("socket_enabled")
async def test_serve_stops_when_told(capsys: pytest.CaptureFixture[str]) -> None:
    stop = asyncio.Event()
    stop.set()

    await serve(parse_options(["--port", "0"]), stop)

    printed = capsys.readouterr().out
    assert "listening on http://127.0.0.1:" in printed
    assert "username=demo@example.com api_key=demo-api-key balance=100" in printed


def test_options_have_demo_defaults() -> None:
    options = parse_options([])

    assert (options.host, options.port, options.username) == (
        "127.0.0.1",
        8555,
        "demo@example.com",
    )
    assert (options.api_key, options.balance, options.answer_style) == (
        "demo-api-key",
        100.0,
        "plain",
    )
