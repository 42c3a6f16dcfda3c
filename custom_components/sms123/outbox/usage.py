"""What the account sent through the integration: for the limits and the usage sensors.

Kept with the outbox: per local day for a month, per number for the last hour, and
in all since the account was added. Numbers are kept as fingerprints.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from .policy import text_digest

if TYPE_CHECKING:
    from collections.abc import Callable

HOUR = timedelta(hours=1)
KEPT_DAYS = 31
# The forecast of days of credit needs this much history, and looks this far back.
FORECAST_MIN_DAYS = 7
FORECAST_DAYS = 30


@dataclass(kw_only=True, slots=True)
class UsageLog:
    """SMS parts sent, by local day, by number in the last hour, and in all."""

    total: int = 0
    since: date | None = None
    days: dict[date, int] = field(default_factory=dict)
    # (number fingerprint, when, parts) of the sends of the last hour.
    recent: list[tuple[str, datetime, int]] = field(default_factory=list)

    def record(self, number: str, parts: int, when: datetime, day: date) -> None:
        """Count `parts` SMS sent to `number` at `when` (local day `day`)."""
        self.total += parts
        self.days[day] = self.days.get(day, 0) + parts
        self.recent.append((_fingerprint(number), when, parts))

    def sent_on(self, day: date) -> int:
        """Return the SMS parts sent on a local day."""
        return self.days.get(day, 0)

    def sent_last_hour(self, now: datetime) -> Callable[[str], int]:
        """Return how many SMS parts a number got in the hour before `now`.

        One pass over the last hour's sends, then each number in constant time.
        """
        counts: Counter[str] = Counter()
        for who, when, parts in self.recent:
            if now - when < HOUR:
                counts[who] += parts
        return lambda number: counts[_fingerprint(number)]

    def average_per_day(self, today: date) -> float | None:
        """Return the parts sent a day over the last 30 days, once there is a week."""
        if self.since is None or (today - self.since).days < FORECAST_MIN_DAYS:
            return None
        span = min(FORECAST_DAYS, (today - self.since).days)
        sent = sum(
            parts for day, parts in self.days.items() if 0 < (today - day).days <= span
        )
        return sent / span if sent else None

    def prune(self, now: datetime, today: date) -> None:
        """Forget the sends older than an hour and the days older than a month."""
        self.recent = [entry for entry in self.recent if now - entry[1] < HOUR]
        self.days = {
            day: parts
            for day, parts in self.days.items()
            if (today - day).days < KEPT_DAYS
        }

    def as_data(self) -> dict[str, Any]:
        """Return the log as JSON-ready data."""
        return {
            "total": self.total,
            "since": None if self.since is None else self.since.isoformat(),
            "days": {day.isoformat(): parts for day, parts in self.days.items()},
            "recent": [
                [who, when.isoformat(), parts] for who, when, parts in self.recent
            ],
        }

    @classmethod
    def from_data(cls, data: object) -> UsageLog:
        """Read the log from the store (an unreadable one starts again, empty)."""
        if not isinstance(data, dict):
            return cls()
        try:
            return cls(
                total=int(data["total"]),
                since=None
                if data["since"] is None
                else date.fromisoformat(data["since"]),
                days={
                    date.fromisoformat(day): int(parts)
                    for day, parts in data["days"].items()
                },
                recent=[
                    (str(who), datetime.fromisoformat(when), int(parts))
                    for who, when, parts in data["recent"]
                ],
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return cls()


def _fingerprint(number: str) -> str:
    """Return the fingerprint a number is kept under."""
    return text_digest(number, "")
