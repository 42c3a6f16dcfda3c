"""Request bodies in (JSON or XML) and answers out (plain text, JSON or XML)."""

from __future__ import annotations

import json
from enum import StrEnum
from xml.etree import ElementTree as ET

JSON_TYPES = frozenset({"application/json"})
XML_TYPES = frozenset({"application/xml", "text/xml"})


class AnswerStyle(StrEnum):
    """How the simulator wraps the code (or balance) it answers."""

    PLAIN = "plain"
    JSON = "json"
    XML = "xml"


class BodyError(ValueError):
    """The request body is not what the gateway accepts (answered -1)."""


def decode_body(content_type: str, body: bytes) -> dict[str, str]:
    """Decode a request body into flat string parameters, per its content type."""
    if content_type in JSON_TYPES:
        return _decode_json(body)
    if content_type in XML_TYPES:
        return _decode_xml(body)
    raise BodyError(f"unsupported content type {content_type!r}")


def _decode_json(body: bytes) -> dict[str, str]:
    """Decode one flat JSON object whose values are strings, numbers or booleans."""
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise BodyError("body is not JSON") from err
    if not isinstance(document, dict):
        raise BodyError("JSON body is not an object")
    params: dict[str, str] = {}
    for name, value in document.items():
        if isinstance(value, bool):
            params[name] = "true" if value else "false"
        elif isinstance(value, str | int | float):
            params[name] = str(value)
        elif value is None:
            params[name] = ""
        else:
            raise BodyError(f"JSON value of {name!r} is not flat")
    return params


def _decode_xml(body: bytes) -> dict[str, str]:
    """Decode an `<sms>` document with one child element per parameter."""
    try:
        # The body comes from tests and the demo on a loopback port, not the internet.
        root = ET.fromstring(body)  # noqa: S314
    except ET.ParseError as err:
        raise BodyError("body is not XML") from err
    if root.tag != "sms":
        raise BodyError("XML root is not <sms>")
    params: dict[str, str] = {}
    for child in root:
        if len(child):
            raise BodyError(f"XML element {child.tag!r} is not flat")
        params[child.tag] = (child.text or "").strip()
    return params


def render_answer(style: AnswerStyle, field: str, value: str) -> tuple[bytes, str]:
    """Render a code (field `code`) or balance (field `solde`) in the answer style."""
    if style is AnswerStyle.JSON:
        return json.dumps({field: value}).encode(), "application/json"
    if style is AnswerStyle.XML:
        root = ET.Element("response")
        ET.SubElement(root, field).text = value
        document = b'<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(root)
        return document, "application/xml"
    return f"{value}\n".encode(), "text/plain"
