"""Benchmark: the longest event-loop block of a fan-out, the simulator in a process.

The simulator runs as `python -m sms123_simulator` in a process of its own, so
Home Assistant's loop only carries the integration's (and Home Assistant's)
work: every slow callback asyncio debug mode reports is theirs.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast
from unittest.mock import patch

import pytest

from bench.helpers import (
    bench_entry,
    disk_like_writes,
    elapsed_since,
    ms,
    send_to_all,
    set_up,
)
from bench.report import API_KEY, USERNAME, Report
from custom_components.sms123.outbox import OutboxSettings

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator, Iterator

    from homeassistant.core import HomeAssistant

    from sms123_simulator import Simulator

RECIPIENTS = 200
LATENCY = 0.050
BLOCKING_TARGET = 0.010
# asyncio debug mode reports every callback that holds the loop at least this long.
SLOW_CALLBACK = 0.001
RUNS = 3
ROOT = Path(__file__).parent.parent
LISTENING = "listening on "
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


class SlowCallbacks(logging.Handler):
    """Collect the durations asyncio debug mode reports for slow callbacks."""

    def __init__(self) -> None:
        """Start with no report."""
        super().__init__(logging.WARNING)
        self.durations: list[float] = []
        self.longest = ""

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the duration of an "Executing <handle> took N seconds" report."""
        if record.msg.startswith("Executing") and record.args:
            duration = float(record.args[-1])
            if not self.durations or duration > max(self.durations):
                self.longest = str(record.args[0])[:2000]
            self.durations.append(duration)


class RemoteSimulator:
    """Where the simulator process listens: all a config entry needs of it."""

    def __init__(self, url: str) -> None:
        """Keep the base URL."""
        self.url = url


