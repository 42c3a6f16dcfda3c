"""Async client for the 123-SMS.net HTTP API."""

from __future__ import annotations

import asyncio
import logging
from enum import StrEnum
from http import HTTPStatus
from typing import TYPE_CHECKING

import aiohttp

from .answer import Answer, body_preview, parse_answer, unexpected_answer
from .body import CONTENT_TYPES, DataFormat, encode_body
from .codes import ApiCode, BalanceCode, ContactCode, GroupCode, SendCode
from .dates import format_birthday, format_schedule
from .exceptions import (
    InvalidPhoneNumberError,
    Sms123ConnectionError,
    Sms123Error,
    Sms123HttpError,
    Sms123TimeoutError,
)
from .models import ApiResult, Balance, Contact, SendResult
from .phone import normalize_phone_number
from .text import validate_sender_id

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

_LOGGER = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://www.123-sms.net"
DEFAULT_TIMEOUT = 10.0
YES = "o"
NUMBER_SEPARATOR = "-"
GROUP_SEPARATOR = "--"


# Statuses that say "not now": the request was not processed, a later try may be.
_RETRY_LATER = frozenset(
    {HTTPStatus.REQUEST_TIMEOUT, HTTPStatus.TOO_EARLY, HTTPStatus.TOO_MANY_REQUESTS}
)


def _http_error(status: int, body: bytes, secrets: Sequence[str]) -> Sms123Error:
    """Build the error of an answer with an HTTP status other than 200."""
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return Sms123ConnectionError(f"The gateway is unavailable: HTTP {status}")
    if status in _RETRY_LATER:
        return Sms123ConnectionError(
            f"The gateway asks to try later: HTTP {status}", reached=False
        )
    return Sms123HttpError(
        f"The gateway answered HTTP {status}: {body_preview(body, secrets)}",
        status=status,
    )


class CredentialStyle(StrEnum):
    """The two spellings of the credential parameters the API accepts."""

    EMAIL = "email"
    USER = "user"


_CREDENTIAL_NAMES = {
    CredentialStyle.EMAIL: ("email", "pass"),
    CredentialStyle.USER: ("user", "cleAPI"),
}


class _Path(StrEnum):
    """Endpoint paths, relative to the base URL."""

    SEND = "/api/send/"
    BALANCE = "/api/solde/"
    GROUP_ADD = "/api/group/add/"
    GROUP_RENAME = "/api/group/upd/"
    GROUP_DELETE = "/api/group/del/"
    CONTACT_ADD = "/api/contact/add/"
    CONTACT_UPDATE = "/api/contact/upd/"
    CONTACT_DELETE = "/api/contact/del/"


def _numbers(numbers: str | Sequence[str]) -> tuple[str, ...]:
    """Normalise one number or several; at least one is required."""
    given = (numbers,) if isinstance(numbers, str) else tuple(numbers)
    if not given:
        raise InvalidPhoneNumberError("", "empty")
    return tuple(normalize_phone_number(number) for number in given)


def _contact_fields(contact: Contact) -> dict[str, str | None]:
    """Return the optional contact parameters, in the API's spelling."""
    return {
        "nom": contact.last_name,
        "prenom": contact.first_name,
        "societe": contact.company,
        "datea": format_birthday(contact.birthday) if contact.birthday else None,
        "v1": contact.var1,
        "v2": contact.var2,
        "v3": contact.var3,
    }


