"""Message text rules: SMS part counting, splitting and sender ID checks."""

from __future__ import annotations

import math
import re
from functools import lru_cache

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
# The most SMS one message may take, split or sent long: a bigger one is a mistake
# (a template gone wrong) that would empty a prepaid account.
MAX_PARTS = 10

_SENDER_ID_PATTERN = re.compile(r"[A-Za-z0-9 ]+")


def _parts(length: int, single: int, multi: int) -> int:
    """Return how many SMS a text of `length` units takes."""
    if length <= single:
        return 1 if length else 0
    return math.ceil(length / multi)


# The send path counts one text several times (checks, limits, outbox, usage); an
# action to many numbers sends one text to all of them.
@lru_cache(maxsize=256)
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


def fits_one_sms(text: str, reserve: int = 0) -> bool:
    """Whether `text` fits one SMS with `reserve` units left free."""
    parts = count_parts(text)
    limit = GSM7_SINGLE_PART if parts.encoding is Encoding.GSM7 else UCS2_SINGLE_PART
    return parts.length + reserve <= limit


def split_message(text: str, *, reserve: int = 0) -> list[str]:
    """Cut `text` into SMS that each fit one part, numbered "(1/3) ".

    Each part keeps `reserve` units free (room for a suffix added later). The
    work is linear in the length of the text.
    """
    if fits_one_sms(text, reserve):
        return [text]
    width = 1
    while True:
        widest = f"({'9' * width}/{'9' * width}) "
        chunks = _chunks(text, len(widest) + reserve)
        if len(chunks) < 10**width:
            total = len(chunks)
            return [
                f"({index}/{total}) {chunk}" for index, chunk in enumerate(chunks, 1)
            ]
        width += 1


def _chunks(text: str, taken: int) -> list[str]:
    """Cut `text` into pieces that each fit one SMS with `taken` ASCII units used."""
    chunks: list[str] = []
    start, end = 0, len(text)
    while start < end:
        cut = _fit(text, start, taken)
        if cut < end and (space := text.rfind(" ", start, cut + 1)) > start:
            cut = space
        if chunk := text[start:cut].strip():
            chunks.append(chunk)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    return chunks


def _fit(text: str, start: int, taken: int) -> int:
    """Return where the longest piece of `text` from `start` that fits one SMS ends.

    `taken` units (the numbering prefix and any reserve, ASCII) are used already.
    """
    septets = units = taken
    gsm7 = True
    index = start
    for index in range(start, len(text)):
        char = text[index]
        units += 2 if ord(char) > 0xFFFF else 1  # noqa: PLR2004 - outside the BMP
        if gsm7 and char in _GSM7_BASIC:
            septets += 1
        elif gsm7 and char in _GSM7_EXTENSION:
            septets += 2
        else:
            gsm7 = False
        fits = septets <= GSM7_SINGLE_PART if gsm7 else units <= UCS2_SINGLE_PART
        if not fits:
            return max(index, start + 1)
    return len(text)
