"""Exceptions raised by the 123-SMS client."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .codes import ResultCode

AUTHENTICATION_CODES = frozenset(
    {"82", "87", "88", "E501", "E502", "E505", "501", "502", "505"}
)
INVALID_REQUEST_CODES = frozenset(
    {
        "-1",
        "84",
        "85",
        "89",
        "90",
        "97",
        "102",
        "506",
        "508",
        "510",
        "513",
        "515",
        "517",
    }
)
TRANSIENT_CODES = frozenset({"-2"})


class Sms123Error(Exception):
    """Base of every error raised by the 123-SMS client."""

    transient: bool = False

    def __init__(self, message: str, *, code: ResultCode | None = None) -> None:
        """Keep the message and the code that caused it, if any."""
        super().__init__(message)
        self.code = code


class Sms123ConnectionError(Sms123Error):
    """The gateway could not be reached or answered an HTTP server error."""

    transient = True


class Sms123TimeoutError(Sms123ConnectionError):
    """The gateway did not answer within the request timeout."""


class Sms123AuthenticationError(Sms123Error):
    """The gateway refused the account identifier or the API key."""


class Sms123InvalidRequestError(Sms123Error):
    """The gateway refused the data of the request."""


class Sms123ApiError(Sms123Error):
    """The gateway answered an error code."""

    def __init__(self, message: str, *, code: ResultCode | None = None) -> None:
        """Keep the code; a technical error (-2) is worth retrying."""
        super().__init__(message, code=code)
        self.transient = code is not None and code.value in TRANSIENT_CODES


class Sms123UnexpectedAnswerError(Sms123Error):
    """The gateway answered something the client does not understand."""

    transient = True


class InvalidPhoneNumberError(ValueError):
    """A phone number cannot be turned into a number the gateway accepts."""

    def __init__(self, value: str, reason: str) -> None:
        """Keep the input and a short machine-readable reason."""
        super().__init__(f"Invalid phone number ({reason}): {value!r}")
        self.value = value
        self.reason = reason


class InvalidSenderIdError(ValueError):
    """A sender ID is not one the gateway accepts."""

    def __init__(self, value: str, reason: str) -> None:
        """Keep the input and a short machine-readable reason."""
        super().__init__(f"Invalid sender ID ({reason}): {value!r}")
        self.value = value
        self.reason = reason


def error_for_code(code: ResultCode) -> Sms123Error:
    """Build the exception that an error, transient or unknown code stands for."""
    if code.value in AUTHENTICATION_CODES:
        return Sms123AuthenticationError(
            f"The gateway rejected the credentials: code {code.value}, {code.meaning}",
            code=code,
        )
    if code.value in INVALID_REQUEST_CODES:
        return Sms123InvalidRequestError(
            f"The gateway refused the request: code {code.value}, {code.meaning}",
            code=code,
        )
    if not code.known:
        return Sms123ApiError(
            f"The gateway answered an unknown code: {code.value}", code=code
        )
    return Sms123ApiError(
        f"The gateway answered an error: code {code.value}, {code.meaning}", code=code
    )
