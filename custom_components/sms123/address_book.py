"""Address-book actions: the contact groups and contacts kept by the gateway."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util

from .api import (
    Contact,
    InvalidPhoneNumberError,
    Sms123AuthenticationError,
    Sms123Error,
    normalize_phone_number,
)
from .const import DOMAIN
from .schema import vol
from .sending import printable, validation_error
from .services import ATTR_CONFIG_ENTRY_ID, loaded_entry

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Coroutine
    from datetime import date

    from .api import ApiResult, Sms123Client

SERVICE_ADD_GROUP = "add_group"
SERVICE_RENAME_GROUP = "rename_group"
SERVICE_DELETE_GROUP = "delete_group"
SERVICE_ADD_CONTACT = "add_contact"
SERVICE_UPDATE_CONTACT = "update_contact"
SERVICE_DELETE_CONTACT = "delete_contact"

ATTR_GROUP = "group"
ATTR_GROUPS = "groups"
ATTR_NEW_NAME = "new_name"
ATTR_PHONE = "phone"
ATTR_NEW_PHONE = "new_phone"
ATTR_LAST_NAME = "last_name"
ATTR_FIRST_NAME = "first_name"
ATTR_COMPANY = "company"
ATTR_BIRTHDAY = "birthday"
ATTR_VAR1 = "var1"
ATTR_VAR2 = "var2"
ATTR_VAR3 = "var3"

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

# Refusals the user can act on, each with its own message.
REFUSAL_KEYS = {
    "506": "contact_in_group",
    "508": "contact_not_found",
    "510": "contact_not_in_group",
    "513": "group_exists",
    "515": "group_not_empty",
    "517": "group_not_found",
}

_ENTRY: dict[vol.Marker, Any] = {vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string}
_CONTACT_FIELDS: dict[vol.Marker, Any] = {
    vol.Optional(ATTR_LAST_NAME): cv.string,
    vol.Optional(ATTR_FIRST_NAME): cv.string,
    vol.Optional(ATTR_COMPANY): cv.string,
    vol.Optional(ATTR_BIRTHDAY): cv.date,
    vol.Optional(ATTR_VAR1): cv.string,
    vol.Optional(ATTR_VAR2): cv.string,
    vol.Optional(ATTR_VAR3): cv.string,
}

GROUP_SCHEMA = vol.Schema({**_ENTRY, vol.Required(ATTR_GROUP): cv.string})
RENAME_GROUP_SCHEMA = GROUP_SCHEMA.extend({vol.Required(ATTR_NEW_NAME): cv.string})
ADD_CONTACT_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        vol.Required(ATTR_PHONE): cv.string,
        vol.Required(ATTR_GROUPS): vol.All(cv.ensure_list, [cv.string]),
        **_CONTACT_FIELDS,
    }
)
UPDATE_CONTACT_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        vol.Required(ATTR_GROUP): cv.string,
        vol.Required(ATTR_PHONE): cv.string,
        vol.Optional(ATTR_NEW_PHONE): cv.string,
        **_CONTACT_FIELDS,
    }
)
DELETE_CONTACT_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        vol.Required(ATTR_PHONE): cv.string,
        vol.Optional(ATTR_GROUP): cv.string,
    }
)


@dataclass(frozen=True, kw_only=True, slots=True)
class _Subject:
    """What a request is about, to name it when the gateway refuses it."""

    group: str = ""
    number: str = ""
    # The name a 513 answer says is taken: the new name when renaming.
    taken_name: str = ""


def _group_name(value: str) -> str:
    """Return a group name without surrounding spaces, or refuse it."""
    name = printable(ATTR_GROUP, value).strip()
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


def _phone_number(value: str) -> str:
    """Return a number in the gateway's form, or refuse it naming the input."""
    try:
        return normalize_phone_number(value)
    except InvalidPhoneNumberError as error:
        raise validation_error("invalid_phone_number", number=value) from error


def _birthday(value: date | None) -> date | None:
    """Return a birthday that is not in the future."""
    if value is not None and value > dt_util.now().date():
        raise validation_error("birthday_in_future", birthday=value.isoformat())
    return value


