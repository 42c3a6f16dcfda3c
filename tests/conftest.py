"""Root fixtures shared by every test: the 123-SMS simulator and its demo account."""

from collections.abc import AsyncGenerator

import pytest

from sms123_simulator import Simulator

# The integration helpers assert too (snapshots): give their failures a diff.
pytest.register_assert_rewrite("tests.integration.helpers")

USERNAME = "demo@example.com"
API_KEY = "sk-test-0123456789abcdef"


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncGenerator[Simulator]:
    """Serve a simulator with the demo account (balance 100) on a free local port."""
    sim = Simulator()
    sim.add_account(USERNAME, API_KEY, balance=100)
    await sim.start(host="127.0.0.1", port=0)
    yield sim
    await sim.stop()
