"""Fixtures for the client tests: a session, clients, and a scripted raw gateway."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import aiohttp
import pytest
from aiohttp import web

from custom_components.sms123.api import DataFormat, Sms123Client

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator, Callable

    from sms123_simulator import Account, Simulator

TIMEOUT = 2.0


@dataclass(frozen=True, kw_only=True)
class ReceivedRequest:
    """What the raw gateway received."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


@dataclass(kw_only=True)
class RawGateway:
    """A gateway that answers whatever a test scripts, and records the requests."""

    url: str = ""
    status: int = 200
    body: bytes = b"80\n"
    echo: bool = False
    requests: list[ReceivedRequest] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        """Record the request and give the scripted answer."""
        body = await request.read()
        self.requests.append(
            ReceivedRequest(
                method=request.method,
                path=request.path,
                query=request.query_string,
                headers=dict(request.headers),
                body=body,
            )
        )
        answer = self.body + body if self.echo else self.body
        return web.Response(status=self.status, body=answer)


@pytest.fixture
def account(simulator: Simulator) -> Account:
    """Return the demo account the simulator serves."""
    return next(iter(simulator.accounts.values()))


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    """Open an aiohttp session for the test, closed afterwards."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture(params=list(DataFormat))
def data_format(request: pytest.FixtureRequest) -> DataFormat:
    """Return each body format in turn."""
    return DataFormat(request.param)


@pytest.fixture
def demo_client(
    simulator: Simulator, account: Account, session: aiohttp.ClientSession
) -> Callable[..., Sms123Client]:
    """Return a maker of clients of the simulator's demo account, given options."""

    def _make(**options: object) -> Sms123Client:
        """Build a client of the demo account with these options."""
        return Sms123Client(
            account.username,
            account.api_key,
            session=session,
            base_url=simulator.url,
            **options,  # type: ignore[arg-type]
        )

    return _make


@pytest.fixture
def client(
    demo_client: Callable[..., Sms123Client], data_format: DataFormat
) -> Sms123Client:
    """Return a client of the simulator's demo account, in each body format."""
    return demo_client(data_format=data_format, request_timeout=TIMEOUT)


@pytest.fixture
async def raw_gateway(socket_enabled: None) -> AsyncGenerator[RawGateway]:
    """Serve a scripted gateway on a free local port (sockets, like the simulator)."""
    gateway = RawGateway()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", gateway.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    gateway.url = f"http://127.0.0.1:{port}"
    yield gateway
    await runner.cleanup()


@pytest.fixture
def raw_client(raw_gateway: RawGateway, session: aiohttp.ClientSession) -> Sms123Client:
    """Return a JSON client of the scripted gateway (answers read the same in XML)."""
    return Sms123Client(
        "demo@example.com",
        "sk-secret-key",
        session=session,
        base_url=raw_gateway.url + "/",
        request_timeout=TIMEOUT,
    )
