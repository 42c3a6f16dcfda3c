"""Tests for request body encoding."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

from custom_components.sms123.api import DataFormat, Sms123InvalidRequestError
from custom_components.sms123.api.body import encode_body

HOSTILE = [
    "</message><pass>stolen</pass><message>",
    "a < b && c > d",
    "\"double\" and 'single' quotes",
    "&amp; is already escaped",
    "<![CDATA[x]]>",
    "accents éèàç, euro €, emoji 😀🚨, CJK 漢字",
    "line one\r\nline two\rline three\n",
    "tab\tinside",
    "]]>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_xml_round_trip(text: str) -> None:
    body = encode_body({"email": "a@b.c", "message": text}, DataFormat.XML)
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?><sms><email>')
    root = ET.fromstring(body)  # noqa: S314 - our own document
    assert root.tag == "sms"
    assert [child.tag for child in root] == ["email", "message"]
    assert root.find("message").text == text  # type: ignore[union-attr]


@pytest.mark.parametrize("text", HOSTILE)
def test_json_round_trip(text: str) -> None:
    body = encode_body({"message": text}, DataFormat.JSON)
    assert json.loads(body.decode("utf-8")) == {"message": text}


def test_xml_escapes_markup_and_quotes() -> None:
    body = encode_body({"message": '<a href="x">&\''}, DataFormat.XML)
    assert b"<message>&lt;a href=&quot;x&quot;&gt;&amp;&apos;</message>" in body


def test_non_ascii_is_utf8() -> None:
    assert "€".encode() in encode_body({"message": "€"}, DataFormat.XML)
    assert "€".encode() in encode_body({"message": "€"}, DataFormat.JSON)


@pytest.mark.parametrize("data_format", list(DataFormat))
def test_unpaired_surrogate_is_refused(data_format: DataFormat) -> None:
    with pytest.raises(Sms123InvalidRequestError, match="cannot be sent"):
        encode_body({"message": "broken \ud83d"}, data_format)


@pytest.mark.parametrize("text", ["nul \x00", "bell \x07", "escape \x1b", "\ufffe"])
def test_xml_refuses_control_characters(text: str) -> None:
    with pytest.raises(Sms123InvalidRequestError, match="control characters"):
        encode_body({"message": text}, DataFormat.XML)
