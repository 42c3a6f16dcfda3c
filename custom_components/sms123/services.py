"""The send and cancel actions of the integration."""

from __future__ import annotations

import re
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

from .api import InvalidPhoneNumberError, normalize_phone_number
from .const import CONF_NUMBERS, DOMAIN
from .schema import vol
from .sending import (
    SendOptions,
    async_deliver,
    build,
    compose,
    raise_for_failures,
    schedule,
    validation_error,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .coordinator import Sms123ConfigEntry
    from .outbox import DeliveryResult

SERVICE_SEND_SMS = "send_sms"
SERVICE_CANCEL_SCHEDULED_SMS = "cancel_scheduled_sms"

# Not imported from Home Assistant: older releases do not define it.
ATTR_CONFIG_ENTRY_ID = "config_entry_id"
ATTR_RECIPIENTS = "recipients"
ATTR_MESSAGE = "message"
ATTR_TITLE = "title"
ATTR_SENDER_ID = "sender_id"
ATTR_FLASH = "flash"
ATTR_VOICE = "voice"
ATTR_SCHEDULED_AT = "scheduled_at"
ATTR_TEST = "test"
ATTR_SPLIT = "split"
ATTR_ID = "id"

# A recipient that looks like `notify.alice` is an entity; phone numbers never
# start with a letter.
_ENTITY_ID = re.compile(r"[a-z][a-z0-9_]*\.[a-z0-9_]+")

SEND_SMS_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Required(ATTR_RECIPIENTS): vol.All(cv.ensure_list, [cv.string]),
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
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Optional(ATTR_ID): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional(ATTR_RECIPIENTS): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional(ATTR_SCHEDULED_AT): cv.datetime,
        vol.Optional(ATTR_MESSAGE): cv.string,
    }
)
_CANCEL_FIELDS = (ATTR_RECIPIENTS, ATTR_SCHEDULED_AT, ATTR_MESSAGE)


def loaded_entry(call: ServiceCall) -> Sms123ConfigEntry:
    """Return the loaded 123-SMS entry the action names."""
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


def _numbers(
    hass: HomeAssistant, entry: Sms123ConfigEntry, recipients: Sequence[str]
) -> list[str]:
    """Turn numbers and notify entity ids into distinct numbers, in order."""
    numbers: list[str] = []
    for recipient in recipients:
        value = recipient.strip()
        if _ENTITY_ID.fullmatch(value):
            numbers.extend(_entity_numbers(hass, entry, value))
            continue
        try:
            numbers.append(normalize_phone_number(value))
        except InvalidPhoneNumberError as error:
            raise validation_error("invalid_phone_number", number=value) from error
    if not numbers:
        raise validation_error("recipients_empty")
    return list(dict.fromkeys(numbers))


def _answer(call: ServiceCall, results: Sequence[DeliveryResult]) -> ServiceResponse:
    """Answer per recipient, when the caller asked for an answer."""
    if not call.return_response:
        return None
    answers: list[Any] = []
    for result in results:
        answer: dict[str, Any] = {
            "number": result.number,
            "status": result.status.value,
            "code": result.code,
            "reason": result.reason,
            "parts": result.parts,
            "encoding": result.encoding.value,
        }
        if result.scheduled_at is not None:
            answer["id"] = result.id
        answers.append(answer)
    return {ATTR_RECIPIENTS: answers}


async def _async_send_sms(call: ServiceCall) -> ServiceResponse:
    """Send a message to numbers and recipients, now or later."""
    entry = loaded_entry(call)
    numbers = _numbers(call.hass, entry, call.data[ATTR_RECIPIENTS])
    text = compose(call.data[ATTR_MESSAGE], call.data.get(ATTR_TITLE))
    options = SendOptions(
        sender_id=call.data.get(ATTR_SENDER_ID),
        flash=call.data[ATTR_FLASH],
        voice=call.data[ATTR_VOICE],
        test=call.data[ATTR_TEST],
        scheduled_at=call.data.get(ATTR_SCHEDULED_AT),
        split=call.data[ATTR_SPLIT],
    )
    messages = build(entry, numbers, text, options)
    return _answer(call, await async_deliver(call.hass, entry, messages))


async def _async_cancel_scheduled_sms(call: ServiceCall) -> ServiceResponse:
    """Cancel scheduled sends, by id or by recipients, time and message."""
    entry = loaded_entry(call)
    outbox = entry.runtime_data.outbox
    given = [field for field in _CANCEL_FIELDS if field in call.data]
    if ATTR_ID in call.data and not given:
        send_ids = list(dict.fromkeys(call.data[ATTR_ID]))
        for send_id in send_ids:
            if not outbox.knows(send_id):
                raise validation_error("unknown_schedule_id", id=send_id)
        results = await outbox.async_cancel_ids(send_ids)
    elif ATTR_ID not in call.data and len(given) == len(_CANCEL_FIELDS):
        numbers = _numbers(call.hass, entry, call.data[ATTR_RECIPIENTS])
        message = compose(call.data[ATTR_MESSAGE], None)
        when = schedule(call.data[ATTR_SCHEDULED_AT])
        results = await outbox.async_cancel_matching(numbers, message, when)
    else:
        raise validation_error("cancel_target")
    raise_for_failures(call.hass, entry, results, "cancel_failed")
    return _answer(call, results)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the send and cancel actions, once for every account."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_SEND_SMS,
        _async_send_sms,
        schema=SEND_SMS_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_CANCEL_SCHEDULED_SMS,
        _async_cancel_scheduled_sms,
        schema=CANCEL_SCHEDULED_SMS_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
