"""The persistent outbox: every SMS waits here until the gateway gives a final answer.

`models` holds the records and their codec, `policy` the pure rules (horizon,
circuit breaker, repeats), `store` the persistence, `ledger` what is in memory,
`attempts` one try of one message, `cancels` the cancels, and `dispatcher` the
outbox itself.
"""

from .attempts import REASON_ALREADY_SENT, REASON_NO_COPY, REASON_TOO_LATE
from .cancels import REASON_CANCELED_LOCALLY, REASON_IN_FLIGHT, REASON_UNKNOWN_ID
from .dispatcher import (
    REASON_NOT_STORED,
    REASON_PREVIOUS_PART,
    REASON_STOPPED,
    Outbox,
    OutboxFullError,
    OutboxSettings,
)
from .ledger import HOLD_REASONS, SAVE_DELAY
from .models import (
    AccountRefusal,
    DeliveryResult,
    DeliveryStatus,
    Hold,
    OutboxItem,
    OutgoingSms,
    Reason,
    ScheduledSend,
)
from .policy import HORIZON, SUFFIX_ROOM, unique_text
from .store import STORAGE_VERSION, OutboxStore
from .usage import UsageLog

REASON_NO_CREDIT = HOLD_REASONS[Hold.CREDIT]

__all__ = [
    "HOLD_REASONS",
    "HORIZON",
    "REASON_ALREADY_SENT",
    "REASON_CANCELED_LOCALLY",
    "REASON_IN_FLIGHT",
    "REASON_NOT_STORED",
    "REASON_NO_COPY",
    "REASON_NO_CREDIT",
    "REASON_PREVIOUS_PART",
    "REASON_STOPPED",
    "REASON_TOO_LATE",
    "REASON_UNKNOWN_ID",
    "SAVE_DELAY",
    "STORAGE_VERSION",
    "SUFFIX_ROOM",
    "AccountRefusal",
    "DeliveryResult",
    "DeliveryStatus",
    "Hold",
    "Outbox",
    "OutboxFullError",
    "OutboxItem",
    "OutboxSettings",
    "OutboxStore",
    "OutgoingSms",
    "Reason",
    "ScheduledSend",
    "UsageLog",
    "unique_text",
]
