"""The actions of the integration: schemas, handlers and answers in one table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import entity_registry as er

from .address_book import (
    async_add_contact,
    async_add_group,
    async_delete_contact,
    async_delete_group,
    async_rename_group,
    async_update_contact,
)
from .const import (
    ATTR_BIRTHDAY,
    ATTR_COMPANY,
    ATTR_CONFIG_ENTRY_ID,
    ATTR_FIRST_NAME,
    ATTR_FLASH,
    ATTR_GROUP,
    ATTR_GROUPS,
    ATTR_ID,
    ATTR_LAST_NAME,
    ATTR_MESSAGE,
    ATTR_NEW_NAME,
    ATTR_NEW_PHONE,
    ATTR_PHONE,
    ATTR_RECIPIENTS,
    ATTR_SCHEDULED_AT,
    ATTR_SENDER_ID,
    ATTR_SPLIT,
    ATTR_TEST,
    ATTR_TITLE,
    ATTR_VAR1,
    ATTR_VAR2,
    ATTR_VAR3,
    ATTR_VOICE,
    CONF_NUMBERS,
    DOMAIN,
    SERVICE_ADD_CONTACT,
    SERVICE_ADD_GROUP,
    SERVICE_CANCEL_SCHEDULED_SMS,
    SERVICE_DELETE_CONTACT,
    SERVICE_DELETE_GROUP,
    SERVICE_RENAME_GROUP,
    SERVICE_SEND_SMS,
    SERVICE_UPDATE_CONTACT,
)
from .errors import raise_for_failures
from .schema import vol
from .sending import (
    SendOptions,
    async_deliver,
    build_messages,
    compose_text,
    parse_send_time,
)
from .validation import require_phone_number, validation_error

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Coroutine, Sequence

    from .api import ApiResult
    from .coordinator import Sms123ConfigEntry
    from .outbox import DeliveryResult

# A recipient that looks like `notify.alice` is an entity; phone numbers never
# start with a letter.
_ENTITY_ID = re.compile(r"[a-z][a-z0-9_]*\.[a-z0-9_]+")
_CANCEL_FIELDS = (ATTR_RECIPIENTS, ATTR_SCHEDULED_AT, ATTR_MESSAGE)

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
_STRINGS = vol.All(cv.ensure_list, [cv.string])

SEND_SMS_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        vol.Required(ATTR_RECIPIENTS): _STRINGS,
        vol.Required(ATTR_MESSAGE): cv.string,
        vol.Optional(ATTR_TITLE): cv.string,
        vol.Optional(ATTR_SENDER_ID): cv.string,
        vol.Optional(ATTR_FLASH, default=False): cv.boolean,
        vol.Optional(ATTR_VOICE, default=False): cv.boolean,
        vol.Optional(ATTR_SCHEDULED_AT): cv.datetime,
        vol.Optional(ATTR_TEST, default=False): cv.boolean,
        vol.Optional(ATTR_SPLIT, default=False): cv.boolean,
    }
)
CANCEL_SCHEDULED_SMS_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        vol.Optional(ATTR_ID): _STRINGS,
        vol.Optional(ATTR_RECIPIENTS): _STRINGS,
        vol.Optional(ATTR_SCHEDULED_AT): cv.datetime,
        vol.Optional(ATTR_MESSAGE): cv.string,
    }
)
GROUP_SCHEMA = vol.Schema({**_ENTRY, vol.Required(ATTR_GROUP): cv.string})
RENAME_GROUP_SCHEMA = GROUP_SCHEMA.extend({vol.Required(ATTR_NEW_NAME): cv.string})
ADD_CONTACT_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        vol.Required(ATTR_PHONE): cv.string,
        vol.Required(ATTR_GROUPS): _STRINGS,
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


def _loaded_entry(call: ServiceCall) -> Sms123ConfigEntry:
    """Return the loaded 123-SMS entry the action names.

    Home Assistant's own helper for this is missing from the oldest release the
    integration supports.
    """
    entry_id: str = call.data[ATTR_CONFIG_ENTRY_ID]
    entry: Sms123ConfigEntry | None = call.hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise validation_error("entry_not_found", entry_id=entry_id)
    if entry.state is not ConfigEntryState.LOADED:
        raise validation_error("entry_not_loaded", entry_title=entry.title)
    return entry


def _entity_numbers(
    hass: HomeAssistant, entry: Sms123ConfigEntry, entity_id: str
) -> list[str]:
    """Return the numbers of the recipient behind a notify entity of the account."""
    registered = er.async_get(hass).async_get(entity_id)
    subentry_id = registered.config_subentry_id if registered else None
    if (
        registered is None
        or registered.domain != Platform.NOTIFY
        or registered.platform != DOMAIN
        or registered.config_entry_id != entry.entry_id
        or subentry_id is None
        or subentry_id not in entry.subentries
    ):
        raise validation_error("unknown_entity", entity_id=entity_id)
    return list(entry.subentries[subentry_id].data[CONF_NUMBERS])


def _recipient_numbers(
    hass: HomeAssistant, entry: Sms123ConfigEntry, recipients: Sequence[str]
) -> list[str]:
    """Turn numbers and notify entity ids into distinct numbers, in order."""
    numbers: list[str] = []
    for recipient in recipients:
        value = recipient.strip()
        if _ENTITY_ID.fullmatch(value):
            numbers.extend(_entity_numbers(hass, entry, value))
        else:
            numbers.append(require_phone_number(value))
    if not numbers:
        raise validation_error("recipients_empty")
    return list(dict.fromkeys(numbers))


async def _async_send_sms(
    call: ServiceCall, entry: Sms123ConfigEntry
) -> list[DeliveryResult]:
    """Send a message to numbers and recipients, now or later."""
    numbers = _recipient_numbers(call.hass, entry, call.data[ATTR_RECIPIENTS])
    text = compose_text(call.data[ATTR_MESSAGE], call.data.get(ATTR_TITLE))
    send = SendOptions(
        sender_id=call.data.get(ATTR_SENDER_ID),
        flash=call.data[ATTR_FLASH],
        voice=call.data[ATTR_VOICE],
        test=call.data[ATTR_TEST],
        scheduled_at=call.data.get(ATTR_SCHEDULED_AT),
        split=call.data[ATTR_SPLIT],
    )
    data = entry.runtime_data
    messages = build_messages(data.options, numbers, text, send, data.outbox.is_repeat)
    return await async_deliver(call.hass, entry, messages)


async def _async_cancel_scheduled_sms(
    call: ServiceCall, entry: Sms123ConfigEntry
) -> list[DeliveryResult]:
    """Cancel scheduled sends, by id or by recipients, time and message."""
    outbox = entry.runtime_data.outbox
    given = [field for field in _CANCEL_FIELDS if field in call.data]
    if ATTR_ID in call.data and not given:
        send_ids = list(dict.fromkeys(call.data[ATTR_ID]))
        for send_id in send_ids:
            if not outbox.knows(send_id):
                raise validation_error("unknown_schedule_id", id=send_id)
        results = await outbox.async_cancel_ids(send_ids)
    elif ATTR_ID not in call.data and len(given) == len(_CANCEL_FIELDS):
        numbers = _recipient_numbers(call.hass, entry, call.data[ATTR_RECIPIENTS])
        message = compose_text(call.data[ATTR_MESSAGE], None)
        when = parse_send_time(call.data[ATTR_SCHEDULED_AT])
        results = await outbox.async_cancel_matching(numbers, message, when)
    else:
        raise validation_error("cancel_target")
    raise_for_failures(call.hass, entry, results, "cancel_failed")
    return results


def _answer_deliveries(results: Sequence[DeliveryResult]) -> dict[str, Any]:
    """Answer per recipient (and per part) what became of each SMS."""
    answers: list[dict[str, Any]] = []
    for result in results:
        answer: dict[str, Any] = {
            "number": result.number,
            "status": result.status.value,
            "code": None if result.code is None else result.code.value,
            "reason": result.reason,
            "parts": result.parts,
            "encoding": result.encoding.value,
        }
        if result.scheduled_at is not None:
            answer["id"] = result.id
        answers.append(answer)
    return {ATTR_RECIPIENTS: answers}


def _answer_code(result: ApiResult) -> dict[str, Any]:
    """Answer the code the gateway gave and its meaning."""
    return {"code": result.code.value, "meaning": result.code.meaning}


@dataclass(frozen=True, kw_only=True, slots=True)
class _Action[ResultT]:
    """An action: the data it takes, what it does, and how it answers."""

    schema: vol.Schema
    handler: Callable[[ServiceCall, Sms123ConfigEntry], Awaitable[ResultT]]
    answer: Callable[[ResultT], dict[str, Any]]


def _book(
    schema: vol.Schema,
    handler: Callable[[ServiceCall, Sms123ConfigEntry], Awaitable[ApiResult]],
) -> _Action[ApiResult]:
    """Describe an address-book action: it answers the gateway's code."""
    return _Action(schema=schema, handler=handler, answer=_answer_code)


