"""Address-book handlers: the contact groups and contacts kept by the gateway."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.util import dt as dt_util

from .api import Contact
from .const import (
    ATTR_BIRTHDAY,
    ATTR_COMPANY,
    ATTR_FIRST_NAME,
    ATTR_GROUP,
    ATTR_GROUPS,
    ATTR_LAST_NAME,
    ATTR_NEW_NAME,
    ATTR_NEW_PHONE,
    ATTR_PHONE,
    ATTR_VAR1,
    ATTR_VAR2,
    ATTR_VAR3,
)
from .errors import gateway_errors
from .validation import require_phone_number, require_printable, validation_error

if TYPE_CHECKING:
    from datetime import date

    from homeassistant.core import ServiceCall

    from .api import ApiResult
    from .coordinator import Sms123ConfigEntry

_TEXT_FIELDS = (
    ATTR_LAST_NAME,
    ATTR_FIRST_NAME,
    ATTR_COMPANY,
    ATTR_VAR1,
    ATTR_VAR2,
    ATTR_VAR3,
)

# The API joins the groups of a contact with this, so a name cannot hold it.
GROUP_SEPARATOR = "--"


def _group_name(value: str) -> str:
    """Return a group name without surrounding spaces, or refuse it."""
    name = require_printable(ATTR_GROUP, value).strip()
    if not name:
        raise validation_error("group_name_empty")
    if GROUP_SEPARATOR in name:
        raise validation_error("group_name_separator", group=name)
    return name


def _group_names(values: list[str]) -> tuple[str, ...]:
    """Return the distinct group names of a contact, at least one."""
    names = tuple(dict.fromkeys(_group_name(value) for value in values))
    if not names:
        raise validation_error("groups_empty")
    return names


def _birthday(value: date | None) -> date | None:
    """Return a birthday that is not in the future."""
    if value is not None and value > dt_util.now().date():
        raise validation_error("birthday_in_future", birthday=value.isoformat())
    return value


def _contact(phone: str, data: dict[str, Any], groups: tuple[str, ...] = ()) -> Contact:
    """Build the contact the request carries from the action's fields."""
    text = {
        field: require_printable(field, data[field])
        for field in _TEXT_FIELDS
        if data.get(field) is not None
    }
    return Contact(
        phone=phone,
        groups=groups,
        last_name=text.get(ATTR_LAST_NAME),
        first_name=text.get(ATTR_FIRST_NAME),
        company=text.get(ATTR_COMPANY),
        birthday=_birthday(data.get(ATTR_BIRTHDAY)),
        var1=text.get(ATTR_VAR1),
        var2=text.get(ATTR_VAR2),
        var3=text.get(ATTR_VAR3),
    )


async def async_add_group(call: ServiceCall, entry: Sms123ConfigEntry) -> ApiResult:
    """Create a contact group."""
    name = _group_name(call.data[ATTR_GROUP])
    with gateway_errors(call.hass, entry, group=name, new_group=name):
        return await entry.runtime_data.client.add_group(name)


async def async_rename_group(call: ServiceCall, entry: Sms123ConfigEntry) -> ApiResult:
    """Rename a contact group."""
    name = _group_name(call.data[ATTR_GROUP])
    new_name = _group_name(call.data[ATTR_NEW_NAME])
    with gateway_errors(call.hass, entry, group=name, new_group=new_name):
        return await entry.runtime_data.client.rename_group(name, new_name)


async def async_delete_group(call: ServiceCall, entry: Sms123ConfigEntry) -> ApiResult:
    """Delete an empty contact group."""
    name = _group_name(call.data[ATTR_GROUP])
    with gateway_errors(call.hass, entry, group=name):
        return await entry.runtime_data.client.delete_group(name)


async def async_add_contact(call: ServiceCall, entry: Sms123ConfigEntry) -> ApiResult:
    """Add a contact to one or more groups."""
    groups = _group_names(call.data[ATTR_GROUPS])
    contact = _contact(require_phone_number(call.data[ATTR_PHONE]), call.data, groups)
    with gateway_errors(
        call.hass, entry, group=", ".join(groups), number=contact.phone
    ):
        return await entry.runtime_data.client.add_contact(contact)


async def async_update_contact(
    call: ServiceCall, entry: Sms123ConfigEntry
) -> ApiResult:
    """Change the number or the details of a contact of a group."""
    group = _group_name(call.data[ATTR_GROUP])
    phone = require_phone_number(call.data[ATTR_PHONE])
    new_phone = require_phone_number(call.data.get(ATTR_NEW_PHONE, phone))
    contact = _contact(new_phone, call.data)
    with gateway_errors(call.hass, entry, group=group, number=phone):
        return await entry.runtime_data.client.update_contact(group, phone, contact)


async def async_delete_contact(
    call: ServiceCall, entry: Sms123ConfigEntry
) -> ApiResult:
    """Remove a contact from one group, or from every group."""
    phone = require_phone_number(call.data[ATTR_PHONE])
    group = _group_name(call.data[ATTR_GROUP]) if ATTR_GROUP in call.data else None
    with gateway_errors(call.hass, entry, group=group or "", number=phone):
        return await entry.runtime_data.client.delete_contact(phone, group)
