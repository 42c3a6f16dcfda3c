"""Exceptions raised by the 123-SMS client."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from .codes import ApiCode


class Sms123Error(Exception):
    """Base of every error raised by the 123-SMS client."""

    transient: bool = False
    # Whether the gateway may have processed the request: no clear answer came.
    reached: bool = False
    # How a message built from a return code starts, e.g. "The gateway refused ...".
    summary: ClassVar[str] = "The gateway answered an error"

    def __init__(self, message: str, *, code: ApiCode | None = None) -> None:
        """Keep the message and the code that caused it, if any."""
        super().__init__(message)
        self.code = code


class Sms123ConnectionError(Sms123Error):
    """The gateway could not be reached or answered an HTTP server error."""

    transient = True
    reached = True

    def __init__(self, message: str, *, reached: bool = True) -> None:
        """Keep whether the request may have reached the gateway before it failed."""
        super().__init__(message)
        self.reached = reached


class Sms123TimeoutError(Sms123ConnectionError):
    """The gateway did not answer within the request timeout."""


class Sms123AuthenticationError(Sms123Error):
    """The gateway refused the account identifier or the API key."""

    summary = "The gateway rejected the credentials"


class Sms123InvalidRequestError(Sms123Error):
    """The gateway refused the data of the request."""

    summary = "The gateway refused the request"


class Sms123ApiError(Sms123Error):
    """The gateway answered an error code."""

    def __init__(self, message: str, *, code: ApiCode | None = None) -> None:
        """Keep the code; one of the transient kind is worth retrying."""
        super().__init__(message, code=code)
        self.transient = code is not None and code.transient


class Sms123UnexpectedAnswerError(Sms123Error):
    """The gateway answered something the client does not understand."""

    transient = True
    reached = True


class Sms123HttpError(Sms123Error):
    """The gateway answered an HTTP status that another try will not change."""

    def __init__(self, message: str, *, status: int) -> None:
        """Keep the HTTP status."""
        super().__init__(message)
        self.status = status


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
