"""An HTTP client for the simulator and a fixed clock, for the simulator's tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal
from xml.etree import ElementTree as ET

if TYPE_CHECKING:
    import aiohttp

    from sms123_simulator import Simulator

type BodyFormat = Literal["json", "xml"]
type Spelling = Literal["email", "user"]
START = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)  # 12:00 in Paris


class FixedClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, now: datetime) -> None:
        """Stand at `now`."""
        self.now = now

    def __call__(self) -> datetime:
        """Tell the current (fixed) time."""
        return self.now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward."""
        self.now += delta


@dataclass(frozen=True)
class Reply:
    """What the simulator answered over HTTP."""

    status: int
    content_type: str
    charset: str | None
    body: bytes

    @property
    def text(self) -> str:
        """Tell the body as text, without surrounding whitespace."""
        return self.body.decode().strip()


def encode_xml(params: dict[str, str]) -> bytes:
    """Encode parameters as the API's `<sms>` document."""
    root = ET.Element("sms")
    for name, value in params.items():
        ET.SubElement(root, name).text = value
    return b'<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(root)


class Gateway:
    """A small HTTP client for the simulator, with the demo account's credentials."""

    def __init__(self, session: aiohttp.ClientSession, simulator: Simulator) -> None:
        """Talk to `simulator` through `session`."""
        self.session = session
        self.simulator = simulator
        account = next(iter(simulator.accounts.values()))
        self.username = account.username
        self.api_key = account.api_key

    def credentials(self, spelling: Spelling = "email") -> dict[str, str]:
        """Tell the demo account's credentials in one of the two spellings."""
        if spelling == "email":
            return {"email": self.username, "pass": self.api_key}
        return {"user": self.username, "cleAPI": self.api_key}

    async def call(
        self,
        path: str,
        params: dict[str, str] | None = None,
        *,
        body_format: BodyFormat = "json",
        spelling: Spelling = "email",
    ) -> str:
        """POST parameters (credentials added) and tell the answered code."""
        document = self.credentials(spelling) | (params or {})
        if body_format == "json":
            body, content_type = json.dumps(document).encode(), "application/json"
        else:
            body, content_type = encode_xml(document), "application/xml"
        reply = await self.raw(path, body=body, content_type=content_type)
        return reply.text

    async def raw(
        self,
        path: str,
        *,
        method: str = "POST",
        body: bytes | None = None,
        content_type: str | None = None,
    ) -> Reply:
        """Send one request exactly as described and tell the raw reply."""
        headers = {} if content_type is None else {"Content-Type": content_type}
        async with self.session.request(
            method,
            f"{self.simulator.url}{path}",
            data=body,
            headers=headers,
        ) as response:
            return Reply(
                status=response.status,
                content_type=response.content_type,
                charset=response.charset,
                body=await response.read(),
            )
