"""What the simulated gateway remembers: accounts, their address book, its logs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from .faults import FaultKind

CONTACT_FIELDS = ("nom", "prenom", "societe", "datea", "v1", "v2", "v3")


@dataclass(kw_only=True)
class Contact:
    """A contact record, fields named as the API names them."""

    nom: str = ""
    prenom: str = ""
    societe: str = ""
    datea: str = ""
    v1: str = ""
    v2: str = ""
    v3: str = ""

    def update(self, params: dict[str, str]) -> None:
        """Overwrite the fields present in the request parameters."""
        for name in CONTACT_FIELDS:
            if name in params:
                setattr(self, name, params[name])


@dataclass(kw_only=True)
class Account:
    """A customer account with its credit, options and address book."""

    username: str
    api_key: str = field(repr=False)
    balance: float
    long_sms: bool = False
    overseas: bool = False
    allowed_ips: frozenset[str] | None = None
    stop_mention_required: bool = False
    # The sender IDs declared in the customer area; None: any valid one is accepted.
    declared_sender_ids: set[str] | None = None
    blacklist: set[str] = field(default_factory=set)
    groups: dict[str, set[str]] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)

    def forget_if_orphan(self, number: str) -> None:
        """Drop a contact record once the number belongs to no group."""
        if not any(number in members for members in self.groups.values()):
            self.contacts.pop(number, None)


@dataclass(frozen=True, kw_only=True)
class SentMessage:
    """One number of a send the gateway accepted (codes 80, 81 and 92)."""

    username: str
    number: str
    message: str
    sender_id: str | None
    flash: bool
    voice: bool
    diff: str | None
    test: bool
    code: str
    parts: int
    at: datetime


@dataclass(frozen=True, kw_only=True)
class ScheduledSend:
    """One number of a scheduled send waiting for its time (already debited)."""

    username: str
    number: str
    message: str
    diff: str
    sender_id: str | None
    parts: int
    send_at: datetime
    at: datetime


@dataclass(frozen=True, kw_only=True)
class RequestRecord:
    """One request to an API endpoint and what the simulator did with it."""

    path: str
    method: str
    content_type: str
    params: dict[str, str]
    code: str | None
    fault: FaultKind | None
    at: datetime


@dataclass(kw_only=True)
class Ledger:
    """Every account and every log of the simulated gateway."""

    accounts: dict[str, Account] = field(default_factory=dict)
    messages: list[SentMessage] = field(default_factory=list)
    # What reached the phones: sends made at once, and scheduled sends once their
    # time came. The 24-hour duplicate rule reads it; clearing the logs keeps it.
    delivered: list[SentMessage] = field(default_factory=list)
    scheduled: list[ScheduledSend] = field(default_factory=list)

    def deliver_due(self, now: datetime) -> None:
        """Send the scheduled sends whose time has come; they cannot be deleted now."""
        due = [waiting for waiting in self.scheduled if waiting.send_at <= now]
        for waiting in due:
            self.scheduled.remove(waiting)
            self.delivered.append(
                SentMessage(
                    username=waiting.username,
                    number=waiting.number,
                    message=waiting.message,
                    sender_id=waiting.sender_id,
                    flash=False,
                    voice=False,
                    diff=waiting.diff,
                    test=False,
                    code="80",
                    parts=waiting.parts,
                    at=waiting.send_at,
                )
            )
