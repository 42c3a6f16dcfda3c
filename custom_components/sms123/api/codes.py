"""Return codes of the 123-SMS API, one enum per endpoint family."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Self


class CodeKind(StrEnum):
    """What a return code says about the request."""

    SUCCESS = "success"
    ERROR = "error"
    INFO = "info"
    TRANSIENT = "transient"


class ApiCode(Enum):
    """A return code: its value is the code as answered, with a meaning and a kind."""

    _value_: str
    meaning: str
    kind: CodeKind

    if TYPE_CHECKING:
        # Members are looked up by their code alone, e.g. `SendCode("91")`.
        def __new__(cls, value: str) -> Self:
            """Return the member whose code is `value`."""

    else:

        def __new__(cls, value: str, kind: CodeKind, meaning: str) -> Self:
            """Build a member from its code, kind and meaning."""
            member = object.__new__(cls)
            member._value_ = value
            member.kind = kind
            member.meaning = meaning
            return member


_OK = CodeKind.SUCCESS
_ERR = CodeKind.ERROR
_INFO = CodeKind.INFO
_RETRY = CodeKind.TRANSIENT


class SendCode(ApiCode):
    """Codes answered by `/api/send/` (sending and cancelling a scheduled send)."""

    FORMAT_ERROR = ("-1", _ERR, "the data format is wrong")
    TECHNICAL_ERROR = ("-2", _RETRY, "the gateway had a technical error")
    SENT = ("80", _OK, "the message was sent")
    SCHEDULED = ("81", _OK, "the message was stored for a scheduled send")
    INVALID_CREDENTIALS = ("82", _ERR, "the login and/or password is invalid")
    NO_CREDIT = ("83", _ERR, "the account has no credit left")
    INVALID_NUMBER = ("84", _ERR, "the mobile number is invalid")
    INVALID_SCHEDULE = ("85", _ERR, "the scheduled send time is invalid")
    EMPTY_GROUP = ("86", _ERR, "the contact group is empty")
    INVALID_EMAIL = ("87", _ERR, "the account e-mail is empty or invalid")
    EMPTY_PASSWORD = ("88", _ERR, "the password is empty")
    EMPTY_NUMBER = ("89", _ERR, "the phone number is empty")
    EMPTY_MESSAGE = ("90", _ERR, "the message is empty")
    ALREADY_SENT = (
        "91",
        _ERR,
        "this message was already sent to this number in the last 24 hours",
    )
    TEST_OK = ("92", _OK, "the test send is positive, nothing was sent")
    OVERSEAS_NOT_ENABLED = (
        "93",
        _ERR,
        "sending to the French overseas departments needs an option"
        " enabled in the customer area",
    )
    SCHEDULE_DELETED = ("94", _OK, "the scheduled send was deleted")
    SCHEDULE_NOT_DELETED = ("95", _ERR, "the scheduled send could not be deleted")
    IP_NOT_ALLOWED = ("96", _ERR, "this IP address is not allowed")
    INVALID_SENDER_ID = ("97", _ERR, "the sender ID is invalid")
    INVALID_START_DATE = ("98", _ERR, "the start date is invalid")
    INVALID_END_DATE = ("99", _ERR, "the end date is invalid")
    END_BEFORE_START = ("100", _ERR, "the end date is before the start date")
    BLACKLISTED = (
        "101",
        _INFO,
        "the number is blocked or blacklisted (the recipient sent STOP)",
    )
    STOP_MENTION_REQUIRED = (
        "102",
        _ERR,
        'a custom sender ID requires the message to end with "stop SMS au 36177"',
    )


class BalanceCode(ApiCode):
    """Codes answered by `/api/solde/` instead of a balance."""

    FORMAT_ERROR = ("-1", _ERR, "the data format is wrong")
    TECHNICAL_ERROR = ("-2", _RETRY, "the gateway had a technical error")
    WRONG_URL = ("-3", _ERR, "the API address is wrong")
    EMPTY_USER = ("E501", _ERR, "the account identifier is empty")
    EMPTY_KEY = ("E502", _ERR, "the API key is empty")
    INVALID_CREDENTIALS = ("E505", _ERR, "the account identifier or API key is invalid")


class GroupCode(ApiCode):
    """Codes answered by the `/api/group/` endpoints."""

    FORMAT_ERROR = ("-1", _ERR, "the data format is wrong")
    TECHNICAL_ERROR = ("-2", _RETRY, "the gateway had a technical error")
    EMPTY_USER = ("501", _ERR, "the account e-mail is empty")
    EMPTY_KEY = ("502", _ERR, "the password is empty")
    INVALID_CREDENTIALS = ("505", _ERR, "the account e-mail or password is invalid")
    ALREADY_EXISTS = ("513", _ERR, "a group with that name already exists")
    SAVED = ("514", _OK, "the group was saved")
    NOT_EMPTY = ("515", _ERR, "the group still has contacts and cannot be deleted")
    DELETED = ("516", _OK, "the group was deleted")
    NOT_FOUND = ("517", _ERR, "the group does not exist")


class ContactCode(ApiCode):
    """Codes answered by the `/api/contact/` endpoints."""

    FORMAT_ERROR = ("-1", _ERR, "the data format is wrong")
    TECHNICAL_ERROR = ("-2", _RETRY, "the gateway had a technical error")
    EMPTY_USER = ("501", _ERR, "the account e-mail is empty")
    EMPTY_KEY = ("502", _ERR, "the password is empty")
    INVALID_CREDENTIALS = ("505", _ERR, "the account e-mail or password is invalid")
    ALREADY_IN_GROUP = ("506", _ERR, "this number is already in the group")
    SAVED = ("507", _OK, "the contact was saved")
    NOT_A_CONTACT = ("508", _ERR, "this number is not in the contacts")
    DELETED = ("509", _OK, "the contact was deleted")
    NOT_IN_GROUP = ("510", _ERR, "this number is not in that group")
    # Not in the contact table of the document, but the group family uses it and a
    # contact names groups: read it the same way rather than as an unknown code.
    GROUP_NOT_FOUND = ("517", _ERR, "the group does not exist")


@dataclass(frozen=True, kw_only=True, slots=True)
class ResultCode:
    """A code as answered, known or not, with its meaning and kind."""

    value: str
    meaning: str
    kind: CodeKind
    known: bool

    @classmethod
    def lookup(cls, family: type[Enum], value: str) -> ResultCode:
        """Describe `value` with the member of `family` it names, if any."""
        try:
            member = family(value)
        except ValueError:
            return cls(
                value=value,
                meaning=f"unknown code {value}",
                kind=CodeKind.ERROR,
                known=False,
            )
        return cls(
            value=value,
            meaning=str(getattr(member, "meaning", "")),
            kind=CodeKind(getattr(member, "kind", CodeKind.ERROR)),
            known=True,
        )
