"""How the simulator reads requests (JSON, XML, methods, paths) and writes answers."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from simulator_client import encode_xml

from sms123_simulator import AnswerStyle, FaultKind

if TYPE_CHECKING:
    from simulator_client import Gateway

    from sms123_simulator import Simulator

SEND = "/api/send/"
BALANCE = "/api/solde/"


def credentials(gateway: Gateway) -> dict[str, str]:
    """Tell the demo credentials, `email`/`pass` spelling."""
    return gateway.credentials("email")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"email": "demo@example.com"', "application/json"),
        (b'["demo@example.com"]', "application/json"),
        (b'{"email": {"nested": true}}', "application/json"),
        (b"\xff\xfe{}", "application/json"),
        (b"<sms><email>demo@example.com</email>", "application/xml"),
        (b"<request><email>demo@example.com</email></request>", "application/xml"),
        (b"<sms><email><a>b</a></email></sms>", "application/xml"),
        (b'{"email": "demo@example.com"}', "application/x-www-form-urlencoded"),
        (b'{"email": "demo@example.com"}', "text/plain"),
        (b'{"email": "demo@example.com"}', None),
    ],
)
@pytest.mark.parametrize("path", [SEND, BALANCE, "/api/group/add/"])
async def test_bad_body_or_content_type_is_a_format_error(
    gateway: Gateway, path: str, body: bytes, content_type: str | None
) -> None:
    reply = await gateway.raw(path, body=body, content_type=content_type)

    assert (reply.status, reply.text) == (200, "-1")


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
@pytest.mark.parametrize("path", [SEND, BALANCE, "/api/contact/del/"])
async def test_other_methods_are_a_format_error(
    gateway: Gateway, simulator: Simulator, method: str, path: str
) -> None:
    body = json.dumps(credentials(gateway)).encode()

    reply = await gateway.raw(
        path, method=method, body=body, content_type="application/json"
    )

    assert (reply.status, reply.text) == (200, "-1")
    assert simulator.requests[-1].method == method


@pytest.mark.parametrize("path", ["/api/solde", "/api/solde/"])
async def test_paths_work_with_or_without_trailing_slash(
    gateway: Gateway, path: str
) -> None:
    assert await gateway.call(path) == "100"


@pytest.mark.parametrize("path", ["/", "/api/", "/api/sold/", "/http.php"])
async def test_unknown_path_is_not_found(gateway: Gateway, path: str) -> None:
    body = json.dumps(credentials(gateway)).encode()

    reply = await gateway.raw(path, body=body, content_type="application/json")

    assert reply.status == 404


async def test_json_values_are_read_as_text(
    gateway: Gateway, simulator: Simulator
) -> None:
    body = credentials(gateway) | {"numero": 33601020304, "message": True, "test": None}

    reply = await gateway.raw(
        SEND, body=json.dumps(body).encode(), content_type="application/json"
    )

    assert reply.text == "80"
    assert simulator.messages[0].number == "33601020304"
    assert simulator.messages[0].message == "true"
    assert simulator.requests[0].params["test"] == ""


async def test_json_charset_parameter_is_accepted(gateway: Gateway) -> None:
    body = json.dumps(credentials(gateway)).encode()

    reply = await gateway.raw(
        BALANCE, body=body, content_type="application/json; charset=utf-8"
    )

    assert reply.text == "100"


@pytest.mark.parametrize("content_type", ["application/xml", "text/xml"])
async def test_xml_text_is_stripped_and_unescaped(
    gateway: Gateway, simulator: Simulator, content_type: str
) -> None:
    params = credentials(gateway) | {
        "numero": "\n  0601020304  ",
        "message": "Tom & Jerry <3 → café",
    }

    reply = await gateway.raw(SEND, body=encode_xml(params), content_type=content_type)

    assert reply.text == "80"
    assert simulator.messages[0].number == "0601020304"
    assert simulator.messages[0].message == "Tom & Jerry <3 → café"


async def test_empty_xml_element_is_an_empty_value(gateway: Gateway) -> None:
    body = b"<sms><email>demo@example.com</email><pass/></sms>"

    reply = await gateway.raw(BALANCE, body=body, content_type="application/xml")

    assert reply.text == "E502"


XML_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>'


@pytest.mark.parametrize(
    ("style", "code_body", "balance_body", "content_type"),
    [
        (AnswerStyle.PLAIN, b"80\n", b"99\n", "text/plain"),
        (AnswerStyle.JSON, b'{"code": "80"}', b'{"solde": "99"}', "application/json"),
        (
            AnswerStyle.XML,
            XML_HEAD + b"<response><code>80</code></response>",
            XML_HEAD + b"<response><solde>99</solde></response>",
            "application/xml",
        ),
    ],
)
async def test_answer_styles(  # noqa: PLR0913 - one parameter per style detail
    gateway: Gateway,
    simulator: Simulator,
    style: AnswerStyle,
    code_body: bytes,
    balance_body: bytes,
    content_type: str,
) -> None:
    simulator.answer_style = style
    send_params = credentials(gateway) | {"numero": "0601020304", "message": "Hi"}

    sent = await gateway.raw(
        SEND, body=json.dumps(send_params).encode(), content_type="application/json"
    )
    balance = await gateway.raw(
        BALANCE,
        body=json.dumps(credentials(gateway)).encode(),
        content_type="application/json",
    )

    assert (sent.status, sent.content_type, sent.body) == (200, content_type, code_body)
    assert (balance.content_type, balance.body) == (content_type, balance_body)
    assert (sent.charset, balance.charset) == ("utf-8", "utf-8")


async def test_error_codes_use_the_answer_style_too(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.answer_style = AnswerStyle.JSON

    reply = await gateway.raw(BALANCE, body=b"{}", content_type="application/json")

    assert json.loads(reply.body) == {"code": "E501"}


async def test_every_api_request_is_recorded(
    gateway: Gateway, simulator: Simulator
) -> None:
    simulator.inject(FaultKind.HTTP_503)
    await gateway.call(BALANCE)
    await gateway.call("/api/send", {"numero": "0601020304", "message": "Hi"})
    await gateway.raw(BALANCE, body=b"nope", content_type="text/plain")

    records = [
        (record.path, record.method, record.code, record.fault)
        for record in simulator.requests
    ]
    assert records == [
        (BALANCE, "POST", None, FaultKind.HTTP_503),
        ("/api/send", "POST", "80", None),
        (BALANCE, "POST", "-1", None),
    ]
    assert simulator.requests[1].params["numero"] == "0601020304"
    assert simulator.requests[1].content_type == "application/json"
    assert simulator.requests[2].params == {}
