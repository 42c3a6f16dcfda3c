"""What the outbox holds in memory, how it reaches the store, who hears of it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING
from uuid import uuid4

from homeassistant.util import dt as dt_util

from ..api import ApiCode, SendCode, count_parts
from ..const import LOGGER
from .listeners import Listeners
from .models import (
    AccountRefusal,
    DeliveryResult,
    DeliveryStatus,
    Hold,
    OutgoingSms,
    Reason,
    ScheduledSend,
)
from .policy import deadline
from .store import (
    DeliveryHistory,
    OutboxStore,
    RejectedRecord,
    StoredOutbox,
    stored_outbox,
)
from .usage import UsageLog

if TYPE_CHECKING:
    from datetime import datetime, timedelta

    from homeassistant.core import HomeAssistant

    from ..api import Sms123Error
    from .models import OutboxItem

# Bookkeeping after a try goes out with a delayed write, so that a burst costs one
# write per action plus one shared write. A message is written before its first
# try; one whose result is lost in a crash is tried again, and the gateway's 24-h
# rule (91) then counts it as sent.
SAVE_DELAY = 1.0

REASON_CODE_EXPIRED = "expired"
REASON_EXPIRED = "not sent in time"
HOLD_REASONS = {
    Hold.CREDIT: Reason(
        SendCode.NO_CREDIT.key, "waiting for the account to be credited"
    ),
    Hold.CREDENTIALS: Reason(
        "invalid_auth", "waiting for the new API key (re-authentication)"
    ),
}
REASON_UNREADABLE = "unreadable"

type ResultListener = Callable[[DeliveryResult], None]
type PendingListener = Callable[[int], None]
type RefusalListener = Callable[[AccountRefusal], None]
type UsageListener = Callable[[], None]


class OutboxLedger:
    """The messages, scheduled sends and history of one account's outbox."""

    def __init__(self, hass: HomeAssistant, store_key: str, horizon: timedelta) -> None:
        """Start empty; `async_load` reads the store."""
        self.store = OutboxStore(hass, store_key)
        self.horizon = horizon
        self.items: dict[str, OutboxItem] = {}
        # How many pending messages carry each (number, text): repeats in O(1).
        self._pending_texts: Counter[tuple[str, str]] = Counter()
        # The SMS parts waiting, by number and in all (test sends count for nothing):
        # the limits and the usage sensors read them on every send and every result.
        self._pending_parts: Counter[str] = Counter()
        self._pending_parts_total = 0
        self.scheduled: dict[str, ScheduledSend] = {}
        self.history = DeliveryHistory()
        self.usage = UsageLog()
        self.rejected: list[RejectedRecord] = []
        self.in_flight: set[str] = set()
        self.on_result = Listeners[DeliveryResult]()
        self.on_pending = Listeners[int]()
        self.on_usage = Listeners[()]()
        self.on_refusal = Listeners[AccountRefusal]()

    async def async_load(self) -> None:
        """Read the pending messages, scheduled sends and history from the store."""
        loaded = await self.store.async_load()
        # Home Assistant may have died in the middle of any try, unwritten: each
        # stored message may have reached the gateway, and a 91 then means sent.
        for item in loaded.items:
            item.maybe_at_gateway = True
            self.add(item)
        self.scheduled = {record.id: record for record in loaded.scheduled}
        self.history = DeliveryHistory(delivered=loaded.history)
        self.usage = loaded.usage
        if self.usage.since is None:
            self.usage.since = dt_util.now().date()
        self.rejected = loaded.rejected
        self.prune_scheduled()

    def pending_items(self) -> list[OutboxItem]:
        """Return the messages still waiting, oldest first."""
        return sorted(self.items.values(), key=lambda item: item.created_at)

    def add(self, item: OutboxItem) -> None:
        """Keep a message until its final answer."""
        self.items[item.id] = item
        self._pending_texts[item.sms.number, item.sms.message] += 1
        self._count_pending(item, 1)

    def _remove(self, item: OutboxItem) -> None:
        """Forget a message that got its final answer."""
        if self.items.pop(item.id, None) is not None:
            key = (item.sms.number, item.sms.message)
            self._pending_texts[key] -= 1
            if not self._pending_texts[key]:
                del self._pending_texts[key]
            self._count_pending(item, -1)

    def _count_pending(self, item: OutboxItem, sign: int) -> None:
        """Add (or take away) the SMS parts of a message to the pending counts."""
        if item.sms.test:
            return
        parts = sign * count_parts(item.sms.message).parts
        self._pending_parts_total += parts
        self._pending_parts[item.sms.number] += parts
        if not self._pending_parts[item.sms.number]:
            del self._pending_parts[item.sms.number]

    def is_repeat(self, number: str, text: str) -> bool:
        """Whether `text` went to `number` in the last 24 h, or still waits to."""
        return (number, text) in self._pending_texts or self.history.is_recent(
            number, text, dt_util.utcnow()
        )

    def deadline(self, item: OutboxItem) -> datetime:
        """Return the time after which `item` is no longer tried."""
        return deadline(item.created_at, self.horizon)

    def ready(self, item: OutboxItem, now: datetime) -> bool:
        """Whether a message may be tried now (the breaker aside)."""
        return (
            item.id not in self.in_flight
            and item.hold is None
            and item.after not in self.items
            and item.next_try <= now
        )

    def record_scheduled(self, item: OutboxItem, scheduled_at: datetime) -> None:
        """Remember a send the gateway now holds for later, so it can be canceled."""
        self.scheduled[item.id] = ScheduledSend(
            id=item.id,
            batch=item.batch,
            number=item.sms.number,
            message=item.sms.message,
            scheduled_at=scheduled_at,
        )
        self.history.record(item.sms.number, item.sms.message, scheduled_at)

    def finish(
        self,
        item: OutboxItem,
        status: DeliveryStatus,
        code: ApiCode | None,
        reason: Reason,
        err: Sms123Error | None = None,
    ) -> DeliveryResult:
        """Remove a message that got its final answer and tell the listeners."""
        result = item.result(status, code=code, reason=reason, error=err)
        self._remove(item)
        if status in (DeliveryStatus.SENT, DeliveryStatus.SCHEDULED):
            self._count_usage(item)
        self.save_later()
        self.notify_pending()
        self.on_result(result)
        return result

    def _count_usage(self, item: OutboxItem) -> None:
        """Count the SMS parts a message cost (test sends cost nothing)."""
        if item.sms.test:
            return
        now = dt_util.utcnow()
        self.usage.record(
            item.sms.number,
            count_parts(item.sms.message).parts,
            now,
            dt_util.as_local(now).date(),
        )
        self.on_usage()

    def pending_parts(self, number: str | None = None) -> int:
        """Return the SMS parts waiting to be sent (to `number`, or to anyone)."""
        if number is None:
            return self._pending_parts_total
        return self._pending_parts[number]

    def sent(self, item: OutboxItem, code: ApiCode, reason: Reason) -> DeliveryResult:
        """Finish a message that reached the phone, and remember it did."""
        self.history.record(item.sms.number, item.sms.message, dt_util.utcnow())
        return self.finish(item, DeliveryStatus.SENT, code, reason)

    def fail(
        self,
        item: OutboxItem,
        code: ApiCode | None,
        reason: Reason,
        err: Sms123Error | None = None,
    ) -> DeliveryResult:
        """Finish a message that will not be sent."""
        return self.finish(item, DeliveryStatus.FAILED, code, reason, err)

    def requeue(
        self,
        item: OutboxItem,
        code: ApiCode | None,
        reason: Reason,
        err: Sms123Error | None,
    ) -> DeliveryResult:
        """Keep the message for a later try (`expire` ends it at its horizon)."""
        item.last_code = None if code is None else code.value
        item.last_reason = reason.text
        item.last_reason_code = reason.code
        item.next_try = dt_util.utcnow()
        LOGGER.debug("Send to %s queued: %s", item.sms.number, reason.text)
        self.save_later()
        return item.result(DeliveryStatus.QUEUED, code=code, reason=reason, error=err)

    def hold(
        self, item: OutboxItem, hold: Hold, code: ApiCode | None, err: Sms123Error
    ) -> DeliveryResult:
        """Keep a message until what it waits for comes (or its horizon passes)."""
        item.hold = hold
        return self.requeue(item, code, HOLD_REASONS[hold], err)

    def give_up(self, item: OutboxItem) -> DeliveryResult:
        """Fail a message that was not sent before its horizon, saying why."""
        reason = item.last_reason or REASON_EXPIRED
        LOGGER.debug("Giving up on the send to %s: %s", item.sms.number, reason)
        code = None if item.last_code is None else SendCode(item.last_code)
        hours = self.horizon.total_seconds() / 3600
        return self.fail(
            item,
            code,
            Reason(REASON_CODE_EXPIRED, f"gave up after {hours:g} h: {reason}"),
        )

    def expire(self, now: datetime) -> None:
        """Fail the messages whose horizon passed without a final answer."""
        for item in list(self.items.values()):
            if item.id not in self.in_flight and now >= self.deadline(item):
                self.give_up(item)

    def report_rejected(self) -> None:
        """Tell the listeners of the stored messages that could not be read back."""
        for rejected in self.rejected:
            if rejected.number is None:
                continue
            unknown = uuid4().hex
            self.on_result(
                DeliveryResult.of(
                    unknown,
                    unknown,
                    OutgoingSms(number=rejected.number, message=""),
                    DeliveryStatus.FAILED,
                    code=None,
                    reason=Reason(
                        REASON_UNREADABLE,
                        f"the stored message could not be read: {rejected.problem}",
                    ),
                )
            )
        self.rejected = []

    def prune_scheduled(self) -> None:
        """Forget the scheduled sends whose time has passed."""
        now = dt_util.utcnow()
        for send_id in [
            rec.id for rec in self.scheduled.values() if rec.scheduled_at <= now
        ]:
            del self.scheduled[send_id]

    def snapshot(self) -> StoredOutbox:
        """Return the outbox as JSON-ready data."""
        self.prune_scheduled()
        now = dt_util.utcnow()
        self.history.prune(now)
        self.usage.prune(now, dt_util.as_local(now).date())
        return stored_outbox(
            self.pending_items(), self.scheduled.values(), self.history, self.usage
        )

    async def async_save(self) -> bool:
        """Write the outbox now; tell whether it reached the disk."""
        return await self.store.async_save(self.snapshot())

    def save_later(self) -> None:
        """Write the outbox soon, folding several changes into one write."""
        self.store.save_later(self.snapshot, SAVE_DELAY)

    def notify_pending(self) -> None:
        """Tell the pending listeners how many messages wait."""
        self.on_pending(len(self.items))
