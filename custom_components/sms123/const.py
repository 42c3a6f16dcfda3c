"""Constants for the 123-SMS integration."""

import logging
from typing import Final

from .api import DEFAULT_BASE_URL, DataFormat

DOMAIN: Final = "sms123"
LOGGER = logging.getLogger(__package__)

MANUFACTURER: Final = "123-SMS"
PROVIDER_URL: Final = "https://www.123-sms.net"

CONF_DATA_FORMAT: Final = "data_format"
SECTION_ADVANCED: Final = "advanced"

DEFAULT_URL: Final = DEFAULT_BASE_URL
DEFAULT_DATA_FORMAT: Final = DataFormat.JSON

CONF_SENDER_ID: Final = "sender_id"
CONF_SCAN_INTERVAL: Final = "scan_interval"
CONF_LOW_BALANCE_THRESHOLD: Final = "low_balance_threshold"
CONF_LONG_SMS: Final = "long_sms"
CONF_TEST_MODE: Final = "test_mode"

DEFAULT_SCAN_INTERVAL: Final = 30
MIN_SCAN_INTERVAL: Final = 5
MAX_SCAN_INTERVAL: Final = 1440
DEFAULT_LOW_BALANCE_THRESHOLD: Final = 10.0
DEFAULT_LONG_SMS: Final = False
DEFAULT_TEST_MODE: Final = False

SUBENTRY_TYPE_RECIPIENT: Final = "recipient"
CONF_NUMBERS: Final = "numbers"

ISSUE_IP_NOT_ALLOWED: Final = "ip_not_allowed"
ISSUE_BALANCE_EXHAUSTED: Final = "balance_exhausted"

# The gateway answers this code when the calling IP address is not on the
# account's allow list, which only the account owner can change.
CODE_IP_NOT_ALLOWED: Final = "96"
