"""Fixtures for the simulator's own tests: an HTTP client for it and a fixed clock."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp
import pytest
from simulator_client import START, FixedClock, Gateway

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator

    from sms123_simulator import Simulator


@pytest.fixture
async def gateway(simulator: Simulator) -> AsyncGenerator[Gateway]:
    """Give an HTTP client for the simulator fixture."""
    async with aiohttp.ClientSession() as session:
        yield Gateway(session, simulator)


@pytest.fixture
def clock(simulator: Simulator) -> FixedClock:
    """Give the simulator a clock fixed at 10 March 2026, 12:00 in Paris."""
    fixed = FixedClock(START)
    simulator.clock = fixed
    return fixed
