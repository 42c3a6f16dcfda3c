"""Date formats of the 123-SMS API: scheduled sends and birthdays."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from datetime import date, datetime

# Loaded at import time: reading the zone file later would block the event loop.
PARIS = ZoneInfo("Europe/Paris")
CANCEL_SUFFIX = "s"


def format_schedule(when: datetime, *, cancel: bool = False) -> str:
    """Return `diff` for `when`: Paris wall time `HHMMDDMMYYYY`, `s` to cancel."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("the scheduled time must be timezone-aware")
    text = when.astimezone(PARIS).strftime("%H%M%d%m%Y")
    return text + CANCEL_SUFFIX if cancel else text


def is_second_paris_occurrence(when: datetime) -> bool:
    """Whether `when` falls in the repeated autumn hour of Paris, the second time.

    The gateway reads Paris wall time, which cannot tell the two apart: it would
    send at the first one, an hour early.
    """
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("the scheduled time must be timezone-aware")
    local = when.astimezone(PARIS)
    return local.fold == 1 and local.utcoffset() != local.replace(fold=0).utcoffset()


def format_birthday(birthday: date) -> str:
    """Return a birthday as the API's `datea`, `DDMMYY`."""
    return birthday.strftime("%d%m%y")
