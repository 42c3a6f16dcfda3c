"""Checks, splitting and delivery shared by the send action and notify entities."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util

from .api import (
    InvalidSenderIdError,
    Sms123AuthenticationError,
    count_parts,
    validate_sender_id,
)
from .const import (
    CONF_LONG_SMS,
    CONF_SENDER_ID,
    CONF_TEST_MODE,
    DEFAULT_LONG_SMS,
    DEFAULT_TEST_MODE,
    DOMAIN,
)
from .outbox import DeliveryResult, DeliveryStatus, OutgoingSms

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from homeassistant.core import HomeAssistant

    from .coordinator import Sms123ConfigEntry


@dataclass(frozen=True, kw_only=True, slots=True)
class SendOptions:
    """How the user asked for a message to be sent."""

    sender_id: str | None = None
    flash: bool = False
    voice: bool = False
    test: bool = False
    scheduled_at: datetime | None = None
    split: bool = False


def validation_error(key: str, **placeholders: str) -> ServiceValidationError:
    """Build the translated error for input refused before any request."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


# Line breaks and tabs travel in an SMS; other control characters, lone surrogates
# and non-characters do not (and an XML body cannot carry most of them).
_ALLOWED_CONTROLS = frozenset("\n\r\t")
_NON_CHARACTERS = frozenset("\ufffe\uffff")


def printable(field: str, value: str) -> str:
    """Return `value`, or refuse it naming the field and the first bad character."""
    for char in value:
        if char in _NON_CHARACTERS or (
            unicodedata.category(char) in {"Cc", "Cs"} and char not in _ALLOWED_CONTROLS
        ):
            raise validation_error(
                "control_character", field=field, character=f"U+{ord(char):04X}"
            )
    return value


def compose(message: str, title: str | None) -> str:
    """Return the text to send: the title, if any, on a line before the message."""
    text = printable("message", message).strip()
    if title is not None:
        printable("title", title)
    if not text:
        raise validation_error("message_empty")
    if title and title.strip():
        return f"{title.strip()}\n{text}"
    return text


def sender_id(entry: Sms123ConfigEntry, value: str | None) -> str | None:
    """Return the sender ID to use (the action's, else the account's), checked."""
    chosen = value if value is not None else entry.options.get(CONF_SENDER_ID)
    if chosen is None:
        return None
    try:
        return validate_sender_id(chosen)
    except InvalidSenderIdError as error:
        raise validation_error(f"sender_id_{error.reason}", sender_id=chosen) from error


def schedule(value: datetime) -> datetime:
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


def texts(entry: Sms123ConfigEntry, text: str, *, split: bool) -> list[str]:
    """Return the SMS to send for `text`: itself, or numbered parts if asked."""
    if entry.options.get(CONF_LONG_SMS, DEFAULT_LONG_SMS):
        return [text]
    parts = count_parts(text)
    if parts.parts <= 1:
        return [text]
    if not split:
        raise validation_error(
            "message_too_long", length=str(parts.length), parts=str(parts.parts)
        )
    return split_message(text)


def split_message(text: str) -> list[str]:
    """Cut `text` into SMS that each fit one part, numbered "(1/3) "."""
    if count_parts(text).parts <= 1:
        return [text]
    width = 1
    while True:
        chunks = _chunks(text, f"({'9' * width}/{'9' * width}) ")
        if len(chunks) < 10**width:
            total = len(chunks)
            return [
                f"({index}/{total}) {chunk}" for index, chunk in enumerate(chunks, 1)
            ]
        width += 1


def _chunks(text: str, widest_prefix: str) -> list[str]:
    """Cut `text` into pieces that fit one SMS after `widest_prefix`."""
    chunks: list[str] = []
    rest = text
    while rest:
        cut = _longest_fit(rest, widest_prefix)
        if cut < len(rest) and (space := rest.rfind(" ", 0, cut + 1)) > 0:
            cut = space
        chunks.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    return chunks


def _longest_fit(text: str, prefix: str) -> int:
    """Return the longest start of `text` that fits one SMS after `prefix`."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if count_parts(prefix + text[:middle]).parts <= 1:
            low = middle
        else:
            high = middle - 1
    return low


def build(
    entry: Sms123ConfigEntry,
    numbers: Sequence[str],
    text: str,
    options: SendOptions,
) -> list[OutgoingSms]:
    """Check the options against the account and list one SMS per number and part."""
    if options.voice and options.flash:
        raise validation_error("voice_with_flash")
    chosen_sender = sender_id(entry, options.sender_id)
    scheduled_at = schedule(options.scheduled_at) if options.scheduled_at else None
    test = options.test or bool(entry.options.get(CONF_TEST_MODE, DEFAULT_TEST_MODE))
    parts = texts(entry, text, split=options.split)
    return [
        OutgoingSms(
            number=number,
            message=part,
            sender_id=chosen_sender,
            flash=options.flash,
            voice=options.voice,
            test=test,
            scheduled_at=scheduled_at,
        )
        for number in numbers
        for part in parts
    ]


async def async_deliver(
    hass: HomeAssistant, entry: Sms123ConfigEntry, messages: Sequence[OutgoingSms]
) -> list[DeliveryResult]:
    """Hand the messages to the outbox; raise if any was refused for good."""
    results = await entry.runtime_data.outbox.async_submit(messages)
    raise_for_failures(hass, entry, results, "send_failed")
    return results


def raise_for_failures(
    hass: HomeAssistant,
    entry: Sms123ConfigEntry,
    results: Sequence[DeliveryResult],
    key: str,
) -> None:
    """Raise one error naming every failed number; refused credentials start reauth."""
    failed = [result for result in results if result.status is DeliveryStatus.FAILED]
    if not failed:
        return
    if any(isinstance(result.error, Sms123AuthenticationError) for result in failed):
        entry.async_start_reauth(hass)
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="invalid_auth"
        )
    raise HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={
            "failures": "; ".join(
                f"{result.number}: {result.reason}" for result in failed
            )
        },
    )
