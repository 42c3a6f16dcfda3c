"""Benchmark: `sms123.send_sms` to 200 recipients, 50 ms of gateway latency each.

Also measures the longest event-loop blocking during such a fan-out.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

from bench.helpers import (
    bench_entry,
    elapsed_since,
    ideal_fan_out,
    median,
    ms,
    numbers,
    set_up,
)
from bench.report import API_KEY, USERNAME, Report
from custom_components.sms123.const import DOMAIN
from custom_components.sms123.outbox import DEFAULT_BOUND

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from sms123_simulator import Simulator

RECIPIENTS = 200
LATENCY = 0.050
RUNS = 3
SPEED_UP_TARGET = 6.0
IDEAL_RATIO_TARGET = 1.5
BLOCKING_TARGET = 0.020
# asyncio debug mode reports every callback that holds the loop at least this long.
SLOW_CALLBACK = 0.001


async def send_to_all(hass: HomeAssistant, entry_id: str, message: str) -> float:
    """Call the action for every recipient; check each was sent; return the time."""
    started = time.perf_counter()
    response: Any = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {
            "config_entry_id": entry_id,
            "recipients": numbers(RECIPIENTS),
            "message": message,
        },
        blocking=True,
        return_response=True,
    )
    duration = elapsed_since(started)
    statuses = [answer["status"] for answer in response["recipients"]]
    assert statuses == ["sent"] * RECIPIENTS
    return duration


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
                self.longest = str(record.args[0])[:160]
            self.durations.append(duration)


async def test_fan_out(
    hass: HomeAssistant, simulator: Simulator, report: Report
) -> None:
    """Fan-out against a sequential baseline and the ideal of full waves."""
    entry = bench_entry(simulator, USERNAME, API_KEY)
    await set_up(hass, entry)
    simulator.latency = LATENCY
    client = entry.runtime_data.client

    started = time.perf_counter()
    for number in numbers(RECIPIENTS):
        await client.send_sms(number, "Sequential baseline")
    sequential = elapsed_since(started)

    runs = [
        await send_to_all(hass, entry.entry_id, f"Fan-out run {run}")
        for run in range(RUNS)
    ]
    fan_out = median(runs)

    loop = asyncio.get_running_loop()
    slow = SlowCallbacks()
    asyncio_logger = logging.getLogger("asyncio")
    asyncio_logger.addHandler(slow)
    asyncio_logger.propagate = False
    loop.slow_callback_duration = SLOW_CALLBACK
    loop.set_debug(True)
    try:
        debug_run = await send_to_all(hass, entry.entry_id, "Fan-out under debug")
        await hass.async_block_till_done()
    finally:
        loop.set_debug(False)
        asyncio_logger.removeHandler(slow)
        asyncio_logger.propagate = True

    accepted = len(simulator.messages)
    assert accepted == RECIPIENTS * (RUNS + 2)
    ideal = ideal_fan_out(RECIPIENTS, DEFAULT_BOUND, LATENCY)
    speed_up = sequential / fan_out
    ratio = fan_out / ideal
    longest = max(slow.durations, default=0.0)
    report.add(
        f"Fan-out: `send_sms` to {RECIPIENTS} recipients, {ms(LATENCY)} latency, "
        f"bound {DEFAULT_BOUND} (median of {RUNS})",
        f"{fan_out:.2f} s (runs: {', '.join(f'{run:.2f}' for run in runs)} s)",
    )
    report.add(
        "Fan-out speed-up over the sequential baseline "
        f"(same client, one request after another: {sequential:.2f} s)",
        f"{speed_up:.1f}x",
        f"≥ {SPEED_UP_TARGET:g}x",
        met=speed_up >= SPEED_UP_TARGET,
    )
    report.add(
        f"Fan-out against the ideal ceil({RECIPIENTS} / {DEFAULT_BOUND}) x "
        f"{ms(LATENCY)} = {ideal:.2f} s",
        f"{ratio:.2f}x",
        f"≤ {IDEAL_RATIO_TARGET:g}x",
        met=ratio <= IDEAL_RATIO_TARGET,
    )
    report.add(
        "Event loop: longest single blocking callback during a fan-out "
        "(asyncio debug slow-callback reports; includes the simulator's own work)",
        f"{ms(longest)} ({len(slow.durations)} callbacks over {ms(SLOW_CALLBACK)}; "
        f"that fan-out took {debug_run:.2f} s under debug mode)",
        f"< {ms(BLOCKING_TARGET)}",
        met=longest < BLOCKING_TARGET,
    )
    report.notes.append(
        "Fan-out: the sequential baseline is the integration's own client awaiting "
        "`send_sms` once per number; the fan-out is the `sms123.send_sms` action "
        "(outbox, one request per recipient, bounded concurrency) with a response."
    )
    report.notes.append(
        "Event loop: asyncio debug mode with `slow_callback_duration` = 1 ms during "
        "one more fan-out; the simulator shares the loop, so its work is counted."
    )
    print(f"fan-out: sequential {sequential:.3f} s, runs {runs}, debug {debug_run:.3f}")
    print(f"longest callback {longest * 1000:.1f} ms: {slow.longest}")
