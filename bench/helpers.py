"""Shared pieces of the benchmarks: config entries, store writes and timing."""

from __future__ import annotations

import math
import statistics
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import orjson
from homeassistant.helpers import json as json_helper
from homeassistant.helpers.storage import Store

from custom_components.sms123.const import DOMAIN
from tests.entries import account_entry

if TYPE_CHECKING:
    from collections.abc import Iterator

    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from sms123_simulator import Simulator


def bench_entry(
    simulator: Simulator, username: str, api_key: str, **options: object
) -> MockConfigEntry:
    """Return a config entry for the bench account, served by the simulator.

    The spending guard is off: the benchmarks send thousands of SMS in minutes.
    """
    return account_entry(
        simulator,
        username=username,
        api_key=api_key,
        options={"daily_limit": 0, "recipient_hourly_limit": 0, **options},
    )


async def set_up(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add the entry and set it up; fail loudly if it does not load."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def numbers(count: int, *, start: int = 0) -> list[str]:
    """Return `count` distinct French mobile numbers in the canonical form."""
    return [f"336{index:08d}" for index in range(start, start + count)]


async def send_to_all(
    hass: HomeAssistant, entry_id: str, message: str, recipients: int
) -> float:
    """Send to `recipients` numbers by the action; check each was sent; time it."""
    started = time.perf_counter()
    response: Any = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {
            "config_entry_id": entry_id,
            "recipients": numbers(recipients),
            "message": message,
        },
        blocking=True,
        return_response=True,
    )
    duration = elapsed_since(started)
    statuses = [answer["status"] for answer in response["recipients"]]
    assert statuses == ["sent"] * recipients
    return duration


def elapsed_since(started: float) -> float:
    """Return the seconds since `started` (a perf_counter reading)."""
    return time.perf_counter() - started


def real_clock() -> float:
    """Return real seconds from an arbitrary origin, even while time is frozen.

    freezegun replaces `time.perf_counter` and `time.monotonic`, not this clock.
    """
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def ms(seconds: float) -> str:
    """Write a duration in milliseconds."""
    return f"{seconds * 1000:.1f} ms"


def median(values: list[float]) -> float:
    """Return the median of `values`."""
    return statistics.median(values)


def ideal_fan_out(recipients: int, bound: int, latency: float) -> float:
    """Return the ideal fan-out time: full waves of `bound` requests, each `latency`."""
    return math.ceil(recipients / bound) * latency


def store_bytes(data: dict[str, Any]) -> bytes:
    """Encode a store's data as Home Assistant writes it to its file.

    Newer releases call `prepare_save_json` (in the event loop); older ones call
    `save_json` in an executor thread, with the same orjson options.
    """
    prepare = getattr(json_helper, "prepare_save_json", None)
    if prepare is not None:
        _mode, encoded = prepare(data)
        return encoded if isinstance(encoded, bytes) else encoded.encode()
    return orjson.dumps(
        data,
        option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS,
        default=json_helper.json_encoder_default,
    )


@contextmanager
def disk_like_writes() -> Iterator[list[str]]:
    """Count store writes by key, serialising each like a real write does.

    The test harness would keep every write in memory (and its mock keeps each
    call's arguments, and decodes the JSON again), which is not what a real
    installation does.
    """
    keys: list[str] = []

    async def write(store: Store[Any], *args: Any) -> None:  # noqa: ANN401 - the signature differs by release
        """Serialise the data as Home Assistant does before writing the file."""
        # Older Home Assistant passes (path, data), newer (data).
        data: dict[str, Any] = args[-1]
        keys.append(store.key)
        if "data_func" in data:
            data["data"] = data.pop("data_func")()
        store_bytes(data)

    with patch.object(Store, "_async_write_data", write):
        yield keys
