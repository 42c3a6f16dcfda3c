"""The send path shared by the send action and the notify entities.

From the text and options a user gave to the messages the outbox keeps: checks
against the account, the sender ID, the send time and the SMS parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.util import dt as dt_util

from .api import InvalidSenderIdError, count_parts, split_message, validate_sender_id
from .errors import raise_for_failures
from .outbox import DeliveryResult, OutgoingSms
from .validation import require_printable, validation_error

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from homeassistant.core import HomeAssistant

    from .coordinator import Sms123ConfigEntry
    from .options import AccountOptions


@dataclass(frozen=True, kw_only=True, slots=True)
class SendOptions:
    """How the user asked for a message to be sent."""

    sender_id: str | None = None
    flash: bool = False
    voice: bool = False
    test: bool = False
    scheduled_at: datetime | None = None
    split: bool = False


def compose_text(message: str, title: str | None) -> str:
    """Return the text to send: the title, if any, on a line before the message."""
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
    return when


def message_texts(options: AccountOptions, text: str, *, split: bool) -> list[str]:
    """Return the SMS to send for `text`: itself, or numbered parts if asked."""
    if options.long_sms:
        return [text]
    parts = count_parts(text)
    if parts.parts <= 1:
        return [text]
    if not split:
        raise validation_error(
            "message_too_long", length=str(parts.length), parts=str(parts.parts)
        )
    return split_message(text)


def build_messages(
    options: AccountOptions,
    numbers: Sequence[str],
    text: str,
    send: SendOptions,
) -> list[OutgoingSms]:
    """Check the send options against the account; one SMS per number and part."""
    if send.voice and send.flash:
        raise validation_error("voice_with_flash")
    sender_id = resolve_sender_id(options, send.sender_id)
    scheduled_at = parse_send_time(send.scheduled_at) if send.scheduled_at else None
    texts = message_texts(options, text, split=send.split)
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
        for part in texts
    ]


async def async_deliver(
    hass: HomeAssistant, entry: Sms123ConfigEntry, messages: Sequence[OutgoingSms]
) -> list[DeliveryResult]:
    """Hand the messages to the outbox; raise if any was refused for good."""
    results = await entry.runtime_data.outbox.async_submit(messages)
    raise_for_failures(hass, entry, results, "send_failed")
    return results