@pytest.fixture
async def remote_simulator(
    socket_enabled: None,  # noqa: ARG001 - the entry talks to a local socket
) -> AsyncGenerator[RemoteSimulator]:
    """Run the simulator in a process of its own, with the bench account."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sms123_simulator",
        "--port",
        "0",
        "--username",
        USERNAME,
        "--api-key",
        API_KEY,
        "--balance",
        "1000000",
        "--latency",
        str(LATENCY),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        async with asyncio.timeout(START_TIMEOUT):
            line = (await process.stdout.readline()).decode()
        assert LISTENING in line, f"the simulator did not start: {line!r}"
        yield RemoteSimulator(line.split(LISTENING, 1)[1].strip())
    finally:
        if process.returncode is None:
            process.terminate()
        try:
            async with asyncio.timeout(STOP_TIMEOUT):
                await process.communicate()
        except TimeoutError:
            process.kill()
            await process.wait()


@contextmanager
def debug_mode(loop: asyncio.AbstractEventLoop) -> Iterator[SlowCallbacks]:
    """Run `loop` in asyncio debug mode; collect its slow-callback reports."""
    slow = SlowCallbacks()
    asyncio_logger = logging.getLogger("asyncio")
    asyncio_logger.addHandler(slow)
    asyncio_logger.propagate = False
    loop.slow_callback_duration = SLOW_CALLBACK
    loop.set_debug(True)
    try:
        yield slow
    finally:
        loop.set_debug(False)
        asyncio_logger.removeHandler(slow)
        asyncio_logger.propagate = True


@dataclass(kw_only=True, slots=True)
class Durations:
    """How long each callback of the loop ran: CPU time of the thread, and wall."""

    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    longest: str = ""


@contextmanager
def timed_callbacks() -> Iterator[Durations]:
    """Time every callback the loop runs, without debug mode's own bookkeeping.

    The CPU time of the loop's thread leaves out the time the machine gave to
    other processes in the middle of a callback; the wall time keeps it.
    """
    timed = Durations()
    real_run = asyncio.events.Handle._run  # noqa: SLF001 - what the loop calls
    longest = 0.0

    def run(handle: asyncio.Handle) -> None:
        """Run the callback as the loop would, and time it."""
        nonlocal longest
        cpu_started = time.thread_time()
        started = time.perf_counter()
        real_run(handle)
        wall = time.perf_counter() - started
        cpu = time.thread_time() - cpu_started
        if cpu > longest:
            longest = cpu
            timed.longest = repr(handle)[:200]
        timed.cpu.append(cpu)
        timed.wall.append(wall)

    with patch.object(asyncio.events.Handle, "_run", run):
        yield timed


async def fan_outs(hass: HomeAssistant, entry_id: str, label: str) -> float:
    """Run RUNS fan-outs and let what they started finish; return the time."""
    started = time.perf_counter()
    for run in range(RUNS):
        await send_to_all(hass, entry_id, f"{label} {run}", RECIPIENTS)
    await hass.async_block_till_done()
    return elapsed_since(started)


async def test_event_loop_block(
    hass: HomeAssistant, remote_simulator: RemoteSimulator, report: Report
) -> None:
    """Fan-outs, timed callback by callback: in debug mode, then without it."""
    entry = bench_entry(cast("Simulator", remote_simulator), USERNAME, API_KEY)
    await set_up(hass, entry)
    loop = asyncio.get_running_loop()
    with disk_like_writes():
        # Warm up: connections, imports, caches (and the source lines debug mode
        # reads for its tracebacks), as in an instance that has run a while.
        await send_to_all(hass, entry.entry_id, "Warm-up", RECIPIENTS)
        with debug_mode(loop):
            await send_to_all(hass, entry.entry_id, "Warm-up in debug", RECIPIENTS)
        with debug_mode(loop) as slow:
            debug_time = await fan_outs(hass, entry.entry_id, "Fan-out in debug")
        with timed_callbacks() as timed:
            plain_time = await fan_outs(hass, entry.entry_id, "Fan-out")
        assert await hass.config_entries.async_unload(entry.entry_id)

    in_debug = max(slow.durations, default=0.0)
    plain = max(timed.cpu, default=0.0)
    plain_wall = max(timed.wall, default=0.0)
    over = sum(duration >= SLOW_CALLBACK for duration in timed.cpu)
    bound = OutboxSettings().bound
    report.add(
        "Event loop: longest single blocking callback during a fan-out "
        f"({RUNS} x {RECIPIENTS} recipients, bound {bound}, {ms(LATENCY)} latency; "
        "asyncio debug slow-callback reports; the simulator in its own process)",
        f"{ms(in_debug)} ({len(slow.durations)} callbacks over {ms(SLOW_CALLBACK)}; "
        f"the fan-outs took {debug_time:.2f} s under debug mode; debug mode's own "
        "bookkeeping included, so no target: see the next row)",
    )
    report.add(
        "Event loop: the same, each callback timed without debug mode (its "
        "stack capture for every task and handle left out): CPU time of the "
        "loop's thread",
        f"{ms(plain)} ({over} of {len(timed.cpu)} callbacks over "
        f"{ms(SLOW_CALLBACK)}; longest in wall time {ms(plain_wall)}, other "
        f"processes included; the fan-outs took {plain_time:.2f} s)",
        f"< {ms(BLOCKING_TARGET)}",
        met=plain < BLOCKING_TARGET,
    )
    report.notes.append(
        "Event loop: the simulator runs as `python -m sms123_simulator` in a process "
        "of its own, so only Home Assistant's loop is measured, after a warm-up "
        f"fan-out with and one without debug mode. Debug mode (`slow_callback_"
        f"duration` = {ms(SLOW_CALLBACK)}) counts its own bookkeeping in each "
        "callback: it captures a stack for every task and handle created, and one "
        "step of the action creates a task per recipient. The second figure times "
        "every callback the loop runs (`Handle._run`) in normal mode, in CPU time "
        "of the loop's thread: on a busy machine the wall time of a callback also "
        "counts the other processes that ran meanwhile. Store writes are "
        "serialised as Home Assistant does."
    )
    print(f"event loop (debug): longest {in_debug * 1000:.1f} ms: {slow.longest}")
    print(f"event loop (plain): longest {plain * 1000:.1f} ms: {timed.longest}")
    for name, values in (
        ("debug", slow.durations),
        ("cpu", timed.cpu),
        ("wall", timed.wall),
    ):
        worst = sorted(values, reverse=True)[:10]
        print(f"event loop ({name}): ten longest {[round(d * 1e3, 1) for d in worst]}")
