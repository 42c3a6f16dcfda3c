"""The options of an account, typed, with their defaults, read in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from .const import (
    CONF_DAILY_LIMIT,
    CONF_LONG_SMS,
    CONF_LOW_BALANCE_THRESHOLD,
    CONF_RECIPIENT_HOURLY_LIMIT,
    CONF_SCAN_INTERVAL,
    CONF_SENDER_ID,
    CONF_STOP_MENTION,
    CONF_TEST_MODE,
    CONF_UNIQUE_REPEATS,
    DEFAULT_DAILY_LIMIT,
    DEFAULT_LONG_SMS,
    DEFAULT_LOW_BALANCE_THRESHOLD,
    DEFAULT_RECIPIENT_HOURLY_LIMIT,
    DEFAULT_SCAN_INTERVAL,
    DEFAULT_STOP_MENTION,
    DEFAULT_TEST_MODE,
    DEFAULT_UNIQUE_REPEATS,
)

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry


def account_options(entry: ConfigEntry) -> AccountOptions:
    """Read the options of an entry, each missing one at its default."""
    options = entry.options
    return AccountOptions(
        sender_id=options.get(CONF_SENDER_ID),
        scan_interval=timedelta(
            minutes=options.get(CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL)
        ),
        low_balance_threshold=float(
            options.get(CONF_LOW_BALANCE_THRESHOLD, DEFAULT_LOW_BALANCE_THRESHOLD)
        ),
        long_sms=bool(options.get(CONF_LONG_SMS, DEFAULT_LONG_SMS)),
        test_mode=bool(options.get(CONF_TEST_MODE, DEFAULT_TEST_MODE)),
        unique_repeats=bool(options.get(CONF_UNIQUE_REPEATS, DEFAULT_UNIQUE_REPEATS)),
        stop_mention=bool(options.get(CONF_STOP_MENTION, DEFAULT_STOP_MENTION)),
        daily_limit=int(options.get(CONF_DAILY_LIMIT, DEFAULT_DAILY_LIMIT)),
        recipient_hourly_limit=int(
            options.get(CONF_RECIPIENT_HOURLY_LIMIT, DEFAULT_RECIPIENT_HOURLY_LIMIT)
        ),
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class AccountOptions:
    """How an account sends and polls, as set in its options flow."""

    sender_id: str | None = None
    scan_interval: timedelta = timedelta(minutes=DEFAULT_SCAN_INTERVAL)
    low_balance_threshold: float = DEFAULT_LOW_BALANCE_THRESHOLD
    long_sms: bool = DEFAULT_LONG_SMS
    test_mode: bool = DEFAULT_TEST_MODE
    unique_repeats: bool = DEFAULT_UNIQUE_REPEATS
    stop_mention: bool = DEFAULT_STOP_MENTION
    # SMS parts a local day, and SMS to one number in a rolling hour; 0: no limit.
    daily_limit: int = DEFAULT_DAILY_LIMIT
    recipient_hourly_limit: int = DEFAULT_RECIPIENT_HOURLY_LIMIT
