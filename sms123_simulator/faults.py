"""Faults a test can make the simulator apply to the requests it receives."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


class FaultKind(StrEnum):
    """A way the simulated gateway can misbehave."""

    LATENCY = "latency"
    HANG = "hang"
    RESET = "reset"
    LOST_ANSWER = "lost_answer"
    HTTP_500 = "http_500"
    HTTP_502 = "http_502"
    HTTP_503 = "http_503"
    TECHNICAL_ERROR = "technical_error"
    HTML = "html"
    EMPTY = "empty"
    GARBAGE = "garbage"


DEFAULT_DELAYS = {FaultKind.LATENCY: 1.0, FaultKind.HANG: 600.0}
# Chaos mode leaves out the two slow kinds unless asked: they would stall a test run.
CHAOS_KINDS = tuple(kind for kind in FaultKind if kind not in DEFAULT_DELAYS)


@dataclass(frozen=True, kw_only=True)
class Fault:
    """One fault chosen for one request."""

    kind: FaultKind
    delay: float

    @classmethod
    def of(cls, kind: FaultKind, delay: float | None = None) -> Fault:
        """Build a fault, filling in the default delay of its kind."""
        if delay is None:
            delay = DEFAULT_DELAYS.get(kind, 0.0)
        return cls(kind=kind, delay=delay)


@dataclass(kw_only=True)
class _Injection:
    """A fault waiting for the next matching requests."""

    fault: Fault
    remaining: int
    path: str | None


def normalize_path(path: str) -> str:
    """Compare paths without their trailing slash."""
    return path.rstrip("/") or "/"


class FaultPlan:
    """Decide each request's fault: the outage, else an injection, else chaos."""

    def __init__(self) -> None:
        """Start with no fault planned."""
        self._injections: list[_Injection] = []
        self._outage: Fault | None = None
        self._rate = 0.0
        self._chaos_kinds: tuple[FaultKind, ...] = CHAOS_KINDS
        self._random = random.Random(0)  # noqa: S311 - reproducible chaos, not security
        self.counts: Counter[FaultKind] = Counter()

    def inject(
        self,
        kind: FaultKind,
        *,
        times: int = 1,
        path: str | None = None,
        delay: float | None = None,
    ) -> None:
        """Give this fault to the next `times` requests (to `path` only, if given)."""
        if times < 1:
            raise ValueError("times must be at least 1")
        self._injections.append(
            _Injection(
                fault=Fault.of(FaultKind(kind), delay),
                remaining=times,
                path=None if path is None else normalize_path(path),
            )
        )

    def set_outage(self, kind: FaultKind | None, delay: float | None = None) -> None:
        """Give this fault to every request until called again with None."""
        self._outage = None if kind is None else Fault.of(FaultKind(kind), delay)

    def set_rate(
        self, rate: float, kinds: Iterable[FaultKind] | None = None, seed: int = 0
    ) -> None:
        """Fault each request with probability `rate`, kinds drawn at seeded random."""
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        chosen = CHAOS_KINDS if kinds is None else tuple(map(FaultKind, kinds))
        if not chosen:
            raise ValueError("kinds must not be empty")
        self._rate = rate
        self._chaos_kinds = chosen
        self._random = random.Random(seed)  # noqa: S311 - reproducible, not secret

    def clear(self) -> None:
        """Forget every planned fault (injections, outage, chaos)."""
        self._injections.clear()
        self._outage = None
        self._rate = 0.0

    def pick(self, path: str) -> Fault | None:
        """Choose the fault for a request to `path`, and count it."""
        fault = self._outage or self._take_injection(normalize_path(path))
        if fault is None and self._rate and self._random.random() < self._rate:
            fault = Fault.of(self._random.choice(self._chaos_kinds))
        if fault is not None:
            self.counts[fault.kind] += 1
        return fault

    def _take_injection(self, path: str) -> Fault | None:
        """Consume one use of the first injection matching `path`."""
        for injection in self._injections:
            if injection.path in (None, path):
                injection.remaining -= 1
                if not injection.remaining:
                    self._injections.remove(injection)
                return injection.fault
        return None
