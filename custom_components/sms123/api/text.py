"""Message text rules: SMS part counting, splitting and sender ID checks."""

from __future__ import annotations

import math
import re

from .exceptions import InvalidSenderIdError
from .models import Encoding, MessageParts

# The GSM 03.38 default alphabet, without the escape character that opens the
# extension table (it is never typed by a user).
_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension-table characters are sent as escape + character: two septets each.
_GSM7_EXTENSION = frozenset("^{}\\[]~|€\f")

GSM7_SINGLE_PART = 160
GSM7_MULTI_PART = 153
UCS2_SINGLE_PART = 70
UCS2_MULTI_PART = 67
SENDER_ID_MAX_LENGTH = 11

_SENDER_ID_PATTERN = re.compile(r"[A-Za-z0-9 ]+")


def _parts(length: int, single: int, multi: int) -> int:
    """Return how many SMS a text of `length` units takes."""
    if length <= single:
        return 1 if length else 0
    return math.ceil(length / multi)


def count_parts(message: str) -> MessageParts:
    """Count the SMS parts of `message` the way the network bills it.

    An empty message is 0 parts: there is nothing to send.
    """
    septets = 0
    for char in message:
        if char in _GSM7_BASIC:
            septets += 1
        elif char in _GSM7_EXTENSION:
            septets += 2
        else:
            units = len(message.encode("utf-16-le", "surrogatepass")) // 2
            return MessageParts(
                encoding=Encoding.UCS2,
                length=units,
                parts=_parts(units, UCS2_SINGLE_PART, UCS2_MULTI_PART),
            )
    return MessageParts(
        encoding=Encoding.GSM7,
        length=septets,
        parts=_parts(septets, GSM7_SINGLE_PART, GSM7_MULTI_PART),
    )


def validate_sender_id(value: str) -> str:
    """Return the sender ID stripped, or raise if the gateway would refuse it."""
    sender_id = value.strip()
    if not sender_id:
        raise InvalidSenderIdError(value, "empty")
    if len(sender_id) > SENDER_ID_MAX_LENGTH:
        raise InvalidSenderIdError(value, "too_long")
    if not _SENDER_ID_PATTERN.fullmatch(sender_id) or not any(
        char.isalpha() for char in sender_id
    ):
        raise InvalidSenderIdError(value, "characters")
    return sender_id


def split_message(text: str) -> list[str]:
    """Cut `text` into SMS that each fit one part, numbered "(1/3) "."""
    if count_parts(text).parts <= 1:
        return [text]
    width = 1
    while True:
        chunks = _chunks(text, f"({'9' * width}/{'9' * width}) ")
        if len(chunks) < 10**width:
            total = len(chunks)
            return [
                f"({index}/{total}) {chunk}" for index, chunk in enumerate(chunks, 1)
            ]
        width += 1


def _chunks(text: str, widest_prefix: str) -> list[str]:
    """Cut `text` into pieces that fit one SMS after `widest_prefix`."""
    chunks: list[str] = []
    rest = text
    while rest:
        cut = _longest_fit(rest, widest_prefix)
        if cut < len(rest) and (space := rest.rfind(" ", 0, cut + 1)) > 0:
            cut = space
        chunks.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    return chunks


def _longest_fit(text: str, prefix: str) -> int:
    """Return the longest start of `text` that fits one SMS after `prefix`."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if count_parts(prefix + text[:middle]).parts <= 1:
            low = middle
        else:
            high = middle - 1
    return low
