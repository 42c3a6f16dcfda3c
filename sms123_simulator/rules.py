"""Validation rules of the 123-SMS gateway, read from API.md on their own."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
STOP_MENTION = "stop sms au 36177"
OVERSEAS_PREFIXES = ("262", "269", "508", "590", "594", "596", "681", "687", "689")

_NATIONAL = re.compile(r"0[1-9]\d{8}")
_INTERNATIONAL = re.compile(r"[1-9]\d{9,14}")
_DIFF = re.compile(r"(\d{12})(s?)")
_BIRTHDAY = re.compile(r"\d{6}")
_SENDER_ID = re.compile(r"[A-Za-z0-9 ]{1,11}")
_LETTER = re.compile(r"[A-Za-z]")

_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
_GSM7_SINGLE, _GSM7_MULTI = 160, 153
_UCS2_SINGLE, _UCS2_MULTI = 70, 67
PLAIN_SMS_MAX_CHARS = 160


@dataclass(frozen=True, kw_only=True)
class Schedule:
    """A parsed `diff` value: Paris wall time, and whether it asks a deletion."""

    at: datetime
    cancel: bool


def split_numbers(numero: str) -> list[str]:
    """Split a `numero` value holding several numbers joined by `-`."""
    return numero.split("-")


def is_valid_number(number: str) -> bool:
    """Tell whether a number is national French or international without `+`."""
    return bool(_NATIONAL.fullmatch(number) or _INTERNATIONAL.fullmatch(number))


def is_overseas(number: str) -> bool:
    """Tell whether an international number goes to a French overseas territory."""
    return not number.startswith("0") and number.startswith(OVERSEAS_PREFIXES)


def parse_schedule(diff: str) -> Schedule | None:
    """Parse `HHMMDDMMYYYY` (optionally followed by `s`); None when malformed."""
    match = _DIFF.fullmatch(diff)
    if match is None:
        return None
    digits = match.group(1)
    try:
        at = datetime(
            year=int(digits[8:12]),
            month=int(digits[6:8]),
            day=int(digits[4:6]),
            hour=int(digits[0:2]),
            minute=int(digits[2:4]),
            tzinfo=PARIS,
        )
    except ValueError:
        return None
    return Schedule(at=at, cancel=match.group(2) == "s")


def is_valid_birthday(datea: str) -> bool:
    """Tell whether a birthday is a real date written `DDMMYY`."""
    if not _BIRTHDAY.fullmatch(datea):
        return False
    try:
        datetime.strptime(datea, "%d%m%y")  # noqa: DTZ007 - a date, no time zone
    except ValueError:
        return False
    return True


def is_valid_sender_id(sender_id: str) -> bool:
    """Tell whether a sender ID has 1-11 letters/digits/spaces, one letter at least."""
    return bool(_SENDER_ID.fullmatch(sender_id) and _LETTER.search(sender_id))


def has_stop_mention(message: str) -> bool:
    """Tell whether a message ends with the opt-out mention the gateway demands."""
    return message.rstrip().lower().endswith(STOP_MENTION)


def count_parts(message: str) -> int:
    """Count the SMS parts a message is billed as (GSM-7 or UCS-2 encoding)."""
    if all(char in _GSM7_BASIC or char in _GSM7_EXTENSION for char in message):
        units = sum(2 if char in _GSM7_EXTENSION else 1 for char in message)
        single, multi = _GSM7_SINGLE, _GSM7_MULTI
    else:
        units = len(message.encode("utf-16-le")) // 2
        single, multi = _UCS2_SINGLE, _UCS2_MULTI
    if units <= single:
        return 1
    return math.ceil(units / multi)
