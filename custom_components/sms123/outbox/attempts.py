"""One try of one message, and what its answer means for the message."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from homeassistant.util import dt as dt_util

from ..api import (
    SendCode,
    SendResult,
    Sms123ApiError,
    Sms123AuthenticationError,
    Sms123Client,
    Sms123Error,
)
from ..const import LOGGER
from .models import (
    AccountRefusal,
    DeliveryResult,
    DeliveryStatus,
    Hold,
    OutgoingSms,
    Reason,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from .ledger import OutboxLedger
    from .models import OutboxItem, ScheduledSend
    from .policy import Breaker

# The gateway refuses a scheduled time in the past; a scheduled message that
# could only be delivered late is sent at once instead.
SCHEDULE_MARGIN = timedelta(minutes=1)

REASON_ALREADY_SENT = Reason(
    "sent_earlier", "an earlier try of this message got through"
)
REASON_CANCEL_QUEUED = Reason(
    "cancel_pending", "the gateway will be asked to delete the copy it may hold"
)
REASON_NO_COPY = Reason("no_copy", "the gateway holds no copy of it")
REASON_TOO_LATE = Reason("too_late", "too late to cancel: its time has passed")
REASON_IP_REFUSED = Reason(
    SendCode.IP_NOT_ALLOWED.key,
    "waiting for the IP address of Home Assistant to be allowed",
)


class Attempts:
    """Send (or delete) one message at a time and settle what happens to it."""

    def __init__(
        self,
        client: Sms123Client,
        ledger: OutboxLedger,
        breaker: Breaker,
        on_gateway_back: Callable[[], None],
    ) -> None:
        """Work on `ledger` through `client`; call `on_gateway_back` when it answers."""
        self._client = client
        self._ledger = ledger
        self._breaker = breaker
        self._on_gateway_back = on_gateway_back

    async def async_try(self, item: OutboxItem, *, first: bool) -> DeliveryResult:
        """Try one message once (its send, or the delete its cancel asked for)."""
        in_flight = self._ledger.in_flight
        in_flight.add(item.id)
        try:
            item.attempts += 1
            if item.cancel_requested:
                return await self._async_delete_for_cancel(item)
            try:
                answer = await self._async_send(item)
            except Sms123Error as err:
                return self._settle_error(item, err, first=first)
            return self._settle_answer(item, answer)
        finally:
            in_flight.discard(item.id)

    async def _async_send(self, item: OutboxItem) -> SendResult:
        """Send a message; first delete a scheduled copy a lost try may have left."""
        sms = item.sms
        scheduled_at = sms.scheduled_at
        late = scheduled_at is not None and _is_late(scheduled_at)
        # The 24-h rule only guards sends made at once: without this delete, a
        # retry after a lost answer could leave a second copy at the gateway. A
        # late copy that is not there any more may have gone out: a 91 tells.
        if (
            scheduled_at is not None
            and item.maybe_at_gateway
            and (await self._async_delete_copy(sms, scheduled_at) or not late)
        ):
            item.maybe_at_gateway = False
        return await self._client.send_sms(
            sms.number,
            sms.message,
            sender_id=sms.sender_id,
            flash=sms.flash,
            voice=sms.voice,
            scheduled_at=None if late else scheduled_at,
            test=sms.test,
        )

    async def _async_delete_copy(
        self, sms: OutgoingSms, scheduled_at: datetime
    ) -> bool:
        """Delete a scheduled copy at the gateway; tell whether there was one."""
        try:
            await self._client.cancel_scheduled_sms(
                sms.number, sms.message, scheduled_at
            )
        except Sms123ApiError as err:
            if err.code is not SendCode.SCHEDULE_NOT_DELETED:
                raise
            return False
        return True

    def _settle_answer(self, item: OutboxItem, answer: SendResult) -> DeliveryResult:
        """Record a code the client returned (success, or 101 info)."""
        self._gateway_answered()
        ledger = self._ledger
        code = answer.code
        if code is SendCode.SCHEDULED and item.sms.scheduled_at is not None:
            ledger.record_scheduled(item, item.sms.scheduled_at)
            return ledger.finish(
                item, DeliveryStatus.SCHEDULED, code, Reason.of_code(code)
            )
        if code is SendCode.TEST_OK:
            return ledger.finish(item, DeliveryStatus.TEST, code, Reason.of_code(code))
        if code.success:
            return ledger.sent(item, code, Reason.of_code(code))
        reason = f"The gateway answered code {code.value}, {code.meaning}"
        return ledger.fail(item, code, Reason(code.key, reason))

    def _settle_error(
        self, item: OutboxItem, err: Sms123Error, *, first: bool
    ) -> DeliveryResult:
        """Retry, hold or fail a message whose try raised `err`."""
        ledger = self._ledger
        code = err.code
        if err.transient:
            if err.reached:
                item.maybe_at_gateway = True
            # A first try while the gateway is down is no probe: it does not
            # lengthen the wait of the others.
            if not first or not self._breaker.is_open:
                self._breaker.trip(dt_util.utcnow())
            return ledger.requeue(item, code, Reason.of_error(err), err)
        if code is not SendCode.IP_NOT_ALLOWED:
            self._gateway_answered()
        if code is SendCode.ALREADY_SENT and item.maybe_at_gateway:
            return ledger.sent(item, code, REASON_ALREADY_SENT)
        if code is SendCode.NO_CREDIT:
            return ledger.hold(item, Hold.CREDIT, code, err)
        if code is SendCode.IP_NOT_ALLOWED:
            # Every send is refused until the owner allows the address: pace the
            # tries as in an outage; the first one that goes through resumes all.
            ledger.on_refusal(AccountRefusal.IP_ADDRESS)
            self._breaker.trip(dt_util.utcnow())
            return ledger.requeue(item, code, REASON_IP_REFUSED, err)
        if isinstance(err, Sms123AuthenticationError) and not first:
            ledger.on_refusal(AccountRefusal.CREDENTIALS)
            return ledger.hold(item, Hold.CREDENTIALS, code, err)
        LOGGER.debug("Send to %s refused: %s", item.sms.number, err)
        return ledger.fail(item, code, Reason.of_error(err), err)

    async def _async_delete_for_cancel(self, item: OutboxItem) -> DeliveryResult:
        """Delete the copy of a canceled message that the gateway may hold."""
        ledger = self._ledger
        scheduled_at = item.sms.scheduled_at
        if scheduled_at is None or _is_late(scheduled_at):
            return ledger.fail(item, None, REASON_TOO_LATE)
        try:
            deleted = await self._async_delete_copy(item.sms, scheduled_at)
        except Sms123Error as err:
            if not err.transient:
                self._gateway_answered()
                return ledger.fail(item, err.code, Reason.of_error(err), err)
            self._breaker.trip(dt_util.utcnow())
            return ledger.requeue(item, err.code, REASON_CANCEL_QUEUED, err)
        self._gateway_answered()
        if deleted:
            deleted_code = SendCode.SCHEDULE_DELETED
            return ledger.finish(
                item,
                DeliveryStatus.CANCELED,
                deleted_code,
                Reason.of_code(deleted_code),
            )
        return ledger.finish(item, DeliveryStatus.CANCELED, None, REASON_NO_COPY)

    async def async_cancel_remote(self, record: ScheduledSend) -> DeliveryResult:
        """Ask the gateway to delete a send it holds for later."""
        sms = OutgoingSms(
            number=record.number,
            message=record.message,
            scheduled_at=record.scheduled_at,
        )
        try:
            answer = await self._client.cancel_scheduled_sms(
                record.number, record.message, record.scheduled_at
            )
        except Sms123Error as err:
            LOGGER.debug("Cancel of the send to %s refused: %s", sms.number, err)
            return DeliveryResult.of(
                record.id,
                record.batch,
                sms,
                DeliveryStatus.FAILED,
                code=err.code,
                reason=Reason.of_error(err),
                error=err,
            )
        self._gateway_answered()
        self._ledger.scheduled.pop(record.id, None)
        self._ledger.save_later()
        result = DeliveryResult.of(
            record.id,
            record.batch,
            sms,
            DeliveryStatus.CANCELED,
            code=answer.code,
            reason=Reason.of_code(answer.code),
        )
        self._ledger.on_result(result)
        return result

    def _gateway_answered(self) -> None:
        """Close the breaker now that the gateway answered; drain if it was open."""
        if self._breaker.reset():
            self._on_gateway_back()


def _is_late(scheduled_at: datetime) -> bool:
    """Whether a scheduled time is too close (or past) for the gateway to keep."""
    return scheduled_at <= dt_util.utcnow() + SCHEDULE_MARGIN
