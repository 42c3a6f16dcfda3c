"""Answer parsing: the code (or balance) in a plain-text, JSON or XML body."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape as xml_escape

from .exceptions import Sms123UnexpectedAnswerError

if TYPE_CHECKING:
    from collections.abc import Iterable

BODY_PREVIEW_BYTES = 64
REDACTED = b"<redacted>"

_CODE = r"-?[0-9]{1,6}|E[0-9]{1,6}"
_NUMBER = r"-?[0-9]{1,12}(?:[.,][0-9]{1,6})?"
_VALUE = re.compile(rf"(?:{_NUMBER}|{_CODE})")
# A code may be followed by a reference, e.g. for delivery receipts.
_PLAIN = re.compile(
    rf"(?P<value>{_NUMBER}|{_CODE})(?:[\s;:|]+(?P<reference>\S(?:.*\S)?))?", re.DOTALL
)
_CODE_PATTERN = re.compile(_CODE)
_BALANCE_PATTERN = re.compile(_NUMBER)
_VALUE_KEYS = (
    *("code", "codes", "result", "resultat", "retour", "status"),
    *("solde", "balance", "credits", "credit"),
)
_REFERENCE_KEYS = ("reference", "ref", "id", "message_id")
_MAX_TEXT = 65536


@dataclass(frozen=True, kw_only=True, slots=True)
class Answer:
    """The value found in an answer (a code or a balance) and its reference."""

    value: str
    reference: str | None = None

    @property
    def is_code(self) -> bool:
        """Whether the value is written as a return code."""
        return _CODE_PATTERN.fullmatch(self.value) is not None

    @property
    def balance(self) -> float | None:
        """The value read as a decimal number (`.` or `,`), if it is one."""
        if not _BALANCE_PATTERN.fullmatch(self.value):
            return None
        return float(self.value.replace(",", "."))


def _spellings(secret: str) -> list[bytes]:
    """Return the ways a secret can be written in an answer body, longest first."""
    forms = {
        secret,
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        xml_escape(secret, {'"': "&quot;", "'": "&apos;"}),
        quote(secret, safe=""),
        quote_plus(secret, safe=""),
    }
    return sorted(
        (form.encode("utf-8", "replace") for form in forms), key=len, reverse=True
    )


def body_preview(body: bytes, secrets: Iterable[str] = ()) -> str:
    """Return the first bytes of `body` for an error message, secrets removed.

    A secret is also removed where the answer escapes it (JSON, XML, URL).
    """
    for secret in secrets:
        if secret:
            for form in _spellings(secret):
                body = body.replace(form, REDACTED)
    return repr(body[:BODY_PREVIEW_BYTES])


def unexpected_answer(
    body: bytes, secrets: Iterable[str] = (), *, status: int | None = None
) -> Sms123UnexpectedAnswerError:
    """Build the error for an answer the client does not understand."""
    where = f" (HTTP {status})" if status is not None else ""
    return Sms123UnexpectedAnswerError(
        f"The gateway answered something unexpected{where}: "
        f"{body_preview(body, secrets)}"
    )


def _scalar(value: object) -> str | None:
    """Return a JSON value as text if it is a string or a number."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value).strip()


def _from_json(text: str) -> Answer | None:
    """Read the code from a JSON object, or a JSON number or string."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(document, dict):
        value = _scalar(document)
        return Answer(value=value) if value is not None else None
    lowered = {str(key).lower(): item for key, item in document.items()}
    value = next(
        (
            found
            for key in _VALUE_KEYS
            if (found := _scalar(lowered.get(key))) is not None
        ),
        None,
    )
    if value is None:
        return None
    reference = next(
        (found for key in _REFERENCE_KEYS if (found := _scalar(lowered.get(key)))),
        None,
    )
    return Answer(value=value, reference=reference)


def _from_xml(text: str) -> Answer | None:
    """Read the code from an XML document: a known element, or the root's text."""
    # Answers never declare a DTD; refusing one rules out entity-expansion attacks.
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        return None
    try:
        root = ET.fromstring(text)  # noqa: S314 - DTDs are refused above
    except (ET.ParseError, ValueError, RecursionError):
        return None
    elements = {element.tag.lower(): element for element in root.iter()}
    value = next(
        ((elements[key].text or "").strip() for key in _VALUE_KEYS if key in elements),
        (root.text or "").strip() if len(root) == 0 else None,
    )
    if not value:
        return None
    reference = next(
        (
            text
            for key in _REFERENCE_KEYS
            if key in elements and (text := (elements[key].text or "").strip())
        ),
        None,
    )
    return Answer(value=value, reference=reference)


def _from_plain(text: str) -> Answer | None:
    """Read a plain-text code, with or without a reference after it."""
    match = _PLAIN.fullmatch(text)
    if match is None:
        return None
    return Answer(value=match["value"], reference=match["reference"])


def parse_answer(body: bytes, secrets: Iterable[str] = ()) -> Answer:
    """Find the code or balance in an answer body, whatever its wrapping."""
    try:
        text = body.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        text = ""
    answer: Answer | None = None
    if 0 < len(text) <= _MAX_TEXT:
        if text[0] in '{["':
            answer = _from_json(text)
        elif text[0] == "<":
            answer = _from_xml(text)
        else:
            answer = _from_plain(text)
    if answer is None or not _VALUE.fullmatch(answer.value):
        raise unexpected_answer(body, secrets)
    return answer
