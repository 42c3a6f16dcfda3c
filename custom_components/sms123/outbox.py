"""Persistent outbox: every SMS waits here until the gateway gives a final answer."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypedDict
from uuid import uuid4

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .api import (
    ApiCode,
    Encoding,
    SendCode,
    SendResult,
    Sms123ApiError,
    Sms123Client,
    Sms123Error,
    count_parts,
)
from .const import LOGGER

if TYPE_CHECKING:
    from collections.abc import Coroutine

REASON_CANCELED_LOCALLY = "removed from the outbox before it was sent"
REASON_IN_FLIGHT = "the message is being sent right now"
REASON_NO_CREDIT = "waiting for the account to be credited"
REASON_UNKNOWN_ID = "no pending scheduled send has this id"
REASON_ALREADY_SENT = "an earlier try of this message got through"
REASON_STOPPED = "Home Assistant stopped the outbox; it resumes at the next start"
REASON_EXPIRED = "not sent in time"


STORAGE_VERSION = 1
DEFAULT_BOUND = 8
DEFAULT_RETRY_BASE = 30.0
DEFAULT_RETRY_CAP = 1800.0
DEFAULT_MAX_AGE = timedelta(hours=24)
# Finished items leave the store with a delayed write, so that a burst of sends
# costs one write each plus one shared removal write. If Home Assistant dies
# before that write, the item is resent after the restart: the gateway answers
# 91 (already sent in the last 24 h), which counts as sent, so nobody gets the
# text twice; a scheduled send is deleted at the gateway before it is resent.
SAVE_DELAY = 1.0
# The gateway refuses a scheduled time in the past; a scheduled message that
# could only be delivered late is sent at once instead.
SCHEDULE_MARGIN = timedelta(minutes=1)


@dataclass(frozen=True, kw_only=True, slots=True)
class OutgoingSms:
    """One message for one number, as the caller asked for it."""

    number: str
    message: str
    sender_id: str | None = None
    flash: bool = False
    voice: bool = False
    test: bool = False
    scheduled_at: datetime | None = None

    def result(
        self,
        send_id: str,
        status: DeliveryStatus,
        *,
        code: ApiCode | None,
        reason: str,
        error: Sms123Error | None = None,
    ) -> DeliveryResult:
        """Describe what became of this message under the id `send_id`."""
        parts = count_parts(self.message)
        return DeliveryResult(
            id=send_id,
            number=self.number,
            status=status,
            code=code,
            reason=reason,
            parts=parts.parts,
            encoding=parts.encoding,
            scheduled_at=self.scheduled_at,
            error=error,
        )


@dataclass(kw_only=True, slots=True)
class OutboxItem:
    """A message waiting in the outbox, with its delivery bookkeeping."""

    id: str
    sms: OutgoingSms
    created_at: datetime
    next_try: datetime
    attempts: int = 0
    held: bool = False
    last_code: str | None = None
    last_reason: str | None = None

    def result(
        self,
        status: DeliveryStatus,
        *,
        code: ApiCode | None,
        reason: str,
        error: Sms123Error | None = None,
    ) -> DeliveryResult:
        """Describe what became of this message."""
        return self.sms.result(self.id, status, code=code, reason=reason, error=error)

    def as_dict(self) -> dict[str, Any]:
        """Turn the item into JSON-ready data for the store."""
        sms = self.sms
        return {
            "id": self.id,
            "number": sms.number,
            "message": sms.message,
            "sender_id": sms.sender_id,
            "flash": sms.flash,
            "voice": sms.voice,
            "test": sms.test,
            "scheduled_at": _iso(sms.scheduled_at),
            "created_at": self.created_at.isoformat(),
            "next_try": self.next_try.isoformat(),
            "attempts": self.attempts,
            "held": self.held,
            "last_code": self.last_code,
            "last_reason": self.last_reason,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutboxItem:
        """Rebuild an item from the store."""
        return cls(
            id=data["id"],
            sms=OutgoingSms(
                number=data["number"],
                message=data["message"],
                sender_id=data["sender_id"],
                flash=data["flash"],
                voice=data["voice"],
                test=data["test"],
                scheduled_at=_parse(data["scheduled_at"]),
            ),
            created_at=_parse_required(data["created_at"]),
            next_try=_parse_required(data["next_try"]),
            attempts=data["attempts"],
            held=data["held"],
            last_code=data["last_code"],
            last_reason=data["last_reason"],
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class ScheduledSend:
    """A send the gateway holds for later, remembered so it can be canceled."""

    id: str
    number: str
    message: str
    scheduled_at: datetime

    def as_dict(self) -> dict[str, Any]:
        """Turn the record into JSON-ready data for the store."""
        return {
            "id": self.id,
            "number": self.number,
            "message": self.message,
            "scheduled_at": self.scheduled_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScheduledSend:
        """Rebuild a record from the store."""
        return cls(
            id=data["id"],
            number=data["number"],
            message=data["message"],
            scheduled_at=_parse_required(data["scheduled_at"]),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class DeliveryResult:
    """What happened to one message for one number."""

    id: str
    number: str
    status: DeliveryStatus
    code: ApiCode | None
    reason: str
    parts: int
    encoding: Encoding
    scheduled_at: datetime | None = None
    error: Sms123Error | None = field(default=None, compare=False, repr=False)


class DeliveryStatus(StrEnum):
    """Where a message stands after a try."""

    SENT = "sent"
    SCHEDULED = "scheduled"
    TEST = "test"
    QUEUED = "queued"
    FAILED = "failed"
    CANCELED = "canceled"


class StoredOutbox(TypedDict):
    """The outbox as kept in Home Assistant's storage."""

    items: list[dict[str, Any]]
    scheduled: list[dict[str, Any]]


