"""Benchmark: 1000 messages queued in the outbox while the gateway is unreachable."""

from __future__ import annotations

import asyncio
import gc
import time
import tracemalloc
from typing import TYPE_CHECKING, Any

from bench.helpers import (
    bench_entry,
    disk_like_writes,
    elapsed_since,
    numbers,
    set_up,
)
from bench.report import API_KEY, USERNAME, Report
from custom_components.sms123.const import DOMAIN
from custom_components.sms123.outbox import SAVE_DELAY

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from sms123_simulator import Simulator

ACTIONS = 10
RECIPIENTS = 100
MESSAGES = ACTIONS * RECIPIENTS
BYTES_TARGET = 2048
TRACE_DEPTH = 1
OUTBOX_STORE = f"{DOMAIN}.outbox."


def outbox_writes(keys: list[str]) -> int:
    """Count the writes of an outbox store."""
    return sum(key.startswith(OUTBOX_STORE) for key in keys)


async def enqueue(hass: HomeAssistant, entry: MockConfigEntry, first: int) -> None:
    """Run the ten actions; each must answer `queued` for every recipient."""
    for action in range(ACTIONS):
        response: Any = await hass.services.async_call(
            DOMAIN,
            "send_sms",
            {
                "config_entry_id": entry.entry_id,
                "recipients": numbers(RECIPIENTS, start=first + action * RECIPIENTS),
                "message": "Queued while the gateway is down",
            },
            blocking=True,
            return_response=True,
        )
        assert {answer["status"] for answer in response["recipients"]} == {"queued"}


async def settle(hass: HomeAssistant) -> None:
    """Wait (really) until the outbox's delayed write is due, and let it run."""
    await hass.async_block_till_done()
    await asyncio.sleep(SAVE_DELAY + 0.2)
    await hass.async_block_till_done()


async def test_outbox_enqueue(
    hass: HomeAssistant, simulator: Simulator, report: Report
) -> None:
    """Ten actions of 100 recipients each, gateway down: writes, time, memory."""
    timed = bench_entry(simulator, USERNAME, API_KEY)
    await set_up(hass, timed)
    await simulator.stop()
    with disk_like_writes() as writes:
        started = time.perf_counter()
        await enqueue(hass, timed, 0)
        wall = elapsed_since(started)
        during_actions = outbox_writes(writes)
        await settle(hass)
        total_writes = outbox_writes(writes)
        assert timed.runtime_data.outbox.pending == MESSAGES
        assert await hass.config_entries.async_remove(timed.entry_id)

        await simulator.start()
        traced = bench_entry(simulator, USERNAME, API_KEY)
        await set_up(hass, traced)
        await simulator.stop()
        gc.collect()
        tracemalloc.start(TRACE_DEPTH)
        before = tracemalloc.take_snapshot()
        await enqueue(hass, traced, MESSAGES)
        await settle(hass)
        gc.collect()
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
        assert traced.runtime_data.outbox.pending == MESSAGES
        assert await hass.config_entries.async_unload(traced.entry_id)

    growth = after.compare_to(before, "lineno")
    per_message = sum(stat.size_diff for stat in growth) / MESSAGES
    report.add(
        f"Outbox: store writes for {ACTIONS} actions of {RECIPIENTS} recipients "
        "(gateway unreachable)",
        f"{during_actions} while the actions ran, {total_writes} in all "
        f"({total_writes / ACTIONS:.1f} per action; the last one is the delayed "
        "retry bookkeeping, folded into one write)",
        "≤ 1 per action",
        met=during_actions <= ACTIONS,
    )
    report.add(
        f"Outbox: wall time to queue {MESSAGES} messages ({ACTIONS} actions, "
        "each waiting for its first try)",
        f"{wall:.2f} s ({wall / MESSAGES * 1000:.2f} ms per message)",
    )
    report.add(
        "Outbox: memory per pending message (tracemalloc)",
        f"{per_message:,.0f} B",
        "< 2 KB",
        met=per_message < BYTES_TARGET,
    )
    report.notes.append(
        "Outbox: the simulator is stopped (connection refused), so every message "
        "stays queued. Memory is the tracemalloc growth once the 1000 messages are "
        "pending; store writes are serialised as Home Assistant does, but not kept "
        "in memory as the test harness would."
    )
    print(f"outbox: {total_writes} writes, wall {wall:.3f} s; largest growth:")
    for stat in growth[:10]:
        print(f"  {stat}")
