"""The send path shared by the send action and the notify entities.

From the text and options a user gave to the messages the outbox keeps: checks
against the account, the sender ID, the send time and the SMS parts.
"""

from __future__ import annotations

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
from .errors import outbox_full, raise_for_failures
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


def _texts_for_number(
    options: AccountOptions,
    text: str,
    number: str,
    *,
    split: bool,
    is_repeat: RepeatCheck,
) -> list[str]:
    """Return the SMS for one number, each unique among its last 24 hours."""
    reserve = SUFFIX_ROOM if options.unique_repeats else 0
    texts = message_texts(options, text, split=split, reserve=reserve)

    def used(candidate: str) -> bool:
        """Whether the gateway would refuse `candidate` to this number (91)."""
        return is_repeat(number, candidate)

    if not options.unique_repeats:
        if any(used(part) for part in texts):
            raise validation_error("repeat_within_24h", number=number)
        return texts
    now = dt_util.now()
    unique = [unique_text(part, now, used) for part in texts]
    if options.long_sms or all(fits_one_sms(part) for part in unique):
        return unique
    # The suffix made one SMS too long: that is a long message like any other.
    if not split:
        parts = count_parts(unique[0])
        raise validation_error(
            "message_too_long", length=str(parts.length), parts=str(parts.parts)
        )
    # A text that fitted one SMS fits a few with the room: under the cap.
    return [
        unique_text(part, now, used)
        for part in split_message(text, reserve=SUFFIX_ROOM)
    ]


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
            options, text, number, split=send.split, is_repeat=is_repeat
        )
    ]


async def async_deliver(
    hass: HomeAssistant, entry: Sms123ConfigEntry, messages: Sequence[OutgoingSms]
) -> list[DeliveryResult]:
    """Hand the messages to the outbox; raise if any was refused for good."""
    try:
        results = await entry.runtime_data.outbox.async_submit(messages)
    except OutboxFullError as error:
        raise outbox_full(error) from error
    raise_for_failures(hass, entry, results, "send_failed")
    return results
