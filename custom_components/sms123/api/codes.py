"""Return codes of the 123-SMS API, one enum per endpoint family.

Each code is one line: its value as answered, its kind, a stable key (the reason
code automations read, and the translation key of the error a user sees), its
meaning, and the exception a refusal with it raises. Codes the document does not
list are kept as "unknown" members of their family, never crashed on.
"""

from __future__ import annotations

from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Self

from .exceptions import (
    Sms123ApiError,
    Sms123AuthenticationError,
    Sms123Error,
    Sms123InvalidRequestError,
)


class CodeKind(StrEnum):
    """What a return code says about the request."""

    SUCCESS = "success"
    ERROR = "error"
    INFO = "info"
    TRANSIENT = "transient"


UNKNOWN_CODE_KEY = "unknown_code"


class ApiCode(Enum):
    """A return code: its value is the code as answered."""

    _value_: str
    kind: CodeKind
    key: str
    meaning: str
    error: type[Sms123Error]
    known: bool

    if TYPE_CHECKING:
        # Members are looked up by their code alone, e.g. `SendCode("91")`.
        def __new__(cls, value: str) -> Self:
            """Return the member whose code is `value`."""

    else:

        def __new__(
            cls,
            value: str,
            kind: CodeKind,
            key: str,
            meaning: str,
            error: type[Sms123Error] = Sms123ApiError,
        ) -> Self:
            """Build a member from its code, kind, key, meaning and exception."""
            member = object.__new__(cls)
            member._value_ = value
            member.kind = kind
            member.key = key
            member.meaning = meaning
            member.error = error
            member.known = True
            return member

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        """Describe a code the document does not list, rather than refuse it."""
        if not isinstance(value, str):
            return None
        member = object.__new__(cls)
        member._value_ = value
        member._name_ = "UNKNOWN"
        member.kind = CodeKind.ERROR
        member.key = UNKNOWN_CODE_KEY
        member.meaning = f"unknown code {value}"
        member.error = Sms123ApiError
        member.known = False
        return member

    @property
    def transient(self) -> bool:
        """Whether the same request may succeed if tried again later."""
        return self.kind is CodeKind.TRANSIENT

    @property
    def success(self) -> bool:
        """Whether the gateway did what was asked."""
        return self.kind is CodeKind.SUCCESS

    @property
    def refused(self) -> bool:
        """Whether the gateway did not do what was asked (an error, not info)."""
        return self.kind in {CodeKind.ERROR, CodeKind.TRANSIENT}

    def exception(self) -> Sms123Error:
        """Build the exception that a refusal with this code stands for."""
        if not self.known:
            return self.error(
                f"The gateway answered an unknown code: {self.value}", code=self
            )
        return self.error(
            f"{self.error.summary}: code {self.value}, {self.meaning}", code=self
        )


type _Member = tuple[str, CodeKind, str, str, type[Sms123Error]]


def _ok(value: str, key: str, meaning: str) -> _Member:
    """Describe a code that says the request was done."""
    return (value, CodeKind.SUCCESS, key, meaning, Sms123ApiError)


def _info(value: str, key: str, meaning: str) -> _Member:
    """Describe a code that answers without an error but without doing it."""
    return (value, CodeKind.INFO, key, meaning, Sms123ApiError)


def _error(value: str, key: str, meaning: str) -> _Member:
    """Describe a refusal that is neither about credentials nor about the data."""
    return (value, CodeKind.ERROR, key, meaning, Sms123ApiError)


def _retry(value: str, key: str, meaning: str) -> _Member:
    """Describe a refusal that may go away if the request is tried again."""
    return (value, CodeKind.TRANSIENT, key, meaning, Sms123ApiError)


def _refused(value: str, key: str, meaning: str) -> _Member:
    """Describe a refusal of the data of the request."""
    return (value, CodeKind.ERROR, key, meaning, Sms123InvalidRequestError)


def _auth(value: str, meaning: str) -> _Member:
    """Describe a refusal of the credentials."""
    return (value, CodeKind.ERROR, "invalid_auth", meaning, Sms123AuthenticationError)


_FORMAT = _refused("-1", "format_error", "the data format is wrong")
_TECHNICAL = _retry("-2", "technical_error", "the gateway had a technical error")
_OVERSEAS = (
    "sending to the French overseas departments needs an option enabled in the "
    "customer area"
)
_STOP = 'a custom sender ID requires the message to end with "stop SMS au 36177"'