class Sms123Client:
    """Talk to the 123-SMS.net gateway over an injected aiohttp session."""

    def __init__(  # noqa: PLR0913 - each argument is a documented setting
        self,
        username: str,
        api_key: str,
        *,
        session: aiohttp.ClientSession,
        base_url: str = DEFAULT_BASE_URL,
        data_format: DataFormat = DataFormat.JSON,
        request_timeout: float = DEFAULT_TIMEOUT,
        credential_style: CredentialStyle = CredentialStyle.EMAIL,
    ) -> None:
        """Keep the credentials and settings; the session stays the caller's."""
        self._username = username
        self._api_key = api_key
        self._session = session
        self._base_url = base_url.rstrip("/")
        self._data_format = DataFormat(data_format)
        self._request_timeout = request_timeout
        self._credential_names = _CREDENTIAL_NAMES[CredentialStyle(credential_style)]

    async def _request(
        self, path: _Path, params: dict[str, str | None], *, balance: bool = False
    ) -> Answer:
        """POST `params` to `path` and return the answer, or raise its error."""
        user_name, key_name = self._credential_names
        sent = {user_name: self._username, key_name: self._api_key}
        sent.update({name: value for name, value in params.items() if value})
        body = encode_body(sent, self._data_format)
        content_type = CONTENT_TYPES[self._data_format]
        secrets = (self._username, self._api_key)
        try:
            async with (
                asyncio.timeout(self._request_timeout),
                self._session.post(
                    self._base_url + path,
                    data=body,
                    headers={"Content-Type": content_type, "Accept": content_type},
                    ssl=True,
                    allow_redirects=False,
                ) as response,
            ):
                status = response.status
                answer_body = await response.read()
        except TimeoutError as err:
            raise Sms123TimeoutError(
                f"The gateway did not answer within {self._request_timeout:g} seconds"
            ) from err
        except aiohttp.ClientConnectorError as err:
            # No connection was made: the request never left.
            raise Sms123ConnectionError(
                f"Cannot reach the gateway: {type(err).__name__}", reached=False
            ) from err
        except aiohttp.ClientError as err:
            raise Sms123ConnectionError(
                f"Cannot reach the gateway: {type(err).__name__}"
            ) from err
        if status != HTTPStatus.OK:
            raise _http_error(status, answer_body, secrets)
        answer = parse_answer(answer_body, secrets)
        if not balance and not answer.is_code:
            raise unexpected_answer(answer_body, secrets)
        _LOGGER.debug("%s answered %s", path, answer.value)
        return answer

    async def _call(
        self, path: _Path, params: dict[str, str | None], family: type[ApiCode]
    ) -> ApiResult:
        """Send a request; return its result, or raise for an error code."""
        answer = await self._request(path, params)
        code = family(answer.value)
        if code.refused:
            raise code.exception()
        return ApiResult(code=code, reference=answer.reference)

    async def _send(
        self, numbers: tuple[str, ...], params: dict[str, str | None]
    ) -> SendResult:
        """Send to `numbers` joined in one request and describe the answer."""
        _LOGGER.debug("Sending to %s", numbers)
        result = await self._call(
            _Path.SEND,
            {"numero": NUMBER_SEPARATOR.join(numbers), **params},
            SendCode,
        )
        return SendResult(code=result.code, reference=result.reference, numbers=numbers)

    async def send_sms(  # noqa: PLR0913 - one argument per API option
        self,
        numbers: str | Sequence[str],
        message: str,
        *,
        sender_id: str | None = None,
        flash: bool = False,
        voice: bool = False,
        scheduled_at: datetime | None = None,
        test: bool = False,
    ) -> SendResult:
        """Send `message` to one or several numbers, now or at `scheduled_at`."""
        return await self._send(
            _numbers(numbers),
            {
                "message": message,
                "senderid": (
                    validate_sender_id(sender_id) if sender_id is not None else None
                ),
                "flash": YES if flash else None,
                "TTS": YES if voice else None,
                "diff": format_schedule(scheduled_at) if scheduled_at else None,
                "test": YES if test else None,
            },
        )

    async def cancel_scheduled_sms(
        self, numbers: str | Sequence[str], message: str, scheduled_at: datetime
    ) -> SendResult:
        """Delete the send of `message` to `numbers` scheduled at `scheduled_at`."""
        return await self._send(
            _numbers(numbers),
            {"message": message, "diff": format_schedule(scheduled_at, cancel=True)},
        )

    async def get_balance(self) -> Balance:
        """Return the SMS credits left on the account."""
        answer = await self._request(_Path.BALANCE, {}, balance=True)
        amount = answer.balance
        code = BalanceCode(answer.value)
        if amount is None or code.known:
            raise code.exception()
        return Balance(credits=amount)

    async def add_group(self, name: str) -> ApiResult:
        """Create a contact group."""
        return await self._call(_Path.GROUP_ADD, {"groupe": name}, GroupCode)

    async def rename_group(self, name: str, new_name: str) -> ApiResult:
        """Rename the contact group `name` to `new_name`."""
        return await self._call(
            _Path.GROUP_RENAME, {"groupe": name, "groupe_upd": new_name}, GroupCode
        )

    async def delete_group(self, name: str) -> ApiResult:
        """Delete an empty contact group."""
        return await self._call(_Path.GROUP_DELETE, {"groupe": name}, GroupCode)

    async def add_contact(self, contact: Contact) -> ApiResult:
        """Add a contact to the groups it names."""
        return await self._call(
            _Path.CONTACT_ADD,
            {
                "groupe": GROUP_SEPARATOR.join(contact.groups),
                "numero": normalize_phone_number(contact.phone),
                **_contact_fields(contact),
            },
            ContactCode,
        )

    async def update_contact(
        self, group: str, phone: str, contact: Contact
    ) -> ApiResult:
        """Update the contact `phone` of `group`; `contact.phone` is its new number."""
        return await self._call(
            _Path.CONTACT_UPDATE,
            {
                "groupe": group,
                "numeroa": normalize_phone_number(phone),
                "numero": normalize_phone_number(contact.phone),
                **_contact_fields(contact),
            },
            ContactCode,
        )

    async def delete_contact(self, phone: str, group: str | None = None) -> ApiResult:
        """Remove a contact from `group`, or from every group when none is given."""
        return await self._call(
            _Path.CONTACT_DELETE,
            {"numero": normalize_phone_number(phone), "groupe": group},
            ContactCode,
        )
