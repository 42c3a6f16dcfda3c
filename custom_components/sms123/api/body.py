"""Request body encoding: the JSON object or the XML document the API reads."""

from __future__ import annotations

import json
import re
from enum import StrEnum
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from .exceptions import Sms123InvalidRequestError

if TYPE_CHECKING:
    from collections.abc import Mapping


class DataFormat(StrEnum):
    """How request bodies are encoded."""

    JSON = "json"
    XML = "xml"


CONTENT_TYPES = {
    DataFormat.JSON: "application/json",
    DataFormat.XML: "application/xml",
}

_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
# Quotes are escaped too so that no reader can mistake text for markup; a carriage
# return is written as a reference, or XML parsers would turn it into a line feed.
_XML_ENTITIES = {'"': "&quot;", "'": "&apos;", "\r": "&#13;"}
# Characters XML 1.0 cannot carry at all, not even as references.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _encode_json(params: Mapping[str, str]) -> bytes:
    """Encode the parameters as one flat JSON object."""
    return json.dumps(dict(params), ensure_ascii=False).encode("utf-8", "strict")


def _encode_xml(params: Mapping[str, str]) -> bytes:
    """Encode the parameters as children of an `<sms>` root element."""
    for value in params.values():
        if _XML_FORBIDDEN.search(value):
            raise Sms123InvalidRequestError(
                "The text cannot be sent: it holds control characters XML cannot carry"
            )
    elements = "".join(
        f"<{name}>{escape(value, _XML_ENTITIES)}</{name}>"
        for name, value in params.items()
    )
    return f"{_XML_DECLARATION}<sms>{elements}</sms>".encode()


def encode_body(params: Mapping[str, str], data_format: DataFormat) -> bytes:
    """Encode the request parameters in `data_format`."""
    try:
        if data_format is DataFormat.XML:
            return _encode_xml(params)
        return _encode_json(params)
    except UnicodeEncodeError as err:
        raise Sms123InvalidRequestError(
            "The text cannot be sent: it holds an unpaired surrogate character"
        ) from err
