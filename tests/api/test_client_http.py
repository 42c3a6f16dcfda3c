"""HTTP statuses that are worth a retry, and secrets kept out of error text."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus
from xml.sax.saxutils import escape

import pytest

from custom_components.sms123.api import (
    Sms123Client,
    Sms123ConnectionError,
    Sms123HttpError,
    Sms123UnexpectedAnswerError,
)

if TYPE_CHECKING:
    import aiohttp

    from tests.api.conftest import RawGateway

# A key with every character JSON, XML and URL encodings write differently.
AWKWARD_KEY = 'k"e/y\\&<1> +é%'


@pytest.mark.parametrize("status", [408, 425, 429, 500, 502, 503, 504])
async def test_statuses_worth_a_retry_are_transient(
    raw_client: Sms123Client, raw_gateway: RawGateway, status: int
) -> None:
    raw_gateway.status = status
    with pytest.raises(Sms123ConnectionError, match=f"HTTP {status}") as caught:
        await raw_client.send_sms("0601020304", "Hi")
    assert caught.value.transient is True


@pytest.mark.parametrize("status", [301, 302, 400, 401, 403, 404, 405, 410, 418])
async def test_other_statuses_fail_at_once_naming_the_status(
    raw_client: Sms123Client, raw_gateway: RawGateway, status: int
) -> None:
    raw_gateway.status = status
    raw_gateway.body = b"Nope"
    with pytest.raises(Sms123HttpError) as caught:
        await raw_client.send_sms("0601020304", "Hi")
    assert caught.value.transient is False
    assert caught.value.status == status
    assert f"HTTP {status}" in str(caught.value)


@pytest.mark.parametrize(
    "spelling",
    [
        AWKWARD_KEY,
        json.dumps(AWKWARD_KEY)[1:-1],
        json.dumps(AWKWARD_KEY, ensure_ascii=False)[1:-1],
        escape(AWKWARD_KEY, {'"': "&quot;", "'": "&apos;"}),
        quote(AWKWARD_KEY, safe=""),
        quote_plus(AWKWARD_KEY, safe=""),
    ],
    ids=["raw", "json", "json-utf8", "xml", "url", "url-plus"],
)
async def test_every_spelling_of_the_key_is_redacted(
    raw_gateway: RawGateway, session: aiohttp.ClientSession, spelling: str
) -> None:
    client = Sms123Client(
        "demo@example.com", AWKWARD_KEY, session=session, base_url=raw_gateway.url
    )
    raw_gateway.body = f"err {spelling}".encode()
    with pytest.raises(Sms123UnexpectedAnswerError) as caught:
        await client.get_balance()
    text = str(caught.value)
    assert "<redacted>" in text
    assert spelling.encode() not in text.encode()
    assert repr(spelling.encode())[2:-1] not in text


async def test_a_refused_connection_never_reached_the_gateway(
    socket_enabled: None, session: aiohttp.ClientSession, unused_tcp_port: int
) -> None:
    client = Sms123Client(
        "demo@example.com",
        "sk-secret-key",
        session=session,
        base_url=f"http://127.0.0.1:{unused_tcp_port}",
    )
    with pytest.raises(Sms123ConnectionError) as caught:
        await client.send_sms("0601020304", "Hi")
    assert (caught.value.transient, caught.value.reached) == (True, False)


@pytest.mark.parametrize(
    ("status", "reached"), [(429, False), (408, False), (500, True), (503, True)]
)
async def test_whether_a_failed_request_may_have_reached_the_gateway(
    raw_client: Sms123Client, raw_gateway: RawGateway, status: int, reached: bool
) -> None:
    raw_gateway.status = status
    with pytest.raises(Sms123ConnectionError) as caught:
        await raw_client.send_sms("0601020304", "Hi")
    assert caught.value.reached is reached
