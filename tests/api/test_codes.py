"""Tests for the return code enums and their lookup."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from custom_components.sms123.api import (
    BalanceCode,
    CodeKind,
    ContactCode,
    GroupCode,
    SendCode,
)
from custom_components.sms123.api.codes import UNKNOWN_CODE_KEY

if TYPE_CHECKING:
    from custom_components.sms123.api import ApiCode

FAMILIES: tuple[type[ApiCode], ...] = (SendCode, BalanceCode, GroupCode, ContactCode)

DOCUMENTED = {
    SendCode: {"-1", "-2", *map(str, range(80, 103))},
    BalanceCode: {"-1", "-2", "-3", "E501", "E502", "E505"},
    GroupCode: {"-1", "-2", "501", "502", "505", "513", "514", "515", "516", "517"},
    ContactCode: {"-1", "-2", "501", "502", "505", *map(str, range(506, 511)), "517"},
}
SUCCESS = {"80", "81", "92", "94", "514", "516", "507", "509"}


def _documented_kind(value: str) -> CodeKind:
    """Return the kind of a code as the documentation describes it."""
    if value in SUCCESS:
        return CodeKind.SUCCESS
    if value == "-2":
        return CodeKind.TRANSIENT
    if value == "101":
        return CodeKind.INFO
    return CodeKind.ERROR


@pytest.mark.parametrize("family", FAMILIES)
def test_every_documented_code_is_a_member(family: type[ApiCode]) -> None:
    assert {member.value for member in family} == DOCUMENTED[family]


@pytest.mark.parametrize(
    ("family", "value"),
    [(family, value) for family in FAMILIES for value in sorted(DOCUMENTED[family])],
)
def test_kind_of_every_code(family: type[ApiCode], value: str) -> None:
    code = family(value)
    assert code.kind is _documented_kind(value)
    assert code.known
    assert code.value == value
    assert code.meaning.strip() == code.meaning
    assert code.meaning[0].islower()


@pytest.mark.parametrize(
    ("family", "value", "meaning"),
    [
        (SendCode, "84", "the mobile number is invalid"),
        (
            SendCode,
            "91",
            "this message was already sent to this number in the last 24 hours",
        ),
        (SendCode, "86", "the contact group is empty"),
        (BalanceCode, "E505", "the account identifier or API key is invalid"),
        (GroupCode, "515", "the group still has contacts and cannot be deleted"),
        (ContactCode, "510", "this number is not in that group"),
    ],
)
def test_meaning(family: type[ApiCode], value: str, meaning: str) -> None:
    assert family(value).meaning == meaning


def test_same_number_differs_per_family() -> None:
    assert GroupCode("513") is GroupCode.ALREADY_EXISTS
    assert SendCode("513").known is False
    assert ContactCode("514").known is False


def test_unknown_code_is_kept() -> None:
    code = SendCode("777")
    assert isinstance(code, SendCode)
    assert (code.value, code.meaning, code.kind, code.known, code.key) == (
        "777",
        "unknown code 777",
        CodeKind.ERROR,
        False,
        UNKNOWN_CODE_KEY,
    )
    assert code.refused


def test_a_value_that_is_not_text_is_no_code() -> None:
    with pytest.raises(ValueError, match="80"):
        SendCode(80)  # type: ignore[arg-type]


@pytest.mark.parametrize("family", FAMILIES)
def test_every_member_has_a_key_in_snake_case(family: type[ApiCode]) -> None:
    for member in family:
        assert re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", member.key), member


def test_members_have_readable_names() -> None:
    assert SendCode.ALREADY_SENT.value == "91"
    assert SendCode.NO_CREDIT.value == "83"
    assert SendCode.BLACKLISTED.kind is CodeKind.INFO
    assert BalanceCode.INVALID_CREDENTIALS.value == "E505"