def _contact(phone: str, data: dict[str, Any], groups: tuple[str, ...] = ()) -> Contact:
    """Build the contact the request carries from the action's fields."""
    text = {
        field: printable(field, data[field])
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


def _refusal(error: Sms123Error, subject: _Subject) -> HomeAssistantError:
    """Turn an error the gateway answered into the user's translated error."""
    code = error.code
    if code is None:
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"error": str(error)},
        )
    if code.value == "513":
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="group_exists",
            translation_placeholders={"group": subject.taken_name or subject.group},
        )
    if key := REFUSAL_KEYS.get(code.value):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders={
                "group": subject.group,
                "number": subject.number,
            },
        )
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="request_refused",
        translation_placeholders={"code": code.value, "meaning": code.meaning},
    )


async def _async_request(
    call: ServiceCall,
    request: Callable[[Sms123Client], Awaitable[ApiResult]],
    subject: _Subject,
) -> ServiceResponse:
    """Run one address-book request and answer its code, or raise its error."""
    entry = loaded_entry(call)
    try:
        result = await request(entry.runtime_data.client)
    except Sms123AuthenticationError as error:
        entry.async_start_reauth(call.hass)
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="invalid_auth"
        ) from error
    except Sms123Error as error:
        raise _refusal(error, subject) from error
    if not call.return_response:
        return None
    return {"code": result.code.value, "meaning": result.code.meaning}


async def _async_add_group(call: ServiceCall) -> ServiceResponse:
    """Create a contact group."""
    name = _group_name(call.data[ATTR_GROUP])
    return await _async_request(
        call, lambda client: client.add_group(name), _Subject(group=name)
    )


async def _async_rename_group(call: ServiceCall) -> ServiceResponse:
    """Rename a contact group."""
    name = _group_name(call.data[ATTR_GROUP])
    new_name = _group_name(call.data[ATTR_NEW_NAME])
    return await _async_request(
        call,
        lambda client: client.rename_group(name, new_name),
        _Subject(group=name, taken_name=new_name),
    )


async def _async_delete_group(call: ServiceCall) -> ServiceResponse:
    """Delete an empty contact group."""
    name = _group_name(call.data[ATTR_GROUP])
    return await _async_request(
        call, lambda client: client.delete_group(name), _Subject(group=name)
    )


async def _async_add_contact(call: ServiceCall) -> ServiceResponse:
    """Add a contact to one or more groups."""
    groups = _group_names(call.data[ATTR_GROUPS])
    contact = _contact(_phone_number(call.data[ATTR_PHONE]), call.data, groups)
    return await _async_request(
        call,
        lambda client: client.add_contact(contact),
        _Subject(group=", ".join(groups), number=contact.phone),
    )


async def _async_update_contact(call: ServiceCall) -> ServiceResponse:
    """Change the number or the details of a contact of a group."""
    group = _group_name(call.data[ATTR_GROUP])
    phone = _phone_number(call.data[ATTR_PHONE])
    new_phone = _phone_number(call.data.get(ATTR_NEW_PHONE, phone))
    contact = _contact(new_phone, call.data)
    return await _async_request(
        call,
        lambda client: client.update_contact(group, phone, contact),
        _Subject(group=group, number=phone),
    )


async def _async_delete_contact(call: ServiceCall) -> ServiceResponse:
    """Remove a contact from one group, or from every group."""
    phone = _phone_number(call.data[ATTR_PHONE])
    group = _group_name(call.data[ATTR_GROUP]) if ATTR_GROUP in call.data else None
    return await _async_request(
        call,
        lambda client: client.delete_contact(phone, group),
        _Subject(group=group or "", number=phone),
    )


ADDRESS_BOOK_SERVICES: dict[
    str,
    tuple[Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]], vol.Schema],
] = {
    SERVICE_ADD_GROUP: (_async_add_group, GROUP_SCHEMA),
    SERVICE_RENAME_GROUP: (_async_rename_group, RENAME_GROUP_SCHEMA),
    SERVICE_DELETE_GROUP: (_async_delete_group, GROUP_SCHEMA),
    SERVICE_ADD_CONTACT: (_async_add_contact, ADD_CONTACT_SCHEMA),
    SERVICE_UPDATE_CONTACT: (_async_update_contact, UPDATE_CONTACT_SCHEMA),
    SERVICE_DELETE_CONTACT: (_async_delete_contact, DELETE_CONTACT_SCHEMA),
}


@callback
def async_setup_address_book_services(hass: HomeAssistant) -> None:
    """Register the six address-book actions of the integration."""
    for service, (handler, schema) in ADDRESS_BOOK_SERVICES.items():
        hass.services.async_register(
            DOMAIN,
            service,
            handler,
            schema=schema,
            supports_response=SupportsResponse.OPTIONAL,
        )
