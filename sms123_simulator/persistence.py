"""Keep the simulated gateway's ledger in a JSON file, so that a restart keeps it.

The file holds the accounts (balance, options, groups, contacts), the message log,
what reached the phones (the 24-hour duplicate rule reads it) and the scheduled sends
still pending. It does not hold the request log, the faults or the answer style: those
belong to one run. It is rewritten atomically (a temporary file renamed over it), so
that a crash or a kill leaves the last complete state, never half of one.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from dataclasses import fields, is_dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .state import Account, Contact, Ledger, ScheduledSend, SentMessage

if TYPE_CHECKING:
    from collections.abc import Callable

_LOGGER = logging.getLogger(__name__)

FORMAT = "sms123-simulator-state"
VERSION = 1
# The records the ledger is made of, by the name their fields' annotations use.
RECORDS: dict[str, type[Any]] = {
    cls.__name__: cls for cls in (Account, Contact, SentMessage, ScheduledSend)
}
_SCALARS: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "bool": (bool,),
    "int": (int,),
    "float": (int, float),
}


class StateFileError(ValueError):
    """A state file that cannot be read back into a ledger."""


def encode(value: object) -> Any:  # noqa: ANN401 - any JSON value
    """Turn a ledger (or any part of it) into JSON values: sets sorted, dates in ISO."""
    if isinstance(value, set | frozenset):
        return sorted(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {item.name: encode(getattr(value, item.name)) for item in fields(value)}
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [encode(item) for item in value]
    return value


def _inner(annotation: str, prefix: str) -> str | None:
    """Tell what `prefix[...]` holds (`dict[str, ` for a dict by text), else None."""
    if annotation.startswith(prefix) and annotation.endswith("]"):
        return annotation[len(prefix) : -1]
    return None


def is_supported(annotation: str) -> bool:
    """Tell whether `decode_value` can rebuild a field with this annotation."""
    kind = annotation.removesuffix(" | None")
    for prefix in _CONTAINERS:
        if (inner := _inner(kind, prefix)) is not None:
            return is_supported(inner)
    return kind in (*_SCALARS, "datetime") or kind in RECORDS


def decode_value(annotation: str, value: Any) -> Any:  # noqa: ANN401 - JSON in, field out
    """Rebuild a field's value from JSON, led by the field's annotation."""
    kind = annotation.removesuffix(" | None")
    if value is None:
        if kind == annotation:
            raise StateFileError(f"null where {annotation} is expected")
        return None
    for prefix, build in _CONTAINERS.items():
        if (inner := _inner(kind, prefix)) is not None:
            return build(inner, value)
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind in RECORDS:
        return decode_record(RECORDS[kind], value)
    return _scalar(kind, value)


_CONTAINERS: dict[str, Callable[[str, Any], Any]] = {
    "set[": lambda inner, value: {decode_value(inner, item) for item in value},
    "frozenset[": lambda inner, value: frozenset(
        decode_value(inner, item) for item in value
    ),
    "list[": lambda inner, value: [decode_value(inner, item) for item in value],
    "dict[str, ": lambda inner, value: {
        str(key): decode_value(inner, item) for key, item in value.items()
    },
}


def _scalar(kind: str, value: object) -> object:
    """Check a plain value against its annotation; an int is a fine float."""
    expected = _SCALARS.get(kind)
    if expected is None:
        return value
    if not isinstance(value, expected) or (isinstance(value, bool) and kind != "bool"):
        raise StateFileError(f"{value!r} where {kind} is expected")
    return float(value) if isinstance(value, int | float) and kind == "float" else value


def decode_record[T](cls: type[T], record: Any) -> T:  # noqa: ANN401 - JSON object
    """Rebuild one record; a field the file lacks keeps its default."""
    if not isinstance(record, dict):
        raise StateFileError(f"{cls.__name__}: not a JSON object")
    values = {
        item.name: decode_value(str(item.type), record[item.name])
        for item in fields(cls)  # type: ignore[arg-type]
        if item.name in record
    }
    return cls(**values)


def dump(ledger: Ledger) -> str:
    """Write a ledger as the text of a state file."""
    document = {"format": FORMAT, "version": VERSION, "ledger": encode(ledger)}
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _ledger_document(text: str) -> Any:  # noqa: ANN401 - JSON
    """Parse a state file's text and tell the ledger it holds, as JSON."""
    document = json.loads(text)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StateFileError("not a simulator state file")
    if document.get("version") != VERSION:
        raise StateFileError(f"unknown version {document.get('version')!r}")
    return document["ledger"]


def load(text: str) -> Ledger:
    """Read the text of a state file back into a ledger; StateFileError if it cannot."""
    try:
        ledger = decode_record(Ledger, _ledger_document(text))
    except StateFileError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise StateFileError(f"{type(err).__name__}: {err}") from err
    for name, account in ledger.accounts.items():
        if name != account.username:
            raise StateFileError(f"account {name!r} holds {account.username!r}")
    return ledger


class StateFile:
    """The file a simulator reads its ledger from at start and writes after changes."""

    def __init__(self, path: Path) -> None:
        """Keep the state in `path` (created, with its folder, on the first save)."""
        self.path = path
        self._saved: str | None = None

    def read(self) -> Ledger | None:
        """Read the ledger; None (start afresh) when the file is missing or unreadable.

        An unreadable file is set aside as `<name>.unreadable`, not overwritten.
        """
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as err:
            self._unreadable(err)
            return None
        try:
            ledger = load(text)
        except StateFileError as err:
            self._unreadable(err)
            return None
        self._saved = text
        return ledger

    def _unreadable(self, err: Exception) -> None:
        """Warn that the file cannot be read and move it out of the way."""
        aside = self.path.with_name(f"{self.path.name}.unreadable")
        _LOGGER.warning(
            "123-SMS simulator: cannot read the state file %s (%s); starting afresh, "
            "the file is kept as %s",
            self.path,
            err,
            aside,
        )
        with contextlib.suppress(OSError):
            self.path.replace(aside)

    def save(self, ledger: Ledger) -> bool:
        """Write the ledger if it changed since the last save; tell whether it wrote.

        A failure to write is logged, not raised: the gateway keeps answering.
        """
        text = dump(ledger)
        if text == self._saved:
            return False
        try:
            self._write(text)
        except OSError:
            _LOGGER.exception("123-SMS simulator: cannot write %s", self.path)
            return False
        self._saved = text
        return True

    def _write(self, text: str) -> None:
        """Replace the file in one step: write a temporary file beside it, rename it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            Path(temporary).replace(self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                Path(temporary).unlink()
            raise
