"""The outbox of an account: first tries, retries through one breaker, cancels."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from ..const import LOGGER
from .attempts import Attempts
from .cancels import Cancels
from .ledger import OutboxLedger
from .models import DeliveryResult, DeliveryStatus, Hold, OutboxItem, Reason
from .policy import HORIZON, PROBE_BASE, PROBE_CAP, Breaker

if TYPE_CHECKING:
    from collections.abc import Coroutine, Sequence
    from datetime import datetime, timedelta

    from ..api import Sms123Client
    from .ledger import (
        PendingListener,
        RefusalListener,
        ResultListener,
        UsageListener,
    )
    from .models import OutgoingSms, ScheduledSend
    from .usage import UsageLog

REASON_NOT_STORED = Reason(
    "not_stored", "it could not be stored, so it was tried once only"
)
REASON_PREVIOUS_PART = Reason(
    "previous_part", "waiting for the previous part to be sent"
)
REASON_STOPPED = Reason(
    "stopped", "Home Assistant stopped the outbox; it resumes at the next start"
)


@dataclass(frozen=True, kw_only=True, slots=True)
class OutboxSettings:
    """How hard the outbox pushes: parallel tries, probes, horizon, capacity."""

    bound: int = 8
    probe_base: float = PROBE_BASE
    probe_cap: float = PROBE_CAP
    horizon: timedelta = HORIZON
    capacity: int = 5000


class OutboxFullError(Exception):
    """The outbox holds as many messages as it may: new ones are refused."""

    def __init__(self, pending: int, capacity: int) -> None:
        """Keep how many messages wait and how many may."""
        super().__init__(f"{pending} messages are pending (at most {capacity})")
        self.pending = pending
        self.capacity = capacity


class Outbox:
    """Keeps messages until a final answer; one per account."""

    def __init__(
        self,
        hass: HomeAssistant,
        client: Sms123Client,
        store_key: str,
        settings: OutboxSettings | None = None,
    ) -> None:
        """Set up an outbox kept under `store_key`; call `async_load` next."""
        self._hass = hass
        self._settings = settings = settings or OutboxSettings()
        self._ledger = ledger = OutboxLedger(hass, store_key, settings.horizon)
        self._breaker = Breaker(base=settings.probe_base, cap=settings.probe_cap)
        self._attempts = Attempts(client, ledger, self._breaker, self._schedule_pump)
        # First tries have slots of their own: a backlog of retries never delays them.
        self._first_try_slots = asyncio.Semaphore(settings.bound)
        self._retry_slots = asyncio.Semaphore(settings.bound)
        self._cancels = Cancels(
            ledger, self._attempts, self._retry_slots, self._schedule_pump
        )
        self._tasks: set[asyncio.Task[Any]] = set()
        self._unsub_timer: CALLBACK_TYPE | None = None
        self._running = False
        self._probing = False
        # Messages a retry round took on, waiting for a slot or being tried.
        self._claimed: set[str] = set()

    @property
    def pending(self) -> int:
        """Number of messages still waiting for a final answer."""
        return len(self._ledger.items)

    @property
    def gateway_down(self) -> bool:
        """Whether the circuit breaker takes the gateway to be unreachable."""
        return self._breaker.is_open

    def pending_items(self) -> list[OutboxItem]:
        """Return the messages still waiting, oldest first."""
        return self._ledger.pending_items()

    def scheduled_sends(self) -> list[ScheduledSend]:
        """Return the scheduled sends whose time has not passed yet."""
        self._ledger.prune_scheduled()
        return sorted(self._ledger.scheduled.values(), key=lambda r: r.scheduled_at)

    def send_ids(self, given_id: str) -> list[str]:
        """Return the pending or future sends an id names: one SMS, or a whole send.

        An action answers one id for all the SMS it scheduled, and one per SMS.
        """
        ledger = self._ledger
        ledger.prune_scheduled()
        if given_id in ledger.items or given_id in ledger.scheduled:
            return [given_id]
        return [item.id for item in ledger.items.values() if item.batch == given_id] + [
            record.id
            for record in ledger.scheduled.values()
            if record.batch == given_id
        ]

    @property
    def usage(self) -> UsageLog:
        """What the account sent through the integration (read it, do not change it)."""
        return self._ledger.usage

    def pending_parts(self, number: str | None = None) -> int:
        """Return the SMS parts waiting to be sent (to `number`, or to anyone)."""
        return self._ledger.pending_parts(number)

    @callback
    def async_add_usage_listener(self, listener: UsageListener) -> CALLBACK_TYPE:
        """Call `listener` when an SMS sent is counted."""
        return self._ledger.on_usage.add(listener)

    @callback
    def async_report(self, results: Sequence[DeliveryResult]) -> None:
        """Tell the result listeners of messages refused before the outbox took them."""
        for result in results:
            self._ledger.on_result(result)

    def is_repeat(self, number: str, text: str) -> bool:
        """Whether `text` went to `number` in the last 24 h, or still waits to."""
        return self._ledger.is_repeat(number, text)

    async def async_load(self) -> None:
        """Read the pending messages, scheduled sends and history from the store."""
        await self._ledger.async_load()

    @callback
    def async_start(self) -> None:
        """Report what cannot be resumed, then try the rest again at once."""
        self._running = True
        ledger = self._ledger
        ledger.report_rejected()
        now = dt_util.utcnow()
        ledger.expire(now)
        for item in ledger.items.values():
            item.next_try = now
        ledger.notify_pending()
        self._schedule_pump()

    async def async_stop(self) -> None:
        """Stop every try and write what is pending; nothing is lost."""
        self._running = False
        self._cancel_timer()
        # A try cut short may have reached the gateway: it counts as unanswered.
        for item_id in self._ledger.in_flight:
            if (item := self._ledger.items.get(item_id)) is not None:
                item.maybe_at_gateway = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        # Also replaces a delayed write still pending, so nothing writes later.
        await self._ledger.async_save()

    @callback
    def async_add_result_listener(self, listener: ResultListener) -> CALLBACK_TYPE:
        """Call `listener` with every final result (sent, failed, canceled...)."""
        return self._ledger.on_result.add(listener)

    @callback
    def async_add_pending_listener(self, listener: PendingListener) -> CALLBACK_TYPE:
        """Call `listener` with the number of pending messages when it changes."""
        return self._ledger.on_pending.add(listener)

    @callback
    def async_add_refusal_listener(self, listener: RefusalListener) -> CALLBACK_TYPE:
        """Call `listener` when the gateway refuses the account (credentials, IP)."""
        return self._ledger.on_refusal.add(listener)

    @callback
    def async_gateway_answered(self, balance: float) -> None:
        """Resume what waited on the account, now that it answered a balance read."""
        self._breaker.reset()
        released = {Hold.CREDENTIALS}
        if balance > 0:
            released.add(Hold.CREDIT)
        now = dt_util.utcnow()
        for item in self._ledger.items.values():
            if item.hold in released:
                item.hold = None
                item.next_try = now
        self._schedule_pump()

    @callback
    def async_gateway_unreachable(self) -> None:
        """Take the gateway as down after a failed balance read: pace the retries."""
        if not self._breaker.is_open:
            self._breaker.trip(dt_util.utcnow())

    async def async_submit(
        self, messages: Sequence[OutgoingSms]
    ) -> list[DeliveryResult]:
        """Store the messages, then try each once; results in input order."""
        ledger = self._ledger
        if len(ledger.items) + len(messages) > self._settings.capacity:
            raise OutboxFullError(len(ledger.items), self._settings.capacity)
        now = dt_util.utcnow()
        batch = uuid4().hex
        items: list[OutboxItem] = []
        previous: dict[str, str] = {}
        for sms in messages:
            item = OutboxItem(
                id=uuid4().hex,
                batch=batch,
                sms=sms,
                created_at=now,
                next_try=now,
                after=previous.get(sms.number),
            )
            previous[sms.number] = item.id
            items.append(item)
            ledger.add(item)
            ledger.in_flight.add(item.id)
        # The first tries run in a task of their own, so that a caller who gives
        # up (a stopped script, a restarted automation) cannot cut them short. It
        # starts on the loop's next turn: the store's snapshot of a large action
        # then does not add to the checks' time in one callback. The messages are
        # already held (and in flight), so no check or retry can miss them.
        task = self._hass.async_create_task(
            self._async_first_tries(items),
            "sms123 outbox first tries",
            eager_start=False,
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if not task.cancelled():
                raise
            # The outbox stopped (reload or shutdown) first: the messages are
            # stored, and the next start tries them again.
            return [
                item.result(DeliveryStatus.QUEUED, code=None, reason=REASON_STOPPED)
                for item in items
            ]

    async def _async_first_tries(self, items: list[OutboxItem]) -> list[DeliveryResult]:
        """Write the new messages, then try each of them once."""
        ledger = self._ledger
        try:
            # Written before any request: a crash from here on loses nothing.
            stored = await ledger.async_save()
        except BaseException:
            ledger.in_flight.difference_update(item.id for item in items)
            raise
        if not stored:
            LOGGER.error("The 123-SMS outbox could not be written; sending unstored")
        ledger.notify_pending()
        chains: dict[str, list[OutboxItem]] = {}
        for item in items:
            chains.setdefault(item.sms.number, []).append(item)
        results: dict[str, DeliveryResult] = {}
        try:
            # One number's parts go one after the other; numbers go in parallel.
            await asyncio.gather(
                *(
                    self._async_chain(chain, results, stored)
                    for chain in chains.values()
                )
            )
        finally:
            ledger.in_flight.difference_update(item.id for item in items)
            self._schedule_pump()
        return [results[item.id] for item in items]

    async def _async_chain(
        self,
        chain: list[OutboxItem],
        results: dict[str, DeliveryResult],
        stored: bool,  # noqa: FBT001 - one flag of the batch
    ) -> None:
        """Try the parts of a message to one number in order, each after the last."""
        ledger = self._ledger
        for item in chain:
            if item.after in ledger.items:
                ledger.in_flight.discard(item.id)
                result = item.result(
                    DeliveryStatus.QUEUED, code=None, reason=REASON_PREVIOUS_PART
                )
            else:
                async with self._first_try_slots:
                    result = await self._attempts.async_try(item, first=True)
            if not stored and result.status is DeliveryStatus.QUEUED:
                # Never answer "queued" for a message that is on no disk.
                result = ledger.fail(item, result.code, REASON_NOT_STORED, result.error)
            results[item.id] = result

    async def async_cancel_ids(self, send_ids: Sequence[str]) -> list[DeliveryResult]:
        """Cancel scheduled sends by the ids their sending returned."""
        return await self._cancels.async_cancel_ids(send_ids)

    async def async_cancel_matching(
        self, numbers: Sequence[str], message: str, scheduled_at: datetime
    ) -> list[DeliveryResult]:
        """Cancel the scheduled send of `message` at `scheduled_at` to each number."""
        return await self._cancels.async_cancel_matching(numbers, message, scheduled_at)

    async def _async_pump(self) -> None:
        """Retry every message whose time has come, or one probe while down."""
        ledger = self._ledger
        now = dt_util.utcnow()
        ledger.expire(now)
        due = sorted(
            (
                item
                for item in ledger.items.values()
                if item.id not in self._claimed and ledger.ready(item, now)
            ),
            key=lambda item: item.next_try,
        )
        probe = self._breaker.is_open
        if probe:
            # While the gateway is down, one message at a time tells when it is back.
            may_probe = not self._probing and self._breaker.may_probe(now)
            due = due[:1] if may_probe else []
            self._probing = bool(due)
        self._claimed.update(item.id for item in due)
        try:
            await asyncio.gather(
                *(self._async_retry(item, probe=probe) for item in due)
            )
        finally:
            if probe:
                self._probing = False
            self._claimed.difference_update(item.id for item in due)
            self._schedule_pump()

    async def _async_retry(self, item: OutboxItem, *, probe: bool) -> None:
        """Try a message again within the bound of parallel retries.

        A message waiting for a slot is skipped if it was canceled meanwhile, or
        if the gateway went down during the round (the breaker paces it then).
        """
        async with self._retry_slots:
            if item.id not in self._ledger.items or (
                self._breaker.is_open and not probe
            ):
                return
            await self._attempts.async_try(item, first=False)

    @callback
    def _schedule_pump(self) -> None:
        """Start the next retry round now if one is due, else arm its timer."""
        self._cancel_timer()
        # A probe in flight reschedules when it ends: it decides what comes next.
        if not self._running or self._probing:
            return
        ledger = self._ledger
        probe_at = self._breaker.next_probe
        wake: list[datetime] = []
        for item in ledger.items.values():
            if item.id in ledger.in_flight or item.id in self._claimed:
                continue
            wake.append(ledger.deadline(item))
            if item.hold is None and item.after not in ledger.items:
                wake.append(max(item.next_try, probe_at or item.next_try))
        if not wake:
            return
        when = min(wake)
        if when <= dt_util.utcnow():
            self._spawn(self._async_pump())
        else:
            self._unsub_timer = async_track_point_in_utc_time(
                self._hass, self._on_timer, when
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
