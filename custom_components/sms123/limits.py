"""The spending guard: SMS per account per local day, and per number per hour."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from homeassistant.util import dt as dt_util

from .api import count_parts
from .outbox import Reason

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .options import AccountOptions
    from .outbox import Outbox, OutgoingSms


class Limit(StrEnum):
    """A limit a message can pass; the value is its reason code."""

    DAILY = "daily_limit"
    RECIPIENT = "recipient_limit"


@dataclass(frozen=True, kw_only=True, slots=True)
class LimitRefusal:
    """A message not sent because it would pass a limit."""

    sms: OutgoingSms
    limit: Limit
    value: int

    @property
    def reason(self) -> Reason:
        """Name the limit: its reason code, and in plain words."""
        if self.limit is Limit.DAILY:
            text = f"the daily limit of {self.value} SMS is reached"
        else:
            text = f"the limit of {self.value} SMS an hour to this number is reached"
        return Reason(self.limit.value, text)


def used_today(outbox: Outbox) -> int:
    """Return the SMS parts of today: sent (local day), and waiting to be sent."""
    return outbox.usage.sent_on(dt_util.now().date()) + outbox.pending_parts()


def daily_limit_reached(options: AccountOptions, outbox: Outbox) -> bool:
    """Whether today's SMS have reached the daily limit (never, without a limit)."""
    return bool(options.daily_limit) and used_today(outbox) >= options.daily_limit


def apply_limits(
    options: AccountOptions,
    outbox: Outbox,
    messages: Sequence[OutgoingSms],
    *,
    ignore: bool,
) -> tuple[list[OutgoingSms], list[LimitRefusal]]:
    """Split the messages into those within the limits and those that pass one.

    The parts of one message to one number go, or are refused, together. Test
    sends count toward no limit, and `ignore` lets an alarm through whatever.
    """
    if ignore:
        return list(messages), []
    sent_last_hour = outbox.usage.sent_last_hour(dt_util.utcnow())
    daily = used_today(outbox)
    by_number: dict[str, list[OutgoingSms]] = {}
    for sms in messages:
        by_number.setdefault(sms.number, []).append(sms)
    refused: dict[str, Limit] = {}
    for number, group in by_number.items():
        if all(sms.test for sms in group):
            continue
        parts = sum(count_parts(sms.message).parts for sms in group)
        hourly = sent_last_hour(number) + outbox.pending_parts(number)
        if _passes(options.recipient_hourly_limit, hourly + parts):
            refused[number] = Limit.RECIPIENT
        elif _passes(options.daily_limit, daily + parts):
            refused[number] = Limit.DAILY
        else:
            daily += parts
    values = {
        Limit.DAILY: options.daily_limit,
        Limit.RECIPIENT: options.recipient_hourly_limit,
    }
    return [sms for sms in messages if sms.number not in refused], [
        LimitRefusal(sms=sms, limit=limit, value=values[limit])
        for sms in messages
        if (limit := refused.get(sms.number)) is not None
    ]


def _passes(limit: int, count: int) -> bool:
    """Whether `count` SMS pass `limit` (0: no limit)."""
    return bool(limit) and count > limit
