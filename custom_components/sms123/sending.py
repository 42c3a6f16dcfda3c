"""The send path shared by the send action and the notify entities.

From the text and options a user gave to the messages the outbox keeps: checks
against the account, the sender ID, the send time and the SMS parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.util import dt as dt_util

from .api import (
    GSM7_SINGLE_PART,
    MAX_PARTS,
    InvalidSenderIdError,
    count_parts,
    fits_one_sms,
    is_second_paris_occurrence,
    split_message,
    validate_sender_id,
)
from .errors import outbox_full, raise_for_failures, refusal_result
from .issues import async_track_daily_limit
from .limits import Limit, apply_limits
from .outbox import (
    SUFFIX_ROOM,
    DeliveryResult,
    OutboxFullError,
    OutgoingSms,
    unique_text,
)
from .validation import require_printable, validation_error

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import datetime

    from homeassistant.core import HomeAssistant
    from homeassistant.exceptions import ServiceValidationError

    from .coordinator import Sms123ConfigEntry
    from .options import AccountOptions


@dataclass(frozen=True, kw_only=True, slots=True)
class SendOptions:
    """How the user asked for a message to be sent."""

    flash: bool = False
    voice: bool = False
    test: bool = False
    split: bool = False
    sender_id: str | None = None
    scheduled_at: datetime | None = None


# Whether a text went to a number in the last 24 hours: (number, text) -> bool.
type RepeatCheck = Callable[[str, str], bool]


def _too_many_parts(parts: int) -> ServiceValidationError:
    """Build the error for a message over the cap of SMS per message."""
    return validation_error(
        "message_too_many_parts", parts=str(parts), max_parts=str(MAX_PARTS)
    )


def compose_text(message: str, title: str | None) -> str:
    """Return the text to send: the title, if any, on a line before the message."""
    # Checked before any work on the text: no cap of parts lets this many through.
    length = len(message) + len(title or "")
    if length > MAX_PARTS * GSM7_SINGLE_PART:
        raise _too_many_parts(-(-length // GSM7_SINGLE_PART))
    text = require_printable("message", message).strip()
    if title is not None:
        require_printable("title", title)
    if not text:
        raise validation_error("message_empty")
    if title and title.strip():
        return f"{title.strip()}\n{text}"
    return text


def resolve_sender_id(options: AccountOptions, value: str | None) -> str | None:
    """Return the sender ID to use (the action's, else the account's), checked."""
    chosen = value if value is not None else options.sender_id
    if chosen is None:
        return None
    try:
        return validate_sender_id(chosen)
    except InvalidSenderIdError as error:
        raise validation_error(f"sender_id_{error.reason}", sender_id=chosen) from error


def parse_send_time(value: datetime) -> datetime:
    """Return the send time as an aware UTC time, refusing one in the past.

    A time without a zone is read in the time zone of Home Assistant.
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt_util.get_default_time_zone())
    when = dt_util.as_utc(value)
    if when <= dt_util.utcnow():
        raise validation_error(
            "scheduled_at_past", scheduled_at=dt_util.as_local(when).isoformat()
        )
    if is_second_paris_occurrence(when):
        raise validation_error(
            "scheduled_at_ambiguous", scheduled_at=dt_util.as_local(when).isoformat()
        )
    return when


def message_texts(
    options: AccountOptions, text: str, *, split: bool, reserve: int = 0
) -> list[str]:
    """Return the SMS to send for `text`: itself, or numbered parts if asked.

    Split parts keep `reserve` units free for a repeat suffix.
    """
    parts = count_parts(text)
    if parts.parts > MAX_PARTS:
        raise _too_many_parts(parts.parts)
    if options.long_sms or parts.parts <= 1:
        return [text]
    if not split:
        raise validation_error(
            "message_too_long", length=str(parts.length), parts=str(parts.parts)
        )
    texts = split_message(text, reserve=reserve)
    if len(texts) > MAX_PARTS:
        raise _too_many_parts(len(texts))
    return texts


# The gateway wants this at the end of every SMS sent with a sender ID (code 102).
STOP_MENTION = " STOP SMS au 36177"
_STOP_MENTION = re.compile(r"\s*stop sms au 36177\s*$", re.IGNORECASE)