ACTIONS: dict[str, _Action[Any]] = {
    SERVICE_SEND_SMS: _Action(
        schema=SEND_SMS_SCHEMA, handler=_async_send_sms, answer=_answer_deliveries
    ),
    SERVICE_CANCEL_SCHEDULED_SMS: _Action(
        schema=CANCEL_SCHEDULED_SMS_SCHEMA,
        handler=_async_cancel_scheduled_sms,
        answer=_answer_deliveries,
    ),
    SERVICE_ADD_GROUP: _book(GROUP_SCHEMA, async_add_group),
    SERVICE_RENAME_GROUP: _book(RENAME_GROUP_SCHEMA, async_rename_group),
    SERVICE_DELETE_GROUP: _book(GROUP_SCHEMA, async_delete_group),
    SERVICE_ADD_CONTACT: _book(ADD_CONTACT_SCHEMA, async_add_contact),
    SERVICE_UPDATE_CONTACT: _book(UPDATE_CONTACT_SCHEMA, async_update_contact),
    SERVICE_DELETE_CONTACT: _book(DELETE_CONTACT_SCHEMA, async_delete_contact),
}


def _service_handler(
    action: _Action[Any],
) -> Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]:
    """Wrap an action: find its account, run it, answer if the caller asked."""

    async def _async_handle(call: ServiceCall) -> ServiceResponse:
        """Run the action for the account it names."""
        result = await action.handler(call, _loaded_entry(call))
        return action.answer(result) if call.return_response else None

    return _async_handle


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register every action of the integration, once for every account."""
    for name, action in ACTIONS.items():
        hass.services.async_register(
            DOMAIN,
            name,
            _service_handler(action),
            schema=action.schema,
            supports_response=SupportsResponse.OPTIONAL,
        )
