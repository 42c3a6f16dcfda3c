"""Tests for phone number normalisation."""

from __future__ import annotations

import pytest

from custom_components.sms123.api import InvalidPhoneNumberError, normalize_phone_number


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("+33 6 01 02 03 04", "33601020304"),
        ("0033601020304", "33601020304"),
        ("06.01.02.03.04", "33601020304"),
        ("06-01-02-03-04", "33601020304"),
        ("06/01/02/03/04", "33601020304"),
        ("  0601020304  ", "33601020304"),
        ("33601020304", "33601020304"),
        ("+33 (0)6 01 02 03 04", "33601020304"),
        ("0033 (0)7 12 34 56 78", "33712345678"),
        ("01 42 68 53 00", "33142685300"),
        ("09 70 00 00 00", "33970000000"),
        ("0690 12 34 56", "590690123456"),
        ("0691 12 34 56", "590691123456"),
        ("0590 12 34 56", "590590123456"),
        ("0694 12 34 56", "594694123456"),
        ("0594 12 34 56", "594594123456"),
        ("0696 12 34 56", "596696123456"),
        ("0697 12 34 56", "596697123456"),
        ("0596 12 34 56", "596596123456"),
        ("0692 12 34 56", "262692123456"),
        ("0693 12 34 56", "262693123456"),
        ("0639 12 34 56", "262639123456"),
        ("0262 12 34 56", "262262123456"),
        ("0263 12 34 56", "262263123456"),
        ("0269 12 34 56", "262269123456"),
        ("+262 692 12 34 56", "262692123456"),
        ("+590 690 12 34 56", "590690123456"),
        ("+689 87 12 34 56", "68987123456"),
        ("+44 7911 123456", "447911123456"),
        ("+1 (212) 555-0100", "12125550100"),
        ("+49 151 23456789", "4915123456789"),
        ("0032 470 12 34 56", "32470123456"),
        ("+86 138 0013 8000", "8613800138000"),
    ],
)
def test_normalize_phone_number(given: str, expected: str) -> None:
    assert normalize_phone_number(given) == expected


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("()", "empty"),
        ("06 O1 02 03 04", "characters"),
        ("call me", "characters"),
        ("06#01020304", "characters"),
        ("06 01 02 03 04 +", "characters"),
        ("+", "characters"),
        ("+687 75 12 34", "too_short"),
        ("0601", "too_short"),
        ("06010203", "too_short"),
        ("060102030405", "too_long"),
        ("+3360102030", "too_short"),
        ("+336010203045", "too_long"),
        ("+44791112", "too_short"),
        ("+4479111234567890", "too_long"),
        ("0012345678901234567", "too_long"),
        ("0001020304", "format"),
        ("+0601020304", "format"),
        ("0000601020304", "format"),
    ],
)
def test_normalize_phone_number_rejects(given: str, reason: str) -> None:
    with pytest.raises(InvalidPhoneNumberError) as caught:
        normalize_phone_number(given)
    assert caught.value.reason == reason
    assert caught.value.value == given
    assert reason in str(caught.value)
