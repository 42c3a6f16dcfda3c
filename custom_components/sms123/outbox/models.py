"""What the outbox keeps: messages, their bookkeeping and results, and its codec."""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin, get_type_hints

from ..api import count_parts

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from ..api import ApiCode, Encoding, Sms123Error

# Field metadata: the field lives in memory only and never reaches the store.
MEMORY_ONLY = {"stored": False}


@dataclass(frozen=True, kw_only=True, slots=True)
class OutgoingSms:
    """One message for one number, as the caller asked for it."""

    number: str
    message: str
    sender_id: str | None = None
    flash: bool = False
    voice: bool = False
    test: bool = False
    scheduled_at: datetime | None = None


class Hold(StrEnum):
    """Why a message waits for something other than time."""

    CREDIT = "credit"
    CREDENTIALS = "credentials"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a message stands where it is: a stable code automations test, and words."""

    code: str
    text: str

    @classmethod
    def of_code(cls, code: ApiCode) -> Reason:
        """Return the reason a gateway code gives: its key and its meaning."""
        return cls(code.key, code.meaning)

    @classmethod
    def of_error(cls, err: Sms123Error) -> Reason:
        """Return the reason of a failed request: its code, or no answer at all."""
        return cls(
            REASON_CODE_NO_ANSWER if err.code is None else err.code.key, str(err)
        )


# The reason code of a request that got no usable answer (network, HTTP status).
REASON_CODE_NO_ANSWER = "cannot_connect"


class AccountRefusal(StrEnum):
    """A refusal of the whole account, which only its owner can lift."""

    CREDENTIALS = "credentials"
    IP_ADDRESS = "ip_address"


@dataclass(kw_only=True, slots=True)
class OutboxItem:
    """A message waiting in the outbox, with its delivery bookkeeping."""

    id: str
    # The messages handed over together (one action, one notification).
    batch: str
    sms: OutgoingSms
    created_at: datetime
    next_try: datetime
    attempts: int = 0
    # The part sent before this one to the same number, while it is pending.
    after: str | None = None
    # A try got no clear answer: the gateway may have processed it.
    maybe_at_gateway: bool = False
    # The user canceled it while a copy may be at the gateway: delete that copy.
    cancel_requested: bool = False
    last_code: str | None = None
    last_reason: str | None = None
    last_reason_code: str | None = None
    hold: Hold | None = field(default=None, metadata=MEMORY_ONLY)

    def result(
        self,
        status: DeliveryStatus,
        *,
        code: ApiCode | None,
        reason: Reason,
        error: Sms123Error | None = None,
    ) -> DeliveryResult:
        """Describe what became of this message."""
        return DeliveryResult.of(
            self.id, self.batch, self.sms, status, code=code, reason=reason, error=error
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class ScheduledSend:
    """A send the gateway holds for later, remembered so it can be canceled."""

    id: str
    batch: str
    number: str
    message: str
    scheduled_at: datetime


class DeliveryStatus(StrEnum):
    """Where a message stands after a try."""

    SENT = "sent"
    SCHEDULED = "scheduled"
    TEST = "test"
    QUEUED = "queued"
    FAILED = "failed"
    CANCELED = "canceled"


@dataclass(frozen=True, kw_only=True, slots=True)
class DeliveryResult:
    """What happened to one message for one number."""

    id: str
    batch: str
    number: str
    status: DeliveryStatus
    code: ApiCode | None
    reason: str
    reason_code: str
    parts: int
    encoding: Encoding
    scheduled_at: datetime | None = None
    sender_id: str | None = None
    error: Sms123Error | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(  # noqa: PLR0913 - the message, its ids and one field per outcome
        cls,
        send_id: str,
        batch: str,
        sms: OutgoingSms,
        status: DeliveryStatus,
        *,
        code: ApiCode | None,
        reason: Reason,
        error: Sms123Error | None = None,
    ) -> DeliveryResult:
        """Describe what became of `sms`, known as `send_id`."""
        parts = count_parts(sms.message)
        return cls(
            id=send_id,
            batch=batch,
            number=sms.number,
            status=status,
            code=code,
            reason=reason.text,
            reason_code=reason.code,
            parts=parts.parts,
            encoding=parts.encoding,
            scheduled_at=sms.scheduled_at,
            sender_id=sms.sender_id,
            error=error,
        )


def encode(record: DataclassInstance) -> dict[str, Any]:
    """Turn a dataclass record into JSON-ready data, nested records included."""
    encoded: dict[str, Any] = {}
    for name, encoder in _encoders(type(record)):
        value = getattr(record, name)
        encoded[name] = value if encoder is None or value is None else encoder(value)
    return encoded


type _Encoder = Callable[[Any], object] | None


@cache
def _encoders(cls: type) -> tuple[tuple[str, _Encoder], ...]:
    """Return how each stored field of a record class is written, worked out once."""
    hints = get_type_hints(cls)
    plan: list[tuple[str, _Encoder]] = []
    for item in fields(cls):
        if not item.metadata.get("stored", True):
            continue
        hint = _without_none(hints[item.name])
        encoder: _Encoder = None
        if hint is datetime:
            encoder = datetime.isoformat
        elif isinstance(hint, type) and is_dataclass(hint):
            encoder = encode
        plan.append((item.name, encoder))
    return tuple(plan)


def _without_none(hint: Any) -> Any:  # noqa: ANN401 - any type hint
    """Return `hint` without its `| None`, if it has one."""
    if get_origin(hint) in (Union, types.UnionType):
        (hint,) = (arg for arg in get_args(hint) if arg is not type(None))
    return hint


def decode[RecordT](cls: type[RecordT], data: object) -> RecordT:
    """Rebuild a record from the store; raise on a missing or mistyped field."""
    if not isinstance(data, dict):
        raise TypeError(f"{cls.__name__} is not an object")
    hints = get_type_hints(cls)
    values: dict[str, Any] = {}
    for item in fields(cls):  # type: ignore[arg-type]
        if not item.metadata.get("stored", True):
            continue
        if item.name not in data:
            if item.default is MISSING and item.default_factory is MISSING:
                raise KeyError(f"{cls.__name__} has no {item.name}")
            continue
        values[item.name] = _decode_value(hints[item.name], data[item.name])
    return cls(**values)


def _decode_value(hint: Any, value: object) -> object:  # noqa: ANN401 - any type hint
    """Rebuild one field value of the type `hint` from the store."""
    if get_origin(hint) in (Union, types.UnionType):
        if value is None and type(None) in get_args(hint):
            return None
        hint = _without_none(hint)
    if isinstance(hint, type) and is_dataclass(hint):
        return decode(hint, value)
    if hint is datetime:
        if not isinstance(value, str):
            raise TypeError("a time is not text")
        return datetime.fromisoformat(value)
    if not isinstance(value, hint) or (hint is int and isinstance(value, bool)):
        raise TypeError(f"{value!r} is not a {hint.__name__}")
    return value