type ResultListener = Callable[[DeliveryResult], None]
type PendingListener = Callable[[int], None]


class Outbox:
    """Keeps messages until a final answer, retrying transient failures."""

    def __init__(  # noqa: PLR0913 - the retry policy is tunable per outbox
        self,
        hass: HomeAssistant,
        client: Sms123Client,
        store_key: str,
        *,
        bound: int = DEFAULT_BOUND,
        retry_base: float = DEFAULT_RETRY_BASE,
        retry_cap: float = DEFAULT_RETRY_CAP,
        max_age: timedelta = DEFAULT_MAX_AGE,
        rng: random.Random | None = None,
    ) -> None:
        """Set up an outbox kept under `store_key`; call `async_load` next."""
        self._hass = hass
        self._client = client
        self._store: Store[StoredOutbox] = Store(
            hass, STORAGE_VERSION, store_key, private=True, atomic_writes=True
        )
        self._semaphore = asyncio.Semaphore(bound)
        self._retry_base = retry_base
        self._retry_cap = retry_cap
        self._max_age = max_age
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self._items: dict[str, OutboxItem] = {}
        self._scheduled: dict[str, ScheduledSend] = {}
        self._in_flight: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._submissions: set[asyncio.Task[list[DeliveryResult]]] = set()
        self._unsub_timer: CALLBACK_TYPE | None = None
        self._running = False
        self._result_listeners: list[ResultListener] = []
        self._pending_listeners: list[PendingListener] = []

    @property
    def pending(self) -> int:
        """Number of messages still waiting for a final answer."""
        return len(self._items)

    @property
    def waiting_for_credit(self) -> bool:
        """Whether some message waits for the account to be credited."""
        return any(item.held for item in self._items.values())

    def pending_items(self) -> list[OutboxItem]:
        """Return the messages still waiting, oldest first."""
        return sorted(self._items.values(), key=lambda item: item.created_at)

    def scheduled_sends(self) -> list[ScheduledSend]:
        """Return the scheduled sends whose time has not passed yet."""
        self._prune_scheduled()
        return sorted(self._scheduled.values(), key=lambda rec: rec.scheduled_at)

    def knows(self, send_id: str) -> bool:
        """Whether `send_id` names a pending message or a future scheduled send."""
        self._prune_scheduled()
        return send_id in self._items or send_id in self._scheduled

    async def async_load(self) -> None:
        """Read the pending messages and scheduled sends from the store."""
        stored = await self._store.async_load()
        if stored is None:
            return
        for raw in stored["items"]:
            item = OutboxItem.from_dict(raw)
            self._items[item.id] = item
        for raw in stored["scheduled"]:
            record = ScheduledSend.from_dict(raw)
            self._scheduled[record.id] = record
        self._prune_scheduled()

    @callback
    def async_start(self) -> None:
        """Resume the pending messages: each is retried when it is due."""
        self._running = True
        now = dt_util.utcnow()
        for item in list(self._items.values()):
            # Down for longer than max_age: too late to be worth sending.
            if now >= item.created_at + self._max_age:
                self._requeue(
                    item,
                    None if item.last_code is None else SendCode(item.last_code),
                    item.last_reason or REASON_EXPIRED,
                    None,
                )
        self._notify_pending()
        self._schedule_pump()

    async def async_stop(self) -> None:
        """Stop every try and write what is pending; nothing is lost."""
        self._running = False
        self._cancel_timer()
        # A try cut short may have reached the gateway: the next start sends it
        # again, and the gateway's 91 (or the cancel before a scheduled retry)
        # keeps it from arriving twice.
        tasks: list[asyncio.Task[Any]] = [*self._tasks, *self._submissions]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        # Also replaces a delayed write still pending, so nothing writes later.
        await self._store.async_save(self._as_data())

    @callback
    def async_add_result_listener(self, listener: ResultListener) -> CALLBACK_TYPE:
        """Call `listener` with every final result (sent, failed, canceled...)."""
        self._result_listeners.append(listener)
        return lambda: self._result_listeners.remove(listener)

    @callback
    def async_add_pending_listener(self, listener: PendingListener) -> CALLBACK_TYPE:
        """Call `listener` with the number of pending messages when it changes."""
        self._pending_listeners.append(listener)
        return lambda: self._pending_listeners.remove(listener)

    @callback
    def async_credit_available(self) -> None:
        """Retry at once the messages held for lack of credit."""
        now = dt_util.utcnow()
        woken = False
        for item in self._items.values():
            if item.held and item.id not in self._in_flight:
                item.next_try = now
                woken = True
        if woken:
            self._schedule_pump()

    async def async_submit(
        self, messages: Sequence[OutgoingSms]
    ) -> list[DeliveryResult]:
        """Store the messages, then try each once; results in input order."""
        now = dt_util.utcnow()
        items = [
            OutboxItem(id=uuid4().hex, sms=sms, created_at=now, next_try=now)
            for sms in messages
        ]
        for item in items:
            self._items[item.id] = item
            self._in_flight.add(item.id)
        # The first tries run in a task of their own, so that a caller who gives
        # up (a stopped script, a restarted automation) cannot cut them short.
        task = self._hass.async_create_task(
            self._async_first_tries(items), "sms123 outbox first tries"
        )
        self._submissions.add(task)
        task.add_done_callback(self._submissions.discard)
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if not task.cancelled():
                raise
            # The outbox stopped (reload or shutdown) first: the messages are
            # stored, and the next start tries them again.
            return [
                item.result(
                    DeliveryStatus.QUEUED,
                    code=None,
                    reason=REASON_STOPPED,
                )
                for item in items
            ]

    async def _async_first_tries(self, items: list[OutboxItem]) -> list[DeliveryResult]:
        """Write the new messages, then try each of them once."""
        try:
            # Written before any request: a crash from here on loses nothing.
            await self._store.async_save(self._as_data())
        except BaseException:
            # Stopped before any try: leave the messages to the retry timer.
            self._in_flight.difference_update(item.id for item in items)
            self._schedule_pump()
            raise
        self._notify_pending()
        try:
            # Each try releases its own message: a retry may already be running
            # for one while the slowest first try of the batch still waits.
            results = await asyncio.gather(
                *(self._async_attempt(item, first=True) for item in items)
            )
        finally:
            self._schedule_pump()
        return list(results)

    async def async_cancel_ids(self, send_ids: Sequence[str]) -> list[DeliveryResult]:
        """Cancel scheduled sends by the ids their sending returned."""
        self._prune_scheduled()
        results = await asyncio.gather(
            *(self._async_cancel_id(send_id) for send_id in send_ids)
        )
        return list(results)

    async def async_cancel_matching(
        self, numbers: Sequence[str], message: str, scheduled_at: datetime
    ) -> list[DeliveryResult]:
        """Cancel the scheduled send of `message` at `scheduled_at` to each number."""
        self._prune_scheduled()
        results = await asyncio.gather(
            *(
                self._async_cancel_matching(number, message, scheduled_at)
                for number in numbers
            )
        )
        return list(results)

    async def _async_cancel_id(self, send_id: str) -> DeliveryResult:
        """Cancel one scheduled send known by its id."""
        if (item := self._items.get(send_id)) is not None:
            return self._cancel_local(item)
        if (record := self._scheduled.get(send_id)) is None:
            return DeliveryResult(
                id=send_id,
                number="",
                status=DeliveryStatus.FAILED,
                code=None,
                reason=REASON_UNKNOWN_ID,
                parts=0,
                encoding=Encoding.GSM7,
            )
        return await self._async_cancel_remote(
            record.number, record.message, record.scheduled_at, send_id
        )

    async def _async_cancel_matching(
        self, number: str, message: str, scheduled_at: datetime
    ) -> DeliveryResult:
        """Cancel one scheduled send known by its number, text and time."""
        for item in self._items.values():
            sms = item.sms
            if (
                sms.number == number
                and sms.message == message
                and sms.scheduled_at is not None
                and _same_minute(sms.scheduled_at, scheduled_at)
            ):
                return self._cancel_local(item)
        record_id = next(
            (
                rec.id
                for rec in self._scheduled.values()
                if rec.number == number
                and rec.message == message
                and _same_minute(rec.scheduled_at, scheduled_at)
            ),
            uuid4().hex,
        )
        return await self._async_cancel_remote(number, message, scheduled_at, record_id)

    def _cancel_local(self, item: OutboxItem) -> DeliveryResult:
        """Drop a message that has not reached the gateway yet."""
        if item.id in self._in_flight:
            return item.result(
                DeliveryStatus.FAILED,
                code=None,
                reason=REASON_IN_FLIGHT,
            )
        result = item.result(
            DeliveryStatus.CANCELED,
            code=None,
            reason=REASON_CANCELED_LOCALLY,
        )
        self._finish(item, result)
        self._schedule_pump()
        return result

    async def _async_cancel_remote(
        self, number: str, message: str, scheduled_at: datetime, send_id: str
    ) -> DeliveryResult:
        """Ask the gateway to delete a scheduled send."""
        sms = OutgoingSms(number=number, message=message, scheduled_at=scheduled_at)
        async with self._semaphore:
            try:
                answer = await self._client.cancel_scheduled_sms(
                    number, message, scheduled_at
                )
            except Sms123Error as err:
                LOGGER.debug("Cancel of the send to %s refused: %s", number, err)
                return sms.result(
                    send_id,
                    DeliveryStatus.FAILED,
                    code=err.code,
                    reason=str(err),
                    error=err,
                )
        self._scheduled.pop(send_id, None)
        self._save_later()
        result = sms.result(
            send_id,
            DeliveryStatus.CANCELED,
            code=answer.code,
            reason=answer.code.meaning,
        )
        self._notify_result(result)
        return result

    async def _async_attempt(self, item: OutboxItem, *, first: bool) -> DeliveryResult:
        """Send one message once and settle what happens to it next."""
        self._in_flight.add(item.id)
        try:
            async with self._semaphore:
                item.attempts += 1
                sms = item.sms
                scheduled_at = sms.scheduled_at
                if (
                    scheduled_at is not None
                    and scheduled_at <= dt_util.utcnow() + SCHEDULE_MARGIN
                ):
                    scheduled_at = None
                try:
                    if scheduled_at is not None and not first:
                        await self._async_forget_earlier_schedule(sms, scheduled_at)
                    answer = await self._client.send_sms(
                        sms.number,
                        sms.message,
                        sender_id=sms.sender_id,
                        flash=sms.flash,
                        voice=sms.voice,
                        scheduled_at=scheduled_at,
                        test=sms.test,
                    )
                except Sms123Error as err:
                    return self._settle_error(item, err, first=first)
                return self._settle_answer(item, answer)
        finally:
            self._in_flight.discard(item.id)

    async def _async_forget_earlier_schedule(
        self, sms: OutgoingSms, scheduled_at: datetime
    ) -> None:
        """Delete a scheduled send an earlier try may have stored unknown to us.

        91 only guards sends made at once; without this, a retry after a lost
        answer would leave two scheduled sends at the gateway.
        """
        try:
            await self._client.cancel_scheduled_sms(
                sms.number, sms.message, scheduled_at
            )
        except Sms123ApiError as err:
            if err.code is not SendCode.SCHEDULE_NOT_DELETED:
                raise

    def _settle_answer(self, item: OutboxItem, answer: SendResult) -> DeliveryResult:
        """Record a code the client returned (success, or 101 info)."""
        code = answer.code
        if code is SendCode.SCHEDULED and item.sms.scheduled_at is not None:
            status = DeliveryStatus.SCHEDULED
            self._scheduled[item.id] = ScheduledSend(
                id=item.id,
                number=item.sms.number,
                message=item.sms.message,
                scheduled_at=item.sms.scheduled_at,
            )
        elif code is SendCode.TEST_OK:
            status = DeliveryStatus.TEST
        elif code.success:
            status = DeliveryStatus.SENT
        else:
            status = DeliveryStatus.FAILED
        reason = answer.code.meaning
        if status is DeliveryStatus.FAILED:
            reason = f"The gateway answered code {code.value}, {reason}"
        result = item.result(status, code=code, reason=reason)
        self._finish(item, result)
        return result

    def _settle_error(
        self, item: OutboxItem, err: Sms123Error, *, first: bool
    ) -> DeliveryResult:
        """Retry, hold or fail a message whose try raised `err`."""
        code = err.code
        if code is SendCode.ALREADY_SENT and not first:
            result = item.result(
                DeliveryStatus.SENT,
                code=code,
                reason=REASON_ALREADY_SENT,
            )
            self._finish(item, result)
            return result
        if code is SendCode.NO_CREDIT:
            item.held = True
            return self._requeue(item, code, REASON_NO_CREDIT, err)
        if err.transient:
            item.held = False
            return self._requeue(item, code, str(err), err)
        LOGGER.debug("Send to %s refused: %s", item.sms.number, err)
        result = item.result(
            DeliveryStatus.FAILED,
            code=code,
            reason=str(err),
            error=err,
        )
        self._finish(item, result)
        return result

    def _requeue(
        self,
        item: OutboxItem,
        code: ApiCode | None,
        reason: str,
        err: Sms123Error | None,
    ) -> DeliveryResult:
        """Plan the next try, or give up once the message is too old."""
        now = dt_util.utcnow()
        deadline = item.created_at + self._max_age
        item.last_code = None if code is None else code.value
        item.last_reason = reason
        if now >= deadline:
            LOGGER.debug("Giving up on the send to %s: %s", item.sms.number, reason)
            result = item.result(
                DeliveryStatus.FAILED,
                code=code,
                reason=f"gave up after {_hours(self._max_age)} h: {reason}",
                error=err,
            )
            self._finish(item, result)
            return result
        item.next_try = min(now + timedelta(seconds=self._backoff(item)), deadline)
        LOGGER.debug(
            "Send to %s queued until %s: %s", item.sms.number, item.next_try, reason
        )
        self._save_later()
        return item.result(
            DeliveryStatus.QUEUED,
            code=code,
            reason=reason,
            error=err,
        )

    def _backoff(self, item: OutboxItem) -> float:
        """Seconds before the next try: doubling per try, capped, with jitter."""
        ceiling = min(
            self._retry_cap, self._retry_base * 2.0 ** min(item.attempts - 1, 32)
        )
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    def _finish(self, item: OutboxItem, result: DeliveryResult) -> None:
        """Remove a message that got its final answer and tell the listeners."""
        del self._items[item.id]
        self._save_later()
        self._notify_pending()
        self._notify_result(result)

    async def _async_pump(self) -> None:
        """Try again every message whose time has come."""
        now = dt_util.utcnow()
        selected = [
            item
            for item in self._items.values()
            if item.next_try <= now and item.id not in self._in_flight
        ]
        self._in_flight.update(item.id for item in selected)
        try:
            due = selected
            if any(item.held for item in due) and not await self._async_has_credit():
                due = [item for item in selected if not item.held]
                for item in selected:
                    if item.held:
                        item.attempts += 1
                        self._requeue(item, SendCode.NO_CREDIT, REASON_NO_CREDIT, None)
            await asyncio.gather(
                *(self._async_attempt(item, first=False) for item in due)
            )
        finally:
            self._in_flight.difference_update(item.id for item in selected)
        self._schedule_pump()

    async def _async_has_credit(self) -> bool:
        """Whether the account has credit again (unknown counts as no)."""
        try:
            balance = await self._client.get_balance()
        except Sms123Error as err:
            LOGGER.debug("Balance check for held messages failed: %s", err)
            return False
        return balance.credits > 0

    @callback
    def _schedule_pump(self) -> None:
        """Arm the timer for the earliest message waiting for a retry."""
        self._cancel_timer()
        if not self._running:
            return
        waiting = [
            item.next_try
            for item in self._items.values()
            if item.id not in self._in_flight
        ]
        if waiting:
            self._unsub_timer = async_track_point_in_utc_time(
                self._hass, self._on_timer, min(waiting)
            )

    @callback
    def _on_timer(self, _now: datetime) -> None:
        """Start a retry round in the background."""
        self._unsub_timer = None
        self._spawn(self._async_pump())

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run `coro` as a background task that `async_stop` can cancel."""
        task = self._hass.async_create_background_task(coro, "sms123 outbox retry")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _cancel_timer(self) -> None:
        """Disarm the retry timer."""
        if self._unsub_timer is not None:
            self._unsub_timer()
            self._unsub_timer = None

    def _save_later(self) -> None:
        """Write the outbox soon, folding several changes into one write."""
        self._store.async_delay_save(self._as_data, SAVE_DELAY)

    def _as_data(self) -> StoredOutbox:
        """Return the outbox as JSON-ready data."""
        self._prune_scheduled()
        return {
            "items": [item.as_dict() for item in self.pending_items()],
            "scheduled": [rec.as_dict() for rec in self._scheduled.values()],
        }

    def _prune_scheduled(self) -> None:
        """Forget the scheduled sends whose time has passed."""
        now = dt_util.utcnow()
        for send_id in [
            rec.id for rec in self._scheduled.values() if rec.scheduled_at <= now
        ]:
            del self._scheduled[send_id]

    def _notify_pending(self) -> None:
        """Tell the pending listeners how many messages wait."""
        for listener in list(self._pending_listeners):
            listener(self.pending)

    def _notify_result(self, result: DeliveryResult) -> None:
        """Tell the result listeners about a final result."""
        for listener in list(self._result_listeners):
            listener(result)


async def async_remove_outbox_store(hass: HomeAssistant, store_key: str) -> None:
    """Delete the stored outbox of an account that was removed."""
    await Store[StoredOutbox](hass, STORAGE_VERSION, store_key).async_remove()


def _iso(value: datetime | None) -> str | None:
    """Format an optional datetime for the store."""
    return None if value is None else value.isoformat()


def _parse(value: str | None) -> datetime | None:
    """Read an optional datetime from the store."""
    return None if value is None else _parse_required(value)


def _parse_required(value: str) -> datetime:
    """Read a datetime from the store."""
    return datetime.fromisoformat(value)


def _same_minute(first: datetime, second: datetime) -> bool:
    """Whether two times name the same minute (the gateway's precision)."""
    return first.replace(second=0, microsecond=0) == second.replace(
        second=0, microsecond=0
    )


def _hours(duration: timedelta) -> str:
    """Write a duration in hours, without a useless decimal part."""
    return f"{duration.total_seconds() / 3600:g}"