class SendCode(ApiCode):
    """Codes answered by `/api/send/` (sending and cancelling a scheduled send)."""

    FORMAT_ERROR = _FORMAT
    TECHNICAL_ERROR = _TECHNICAL
    SENT = _ok("80", "sent", "the message was sent")
    SCHEDULED = _ok("81", "scheduled", "the message was stored for a scheduled send")
    INVALID_CREDENTIALS = _auth("82", "the login and/or password is invalid")
    NO_CREDIT = _error("83", "no_credit", "the account has no credit left")
    INVALID_NUMBER = _refused("84", "invalid_number", "the mobile number is invalid")
    INVALID_SCHEDULE = _refused(
        "85", "invalid_schedule", "the scheduled send time is invalid"
    )
    EMPTY_GROUP = _error("86", "empty_group", "the contact group is empty")
    INVALID_EMAIL = _auth("87", "the account e-mail is empty or invalid")
    EMPTY_PASSWORD = _auth("88", "the password is empty")
    EMPTY_NUMBER = _refused("89", "number_empty", "the phone number is empty")
    EMPTY_MESSAGE = _refused("90", "message_empty", "the message is empty")
    ALREADY_SENT = _error(
        "91",
        "already_sent_24h",
        "this message was already sent to this number in the last 24 hours",
    )
    TEST_OK = _ok("92", "test", "the test send is positive, nothing was sent")
    OVERSEAS_NOT_ENABLED = _error("93", "overseas_not_enabled", _OVERSEAS)
    SCHEDULE_DELETED = _ok("94", "canceled", "the scheduled send was deleted")
    SCHEDULE_NOT_DELETED = _error(
        "95", "schedule_not_deleted", "the scheduled send could not be deleted"
    )
    IP_NOT_ALLOWED = _error("96", "ip_not_allowed", "this IP address is not allowed")
    INVALID_SENDER_ID = _refused("97", "sender_id_refused", "the sender ID is invalid")
    INVALID_START_DATE = _error("98", "invalid_start_date", "the start date is invalid")
    INVALID_END_DATE = _error("99", "invalid_end_date", "the end date is invalid")
    END_BEFORE_START = _error(
        "100", "end_before_start", "the end date is before the start date"
    )
    BLACKLISTED = _info(
        "101",
        "blacklisted",
        "the number is blocked or blacklisted (the recipient sent STOP)",
    )
    STOP_MENTION_REQUIRED = _refused("102", "stop_mention_required", _STOP)


class BalanceCode(ApiCode):
    """Codes answered by `/api/solde/` instead of a balance."""

    FORMAT_ERROR = _FORMAT
    TECHNICAL_ERROR = _TECHNICAL
    WRONG_URL = _error("-3", "wrong_url", "the API address is wrong")
    EMPTY_USER = _auth("E501", "the account identifier is empty")
    EMPTY_KEY = _auth("E502", "the API key is empty")
    INVALID_CREDENTIALS = _auth("E505", "the account identifier or API key is invalid")


_EMPTY_USER = _auth("501", "the account e-mail is empty")
_EMPTY_KEY = _auth("502", "the password is empty")
_BAD_LOGIN = _auth("505", "the account e-mail or password is invalid")
_NO_GROUP = _refused("517", "group_not_found", "the group does not exist")


class GroupCode(ApiCode):
    """Codes answered by the `/api/group/` endpoints."""

    FORMAT_ERROR = _FORMAT
    TECHNICAL_ERROR = _TECHNICAL
    EMPTY_USER = _EMPTY_USER
    EMPTY_KEY = _EMPTY_KEY
    INVALID_CREDENTIALS = _BAD_LOGIN
    ALREADY_EXISTS = _refused(
        "513", "group_exists", "a group with that name already exists"
    )
    SAVED = _ok("514", "group_saved", "the group was saved")
    NOT_EMPTY = _refused(
        "515", "group_not_empty", "the group still has contacts and cannot be deleted"
    )
    DELETED = _ok("516", "group_deleted", "the group was deleted")
    NOT_FOUND = _NO_GROUP


class ContactCode(ApiCode):
    """Codes answered by the `/api/contact/` endpoints."""

    FORMAT_ERROR = _FORMAT
    TECHNICAL_ERROR = _TECHNICAL
    EMPTY_USER = _EMPTY_USER
    EMPTY_KEY = _EMPTY_KEY
    INVALID_CREDENTIALS = _BAD_LOGIN
    ALREADY_IN_GROUP = _refused(
        "506", "contact_in_group", "this number is already in the group"
    )
    SAVED = _ok("507", "contact_saved", "the contact was saved")
    NOT_A_CONTACT = _refused(
        "508", "contact_not_found", "this number is not in the contacts"
    )
    DELETED = _ok("509", "contact_deleted", "the contact was deleted")
    NOT_IN_GROUP = _refused(
        "510", "contact_not_in_group", "this number is not in that group"
    )
    # Not in the contact table of the document, but the group family uses it and a
    # contact names groups: read it the same way rather than as an unknown code.
    GROUP_NOT_FOUND = _NO_GROUP
