"""Gateway refusals turned into the translated errors a user sees, in one place."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING
from uuid import uuid4

from homeassistant.exceptions import HomeAssistantError

from .api import Sms123AuthenticationError, Sms123Error
from .const import DOMAIN
from .limits import Limit
from .outbox import DeliveryResult, DeliveryStatus

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from .limits import LimitRefusal
    from .outbox import OutboxFullError

# What the message of a refusal may name; each is given, empty when unknown.
GATEWAY_PLACEHOLDERS = ("code", "meaning", "group", "new_group", "number")


def refused_credentials(hass: HomeAssistant, entry: ConfigEntry) -> HomeAssistantError:
    """Start reauthentication and build the error that says why."""
    entry.async_start_reauth(hass)
    return HomeAssistantError(translation_domain=DOMAIN, translation_key="invalid_auth")


def gateway_error(
    error: Sms123Error, placeholders: Mapping[str, str]
) -> HomeAssistantError:
    """Build the error of a refusal: the code's own message, or why none came."""
    code = error.code
    if code is None:
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"error": str(error)},
        )
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=code.key,
        translation_placeholders={
            **dict.fromkeys(GATEWAY_PLACEHOLDERS, ""),
            "code": code.value,
            "meaning": code.meaning,
            **placeholders,
        },
    )


@contextmanager
def gateway_errors(
    hass: HomeAssistant, entry: ConfigEntry, **placeholders: str
) -> Iterator[None]:
    """Turn a client error into the user's error; refused credentials start reauth."""
    try:
        yield
    except Sms123AuthenticationError as error:
        raise refused_credentials(hass, entry) from error
    except Sms123Error as error:
        raise gateway_error(error, placeholders) from error


def outbox_full(error: OutboxFullError) -> HomeAssistantError:
    """Build the error for messages refused because the outbox is full."""
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="outbox_full",
        translation_placeholders={
            "pending": str(error.pending),
            "capacity": str(error.capacity),
        },
    )


def refusal_result(refusal: LimitRefusal) -> DeliveryResult:
    """Describe a message the limits refused: failed, before any request."""
    send_id = uuid4().hex
    return DeliveryResult.of(
        send_id,
        send_id,
        refusal.sms,
        DeliveryStatus.FAILED,
        code=None,
        reason=refusal.reason,
    )


def raise_for_failures(
    hass: HomeAssistant,
    entry: ConfigEntry,
    results: Sequence[DeliveryResult],
    key: str,
    refusals: Sequence[LimitRefusal] = (),
) -> None:
    """Raise one error naming every failed number; refused credentials start reauth."""
    failed = [result for result in results if result.status is DeliveryStatus.FAILED]
    if not failed:
        return
    if any(isinstance(result.error, Sms123AuthenticationError) for result in failed):
        raise refused_credentials(hass, entry)
    if refusals:
        raise _limit_error(refusals)
    raise HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={
            "failures": "; ".join(
                f"{result.number}: {result.reason}" for result in failed
            )
        },
    )


def _limit_error(refusals: Sequence[LimitRefusal]) -> HomeAssistantError:
    """Build the error naming the limit and the numbers it kept the messages from."""
    # An hourly refusal names one phone that gets too much: the clearer of the two.
    limit = (
        Limit.RECIPIENT
        if any(refusal.limit is Limit.RECIPIENT for refusal in refusals)
        else Limit.DAILY
    )
    of_it = [refusal for refusal in refusals if refusal.limit is limit]
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=f"{limit}_reached",
        translation_placeholders={
            "limit": str(of_it[0].value),
            "numbers": ", ".join(
                dict.fromkeys(refusal.sms.number for refusal in of_it)
            ),
        },
    )
