"""Benchmark: `sms123.send_sms` to 200 recipients, 50 ms of gateway latency each.

The longest event-loop block of such a fan-out is in test_event_loop.py.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from bench.helpers import (
    bench_entry,
    elapsed_since,
    ideal_fan_out,
    median,
    ms,
    numbers,
    send_to_all,
    set_up,
)
from bench.report import API_KEY, USERNAME, Report
from custom_components.sms123.outbox import OutboxSettings

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from sms123_simulator import Simulator

RECIPIENTS = 200
LATENCY = 0.050
RUNS = 3
# The outbox's default bound of parallel first tries.
DEFAULT_BOUND = OutboxSettings().bound
SPEED_UP_TARGET = 6.0
IDEAL_RATIO_TARGET = 1.5


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
        await send_to_all(hass, entry.entry_id, f"Fan-out run {run}", RECIPIENTS)
        for run in range(RUNS)
    ]
    fan_out = median(runs)

    accepted = len(simulator.messages)
    assert accepted == RECIPIENTS * (RUNS + 1)
    ideal = ideal_fan_out(RECIPIENTS, DEFAULT_BOUND, LATENCY)
    speed_up = sequential / fan_out
    ratio = fan_out / ideal
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
    report.notes.append(
        "Fan-out: the sequential baseline is the integration's own client awaiting "
        "`send_sms` once per number; the fan-out is the `sms123.send_sms` action "
        "(outbox, one request per recipient, bounded concurrency) with a response."
    )
    print(f"fan-out: sequential {sequential:.3f} s, runs {runs}")
