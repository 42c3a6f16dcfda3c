"""The simulated gateway: an aiohttp application, its faults and its control routes."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import socket
import struct
from dataclasses import asdict
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .codec import AnswerStyle, BodyError, decode_body, render_answer
from .endpoints import ENDPOINTS, FORMAT_ERROR, Answer, Call, answer
from .faults import Fault, FaultKind, FaultPlan, normalize_path
from .persistence import StateFile
from .state import Account, Ledger, RequestRecord

if TYPE_CHECKING:
    from collections import Counter
    from collections.abc import Callable, Iterable

    from .state import ScheduledSend, SentMessage

type Clock = Callable[[], datetime]

_SHUTDOWN_TIMEOUT = 2.0
_HTTP_FAULTS = {
    FaultKind.HTTP_500: HTTPStatus.INTERNAL_SERVER_ERROR,
    FaultKind.HTTP_502: HTTPStatus.BAD_GATEWAY,
    FaultKind.HTTP_503: HTTPStatus.SERVICE_UNAVAILABLE,
}
_HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>Erreur</title></head><body>"
    "<h1>Service momentanément indisponible</h1>"
    "<p>Merci de réessayer dans quelques instants.</p></body></html>"
)
# 0x80 can never start a UTF-8 sequence, so the body is never valid UTF-8.
_GARBAGE_PREFIX = b"\x80\xff"


def _utc_now() -> datetime:
    """Tell the real time, aware, in UTC."""
    return datetime.now(UTC)


def _reset_connection(request: web.Request) -> web.Response:
    """Drop the connection with a TCP reset; the returned answer is never delivered."""
    transport = request.transport
    if transport is not None:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            # Linger on, timeout 0: closing sends RST instead of a clean FIN.
            linger = struct.pack("ii", 1, 0)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        transport.abort()
    return web.Response()


class Simulator:
    """A stateful fake of the 123-SMS API, served over HTTP on a local port."""

    def __init__(
        self,
        answer_style: AnswerStyle = AnswerStyle.PLAIN,
        clock: Clock | None = None,
        state_file: Path | str | None = None,
    ) -> None:
        """Create a simulator, not yet listening, with no account or those saved.

        With `state_file`, the ledger (accounts, balances, address books, messages,
        scheduled sends) is read from that file if it holds one, and written back
        after each change; a missing or unreadable file starts an empty ledger.
        """
        self.answer_style = answer_style
        self.clock: Clock = clock or _utc_now
        self.latency = 0.0
        self.decimal_comma = False
        self.requests: list[RequestRecord] = []
        self._state_file = None if state_file is None else StateFile(Path(state_file))
        restored = None if self._state_file is None else self._state_file.read()
        self.restored = restored is not None
        self._ledger = Ledger() if restored is None else restored
        self._faults = FaultPlan()
        self._garbage = random.Random(0)  # noqa: S311 - test noise, not security
        self._runner: web.AppRunner | None = None
        self._stopping = asyncio.Event()
        self._host = "127.0.0.1"
        self._port: int | None = None

    def add_account(  # noqa: PLR0913 - one keyword per account option
        self,
        username: str,
        api_key: str,
        balance: float = 100.0,
        *,
        long_sms: bool = False,
        overseas: bool = False,
        allowed_ips: Iterable[str] | None = None,
        blacklist: Iterable[str] = (),
        stop_mention_required: bool = False,
        declared_sender_ids: Iterable[str] | None = None,
    ) -> Account:
        """Open an account the gateway accepts, and return it for tests to adjust."""
        if username in self._ledger.accounts:
            raise ValueError(f"account {username!r} already exists")
        account = Account(
            username=username,
            api_key=api_key,
            balance=balance,
            long_sms=long_sms,
            overseas=overseas,
            allowed_ips=None if allowed_ips is None else frozenset(allowed_ips),
            blacklist=set(blacklist),
            stop_mention_required=stop_mention_required,
            declared_sender_ids=(
                None if declared_sender_ids is None else set(declared_sender_ids)
            ),
        )
        self._ledger.accounts[username] = account
        self.save_state()
        return account

    @property
    def state_path(self) -> Path | None:
        """Tell the file the ledger is kept in, if any."""
        return None if self._state_file is None else self._state_file.path

    def save_state(self) -> None:
        """Write the ledger to the state file, if there is one and it changed.

        Requests and control commands save on their own; a test that changes an
        account directly saves with this (or at the next request, or at stop).
        """
        if self._state_file is not None:
            self._state_file.save(self._ledger)

    @property
    def accounts(self) -> dict[str, Account]:
        """Tell the accounts, by username."""
        return self._ledger.accounts

    @property
    def messages(self) -> list[SentMessage]:
        """Tell every accepted send (80, 81, 92), one entry per number."""
        return self._ledger.messages

    @property
    def scheduled(self) -> list[ScheduledSend]:
        """Tell the scheduled sends still pending, one entry per number."""
        self._ledger.deliver_due(self.clock())
        return self._ledger.scheduled

    @property
    def delivered(self) -> list[SentMessage]:
        """Tell what reached the phones: sends made at once, scheduled ones in time."""
        self._ledger.deliver_due(self.clock())
        return self._ledger.delivered

    def copies(self, number: str, message: str) -> int:
        """Tell how many copies of `message` reach `number`: delivered or still due."""
        delivered = sum(
            sent.number == number and sent.message == message for sent in self.delivered
        )
        due = sum(
            waiting.number == number and waiting.message == message
            for waiting in self.scheduled
        )
        return delivered + due

    @property
    def fault_counts(self) -> Counter[FaultKind]:
        """Tell how many times each fault was applied."""
        return self._faults.counts

    @property
    def url(self) -> str:
        """Tell the base URL of the last start."""
        return f"http://{self._host}:{self.port}"

    @property
    def port(self) -> int:
        """Tell the port of the last start."""
        if self._port is None:
            raise RuntimeError("the simulator was never started")
        return self._port

    def inject(
        self,
        kind: FaultKind,
        times: int = 1,
        path: str | None = None,
        delay: float | None = None,
    ) -> None:
        """Give a fault to the next `times` API requests (to `path` only, if given)."""
        self._faults.inject(kind, times=times, path=path, delay=delay)

    def set_fault_rate(
        self, rate: float, kinds: Iterable[FaultKind] | None = None, seed: int = 0
    ) -> None:
        """Fault each API request with probability `rate` (0 turns chaos off)."""
        self._faults.set_rate(rate, kinds, seed)

    def set_outage(self, kind: FaultKind | None, delay: float | None = None) -> None:
        """Give this fault to every API request, until called with None."""
        self._faults.set_outage(kind, delay)

    def clear_faults(self) -> None:
        """Forget injected faults, the outage and chaos mode."""
        self._faults.clear()

    def reset_logs(self) -> None:
        """Clear the message and request logs and the fault counts."""
        self._ledger.messages.clear()
        self.requests.clear()
        self._faults.counts.clear()
        self.save_state()

    async def start(self, host: str = "127.0.0.1", port: int | None = None) -> str:
        """Listen on `host`:`port` (0: a free port; None: the last port, else free)."""
        if self._runner is not None:
            raise RuntimeError("the simulator is already running")
        if port is None:
            port = self._port or 0
        self._stopping = asyncio.Event()
        runner = web.AppRunner(
            self.application(), access_log=None, shutdown_timeout=_SHUTDOWN_TIMEOUT
        )
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        self._host = host
        self._port = int(runner.addresses[0][1])
        return self.url

    async def stop(self) -> None:
        """Stop listening, ending any hanging request first; start() works again."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            self._stopping.set()
            await runner.cleanup()
        self.save_state()

    def application(self) -> web.Application:
        """Build the aiohttp application: API endpoints and control routes."""
        app = web.Application()
        for path in ENDPOINTS:
            app.router.add_route("*", path, self._handle_api)
            app.router.add_route("*", f"{path}/", self._handle_api)
        app.router.add_get("/_simulator/state", self._handle_state)
        app.router.add_get("/_simulator/messages", self._handle_messages)
        app.router.add_post("/_simulator/fault", self._handle_fault)
        app.router.add_post("/_simulator/outage", self._handle_outage)
        app.router.add_post("/_simulator/balance", self._handle_balance)
        return app

    async def _pause(self, seconds: float) -> bool:
        """Wait `seconds`; tell True if the simulator was stopped meanwhile."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)
        return self._stopping.is_set()

    async def _handle_api(self, request: web.Request) -> web.Response:
        """Answer an API request, applying the fault planned for it, and record it."""
        fault = self._faults.pick(request.path)
        received_at = self.clock()
        params = self._decode(request, await request.read())
        code: str | None = None
        try:
            response, code = await self._respond(request, fault, params)
        finally:
            self.requests.append(
                RequestRecord(
                    path=request.path,
                    method=request.method,
                    content_type=request.headers.get("Content-Type", ""),
                    params=params or {},
                    code=code,
                    fault=None if fault is None else fault.kind,
                    at=received_at,
                )
            )
            self.save_state()
        return response

    async def _respond(
        self, request: web.Request, fault: Fault | None, params: dict[str, str] | None
    ) -> tuple[web.Response, str | None]:
        """Build the answer (or misbehaviour) and tell the code processed, if any."""
        delay = self.latency
        if fault is not None and fault.kind in (FaultKind.LATENCY, FaultKind.HANG):
            delay += fault.delay
        if delay and await self._pause(delay):
            return _reset_connection(request), None
        if fault is None or fault.kind is FaultKind.LATENCY:
            result = self._process(request, params)
            return self._render(result), result.value
        if fault.kind is FaultKind.LOST_ANSWER:
            return _reset_connection(request), self._process(request, params).value
        if fault.kind is FaultKind.TECHNICAL_ERROR:
            return self._render(Answer.code("-2")), "-2"
        if fault.kind in (FaultKind.RESET, FaultKind.HANG):
            # A hang that outlived its delay ends like a reset: never an answer.
            return _reset_connection(request), None
        return self._broken_answer(fault.kind), None

    def _broken_answer(self, kind: FaultKind) -> web.Response:
        """Build an HTTP answer that carries no code: 5xx, HTML, empty or garbage."""
        if kind in _HTTP_FAULTS:
            status = _HTTP_FAULTS[kind]
            return web.Response(status=status, text=f"{status.value} {status.phrase}")
        if kind is FaultKind.HTML:
            return web.Response(text=_HTML_PAGE, content_type="text/html")
        if kind is FaultKind.GARBAGE:
            noise = bytes(self._garbage.randrange(256) for _ in range(32))
            return web.Response(
                body=_GARBAGE_PREFIX + noise, content_type="application/octet-stream"
            )
        return web.Response(body=b"", content_type="text/plain")

    @staticmethod
    def _decode(request: web.Request, body: bytes) -> dict[str, str] | None:
        """Decode the request body; None when the gateway would refuse its format."""
        try:
            return decode_body(request.content_type, body)
        except BodyError:
            return None

    def _process(self, request: web.Request, params: dict[str, str] | None) -> Answer:
        """Run the endpoint on a well-formed POST, else answer the format error."""
        if request.method != "POST" or params is None:
            return Answer.code(FORMAT_ERROR)
        call = Call(
            params=params,
            peer=request.remote,
            now=self.clock(),
            decimal_comma=self.decimal_comma,
        )
        return answer(self._ledger, normalize_path(request.path), call)

    def _render(self, result: Answer) -> web.Response:
        """Render an endpoint's answer in the current answer style."""
        style = self.answer_style
        body, content_type = render_answer(style, result.field, result.value)
        return web.Response(body=body, content_type=content_type, charset="utf-8")

    async def _handle_state(self, _request: web.Request) -> web.Response:
        """Answer the accounts (never their key) and the pending scheduled sends."""
        return web.json_response(
            {
                "accounts": [_account_state(acct) for acct in self.accounts.values()],
                "scheduled": [_jsonable(asdict(item)) for item in self.scheduled],
                "answer_style": self.answer_style.value,
                "latency": self.latency,
                "fault_counts": dict(self.fault_counts),
            }
        )

    async def _handle_messages(self, _request: web.Request) -> web.Response:
        """Answer every accepted send."""
        return web.json_response([_jsonable(asdict(item)) for item in self.messages])

    async def _handle_fault(self, request: web.Request) -> web.Response:
        """Inject a fault: `{"kind": "http_503", "times": 2}` (+ `path`, `delay`)."""
        command = await _read_command(request)
        try:
            self.inject(
                FaultKind(str(command.get("kind"))),
                times=int(command.get("times", 1)),
                path=command.get("path"),
                delay=command.get("delay"),
            )
        except (TypeError, ValueError) as err:
            raise _bad_command(str(err)) from err
        return web.json_response({"ok": True})

    async def _handle_outage(self, request: web.Request) -> web.Response:
        """Start (`{"kind": "reset"}`) or end (`{"kind": null}`) an outage."""
        command = await _read_command(request)
        kind = command.get("kind")
        try:
            outage = None if kind is None else FaultKind(kind)
            self.set_outage(outage, command.get("delay"))
        except ValueError as err:
            raise _bad_command(str(err)) from err
        return web.json_response({"ok": True})

    async def _handle_balance(self, request: web.Request) -> web.Response:
        """Set an account's balance: `{"username": ..., "balance": 5}`."""
        command = await _read_command(request)
        account = self.accounts.get(str(command.get("username")))
        if account is None:
            raise _bad_command("unknown username")
        try:
            account.balance = float(command["balance"])
        except (KeyError, TypeError, ValueError) as err:
            raise _bad_command("balance must be a number") from err
        self.save_state()
        return web.json_response({"ok": True, "balance": account.balance})


