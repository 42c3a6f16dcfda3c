"""Checks of user input shared by the actions and the notify entities."""

from __future__ import annotations

import unicodedata

from homeassistant.exceptions import ServiceValidationError

from .api import InvalidPhoneNumberError, normalize_phone_number
from .const import DOMAIN

# Line breaks and tabs travel in an SMS; other control characters, lone surrogates
# and non-characters do not (and an XML body cannot carry most of them).
_ALLOWED_CONTROLS = frozenset("\n\r\t")
_NON_CHARACTERS = frozenset("\ufffe\uffff")


def validation_error(key: str, **placeholders: str) -> ServiceValidationError:
    """Build the translated error for input refused before any request."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


def require_printable(field: str, value: str) -> str:
    """Return `value`, or refuse it naming the field and the first bad character."""
    for char in value:
        if char in _NON_CHARACTERS or (
            unicodedata.category(char) in {"Cc", "Cs"} and char not in _ALLOWED_CONTROLS
        ):
            raise validation_error(
                "control_character", field=field, character=f"U+{ord(char):04X}"
            )
    return value


def require_phone_number(value: str) -> str:
    """Return a number in the gateway's form, or refuse it naming the input."""
    try:
        return normalize_phone_number(value)
    except InvalidPhoneNumberError as error:
        raise validation_error("invalid_phone_number", number=value) from error
