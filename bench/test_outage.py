"""Benchmark: a 24-hour outage with 1000 pending messages, in frozen time.

The gateway resets every connection; the outbox's breaker should keep the cost
to about one request a minute once the first tries are over, until the horizon
(23 h 50 min) ends the messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from bench.helpers import bench_entry, numbers, real_clock, set_up
from bench.report import API_KEY, USERNAME, Report
from custom_components.sms123.const import DOMAIN
from custom_components.sms123.outbox import HORIZON, DeliveryStatus
from sms123_simulator import FaultKind

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

    from custom_components.sms123.outbox import DeliveryResult
    from sms123_simulator import Simulator

ACTIONS = 10
RECIPIENTS = 100
MESSAGES = ACTIONS * RECIPIENTS
OUTAGE = timedelta(hours=24)
STEP = timedelta(minutes=1)
# The first tries of the 1000 messages, and the first probes, come before this.
WARM_UP = timedelta(minutes=10)
RATE_TARGET = 1.0
SEND_PATH = "/api/send"
BALANCE_PATH = "/api/solde"


@dataclass(kw_only=True, slots=True)
class Tally:
    """The requests the gateway received, counted at each step of the clock."""

    start: datetime
    # (time at the end of the step, requests received so far), one per step.
    steps: list[tuple[datetime, int]] = field(default_factory=list)

    def per_step(self, since: timedelta) -> list[int]:
        """Return the requests received in each step that ends after `since`."""
        counts: list[int] = []
        previous = 0
        for at, seen in self.steps:
            if at - self.start > since:
                counts.append(seen - previous)
            previous = seen
        return counts


def count_paths(simulator: Simulator) -> dict[str, int]:
    """Count the requests the gateway received, by endpoint."""
    counts = {SEND_PATH: 0, BALANCE_PATH: 0}
    for record in simulator.requests:
        path = record.path.rstrip("/")
        counts[path] = counts.get(path, 0) + 1
    return counts


async def test_outage_of_a_day(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    report: Report,
) -> None:
    """1000 messages queued while the gateway is down, then 24 h of frozen time."""
    entry = bench_entry(simulator, USERNAME, API_KEY)
    await set_up(hass, entry)
    outbox = entry.runtime_data.outbox
    finals: list[DeliveryResult] = []
    entry.async_on_unload(outbox.async_add_result_listener(finals.append))
    simulator.reset_logs()
    simulator.set_outage(FaultKind.RESET)

    started = real_clock()
    start = dt_util.utcnow()
    for action in range(ACTIONS):
        response: Any = await hass.services.async_call(
            DOMAIN,
            "send_sms",
            {
                "config_entry_id": entry.entry_id,
                "recipients": numbers(RECIPIENTS, start=action * RECIPIENTS),
                "message": "Freezer alarm: the gateway is down",
            },
            blocking=True,
            return_response=True,
        )
        assert {answer["status"] for answer in response["recipients"]} == {"queued"}
    assert outbox.pending == MESSAGES
    first_tries = len(simulator.requests)

    tally = Tally(start=start)
    pending_at_horizon = 0
    steps = int(OUTAGE / STEP)
    for _ in range(steps):
        # Let what runs finish before moving the clock: a request in flight would
        # see its timeout pass at once.
        await hass.async_block_till_done(wait_background_tasks=True)
        freezer.tick(STEP)
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
        tally.steps.append((dt_util.utcnow(), len(simulator.requests)))
        if dt_util.utcnow() - start < HORIZON:
            pending_at_horizon = outbox.pending
    wall = real_clock() - started

    assert outbox.pending == 0
    assert len(finals) == MESSAGES
    assert {result.status for result in finals} == {DeliveryStatus.FAILED}
    assert not simulator.messages
    paths = count_paths(simulator)
    total = len(simulator.requests)
    after_warm_up = tally.per_step(WARM_UP)
    warm_up = total - sum(after_warm_up)
    minutes = len(after_warm_up) * STEP / timedelta(minutes=1)
    rate = sum(after_warm_up) / minutes
    busiest = max(after_warm_up)
    busiest_ten = max(
        sum(after_warm_up[index : index + 10]) for index in range(len(after_warm_up))
    )
    report.add(
        f"Outage of 24 h (frozen time, 1-minute steps), {MESSAGES} pending messages: "
        "requests to the gateway",
        f"{total} in all: {paths[SEND_PATH]} sends, {paths[BALANCE_PATH]} balance "
        f"reads; {warm_up} in the first 10 minutes, {first_tries} of them the "
        "first tries while queuing; "
        f"{pending_at_horizon} still pending just before the horizon, "
        f"0 after ({len(finals)} failed)",
    )
    report.add(
        "Outage of 24 h: requests a minute after the first 10 minutes",
        f"{rate:.2f} a minute ({sum(after_warm_up)} in {minutes:.0f} min; busiest "
        f"minute {busiest}, busiest 10 minutes {busiest_ten}; {wall:.1f} s of "
        "wall time)",
        f"≤ {RATE_TARGET:g} a minute",
        met=rate <= RATE_TARGET,
    )
    report.notes.append(
        "Outage: the simulator resets every connection; the clock is frozen and moved "
        "a minute at a time (waiting for every task before each move), so the "
        "probes, the balance polls and the horizon run as they would in a day. "
        "Every request the simulator received is counted, sends and balance reads."
    )
    print(f"outage: {total} requests {paths}, {first_tries} first tries, {wall:.1f} s")
    print(f"outage: per minute after warm-up, first 30: {after_warm_up[:30]}")
