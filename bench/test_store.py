"""Benchmark: what one write of the outbox costs at 1000 and 5000 pending messages.

The outbox's store builds the data (`OutboxLedger.snapshot`) in the event loop
and lets Home Assistant encode it as JSON in the thread that writes the file:
both are timed, the target is on the part in the loop.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.exceptions import HomeAssistantError

from bench.helpers import (
    bench_entry,
    disk_like_writes,
    median,
    ms,
    numbers,
    set_up,
    store_bytes,
)
from bench.report import API_KEY, USERNAME, Report
from custom_components.sms123.const import DOMAIN
from custom_components.sms123.outbox import (
    HORIZON,
    STORAGE_VERSION,
    OutboxSettings,
)
from custom_components.sms123.outbox.ledger import OutboxLedger
from custom_components.sms123.sending import SendOptions, build_messages

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.sms123.outbox import Outbox
    from sms123_simulator import Simulator

RECIPIENTS = 100
CAPACITY = OutboxSettings().capacity
SIZES = (1000, CAPACITY)
RUNS = 20
CHECK_RUNS = 5
# A full SMS: 160 GSM-7 characters.
MESSAGE = (
    "Water leak in the kitchen: the valve under the sink was closed and the pump "
    "started. Check the floor and the cellar before you turn the water back on. OK"
)
# At the cap a write may hold the loop for this long: writes come once per action
# and at most once a second after that (the delayed write), never per message.
CAP_TARGET = 0.050
# At 1000 messages (a day of alerts queued in an outage) it should stay as short
# as the longest callback of a fan-out.
TYPICAL_TARGET = 0.010
TARGETS = {1000: TYPICAL_TARGET, CAPACITY: CAP_TARGET}


async def queue(
    hass: HomeAssistant, entry: MockConfigEntry, outbox: Outbox, until: int
) -> None:
    """Queue messages 100 at a time until `until` are pending."""
    while outbox.pending < until:
        start = outbox.pending
        response: Any = await hass.services.async_call(
            DOMAIN,
            "send_sms",
            {
                "config_entry_id": entry.entry_id,
                "recipients": numbers(RECIPIENTS, start=start),
                "message": MESSAGE,
            },
            blocking=True,
            return_response=True,
        )
        assert {answer["status"] for answer in response["recipients"]} == {"queued"}


def write_data(ledger: OutboxLedger, key: str) -> dict[str, Any]:
    """Return what the store hands to its encoder: the envelope and the snapshot."""
    return {
        "version": STORAGE_VERSION,
        "minor_version": 1,
        "key": key,
        "data": ledger.snapshot(),
    }


def measure(ledger: OutboxLedger, key: str) -> tuple[float, float, float, int]:
    """Time snapshot, encoding and both (medians of RUNS); return them and the size."""
    snapshots: list[float] = []
    encodings: list[float] = []
    totals: list[float] = []
    size = 0
    for _ in range(RUNS):
        started = time.perf_counter()
        data = write_data(ledger, key)
        built = time.perf_counter()
        encoded = store_bytes(data)
        done = time.perf_counter()
        snapshots.append(built - started)
        encodings.append(done - built)
        totals.append(done - started)
        size = len(encoded)
    return median(snapshots), median(encodings), median(totals), size


def time_checks(entry: MockConfigEntry, outbox: Outbox) -> float:
    """Time building the messages of one more action (its repeat checks included)."""
    recipients = numbers(RECIPIENTS, start=outbox.pending)
    durations: list[float] = []
    for _ in range(CHECK_RUNS):
        started = time.perf_counter()
        build_messages(
            entry.runtime_data.options,
            recipients,
            MESSAGE,
            SendOptions(),
            outbox.is_repeat,
        )
        durations.append(time.perf_counter() - started)
    return median(durations)


async def test_store_write(
    hass: HomeAssistant, simulator: Simulator, report: Report
) -> None:
    """Fill the outbox to 1000 and to its cap, and time one write at each."""
    entry = bench_entry(simulator, USERNAME, API_KEY)
    await set_up(hass, entry)
    outbox = entry.runtime_data.outbox
    key = f"{DOMAIN}.outbox.{entry.entry_id}"
    await simulator.stop()
    figures: dict[int, tuple[float, float, float, int]] = {}
    checks = 0.0
    with disk_like_writes():
        for size in SIZES:
            if size == CAPACITY:
                await queue(hass, entry, outbox, CAPACITY - RECIPIENTS)
                checks = time_checks(entry, outbox)
            await queue(hass, entry, outbox, size)
            assert outbox.pending == size
            # The outbox's own records, read through a ledger of the same class.
            ledger = OutboxLedger(hass, key, HORIZON)
            ledger.items = {item.id: item for item in outbox.pending_items()}
            figures[size] = measure(ledger, key)
        with pytest.raises(HomeAssistantError):
            await queue(hass, entry, outbox, CAPACITY + 1)
        assert outbox.pending == CAPACITY
        assert await hass.config_entries.async_unload(entry.entry_id)

    for size, (snapshot, encoding, total, length) in figures.items():
        target = TARGETS[size]
        report.add(
            f"Store write at {size} pending messages: `snapshot()`, in the event "
            f"loop (median of {RUNS}); the JSON encoding runs in a worker thread",
            f"{ms(snapshot)} in the loop (+ {ms(encoding)} of encoding in the "
            f"thread, {ms(total)} in all); {length / 1e6:.2f} MB, "
            f"{length / size:.0f} B per message",
            f"< {ms(target)}",
            met=snapshot < target,
        )
    report.add(
        f"Send path at {CAPACITY - RECIPIENTS} pending messages: building the "
        f"messages of one action to {RECIPIENTS} new numbers (`build_messages`, "
        f"each repeat check included; median of {CHECK_RUNS})",
        ms(checks),
    )
    report.notes.append(
        "Store write: messages of 160 characters queued through the action with "
        "the simulator stopped (each after one failed try), then the ledger's "
        "snapshot (built in the event loop, by the outbox's store, so that no "
        "thread reads the outbox while the loop changes it) and `prepare_save_json`"
        " (orjson, indented; the outbox's store asks Home Assistant to run it in "
        "the worker thread that writes the file, where the release allows it, and "
        "2025.4 always does). The targets, for the part in the loop: "
        f"{ms(TYPICAL_TARGET)} at 1000 (no longer than the longest callback of a "
        f"fan-out) and {ms(CAP_TARGET)} at the cap of {CAPACITY}, where one write "
        "happens per action and at most one a second after that."
    )
    print(f"store: {figures}")
