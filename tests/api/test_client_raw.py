"""Tests for the client's requests and answer handling, with a scripted gateway."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

import aiohttp
import pytest

from custom_components.sms123.api import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    ApiResult,
    BalanceCode,
    CodeKind,
    Contact,
    ContactCode,
    DataFormat,
    GroupCode,
    SendCode,
    Sms123ApiError,
    Sms123AuthenticationError,
    Sms123Client,
    Sms123ConnectionError,
    Sms123Error,
    Sms123HttpError,
    Sms123InvalidRequestError,
    Sms123UnexpectedAnswerError,
)

if TYPE_CHECKING:
    from custom_components.sms123.api import ApiCode

    from .conftest import RawGateway

Call = Callable[[Sms123Client], Awaitable[ApiResult]]

CALLS: dict[str, tuple[type[ApiCode], Call]] = {
    "send": (SendCode, lambda client: client.send_sms("0601020304", "Hi")),
    "cancel": (
        SendCode,
        lambda client: client.cancel_scheduled_sms(
            "0601020304", "Hi", datetime(2030, 1, 1, tzinfo=UTC)
        ),
    ),
    "add_group": (GroupCode, lambda client: client.add_group("G")),
    "rename_group": (GroupCode, lambda client: client.rename_group("G", "H")),
    "delete_group": (GroupCode, lambda client: client.delete_group("G")),
    "add_contact": (
        ContactCode,
        lambda client: client.add_contact(Contact(phone="0601020304", groups=("G",))),
    ),
    "update_contact": (
        ContactCode,
        lambda client: client.update_contact(
            "G", "0601020304", Contact(phone="0601020305")
        ),
    ),
    "delete_contact": (ContactCode, lambda client: client.delete_contact("0601020304")),
}
AUTHENTICATION = {"82", "87", "88", "E501", "E502", "E505", "501", "502", "505"}
INVALID = {"-1", "84", "85", "89", "90", "97", "102"}
INVALID |= {"506", "508", "510", "513", "515", "517"}


# Kinds of code a method returns; it raises on every other kind.
RETURNED = {CodeKind.SUCCESS, CodeKind.INFO}


def _raised(value: str) -> type[Sms123Error]:
    """Return the exception a code that is not returned must raise."""
    if value in AUTHENTICATION:
        return Sms123AuthenticationError
    if value in INVALID:
        return Sms123InvalidRequestError
    return Sms123ApiError


CASES = [
    (name, member.value, member.kind)
    for name, (family, _) in CALLS.items()
    for member in family
]
RETURNING = [(name, value, kind) for name, value, kind in CASES if kind in RETURNED]
RAISING = [
    (name, value, _raised(value)) for name, value, kind in CASES if kind not in RETURNED
]


@pytest.mark.parametrize(("name", "value", "kind"), RETURNING)
async def test_every_returned_code_of_every_method(
    raw_client: Sms123Client,
    raw_gateway: RawGateway,
    name: str,
    value: str,
    kind: CodeKind,
) -> None:
    raw_gateway.body = f"{value}\n".encode()
    result = await CALLS[name][1](raw_client)
    assert result.code.value == value
    assert result.code.success is (kind is CodeKind.SUCCESS)


@pytest.mark.parametrize(("name", "value", "error_type"), RAISING)
async def test_every_refused_code_of_every_method(
    raw_client: Sms123Client,
    raw_gateway: RawGateway,
    name: str,
    value: str,
    error_type: type[Sms123Error],
) -> None:
    raw_gateway.body = f"{value}\n".encode()
    with pytest.raises(error_type, match=f"code {value}") as caught:
        await CALLS[name][1](raw_client)
    assert type(caught.value) is error_type
    assert caught.value.code is not None
    assert caught.value.code.value == value
    assert caught.value.transient is (value == "-2")


@pytest.mark.parametrize("name", list(CALLS))
async def test_unknown_code_raises(
    raw_client: Sms123Client, raw_gateway: RawGateway, name: str
) -> None:
    raw_gateway.body = b"777"
    with pytest.raises(Sms123ApiError, match="unknown code: 777") as caught:
        await CALLS[name][1](raw_client)
    assert caught.value.code is not None
    assert caught.value.code.known is False


@pytest.mark.parametrize(
    ("value", "error_type"),
    [
        ("-1", Sms123InvalidRequestError),
        ("-2", Sms123ApiError),
        ("-3", Sms123ApiError),
        ("E501", Sms123AuthenticationError),
        ("E502", Sms123AuthenticationError),
        ("E505", Sms123AuthenticationError),
        ("E999", Sms123ApiError),
    ],
)
async def test_balance_codes(
    raw_client: Sms123Client,
    raw_gateway: RawGateway,
    value: str,
    error_type: type[Sms123Error],
) -> None:
    raw_gateway.body = value.encode()
    with pytest.raises(error_type) as caught:
        await raw_client.get_balance()
    assert type(caught.value) is error_type
    assert caught.value.code is not None
    assert caught.value.code.value == value
    assert caught.value.code.known is (value != "E999")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"100", 100.0),
        (b"  97.5\r\n", 97.5),
        (b"97,5", 97.5),
        (b"\xef\xbb\xbf12", 12.0),
        (b"0", 0.0),
        (b"501", 501.0),
        (b'{"solde": "3,25"}', 3.25),
        (b'{"solde": 3.25}', 3.25),
        (b"<response><solde>7.5</solde></response>", 7.5),
    ],
)
async def test_balance_answers(
    raw_client: Sms123Client, raw_gateway: RawGateway, body: bytes, expected: float
) -> None:
    raw_gateway.body = body
    assert (await raw_client.get_balance()).credits == expected


@pytest.mark.parametrize(
    ("body", "value", "reference"),
    [
        (b"80", "80", None),
        (b"\n 80 \n", "80", None),
        (b"\xef\xbb\xbf80\r\n", "80", None),
        (b"80 4f2a-91", "80", "4f2a-91"),
        (b"80:12345", "80", "12345"),
        (b"80\n12345\n", "80", "12345"),
        (b'{"code": "80"}', "80", None),
        (b'{"code": 80, "reference": "abc"}', "80", "abc"),
        (b'"92"', "92", None),
        (
            b'<?xml version="1.0"?><response><code>81</code></response>',
            "81",
            None,
        ),
        (b"<response><code>80</code><ref>r-1</ref></response>", "80", "r-1"),
        (b"<code>94</code>", "94", None),
    ],
)
async def test_send_answers(
    raw_client: Sms123Client,
    raw_gateway: RawGateway,
    body: bytes,
    value: str,
    reference: str | None,
) -> None:
    raw_gateway.body = body
    result = await raw_client.send_sms("0601020304", "Hi")
    assert (result.code.value, result.reference) == (value, reference)


@pytest.mark.parametrize(
    "body",
    [
        b"97.5",
        b"OK",
        b"<html><body>Error</body></html>",
        b"",
        b"80abc",
        b"\xff\xfe\x00",
    ],
)
async def test_send_unexpected_answers(
    raw_client: Sms123Client, raw_gateway: RawGateway, body: bytes
) -> None:
    raw_gateway.body = body
    with pytest.raises(Sms123UnexpectedAnswerError, match="unexpected") as caught:
        await raw_client.send_sms("0601020304", "Hi")
    assert repr(body[:64]) in str(caught.value)
    assert caught.value.code is None


@pytest.mark.parametrize(
    ("status", "error_type", "message"),
    [
        (400, Sms123HttpError, r"answered HTTP 400: b'Bad things'"),
        (404, Sms123HttpError, r"answered HTTP 404: b'Bad things'"),
        (301, Sms123HttpError, r"answered HTTP 301"),
        (500, Sms123ConnectionError, "unavailable: HTTP 500"),
        (504, Sms123ConnectionError, "unavailable: HTTP 504"),
    ],
)
async def test_http_status(
    raw_client: Sms123Client,
    raw_gateway: RawGateway,
    status: int,
    error_type: type[Sms123Error],
    message: str,
) -> None:
    raw_gateway.status = status
    raw_gateway.body = b"Bad things"
    with pytest.raises(error_type, match=message) as caught:
        await raw_client.get_balance()
    assert type(caught.value) is error_type


async def test_echoed_credentials_are_redacted(
    raw_client: Sms123Client, raw_gateway: RawGateway
) -> None:
    raw_gateway.echo = True
    raw_gateway.body = b"error: "
    with pytest.raises(Sms123UnexpectedAnswerError) as caught:
        await raw_client.get_balance()
    text = str(caught.value)
    assert "<redact" in text
    assert "sk-secret-key" not in text
    assert "demo@example.com" not in text


async def test_request_shape_json(
    raw_gateway: RawGateway, session: aiohttp.ClientSession
) -> None:
    client = Sms123Client(
        "demo@example.com", "sk-secret-key", session=session, base_url=raw_gateway.url
    )
    await client.send_sms("0601020304", "Bonjour é€ 😀", flash=True, test=True)
    [request] = raw_gateway.requests
    assert (request.method, request.path, request.query) == ("POST", "/api/send/", "")
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Accept"] == "application/json"
    assert json.loads(request.body) == {
        "email": "demo@example.com",
        "pass": "sk-secret-key",
        "numero": "33601020304",
        "message": "Bonjour é€ 😀",
        "flash": "o",
        "test": "o",
    }


async def test_request_shape_xml(
    raw_gateway: RawGateway, session: aiohttp.ClientSession
) -> None:
    client = Sms123Client(
        "demo@example.com",
        "sk-secret-key",
        session=session,
        base_url=raw_gateway.url,
        data_format=DataFormat.XML,
    )
    raw_gateway.body = b"514"
    await client.rename_group("Old <&>", "New \"'")
    [request] = raw_gateway.requests
    assert request.path == "/api/group/upd/"
    assert request.headers["Content-Type"] == "application/xml"
    assert request.headers["Accept"] == "application/xml"
    assert request.body.startswith(b'<?xml version="1.0" encoding="UTF-8"?><sms>')
    root = ET.fromstring(request.body)  # noqa: S314 - our own request body
    assert root.tag == "sms"
    assert {child.tag: child.text for child in root} == {
        "email": "demo@example.com",
        "pass": "sk-secret-key",
        "groupe": "Old <&>",
        "groupe_upd": "New \"'",
    }


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("send", "/api/send/"),
        ("cancel", "/api/send/"),
        ("add_group", "/api/group/add/"),
        ("rename_group", "/api/group/upd/"),
        ("delete_group", "/api/group/del/"),
        ("add_contact", "/api/contact/add/"),
        ("update_contact", "/api/contact/upd/"),
        ("delete_contact", "/api/contact/del/"),
    ],
)
async def test_endpoint_paths(
    raw_client: Sms123Client, raw_gateway: RawGateway, name: str, path: str
) -> None:
    raw_gateway.body = b"-2"
    with pytest.raises(Sms123ApiError):
        await CALLS[name][1](raw_client)
    assert raw_gateway.requests[0].path == path


async def test_cancel_sends_diff_with_suffix(
    raw_client: Sms123Client, raw_gateway: RawGateway
) -> None:
    raw_gateway.body = b"94"
    await raw_client.cancel_scheduled_sms(
        "0601020304", "Hi", datetime(2018, 9, 12, 13, 30, tzinfo=UTC)
    )
    assert b"153012092018s" in raw_gateway.requests[0].body


async def test_control_characters_refused_in_xml(
    raw_gateway: RawGateway, session: aiohttp.ClientSession
) -> None:
    client = Sms123Client(
        "u", "k", session=session, base_url=raw_gateway.url, data_format=DataFormat.XML
    )
    with pytest.raises(Sms123InvalidRequestError, match="control characters"):
        await client.send_sms("0601020304", "bell \x07")
    assert raw_gateway.requests == []


async def test_defaults() -> None:
    assert DEFAULT_BASE_URL == "https://www.123-sms.net"
    assert DEFAULT_TIMEOUT == 10.0
    assert BalanceCode.EMPTY_USER.value == "E501"


@pytest.mark.parametrize("base_url", ["www.123-sms.net", "ftp://127.0.0.1/"])
async def test_bad_base_url_is_a_connection_error(
    session: aiohttp.ClientSession, base_url: str
) -> None:
    client = Sms123Client("u", "k", session=session, base_url=base_url)
    with pytest.raises(Sms123ConnectionError, match="Cannot reach the gateway"):
        await client.get_balance()


class _RecordingSession:
    """Stand in for a session: record how `post` is called, then fail to connect."""

    def __init__(self) -> None:
        """Start with no call recorded."""
        self.calls: list[tuple[str, dict[str, object]]] = []

    def post(self, url: str, **kwargs: object) -> object:
        """Record the call; the connection then fails."""
        self.calls.append((url, kwargs))
        raise aiohttp.ClientConnectionError


async def test_tls_is_verified_and_credentials_stay_out_of_the_url() -> None:
    session = _RecordingSession()
    client = Sms123Client(
        "demo@example.com",
        "sk-secret-key",
        session=session,  # type: ignore[arg-type]
    )
    with pytest.raises(Sms123ConnectionError):
        await client.get_balance()
    [(url, kwargs)] = session.calls
    assert url == "https://www.123-sms.net/api/solde/"
    assert kwargs["ssl"] is True
    assert kwargs["allow_redirects"] is False
    assert b"sk-secret-key" in kwargs["data"]  # type: ignore[operator]
