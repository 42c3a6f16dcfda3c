"""The eight API endpoints: credentials, checks in the documented order, state."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from .rules import (
    PLAIN_SMS_MAX_CHARS,
    Schedule,
    count_parts,
    has_stop_mention,
    is_overseas,
    is_valid_birthday,
    is_valid_number,
    is_valid_sender_id,
    parse_schedule,
    split_numbers,
)
from .state import Account, Contact, Ledger, ScheduledSend, SentMessage

FORMAT_ERROR = "-1"
DUPLICATE_WINDOW = timedelta(hours=24)
_FLAGS = ("flash", "TTS", "test")
_GROUP_SEPARATOR = "--"


@dataclass(frozen=True, kw_only=True)
class Call:
    """One decoded request, with what the endpoints need to know about it."""

    params: dict[str, str]
    peer: str | None
    now: datetime
    decimal_comma: bool = False


@dataclass(frozen=True, kw_only=True)
class Answer:
    """What an endpoint answers: a code, or the balance (field `solde`)."""

    field: str
    value: str

    @classmethod
    def code(cls, code: str) -> Answer:
        """Answer a return code."""
        return cls(field="code", value=code)


@dataclass(frozen=True, kw_only=True)
class CredentialCodes:
    """The codes an endpoint family answers for bad credentials."""

    empty_user: str
    empty_key: str
    invalid: str
    ip_refused: str


SEND_CREDENTIALS = CredentialCodes(
    empty_user="87", empty_key="88", invalid="82", ip_refused="96"
)
BALANCE_CREDENTIALS = CredentialCodes(
    empty_user="E501", empty_key="E502", invalid="E505", ip_refused="E505"
)
BOOK_CREDENTIALS = CredentialCodes(
    empty_user="501", empty_key="502", invalid="505", ip_refused="505"
)

type Handler = Callable[[Ledger, Account, Call], Answer]


@dataclass(frozen=True, kw_only=True)
class Endpoint:
    """An API endpoint: its credential codes and the handler run once logged in."""

    credentials: CredentialCodes
    handler: Handler


def authenticate(ledger: Ledger, call: Call, codes: CredentialCodes) -> Account | str:
    """Find the account named by either credential spelling, or the refusal code."""
    user = call.params.get("user") or call.params.get("email") or ""
    key = call.params.get("cleAPI") or call.params.get("pass") or ""
    if not user:
        return codes.empty_user
    if not key:
        return codes.empty_key
    account = ledger.accounts.get(user)
    known_key = b"" if account is None else account.api_key.encode()
    if account is None or not hmac.compare_digest(known_key, key.encode()):
        return codes.invalid
    if account.allowed_ips is not None and call.peer not in account.allowed_ips:
        return codes.ip_refused
    return account


@dataclass(frozen=True, kw_only=True)
class _Send:
    """A send request that passed the format checks."""

    numbers: list[str]
    parts: int
    schedule: Schedule | None


def _sender_refusal(account: Account, sender_id: str, message: str) -> str | None:
    """Tell why the gateway refuses a sender ID (97, 102), or None if it takes it."""
    if not sender_id:
        return None
    declared = account.declared_sender_ids
    if not is_valid_sender_id(sender_id) or (
        declared is not None and sender_id not in declared
    ):
        return "97"
    if account.stop_mention_required and not has_stop_mention(message):
        return "102"
    return None


def _check_send(  # noqa: PLR0911 - one return per documented refusal
    account: Account, params: dict[str, str], now: datetime
) -> _Send | str:
    """Run the format checks of a send in the documented order, or tell the refusal."""
    if any(params.get(flag, "") not in ("", "o") for flag in _FLAGS):
        return FORMAT_ERROR
    numero, message = params.get("numero", ""), params.get("message", "")
    if not numero:
        return "89"
    if not message:
        return "90"
    numbers = split_numbers(numero)
    if not all(is_valid_number(number) for number in numbers):
        return "84"
    if not account.overseas and any(is_overseas(number) for number in numbers):
        return "93"
    diff = params.get("diff", "")
    schedule = parse_schedule(diff) if diff else None
    if diff and (schedule is None or (not schedule.cancel and schedule.at < now)):
        return "85"
    if refusal := _sender_refusal(account, params.get("senderid", ""), message):
        return refusal
    if not account.long_sms and len(message) > PLAIN_SMS_MAX_CHARS:
        return FORMAT_ERROR
    return _Send(numbers=numbers, parts=count_parts(message), schedule=schedule)


def send(  # noqa: PLR0911 - one return per documented outcome
    ledger: Ledger, account: Account, call: Call
) -> Answer:
    """Send, schedule, test or cancel an SMS, checking in the documented order."""
    checked = _check_send(account, call.params, call.now)
    if isinstance(checked, str):
        return Answer.code(checked)
    if checked.schedule is not None and checked.schedule.cancel:
        return _cancel(ledger, account, call.params, checked.numbers)
    if call.params.get("test") == "o":
        return _log(ledger, account, call, checked, "92")
    if any(number in account.blacklist for number in checked.numbers):
        return Answer.code("101")
    cost = checked.parts * len(checked.numbers)
    if account.balance < cost:
        return Answer.code("83")
    if _already_sent(ledger, account, call, checked.numbers):
        return Answer.code("91")
    account.balance -= cost
    if checked.schedule is not None:
        _schedule(ledger, account, call, checked)
        return _log(ledger, account, call, checked, "81")
    return _log(ledger, account, call, checked, "80")


def _already_sent(
    ledger: Ledger, account: Account, call: Call, numbers: list[str]
) -> bool:
    """Tell whether this message went to one of these numbers (code 80) within 24 h."""
    return any(
        sent.username == account.username
        and sent.number in numbers
        and sent.message == call.params["message"]
        and call.now - sent.at < DUPLICATE_WINDOW
        for sent in ledger.delivered
    )


def _log(
    ledger: Ledger, account: Account, call: Call, checked: _Send, code: str
) -> Answer:
    """Record an accepted send, one entry per number, and answer its code."""
    params = call.params
    accepted = [
        SentMessage(
            username=account.username,
            number=number,
            message=params["message"],
            sender_id=params.get("senderid") or None,
            flash=params.get("flash") == "o",
            voice=params.get("TTS") == "o",
            diff=params.get("diff") or None,
            test=code == "92",
            code=code,
            parts=checked.parts,
            at=call.now,
        )
        for number in checked.numbers
    ]
    ledger.messages.extend(accepted)
    if code == "80":
        ledger.delivered.extend(accepted)
    return Answer.code(code)


def _schedule(ledger: Ledger, account: Account, call: Call, checked: _Send) -> None:
    """Keep a scheduled send pending, one entry per number."""
    assert checked.schedule is not None  # noqa: S101 - only called for a schedule
    ledger.scheduled.extend(
        ScheduledSend(
            username=account.username,
            number=number,
            message=call.params["message"],
            diff=call.params["diff"],
            sender_id=call.params.get("senderid") or None,
            parts=checked.parts,
            send_at=checked.schedule.at,
            at=call.now,
        )
        for number in checked.numbers
    )


def _cancel(
    ledger: Ledger, account: Account, params: dict[str, str], numbers: list[str]
) -> Answer:
    """Delete the pending scheduled send for every number and refund it (94), or 95."""
    message, diff = params["message"], params["diff"].removesuffix("s")
    pending: list[ScheduledSend] = []
    for number in numbers:
        match = next(
            (
                waiting
                for waiting in ledger.scheduled
                if waiting.username == account.username
                and waiting.number == number
                and waiting.message == message
                and waiting.diff == diff
                and all(waiting is not taken for taken in pending)
            ),
            None,
        )
        if match is None:
            return Answer.code("95")
        pending.append(match)
    for waiting in pending:
        ledger.scheduled.remove(waiting)
        account.balance += waiting.parts
    return Answer.code("94")


def balance(_ledger: Ledger, account: Account, call: Call) -> Answer:
    """Answer the balance as a decimal number."""
    text = f"{account.balance:.3f}".rstrip("0").rstrip(".")
    if call.decimal_comma:
        text = text.replace(".", ",")
    return Answer(field="solde", value=text)


def add_group(_ledger: Ledger, account: Account, call: Call) -> Answer:
    """Create a group (514), unless it exists (513)."""
    name = call.params.get("groupe", "")
    if not name:
        return Answer.code(FORMAT_ERROR)
    if name in account.groups:
        return Answer.code("513")
    account.groups[name] = set()
    return Answer.code("514")


def rename_group(_ledger: Ledger, account: Account, call: Call) -> Answer:
    """Rename a group (514); 517 if it does not exist, 513 if the new name is taken."""
    name, new_name = call.params.get("groupe", ""), call.params.get("groupe_upd", "")
    if not name or not new_name:
        return Answer.code(FORMAT_ERROR)
    if name not in account.groups:
        return Answer.code("517")
    if new_name in account.groups:
        return Answer.code("513")
    account.groups[new_name] = account.groups.pop(name)
    return Answer.code("514")


def delete_group(_ledger: Ledger, account: Account, call: Call) -> Answer:
    """Delete an empty group (516); 517 if it does not exist, 515 if it has contacts."""
    name = call.params.get("groupe", "")
    if not name:
        return Answer.code(FORMAT_ERROR)
    if name not in account.groups:
        return Answer.code("517")
    if account.groups[name]:
        return Answer.code("515")
    del account.groups[name]
    return Answer.code("516")


def _has_valid_contact_fields(params: dict[str, str]) -> bool:
    """Tell whether `numero` is a valid number and `datea`, if given, is `DDMMYY`."""
    datea = params.get("datea", "")
    return is_valid_number(params.get("numero", "")) and (
        not datea or is_valid_birthday(datea)
    )


def add_contact(_ledger: Ledger, account: Account, call: Call) -> Answer:
    """Add a number to groups (507); 517 unknown group, 506 already in one."""
    params = call.params
    names = params.get("groupe", "").split(_GROUP_SEPARATOR)
    if not all(names) or not _has_valid_contact_fields(params):
        return Answer.code(FORMAT_ERROR)
    number = params["numero"]
    if any(name not in account.groups for name in names):
        return Answer.code("517")
    if any(number in account.groups[name] for name in names):
        return Answer.code("506")
    for name in names:
        account.groups[name].add(number)
    account.contacts.setdefault(number, Contact()).update(params)
    return Answer.code("507")


def update_contact(_ledger: Ledger, account: Account, call: Call) -> Answer:
    """Change a contact of a group (507); 508 unknown contact, 510 not in that group."""
    params = call.params
    name, old_number = params.get("groupe", ""), params.get("numeroa", "")
    if not name or not old_number or not _has_valid_contact_fields(params):
        return Answer.code(FORMAT_ERROR)
    if old_number not in account.contacts:
        return Answer.code("508")
    members = account.groups.get(name, set())
    if old_number not in members:
        return Answer.code("510")
    number = params["numero"]
    record = replace(account.contacts[old_number])
    record.update(params)
    members.discard(old_number)
    members.add(number)
    account.forget_if_orphan(old_number)
    account.contacts[number] = record
    return Answer.code("507")


def delete_contact(_ledger: Ledger, account: Account, call: Call) -> Answer:
    """Remove a contact from a group or all groups (509); 508 unknown, 510 not there."""
    number, name = call.params.get("numero", ""), call.params.get("groupe", "")
    if not number:
        return Answer.code(FORMAT_ERROR)
    if number not in account.contacts:
        return Answer.code("508")
    if name:
        members = account.groups.get(name, set())
        if number not in members:
            return Answer.code("510")
        members.discard(number)
    else:
        for members in account.groups.values():
            members.discard(number)
    account.forget_if_orphan(number)
    return Answer.code("509")


ENDPOINTS: dict[str, Endpoint] = {
    "/api/send": Endpoint(credentials=SEND_CREDENTIALS, handler=send),
    "/api/solde": Endpoint(credentials=BALANCE_CREDENTIALS, handler=balance),
    "/api/group/add": Endpoint(credentials=BOOK_CREDENTIALS, handler=add_group),
    "/api/group/upd": Endpoint(credentials=BOOK_CREDENTIALS, handler=rename_group),
    "/api/group/del": Endpoint(credentials=BOOK_CREDENTIALS, handler=delete_group),
    "/api/contact/add": Endpoint(credentials=BOOK_CREDENTIALS, handler=add_contact),
    "/api/contact/upd": Endpoint(credentials=BOOK_CREDENTIALS, handler=update_contact),
    "/api/contact/del": Endpoint(credentials=BOOK_CREDENTIALS, handler=delete_contact),
}


def answer(ledger: Ledger, path: str, call: Call) -> Answer:
    """Run the endpoint at `path` (no trailing slash) for an authenticated caller."""
    endpoint = ENDPOINTS[path]
    ledger.deliver_due(call.now)
    account = authenticate(ledger, call, endpoint.credentials)
    if isinstance(account, str):
        return Answer.code(account)
    return endpoint.handler(ledger, account, call)
