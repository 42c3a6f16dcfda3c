"""Constants for the 123-SMS integration: names, option keys and their defaults."""

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
CONF_UNIQUE_REPEATS: Final = "unique_repeats"
CONF_STOP_MENTION: Final = "stop_mention"
CONF_DAILY_LIMIT: Final = "daily_limit"
CONF_RECIPIENT_HOURLY_LIMIT: Final = "recipient_hourly_limit"

DEFAULT_SCAN_INTERVAL: Final = 30
MIN_SCAN_INTERVAL: Final = 5
MAX_SCAN_INTERVAL: Final = 1440
DEFAULT_LOW_BALANCE_THRESHOLD: Final = 10.0
DEFAULT_LONG_SMS: Final = False
DEFAULT_TEST_MODE: Final = False
DEFAULT_UNIQUE_REPEATS: Final = True
DEFAULT_STOP_MENTION: Final = False
# A flapping sensor or a template loop must not empty a prepaid account: 50 SMS a
# day is more than any household's alerts, 10 an hour to one phone is a storm.
DEFAULT_DAILY_LIMIT: Final = 50
DEFAULT_RECIPIENT_HOURLY_LIMIT: Final = 10
MAX_LIMIT: Final = 100000

SUBENTRY_TYPE_RECIPIENT: Final = "recipient"
CONF_NUMBERS: Final = "numbers"

ISSUE_IP_NOT_ALLOWED: Final = "ip_not_allowed"
ISSUE_BALANCE_EXHAUSTED: Final = "balance_exhausted"
ISSUE_STOP_MENTION_REQUIRED: Final = "stop_mention_required"
ISSUE_SENDER_ID_REFUSED: Final = "sender_id_refused"
ISSUE_OVERSEAS_NOT_ENABLED: Final = "overseas_not_enabled"
ISSUE_NUMBER_BLOCKED: Final = "number_blocked"
ISSUE_DAILY_LIMIT_REACHED: Final = "daily_limit_reached"

# Actions and their fields. Not imported from Home Assistant: older releases do
# not define ATTR_CONFIG_ENTRY_ID.
SERVICE_SEND_SMS: Final = "send_sms"
SERVICE_CANCEL_SCHEDULED_SMS: Final = "cancel_scheduled_sms"
SERVICE_ADD_GROUP: Final = "add_group"
SERVICE_RENAME_GROUP: Final = "rename_group"
SERVICE_DELETE_GROUP: Final = "delete_group"
SERVICE_ADD_CONTACT: Final = "add_contact"
SERVICE_UPDATE_CONTACT: Final = "update_contact"
SERVICE_DELETE_CONTACT: Final = "delete_contact"

ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"
ATTR_RECIPIENTS: Final = "recipients"
ATTR_MESSAGE: Final = "message"
ATTR_TITLE: Final = "title"
ATTR_SENDER_ID: Final = "sender_id"
ATTR_FLASH: Final = "flash"
ATTR_VOICE: Final = "voice"
ATTR_SCHEDULED_AT: Final = "scheduled_at"
ATTR_TEST: Final = "test"
ATTR_SPLIT: Final = "split"
ATTR_IGNORE_LIMITS: Final = "ignore_limits"
ATTR_ID: Final = "id"

ATTR_GROUP: Final = "group"
ATTR_GROUPS: Final = "groups"
ATTR_NEW_NAME: Final = "new_name"
ATTR_PHONE: Final = "phone"
ATTR_NEW_PHONE: Final = "new_phone"
ATTR_LAST_NAME: Final = "last_name"
ATTR_FIRST_NAME: Final = "first_name"
ATTR_COMPANY: Final = "company"
ATTR_BIRTHDAY: Final = "birthday"
ATTR_VAR1: Final = "var1"
ATTR_VAR2: Final = "var2"
ATTR_VAR3: Final = "var3"
