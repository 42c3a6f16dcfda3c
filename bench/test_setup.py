"""Benchmark: how long setting up a config entry takes (median of 20)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntryState

from bench.helpers import bench_entry, elapsed_since, median, ms
from bench.report import API_KEY, USERNAME, Report

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from sms123_simulator import Simulator

RUNS = 20
TARGET = 0.050


async def test_setup_time(
    hass: HomeAssistant, simulator: Simulator, report: Report
) -> None:
    """Set an entry up and unload it 20 times; the median must stay under 50 ms."""
    durations: list[float] = []
    for _ in range(RUNS):
        entry = bench_entry(simulator, USERNAME, API_KEY)
        entry.add_to_hass(hass)
        started = time.perf_counter()
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        durations.append(elapsed_since(started))
        assert entry.state is ConfigEntryState.LOADED
        assert await hass.config_entries.async_remove(entry.entry_id)
        await hass.async_block_till_done()

    result = median(durations)
    report.add(
        f"Setup of a config entry, no latency (median of {RUNS})",
        f"{ms(result)} (min {ms(min(durations))}, max {ms(max(durations))}, "
        "the first includes importing the platforms)",
        "< 50 ms",
        met=result < TARGET,
    )
    print(f"setup: {[round(d * 1000, 1) for d in durations]} ms")