def _bad_command(reason: str) -> web.HTTPBadRequest:
    """Build the answer to a control command the simulator cannot follow."""
    return web.HTTPBadRequest(
        text=json.dumps({"error": reason}), content_type="application/json"
    )


async def _read_command(request: web.Request) -> dict[str, Any]:
    """Read a control command: one JSON object."""
    try:
        command = await request.json()
    except ValueError as err:
        raise _bad_command("body is not JSON") from err
    if not isinstance(command, dict):
        raise _bad_command("body is not a JSON object")
    return command


def _account_state(account: Account) -> dict[str, Any]:
    """Describe an account for the control route, without its API key."""
    return {
        "username": account.username,
        "balance": account.balance,
        "long_sms": account.long_sms,
        "overseas": account.overseas,
        "stop_mention_required": account.stop_mention_required,
        "declared_sender_ids": None
        if account.declared_sender_ids is None
        else sorted(account.declared_sender_ids),
        "allowed_ips": None
        if account.allowed_ips is None
        else sorted(account.allowed_ips),
        "blacklist": sorted(account.blacklist),
        "groups": {name: sorted(members) for name, members in account.groups.items()},
        "contacts": {
            number: asdict(contact) for number, contact in account.contacts.items()
        },
    }


def _jsonable(record: dict[str, Any]) -> dict[str, Any]:
    """Write a record's datetimes as ISO 8601 text."""
    return {
        name: value.isoformat() if isinstance(value, datetime) else value
        for name, value in record.items()
    }
