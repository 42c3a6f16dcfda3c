"""Cancels of scheduled sends: in the outbox, or at the gateway."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import uuid4

from .models import DeliveryResult, DeliveryStatus, OutgoingSms, Reason, ScheduledSend

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import datetime

    from .attempts import Attempts
    from .ledger import OutboxLedger
    from .models import OutboxItem

REASON_CANCELED_LOCALLY = Reason(
    "canceled", "removed from the outbox before it was sent"
)
REASON_IN_FLIGHT = Reason("in_flight", "the message is being sent right now")
REASON_UNKNOWN_ID = Reason("unknown_id", "no pending scheduled send has this id")


@dataclass(frozen=True, slots=True)
class Cancels:
    """Cancel scheduled sends by id, or by number, text and time.

    It works on the outbox's ledger, asks the gateway through its attempts
    within its retry slots, and tells it when to look for due messages again.
    """

    _ledger: OutboxLedger
    _attempts: Attempts
    _retry_slots: asyncio.Semaphore
    _schedule_pump: Callable[[], None]

    async def async_cancel_ids(self, send_ids: Sequence[str]) -> list[DeliveryResult]:
        """Cancel scheduled sends by the ids their sending returned."""
        self._ledger.prune_scheduled()
        return list(
            await asyncio.gather(*(self._async_cancel_id(sid) for sid in send_ids))
        )

    async def async_cancel_matching(
        self, numbers: Sequence[str], message: str, scheduled_at: datetime
    ) -> list[DeliveryResult]:
        """Cancel the scheduled send of `message` at `scheduled_at` to each number."""
        self._ledger.prune_scheduled()
        return list(
            await asyncio.gather(
                *(self._async_cancel_match(n, message, scheduled_at) for n in numbers)
            )
        )

    async def _async_cancel_id(self, send_id: str) -> DeliveryResult:
        """Cancel one scheduled send known by its id."""
        if (item := self._ledger.items.get(send_id)) is not None:
            return await self._async_cancel_pending(item)
        if (record := self._ledger.scheduled.get(send_id)) is None:
            return DeliveryResult.of(
                send_id,
                send_id,
                OutgoingSms(number="", message=""),
                DeliveryStatus.FAILED,
                code=None,
                reason=REASON_UNKNOWN_ID,
            )
        async with self._retry_slots:
            return await self._attempts.async_cancel_remote(record)

    async def _async_cancel_match(
        self, number: str, message: str, scheduled_at: datetime
    ) -> DeliveryResult:
        """Cancel one scheduled send known by its number, text and time."""
        for item in self._ledger.items.values():
            sms = item.sms
            if (
                sms.number == number
                and sms.message == message
                and sms.scheduled_at is not None
                and _same_minute(sms.scheduled_at, scheduled_at)
            ):
                return await self._async_cancel_pending(item)
        send_id = uuid4().hex
        record = next(
            (
                rec
                for rec in self._ledger.scheduled.values()
                if rec.number == number
                and rec.message == message
                and _same_minute(rec.scheduled_at, scheduled_at)
            ),
            ScheduledSend(
                id=send_id,
                batch=send_id,
                number=number,
                message=message,
                scheduled_at=scheduled_at,
            ),
        )
        async with self._retry_slots:
            return await self._attempts.async_cancel_remote(record)

    async def _async_cancel_pending(self, item: OutboxItem) -> DeliveryResult:
        """Cancel a message still in the outbox, and any copy a try left behind."""
        if item.id in self._ledger.in_flight:
            return item.result(
                DeliveryStatus.FAILED, code=None, reason=REASON_IN_FLIGHT
            )
        if not item.maybe_at_gateway or item.sms.scheduled_at is None:
            result = self._ledger.finish(
                item, DeliveryStatus.CANCELED, None, REASON_CANCELED_LOCALLY
            )
            self._schedule_pump()
            return result
        # An unanswered try may have left a copy at the gateway: delete it first,
        # and keep asking until the gateway answers.
        item.cancel_requested = True
        async with self._retry_slots:
            result = await self._attempts.async_try(item, first=False)
        self._schedule_pump()
        return result


def _same_minute(first: datetime, second: datetime) -> bool:
    """Whether two times name the same minute (the gateway's precision)."""
    return first.replace(second=0, microsecond=0) == second.replace(
        second=0, microsecond=0
    )
