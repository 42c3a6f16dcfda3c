"""The options of an account, typed, with their defaults, read in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
)

from .api import InvalidSenderIdError, validate_sender_id
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
    MAX_LIMIT,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
)
from .schema import vol

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


# The numbers take no bounds in their selectors: a value out of range gets the
# step's own translated error, and the form is shown again with only current errors.
# SMS counts; 0 turns the limit off.
_LIMIT_SELECTOR = NumberSelector(
    NumberSelectorConfig(step=1, mode=NumberSelectorMode.BOX, unit_of_measurement="SMS")
)
OPTIONS_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_SENDER_ID): TextSelector(),
        vol.Required(CONF_SCAN_INTERVAL, default=DEFAULT_SCAN_INTERVAL): NumberSelector(
            NumberSelectorConfig(
                step=1, mode=NumberSelectorMode.BOX, unit_of_measurement="min"
            )
        ),
        vol.Required(
            CONF_LOW_BALANCE_THRESHOLD, default=DEFAULT_LOW_BALANCE_THRESHOLD
        ): NumberSelector(
            NumberSelectorConfig(step="any", mode=NumberSelectorMode.BOX)
        ),
        vol.Required(CONF_LONG_SMS, default=DEFAULT_LONG_SMS): BooleanSelector(),
        vol.Required(CONF_TEST_MODE, default=DEFAULT_TEST_MODE): BooleanSelector(),
        vol.Required(
            CONF_UNIQUE_REPEATS, default=DEFAULT_UNIQUE_REPEATS
        ): BooleanSelector(),
        vol.Required(
            CONF_STOP_MENTION, default=DEFAULT_STOP_MENTION
        ): BooleanSelector(),
        vol.Required(CONF_DAILY_LIMIT, default=DEFAULT_DAILY_LIMIT): _LIMIT_SELECTOR,
        vol.Required(
            CONF_RECIPIENT_HOURLY_LIMIT, default=DEFAULT_RECIPIENT_HOURLY_LIMIT
        ): _LIMIT_SELECTOR,
    }
)

# Each number option: its lowest and highest value, and the error past them.
_OPTION_RANGES: dict[str, tuple[float, float | None, str]] = {
    CONF_SCAN_INTERVAL: (MIN_SCAN_INTERVAL, MAX_SCAN_INTERVAL, "scan_interval_range"),
    CONF_LOW_BALANCE_THRESHOLD: (0, None, "threshold_negative"),
    CONF_DAILY_LIMIT: (0, MAX_LIMIT, "limit_range"),
    CONF_RECIPIENT_HOURLY_LIMIT: (0, MAX_LIMIT, "limit_range"),
}


def _out_of_range(options: dict[str, Any]) -> dict[str, str]:
    """Return the error of each number option outside its range."""
    return {
        key: error
        for key, (lowest, highest, error) in _OPTION_RANGES.items()
        if options[key] < lowest or (highest is not None and options[key] > highest)
    }


def options_from_form(form: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the options an options form gives, and the error of each bad field."""
    options: dict[str, Any] = {
        CONF_SCAN_INTERVAL: int(form[CONF_SCAN_INTERVAL]),
        CONF_LOW_BALANCE_THRESHOLD: float(form[CONF_LOW_BALANCE_THRESHOLD]),
        CONF_LONG_SMS: form[CONF_LONG_SMS],
        CONF_TEST_MODE: form[CONF_TEST_MODE],
        CONF_UNIQUE_REPEATS: form[CONF_UNIQUE_REPEATS],
        CONF_STOP_MENTION: form[CONF_STOP_MENTION],
        CONF_DAILY_LIMIT: int(form[CONF_DAILY_LIMIT]),
        CONF_RECIPIENT_HOURLY_LIMIT: int(form[CONF_RECIPIENT_HOURLY_LIMIT]),
    }
    errors = _out_of_range(options)
    if sender_id := form.get(CONF_SENDER_ID, "").strip():
        try:
            options[CONF_SENDER_ID] = validate_sender_id(sender_id)
        except InvalidSenderIdError as error:
            errors[CONF_SENDER_ID] = f"sender_id_{error.reason}"
    return options, errors
