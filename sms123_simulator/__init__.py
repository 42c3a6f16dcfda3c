"""A stateful fake of the 123-SMS.net HTTP API, for tests and the demo."""

from .codec import AnswerStyle
from .faults import FaultKind
from .server import Simulator
from .state import Account, Contact, RequestRecord, ScheduledSend, SentMessage

__all__ = [
    "Account",
    "AnswerStyle",
    "Contact",
    "FaultKind",
    "RequestRecord",
    "ScheduledSend",
    "SentMessage",
    "Simulator",
]
