"""Fixtures for the simulator's own tests: an HTTP client for it and a fixed clock."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp
import pytest
from simulator_client import START, BodyFormat, FixedClock, Gateway, Spelling

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


@pytest.fixture(params=["json", "xml"])
def body_format(request: pytest.FixtureRequest) -> BodyFormat:
    """Run the test with each request body format."""
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(params=["email", "user"])
def spelling(request: pytest.FixtureRequest) -> Spelling:
    """Run the test with each spelling of the credentials."""
    return request.param  # type: ignore[no-any-return]
