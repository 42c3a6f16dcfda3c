"""Who hears of a change in the outbox: callbacks, each with its own way out."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.core import CALLBACK_TYPE


class Listeners[*Args]:
    """Callbacks all called with the same arguments; each can be removed."""

    __slots__ = ("_callbacks",)

    def __init__(self) -> None:
        """Start with no callback."""
        self._callbacks: list[Callable[[*Args], None]] = []

    def add(self, listener: Callable[[*Args], None]) -> CALLBACK_TYPE:
        """Call `listener` from now on; return what stops it."""
        self._callbacks.append(listener)
        return lambda: self._callbacks.remove(listener)

    def __call__(self, *args: *Args) -> None:
        """Call every callback, even one that removes itself while called."""
        for listener in list(self._callbacks):
            listener(*args)
