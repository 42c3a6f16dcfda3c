"""Persistence of the outbox: its records, the delivery history, write checks."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict, override

from homeassistant.helpers.storage import Store

from ..const import LOGGER
from .models import OutboxItem, ScheduledSend, decode, encode
from .policy import REPEAT_WINDOW, text_digest
from .usage import UsageLog

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from homeassistant.core import HomeAssistant

STORAGE_VERSION = 2
_SMS_FIELDS_V1 = ("number", "message", "sender_id", "flash", "voice", "test")


class StoredOutbox(TypedDict):
    """The outbox as kept in Home Assistant's storage."""

    # Records as written; those of an older release may not be readable.
    items: list[Any]
    scheduled: list[Any]
    history: dict[str, str]
    usage: dict[str, Any]


@dataclass(frozen=True, kw_only=True, slots=True)
class RejectedRecord:
    """A stored record that could not be read back, and the number it names."""

    number: str | None
    problem: str


@dataclass(kw_only=True, slots=True)
class LoadedOutbox:
    """What the store held: the records it could read, and those it could not."""

    items: list[OutboxItem] = field(default_factory=list)
    scheduled: list[ScheduledSend] = field(default_factory=list)
    history: dict[str, datetime] = field(default_factory=dict)
    usage: UsageLog = field(default_factory=UsageLog)
    rejected: list[RejectedRecord] = field(default_factory=list)


class _CheckedStore(Store[StoredOutbox]):
    """Home Assistant's store, telling whether its last write reached the disk."""

    written = True

    @override
    async def _async_write_data(self, *args: Any) -> None:
        """Write, and remember whether it worked (the store only logs a failure)."""
        # The arguments differ between Home Assistant releases; the data is last.
        # Take the snapshot here, in the event loop: older releases would call it
        # from a worker thread while the loop changes the outbox.
        data: dict[str, Any] = args[-1]
        if "data_func" in data:
            data["data"] = data.pop("data_func")()
        self.written = False
        await super()._async_write_data(*args)
        self.written = True

    @override
    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> StoredOutbox:
        """Read an outbox written by an earlier release."""
        return _migrate_v1(old_data)


def _migrate_v1(old: dict[str, Any]) -> StoredOutbox:
    """Read version 1 data: the message fields were not nested, nothing else existed."""
    return {
        "items": [_item_v1(raw) for raw in old.get("items", [])],
        "scheduled": [_scheduled_v1(raw) for raw in old.get("scheduled", [])],
        "history": {},
        "usage": {},
    }


def _item_v1(raw: object) -> object:
    """Turn a version 1 item into version 2; a broken one is left for the reader."""
    if not isinstance(raw, dict):
        return raw
    try:
        return {
            **{key: raw[key] for key in ("id", "created_at", "next_try", "attempts")},
            "batch": raw["id"],
            "sms": {
                **{key: raw[key] for key in _SMS_FIELDS_V1},
                "scheduled_at": raw["scheduled_at"],
            },
            "last_code": raw["last_code"],
            "last_reason": raw["last_reason"],
        }
    except (KeyError, TypeError):
        return raw


def _scheduled_v1(raw: object) -> object:
    """Turn a version 1 scheduled send into version 2 (it gains its batch)."""
    return {**raw, "batch": raw.get("id")} if isinstance(raw, dict) else raw


def _read[RecordT](
    cls: type[RecordT], raws: Iterable[Any], loaded: LoadedOutbox
) -> list[RecordT]:
    """Read each record; set aside, with a log line, the ones that cannot be read."""
    records: list[RecordT] = []
    for raw in raws:
        try:
            records.append(decode(cls, raw))
        except (KeyError, TypeError, ValueError) as err:
            LOGGER.warning("Skipped an outbox record that cannot be read: %s", err)
            loaded.rejected.append(
                RejectedRecord(number=_number_of(raw), problem=str(err))
            )
    return records


def _number_of(raw: object) -> str | None:
    """Return the phone number a broken record names, if it names one."""
    if not isinstance(raw, dict):
        return None
    sms = raw.get("sms")
    number = sms.get("number") if isinstance(sms, dict) else raw.get("number")
    return number if isinstance(number, str) and number else None


class OutboxStore:
    """The outbox of one account on disk."""

    def __init__(self, hass: HomeAssistant, key: str) -> None:
        """Keep the outbox under `key`, private and written atomically."""
        # The snapshot is fresh data: its JSON encoding can leave the event loop
        # (older releases always encode in a worker thread).
        off_loop: dict[str, Any] = (
            {"serialize_in_event_loop": False}
            if "serialize_in_event_loop" in inspect.signature(Store).parameters
            else {}
        )
        self._store = _CheckedStore(
            hass, STORAGE_VERSION, key, private=True, atomic_writes=True, **off_loop
        )

    async def async_load(self) -> LoadedOutbox:
        """Read what the store holds, skipping records that cannot be read."""
        loaded = LoadedOutbox()
        stored: Any = await self._store.async_load()
        if not isinstance(stored, dict):
            return loaded
        loaded.items = _read(OutboxItem, stored.get("items", []), loaded)
        loaded.scheduled = _read(ScheduledSend, stored.get("scheduled", []), loaded)
        for digest, when in dict(stored.get("history", {})).items():
            try:
                loaded.history[str(digest)] = datetime.fromisoformat(when)
            except (TypeError, ValueError):
                LOGGER.debug("Skipped a delivery history entry that cannot be read")
        loaded.usage = UsageLog.from_data(stored.get("usage"))
        return loaded

    async def async_save(self, data: StoredOutbox) -> bool:
        """Write now; tell whether the data reached the disk."""
        await self._store.async_save(data)
        return self._store.written

    def save_later(self, data: Callable[[], StoredOutbox], delay: float) -> None:
        """Write soon, folding the changes of the next `delay` seconds into one."""
        self._store.async_delay_save(data, delay)

    async def async_remove(self) -> None:
        """Delete the stored outbox."""
        await self._store.async_remove()


@dataclass(kw_only=True, slots=True)
class DeliveryHistory:
    """When each (number, text) was last delivered, for 24 hours, by fingerprint."""

    delivered: dict[str, datetime] = field(default_factory=dict)

    def record(self, number: str, text: str, when: datetime) -> None:
        """Remember that `text` reached (or will reach, if scheduled) `number`."""
        self.delivered[text_digest(number, text)] = when

    def is_recent(self, number: str, text: str, now: datetime) -> bool:
        """Whether `text` reached `number` within the last 24 hours."""
        when = self.delivered.get(text_digest(number, text))
        return when is not None and when <= now < when + REPEAT_WINDOW

    def prune(self, now: datetime) -> None:
        """Forget deliveries older than 24 hours."""
        for digest in [
            digest
            for digest, when in self.delivered.items()
            if when + REPEAT_WINDOW <= now
        ]:
            del self.delivered[digest]

    def as_data(self) -> dict[str, str]:
        """Return the history as JSON-ready data."""
        return {digest: when.isoformat() for digest, when in self.delivered.items()}


def stored_outbox(
    items: Iterable[OutboxItem],
    scheduled: Iterable[ScheduledSend],
    history: DeliveryHistory,
    usage: UsageLog,
) -> StoredOutbox:
    """Return the outbox as JSON-ready data."""
    return {
        "items": [encode(item) for item in items],
        "scheduled": [encode(record) for record in scheduled],
        "history": history.as_data(),
        "usage": usage.as_data(),
    }
