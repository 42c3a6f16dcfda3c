"""The outbox's rules, as pure functions: horizon, circuit breaker, repeats."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

# The gateway refuses the same text to the same number for 24 hours (code 91),
# which is also what keeps a retry after a lost answer from arriving twice. Stop
# retrying a little before: a try at 24 h could go out again once the gateway
# has forgotten the first.
HORIZON = timedelta(hours=23, minutes=50)
REPEAT_WINDOW = timedelta(hours=24)
PROBE_BASE = 30.0
PROBE_CAP = 300.0
# The room a repeat suffix takes at most: " (14:32:07)".
SUFFIX_ROOM = len(" (00:00:00)")


def deadline(created_at: datetime, horizon: timedelta = HORIZON) -> datetime:
    """Return the time after which a message is no longer tried."""
    return created_at + horizon


def probe_delay(
    failures: int, base: float = PROBE_BASE, cap: float = PROBE_CAP
) -> float:
    """Seconds before the next probe after `failures` failed ones in a row."""
    return min(cap, base * 2.0 ** min(max(failures - 1, 0), 32))


@dataclass(kw_only=True, slots=True)
class Breaker:
    """One circuit breaker per account: while the gateway is down, one probe at a time.

    Closed, every due message is tried. Open, one message is tried as a probe at
    `next_probe`; each failed probe doubles the wait up to `cap` seconds, and the
    first answer from the gateway closes the breaker.
    """

    base: float = PROBE_BASE
    cap: float = PROBE_CAP
    failures: int = 0
    next_probe: datetime | None = None

    @property
    def is_open(self) -> bool:
        """Whether the gateway is taken to be down."""
        return self.next_probe is not None

    def may_probe(self, now: datetime) -> bool:
        """Whether a try may go out now."""
        return self.next_probe is None or now >= self.next_probe

    def trip(self, now: datetime) -> None:
        """Record a failure to reach the gateway; wait longer before the next try."""
        self.failures += 1
        self.next_probe = now + timedelta(
            seconds=probe_delay(self.failures, self.base, self.cap)
        )

    def reset(self) -> bool:
        """Record an answer from the gateway; tell whether the breaker was open."""
        was_open = self.is_open
        self.failures = 0
        self.next_probe = None
        return was_open


def text_digest(number: str, text: str) -> str:
    """Return a short fingerprint of a text sent to a number (the text is not kept)."""
    return hashlib.sha256(f"{number}\n{text}".encode()).hexdigest()[:24]


def unique_text(text: str, now: datetime, used: Callable[[str], bool]) -> str:
    """Return `text`, or `text` with the first time suffix that is not `used`.

    ` (14:32)` first, then ` (14:32:07)`, then ` (14:32:07-2)` and so on.
    """
    if not used(text):
        return text
    for suffix in (f" ({now:%H:%M})", f" ({now:%H:%M:%S})"):
        if not used(text + suffix):
            return text + suffix
    count = 2
    while used(candidate := f"{text} ({now:%H:%M:%S}-{count})"):
        count += 1
    return candidate
