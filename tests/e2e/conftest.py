"""Fixtures of the end-to-end test: the simulator and a real Home Assistant process."""

from __future__ import annotations

import shutil
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
from harness import (
    HassApi,
    HassProcess,
    Login,
    add_account,
    add_recipient,
    free_port,
    wait_until,
    write_config,
)

from sms123_simulator import Simulator

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable

    from _pytest.terminal import TerminalReporter

    from sms123_simulator import Account

USERNAME = "demo@example.com"
API_KEY = "sk-e2e-0123456789abcdef"
OWNER = Login(name="Owner", username="owner", password="e2e-owner-pw")  # noqa: S106 - test user
RECIPIENT = "Alice"
RECIPIENT_NUMBER = "+33 6 12 34 56 78"
RECIPIENT_CANONICAL = "33612345678"
START_BALANCE = 100.0
ARTIFACTS = Path(__file__).parent / ".artifacts"
ENTITY_WAIT = 30.0
TIMINGS: dict[str, float] = {}


@dataclass(kw_only=True)
class Demo:
    """Everything a test needs: the processes, the API and the integration's ids."""

    hass: HassProcess
    api: HassApi
    simulator: Simulator
    account: Account
    entry_id: str
    subentry_id: str
    device_id: str
    ha_version: tuple[int, int]
    entities: dict[str, str] = field(default_factory=dict)

    def entity(self, key: str) -> str:
        """Return the entity id of the integration's entity with this unique-id key."""
        return self.entities[f"{USERNAME.casefold()}_{key}"]

    @property
    def notify_entity(self) -> str:
        """Return the entity id of the recipient's notify entity."""
        return self.entity(self.subentry_id)

    async def state(self, key: str) -> dict[str, Any]:
        """Return the state object of the integration's entity `key`."""
        return await self.api.state(self.entity(key))

    async def send_sms(self, **fields: object) -> tuple[int, Any]:
        """Call sms123.send_sms on the account and ask for its answer."""
        return await self.api.call(
            "sms123",
            "send_sms",
            {"config_entry_id": self.entry_id, **fields},
            return_response=True,
        )

    async def start_hass(self) -> None:
        """Start Home Assistant on the same port and config; wait until RUNNING.

        RUNNING does not wait for the gateway: the integration sets up offline.
        """
        await self.hass.start(self.api.session)
        await self.api.wait_running()

    async def restart_hass(self) -> None:
        """Stop Home Assistant and start it again on the same port and config."""
        await self.hass.stop()
        await self.start_hass()

    async def entry_states(self) -> list[str]:
        """Return the state of each config entry of the integration (REST)."""
        entries = await self.api.request(
            "GET", "/api/config/config_entries/entry?domain=sms123"
        )
        return [entry["state"] for entry in entries]


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    """Report how long Home Assistant took to start."""
    if TIMINGS:
        terminalreporter.write_sep("-", "timings")
        for what, seconds in TIMINGS.items():
            terminalreporter.write_line(f"{what}: {seconds:.1f} s")


@pytest.fixture(scope="session")
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """Give one HTTP session for the whole run."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture(scope="session")
async def simulator() -> AsyncIterator[Simulator]:
    """Run the 123-SMS simulator in this process, on a free port."""
    async with running_simulator() as sim:
        yield sim


@asynccontextmanager
async def running_simulator() -> AsyncIterator[Simulator]:
    """Run a simulator with the USERNAME account, on a free port."""
    sim = Simulator()
    sim.add_account(USERNAME, API_KEY, balance=START_BALANCE)
    await sim.start("127.0.0.1", 0)
    try:
        yield sim
    finally:
        await sim.stop()


@pytest.fixture(scope="session")
async def demo(
    session: aiohttp.ClientSession, simulator: Simulator
) -> AsyncIterator[Demo]:
    """Start hass, onboard it and add the account and a recipient over HTTP."""
    async with running_demo(session, simulator, "config") as started:
        yield started


@asynccontextmanager
async def running_demo(
    session: aiohttp.ClientSession,
    simulator: Simulator,
    name: str,
    *,
    prepare: Callable[[Path], None] | None = None,
) -> AsyncIterator[Demo]:
    """Run a hass of its own in ARTIFACTS/`name`, onboarded, with account and recipient.

    The simulator must have the USERNAME account and be running. `prepare`, if
    given, gets the config dir once the configuration is written, before start.
    """
    config_dir = ARTIFACTS / name
    shutil.rmtree(config_dir, ignore_errors=True)
    hass = HassProcess(config_dir, free_port())
    write_config(config_dir, hass.port)
    if prepare is not None:
        prepare(config_dir)
    try:
        started = time.monotonic()
        await hass.start(session)
        api = HassApi(session, hass.url)
        await api.onboard(OWNER)
        await api.wait_running()
        await api.keep_http_config()
        TIMINGS[f"{name}: first start and onboarding (process to RUNNING)"] = (
            time.monotonic() - started
        )
        entry = await add_account(
            api, username=USERNAME, api_key=API_KEY, gateway_url=simulator.url
        )
        await add_recipient(api, entry["entry_id"], RECIPIENT, [RECIPIENT_NUMBER])
        subentries = await api.ws(
            "config_entries/subentries/list", entry_id=entry["entry_id"]
        )
        subentry_id = subentries[0]["subentry_id"]
        notify_unique_id = f"{USERNAME.casefold()}_{subentry_id}"
        entities = await wait_until(
            lambda: _entities_with(api, notify_unique_id),
            within=ENTITY_WAIT,
            what="the recipient's notify entity",
        )
        yield Demo(
            hass=hass,
            api=api,
            simulator=simulator,
            account=simulator.accounts[USERNAME],
            entry_id=entry["entry_id"],
            subentry_id=subentry_id,
            device_id=await api.device_id(USERNAME.casefold()),
            ha_version=await api.version(),
            entities=entities,
        )
    finally:
        await hass.stop()
        TIMINGS.update(
            {
                f"{name}: hass start #{n + 1} (HTTP up)": s
                for n, s in enumerate(hass.start_seconds)
            }
        )


async def _entities_with(api: HassApi, unique_id: str) -> dict[str, str] | None:
    """Return the integration's entities once `unique_id` is among them."""
    entities = await api.entity_ids_by_unique_id()
    return entities if unique_id in entities else None