def _split_mention(part: str) -> tuple[str, str]:
    """Return `part` without a stop mention at its end, and that mention (or ours)."""
    if found := _STOP_MENTION.search(part):
        return part[: found.start()], part[found.start() :].rstrip()
    return part, STOP_MENTION


def _texts_for_number(  # noqa: PLR0913 - the text, where it goes and how
    options: AccountOptions,
    text: str,
    number: str,
    *,
    split: bool,
    mention: bool,
    is_repeat: RepeatCheck,
) -> list[str]:
    """Return the SMS for one number, unique in its 24 hours, with any stop mention.

    With `mention` (a sender ID that needs it) every SMS ends with the mention.
    """
    reserve = (SUFFIX_ROOM if options.unique_repeats else 0) + (
        len(STOP_MENTION) if mention else 0
    )
    now = dt_util.now()

    def finished(part: str) -> str:
        """Return the SMS for `part`: made unique if asked, the mention at the end."""
        body, tail = _split_mention(part) if mention else (part, "")

        def used(candidate: str) -> bool:
            """Whether the gateway would refuse this text to this number (91)."""
            return is_repeat(number, candidate + tail)

        if not options.unique_repeats:
            if used(body):
                raise validation_error("repeat_within_24h", number=number)
            return body + tail
        return unique_text(body, now, used) + tail

    texts = [
        finished(part)
        for part in message_texts(options, text, split=split, reserve=reserve)
    ]
    if options.long_sms or all(fits_one_sms(part) for part in texts):
        return texts
    # The suffix or the mention made one SMS too long: a long message like any other.
    if not split:
        parts = count_parts(texts[0])
        raise validation_error(
            "message_too_long", length=str(parts.length), parts=str(parts.parts)
        )
    # A text that fitted one SMS fits a few with the room: under the cap.
    return [finished(part) for part in split_message(text, reserve=reserve)]


def build_messages(
    options: AccountOptions,
    numbers: Sequence[str],
    text: str,
    send: SendOptions,
    is_repeat: RepeatCheck,
) -> list[OutgoingSms]:
    """Check the send options against the account; one SMS per number and part."""
    if send.voice and send.flash:
        raise validation_error("voice_with_flash")
    sender_id = resolve_sender_id(options, send.sender_id)
    scheduled_at = parse_send_time(send.scheduled_at) if send.scheduled_at else None
    return [
        OutgoingSms(
            number=number,
            message=part,
            sender_id=sender_id,
            flash=send.flash,
            voice=send.voice,
            test=send.test or options.test_mode,
            scheduled_at=scheduled_at,
        )
        for number in numbers
        for part in _texts_for_number(
            options,
            text,
            number,
            split=send.split,
            mention=sender_id is not None and options.stop_mention,
            is_repeat=is_repeat,
        )
    ]


async def async_deliver(
    hass: HomeAssistant,
    entry: Sms123ConfigEntry,
    messages: Sequence[OutgoingSms],
    *,
    ignore_limits: bool = False,
) -> list[DeliveryResult]:
    """Send what the limits allow through the outbox; raise if any was refused.

    Messages over a limit are refused before any request and never stored: they
    fail with a reason naming the limit (and an event), the others are sent.
    """
    data = entry.runtime_data
    allowed, refusals = apply_limits(
        data.options, data.outbox, messages, ignore=ignore_limits
    )
    try:
        sent = await data.outbox.async_submit(allowed) if allowed else []
    except OutboxFullError as error:
        raise outbox_full(error) from error
    refused = [refusal_result(refusal) for refusal in refusals]
    data.outbox.async_report(refused)
    async_track_daily_limit(
        hass,
        entry,
        refused=any(refusal.limit is Limit.DAILY for refusal in refusals),
    )
    in_order = _in_input_order(messages, allowed, sent, refused)
    raise_for_failures(hass, entry, in_order, "send_failed", refusals)
    return in_order


def _in_input_order(
    messages: Sequence[OutgoingSms],
    allowed: Sequence[OutgoingSms],
    sent: Sequence[DeliveryResult],
    refused: Sequence[DeliveryResult],
) -> list[DeliveryResult]:
    """Put the results of the sent and of the refused messages back in input order."""
    sent_results = iter(sent)
    refused_results = iter(refused)
    allowed_ids = {id(sms) for sms in allowed}
    return [
        next(sent_results) if id(sms) in allowed_ids else next(refused_results)
        for sms in messages
    ]
