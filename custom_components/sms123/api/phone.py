"""Phone number normalisation to the international digits the gateway expects."""

from __future__ import annotations

import re

from .exceptions import InvalidPhoneNumberError

_SEPARATORS = re.compile(r"[ .\-()/]")
_ALLOWED = re.compile(r"\+?[0-9 .\-()/]+")
# "+33 (0)6 ..." writes the national trunk prefix in brackets: it is not dialled.
_TRUNK_ZERO = re.compile(r"(?<=[0-9])[ .\-/]*\(\s*0\s*\)")

FRANCE = "33"
FRENCH_NATIONAL_LENGTH = 10
FRENCH_INTERNATIONAL_LENGTH = 11
MIN_LENGTH = 10
MAX_LENGTH = 15

# The overseas departments share the French national numbering plan but are reached
# internationally through their own country codes.
_OVERSEAS_PREFIXES = {
    "0590": "590",
    "0690": "590",
    "0691": "590",
    "0594": "594",
    "0694": "594",
    "0596": "596",
    "0696": "596",
    "0697": "596",
    "0262": "262",
    "0263": "262",
    "0269": "262",
    "0692": "262",
    "0693": "262",
    "0639": "262",
}


# Country codes of the French overseas departments and territories: the gateway
# sends there only with an option of the account (code 93).
_OVERSEAS_COUNTRIES = ("262", "269", "508", "590", "594", "596", "681", "687", "689")


def is_overseas_number(number: str) -> bool:
    """Whether a number (international digits) goes to the French overseas."""
    return number.startswith(_OVERSEAS_COUNTRIES)


def _from_national(digits: str, value: str) -> str:
    """Turn a French national number (0, then 1-9, then 8 digits) into international."""
    if len(digits) < FRENCH_NATIONAL_LENGTH:
        raise InvalidPhoneNumberError(value, "too_short")
    if len(digits) > FRENCH_NATIONAL_LENGTH:
        raise InvalidPhoneNumberError(value, "too_long")
    country = _OVERSEAS_PREFIXES.get(digits[:4], FRANCE)
    return country + digits[1:]


def _check_international(digits: str, value: str) -> str:
    """Return international digits if their length is one the gateway accepts."""
    if digits.startswith("0"):
        raise InvalidPhoneNumberError(value, "format")
    if digits.startswith(FRANCE):
        expected_min = expected_max = FRENCH_INTERNATIONAL_LENGTH
    else:
        expected_min, expected_max = MIN_LENGTH, MAX_LENGTH
    if len(digits) < expected_min:
        raise InvalidPhoneNumberError(value, "too_short")
    if len(digits) > expected_max:
        raise InvalidPhoneNumberError(value, "too_long")
    return digits


def normalize_phone_number(value: str) -> str:
    """Return `value` as international digits without `+`, e.g. `33601020304`."""
    text = value.strip()
    if not text:
        raise InvalidPhoneNumberError(value, "empty")
    if not _ALLOWED.fullmatch(text):
        raise InvalidPhoneNumberError(value, "characters")
    international = text.startswith("+")
    digits = _SEPARATORS.sub("", _TRUNK_ZERO.sub("", text.removeprefix("+")))
    if not digits:
        raise InvalidPhoneNumberError(value, "empty")
    if not international and digits.startswith("00"):
        international = True
        digits = digits[2:]
    # After the "00" case, a national number's second digit is never 0.
    if not international and digits.startswith("0"):
        return _from_national(digits, value)
    return _check_international(digits, value)
