"""Frozen models returned by the 123-SMS client."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from .codes import ApiCode


@dataclass(frozen=True, kw_only=True, slots=True)
class ApiResult:
    """The code the gateway answered, and the reference that followed it."""

    code: ApiCode
    reference: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class SendResult(ApiResult):
    """The answer to a send (or a cancellation) and the numbers it went to."""

    numbers: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Balance:
    """The SMS credits left on the account."""

    credits: float


@dataclass(frozen=True, kw_only=True, slots=True)
class Contact:
    """An address-book contact; `groups` are the group names it belongs to."""

    phone: str
    groups: tuple[str, ...] = ()
    last_name: str | None = None
    first_name: str | None = None
    company: str | None = None
    birthday: date | None = None
    var1: str | None = None
    var2: str | None = None
    var3: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class MessageParts:
    """How a message is billed: its alphabet, length in units, and SMS parts."""

    encoding: Encoding
    length: int
    parts: int


class Encoding(StrEnum):
    """The alphabet a message is sent in."""

    GSM7 = "gsm7"
    UCS2 = "ucs2"
