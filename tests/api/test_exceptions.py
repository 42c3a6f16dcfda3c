"""Tests for the exception tree and the mapping of codes to exceptions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.sms123.api import (
    BalanceCode,
    ContactCode,
    GroupCode,
    SendCode,
    Sms123ApiError,
    Sms123AuthenticationError,
    Sms123ConnectionError,
    Sms123Error,
    Sms123InvalidRequestError,
    Sms123TimeoutError,
    Sms123UnexpectedAnswerError,
)

if TYPE_CHECKING:
    from custom_components.sms123.api import ApiCode


@pytest.mark.parametrize(
    ("family", "value", "error_type", "message"),
    [
        (
            SendCode,
            "82",
            Sms123AuthenticationError,
            "The gateway rejected the credentials: code 82, the login and/or password",
        ),
        (
            SendCode,
            "87",
            Sms123AuthenticationError,
            "code 87, the account e-mail is empty or invalid",
        ),
        (SendCode, "88", Sms123AuthenticationError, "code 88, the password is empty"),
        (
            BalanceCode,
            "E501",
            Sms123AuthenticationError,
            "code E501, the account identifier is empty",
        ),
        (
            BalanceCode,
            "E502",
            Sms123AuthenticationError,
            "code E502, the API key is empty",
        ),
        (
            BalanceCode,
            "E505",
            Sms123AuthenticationError,
            "code E505, the account identifier or API key is invalid",
        ),
        (
            GroupCode,
            "501",
            Sms123AuthenticationError,
            "code 501, the account e-mail is empty",
        ),
        (
            GroupCode,
            "502",
            Sms123AuthenticationError,
            "code 502, the password is empty",
        ),
        (
            ContactCode,
            "505",
            Sms123AuthenticationError,
            "code 505, the account e-mail or password is invalid",
        ),
        (
            SendCode,
            "84",
            Sms123InvalidRequestError,
            "The gateway refused the request: code 84, the mobile number is invalid",
        ),
        (
            SendCode,
            "85",
            Sms123InvalidRequestError,
            "code 85, the scheduled send time is invalid",
        ),
        (
            SendCode,
            "89",
            Sms123InvalidRequestError,
            "code 89, the phone number is empty",
        ),
        (SendCode, "90", Sms123InvalidRequestError, "code 90, the message is empty"),
        (
            SendCode,
            "97",
            Sms123InvalidRequestError,
            "code 97, the sender ID is invalid",
        ),
        (
            SendCode,
            "102",
            Sms123InvalidRequestError,
            'code 102, a custom sender ID requires the message to end with "stop SMS',
        ),
        (
            SendCode,
            "-1",
            Sms123InvalidRequestError,
            "code -1, the data format is wrong",
        ),
        (
            ContactCode,
            "506",
            Sms123InvalidRequestError,
            "code 506, this number is already in the group",
        ),
        (
            ContactCode,
            "508",
            Sms123InvalidRequestError,
            "code 508, this number is not in the contacts",
        ),
        (
            ContactCode,
            "510",
            Sms123InvalidRequestError,
            "code 510, this number is not in that group",
        ),
        (
            GroupCode,
            "513",
            Sms123InvalidRequestError,
            "code 513, a group with that name already exists",
        ),
        (
            GroupCode,
            "515",
            Sms123InvalidRequestError,
            "code 515, the group still has contacts",
        ),
        (
            GroupCode,
            "517",
            Sms123InvalidRequestError,
            "code 517, the group does not exist",
        ),
        (
            SendCode,
            "83",
            Sms123ApiError,
            "The gateway answered an error: code 83, the account has no credit left",
        ),
        (SendCode, "86", Sms123ApiError, "code 86, the contact group is empty"),
        (SendCode, "91", Sms123ApiError, "code 91, this message was already sent"),
        (
            SendCode,
            "93",
            Sms123ApiError,
            "code 93, sending to the French overseas departments",
        ),
        (
            SendCode,
            "95",
            Sms123ApiError,
            "code 95, the scheduled send could not be deleted",
        ),
        (SendCode, "96", Sms123ApiError, "code 96, this IP address is not allowed"),
        (SendCode, "98", Sms123ApiError, "code 98, the start date is invalid"),
        (SendCode, "99", Sms123ApiError, "code 99, the end date is invalid"),
        (
            SendCode,
            "100",
            Sms123ApiError,
            "code 100, the end date is before the start date",
        ),
        (BalanceCode, "-3", Sms123ApiError, "code -3, the API address is wrong"),
        (SendCode, "777", Sms123ApiError, "The gateway answered an unknown code: 777"),
    ],
)
def test_exception_of_code(
    family: type[ApiCode], value: str, error_type: type[Sms123Error], message: str
) -> None:
    code = family(value)
    error = code.exception()
    assert type(error) is error_type
    assert error.code is code
    assert message in str(error)
    assert error.transient is False


@pytest.mark.parametrize("family", [SendCode, BalanceCode, GroupCode, ContactCode])
def test_technical_error_is_transient(family: type[ApiCode]) -> None:
    error = family("-2").exception()
    assert type(error) is Sms123ApiError
    assert error.transient is True
    assert (
        str(error)
        == "The gateway answered an error: code -2, the gateway had a technical error"
    )


def test_tree() -> None:
    assert issubclass(Sms123TimeoutError, Sms123ConnectionError)
    assert Sms123ConnectionError("x").transient is True
    assert Sms123TimeoutError("x").transient is True
    assert Sms123UnexpectedAnswerError("x").transient is True
    assert Sms123AuthenticationError("x").transient is False
    assert Sms123ApiError("x").transient is False
    assert Sms123Error("x").code is None
