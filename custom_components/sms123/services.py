"""The actions of the integration: schemas, handlers and answers in one table."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
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
from homeassistant.exceptions import Unauthorized, UnknownUser
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.service import async_register_admin_service

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
    ATTR_IGNORE_LIMITS,
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
from .outbox import DeliveryStatus
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
# What a send's id can still cancel: SMS the gateway holds, or the outbox does.
_CANCELABLE = frozenset({DeliveryStatus.SCHEDULED, DeliveryStatus.QUEUED})

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

# The target picker of the UI: notify entities of the account's recipients.
_TARGET: dict[vol.Marker, Any] = {
    vol.Optional(key) if isinstance(key, str) else key: value
    for key, value in cv.ENTITY_SERVICE_FIELDS.items()
}
SEND_SMS_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        **_TARGET,
        vol.Optional(ATTR_RECIPIENTS, default=list): _STRINGS,
        vol.Required(ATTR_MESSAGE): cv.string,
        vol.Optional(ATTR_TITLE): cv.string,
        vol.Optional(ATTR_SENDER_ID): cv.string,
        vol.Optional(ATTR_FLASH, default=False): cv.boolean,
        vol.Optional(ATTR_VOICE, default=False): cv.boolean,
        vol.Optional(ATTR_SCHEDULED_AT): cv.datetime,
        vol.Optional(ATTR_TEST, default=False): cv.boolean,
        vol.Optional(ATTR_SPLIT, default=False): cv.boolean,
        vol.Optional(ATTR_IGNORE_LIMITS, default=False): cv.boolean,
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


def _non_blank(values: Sequence[str]) -> list[str]:
    """Return the values typed, without the blank rows a form's "Add" leaves."""
    return [stripped for value in values if (stripped := value.strip())]


def _recipient_numbers(
    hass: HomeAssistant, entry: Sms123ConfigEntry, recipients: Sequence[str]
) -> list[str]:
    """Turn numbers and notify entity ids into distinct numbers, in order."""
    numbers: list[str] = []
    for value in recipients:
        if _ENTITY_ID.fullmatch(value):
            numbers.extend(_entity_numbers(hass, entry, value))
        else:
            numbers.append(require_phone_number(value))
    if not numbers:
        raise validation_error("recipients_empty")
    return list(dict.fromkeys(numbers))


def _referenced_entities(call: ServiceCall) -> tuple[set[str], set[str]]:
    """Return the entities a target names: itself, and through devices or areas."""
    selected: Any
    # The helper moved to a module of its own in newer releases.
    if importlib.util.find_spec("homeassistant.helpers.target"):
        target = importlib.import_module("homeassistant.helpers.target")
        selected = target.async_extract_referenced_entity_ids(
            call.hass, target.TargetSelection(call.data)
        )
    else:
        older = importlib.import_module("homeassistant.helpers.service")
        selected = older.async_extract_referenced_entity_ids(call.hass, call)
    return set(selected.referenced), set(selected.indirectly_referenced)


def _target_entities(call: ServiceCall, entry: Sms123ConfigEntry) -> list[str]:
    """Return the recipient entities of the account the action's target names.

    An entity named itself must be one; a device or area may hold other entities.
    """
    named, through = _referenced_entities(call)
    mine = set(entry.runtime_data.notify_entities)
    return sorted(named) + sorted((through - named) & mine)


async def _async_send_sms(
    call: ServiceCall, entry: Sms123ConfigEntry
) -> list[DeliveryResult]:
    """Send a message to numbers and recipients, now or later."""
    recipients = [
        *_target_entities(call, entry),
        *_non_blank(call.data[ATTR_RECIPIENTS]),
    ]
    numbers = _recipient_numbers(call.hass, entry, recipients)
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
    results = await async_deliver(
        call.hass, entry, messages, ignore_limits=call.data[ATTR_IGNORE_LIMITS]
    )
    _record_notifications(entry, recipients)
    return results


def _record_notifications(entry: Sms123ConfigEntry, recipients: Sequence[str]) -> None:
    """Show on each notify entity sent to that it notified, as its own action does."""
    for recipient in dict.fromkeys(recipients):
        entity = entry.runtime_data.notify_entities.get(recipient)
        # Only newer Home Assistant lets another action record a notification.
        record = getattr(entity, "_async_record_notification", None)
        if record is not None:
            record()


