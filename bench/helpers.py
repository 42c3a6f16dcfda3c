"""Shared pieces of the benchmarks: config entries and timing."""

from __future__ import annotations

import math
import statistics
import time
from typing import TYPE_CHECKING

from tests.entries import account_entry

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from sms123_simulator import Simulator


def bench_entry(
    simulator: Simulator, username: str, api_key: str, **options: object
) -> MockConfigEntry:
    """Return a config entry for the bench account, served by the simulator."""
    return account_entry(
        simulator, username=username, api_key=api_key, options=dict(options)
    )


async def set_up(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add the entry and set it up; fail loudly if it does not load."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def numbers(count: int, *, start: int = 0) -> list[str]:
    """Return `count` distinct French mobile numbers in the canonical form."""
    return [f"336{index:08d}" for index in range(start, start + count)]


def elapsed_since(started: float) -> float:
    """Return the seconds since `started` (a perf_counter reading)."""
    return time.perf_counter() - started


def ms(seconds: float) -> str:
    """Write a duration in milliseconds."""
    return f"{seconds * 1000:.1f} ms"


def median(values: list[float]) -> float:
    """Return the median of `values`."""
    return statistics.median(values)


def ideal_fan_out(recipients: int, bound: int, latency: float) -> float:
    """Return the ideal fan-out time: full waves of `bound` requests, each `latency`."""
    return math.ceil(recipients / bound) * latency
