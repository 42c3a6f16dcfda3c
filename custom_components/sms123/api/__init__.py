"""Async client for the 123-SMS.net SMS gateway (no Home Assistant imports)."""

from .body import DataFormat
from .client import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, CredentialStyle, Sms123Client
from .codes import (
    UNKNOWN_CODE_KEY,
    ApiCode,
    BalanceCode,
    CodeKind,
    ContactCode,
    GroupCode,
    SendCode,
)
from .dates import format_birthday, format_schedule, is_second_paris_occurrence
from .exceptions import (
    InvalidPhoneNumberError,
    InvalidSenderIdError,
    Sms123ApiError,
    Sms123AuthenticationError,
    Sms123ConnectionError,
    Sms123Error,
    Sms123HttpError,
    Sms123InvalidRequestError,
    Sms123TimeoutError,
    Sms123UnexpectedAnswerError,
)
from .models import ApiResult, Balance, Contact, Encoding, MessageParts, SendResult
from .phone import is_overseas_number, normalize_phone_number
from .text import (
    GSM7_SINGLE_PART,
    MAX_PARTS,
    count_parts,
    fits_one_sms,
    split_message,
    validate_sender_id,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "GSM7_SINGLE_PART",
    "MAX_PARTS",
    "UNKNOWN_CODE_KEY",
    "ApiCode",
    "ApiResult",
    "Balance",
    "BalanceCode",
    "CodeKind",
    "Contact",
    "ContactCode",
    "CredentialStyle",
    "DataFormat",
    "Encoding",
    "GroupCode",
    "InvalidPhoneNumberError",
    "InvalidSenderIdError",
    "MessageParts",
    "SendCode",
    "SendResult",
    "Sms123ApiError",
    "Sms123AuthenticationError",
    "Sms123Client",
    "Sms123ConnectionError",
    "Sms123Error",
    "Sms123HttpError",
    "Sms123InvalidRequestError",
    "Sms123TimeoutError",
    "Sms123UnexpectedAnswerError",
    "count_parts",
    "fits_one_sms",
    "format_birthday",
    "format_schedule",
    "is_overseas_number",
    "is_second_paris_occurrence",
    "normalize_phone_number",
    "split_message",
    "validate_sender_id",
]