async def _async_cancel_scheduled_sms(
    call: ServiceCall, entry: Sms123ConfigEntry
) -> list[DeliveryResult]:
    """Cancel scheduled sends, by id or by recipients, time and message."""
    outbox = entry.runtime_data.outbox
    given = [field for field in _CANCEL_FIELDS if field in call.data]
    if ATTR_ID in call.data and not given:
        send_ids: list[str] = []
        for given_id in _non_blank(call.data[ATTR_ID]):
            if not (named := outbox.send_ids(given_id)):
                raise validation_error("unknown_schedule_id", id=given_id)
            send_ids.extend(named)
        if not send_ids:
            raise validation_error("cancel_target")
        results = await outbox.async_cancel_ids(list(dict.fromkeys(send_ids)))
    elif ATTR_ID not in call.data and len(given) == len(_CANCEL_FIELDS):
        numbers = _recipient_numbers(
            call.hass, entry, _non_blank(call.data[ATTR_RECIPIENTS])
        )
        message = compose_text(call.data[ATTR_MESSAGE], None)
        when = parse_send_time(call.data[ATTR_SCHEDULED_AT])
        results = await outbox.async_cancel_matching(numbers, message, when)
    else:
        raise validation_error("cancel_target")
    raise_for_failures(call.hass, entry, results, "cancel_failed")
    return results


def _answer_deliveries(results: Sequence[DeliveryResult]) -> dict[str, Any]:
    """Answer per recipient (and per part) what became of each SMS.

    A scheduled send also answers one id that cancels all of its SMS.
    """
    answers: list[dict[str, Any]] = []
    batches: list[str] = []
    for result in results:
        answer: dict[str, Any] = {
            "number": result.number,
            "status": result.status.value,
            "code": None if result.code is None else result.code.value,
            "reason": result.reason,
            "reason_code": result.reason_code,
            "parts": result.parts,
            "encoding": result.encoding.value,
        }
        if result.scheduled_at is not None:
            answer["id"] = result.id
            if result.status in _CANCELABLE:
                batches.append(result.batch)
        answers.append(answer)
    response: dict[str, Any] = {ATTR_RECIPIENTS: answers}
    if len(set(batches)) == 1:
        response[ATTR_ID] = batches[0]
    return response


def _answer_code(result: ApiResult) -> dict[str, Any]:
    """Answer the code the gateway gave and its meaning."""
    return {"code": result.code.value, "meaning": result.code.meaning}


@dataclass(frozen=True, kw_only=True, slots=True)
class _Action[ResultT]:
    """An action: the data it takes, what it does, how it answers, who may call it."""

    schema: vol.Schema
    handler: Callable[[ServiceCall, Sms123ConfigEntry], Awaitable[ResultT]]
    answer: Callable[[ResultT], dict[str, Any]]
    admin: bool = False


def _book(
    schema: vol.Schema,
    handler: Callable[[ServiceCall, Sms123ConfigEntry], Awaitable[ApiResult]],
) -> _Action[ApiResult]:
    """Describe an address-book action: for admins, it answers the gateway's code.

    They change data kept at the gateway, shared by every user of the account.
    """
    return _Action(schema=schema, handler=handler, answer=_answer_code, admin=True)


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
        handler = _service_handler(action)
        if action.admin and _ADMIN_HELPER_ANSWERS:
            # Typed differently by each release; this call suits the newer ones.
            register_admin: Callable[..., None] = async_register_admin_service
            register_admin(
                hass,
                DOMAIN,
                name,
                handler,
                action.schema,
                supports_response=SupportsResponse.OPTIONAL,
            )
            continue
        hass.services.async_register(
            DOMAIN,
            name,
            _admin_only(handler) if action.admin else handler,
            schema=action.schema,
            supports_response=SupportsResponse.OPTIONAL,
        )


# Older Home Assistant's helper for admin actions cannot register one that answers.
_ADMIN_HELPER_ANSWERS = (
    "supports_response" in inspect.signature(async_register_admin_service).parameters
)


def _admin_only(
    handler: Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]],
) -> Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]:
    """Refuse the action to a user who is not an administrator, as the helper does."""

    async def _async_handle(call: ServiceCall) -> ServiceResponse:
        """Check the caller, then run the action."""
        if call.context.user_id:
            user = await call.hass.auth.async_get_user(call.context.user_id)
            if user is None:
                raise UnknownUser(context=call.context)
            if not user.is_admin:
                raise Unauthorized(context=call.context)
        return await handler(call)

    return _async_handle
