"""The simulator keeps its ledger in a state file: a restart goes on where it was.

`Simulator(state_file=...)` and `python -m sms123_simulator --state-file PATH` (the
demo keeps its simulator's state in config/ this way).
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys
from dataclasses import MISSING, fields
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
from simulator_client import START, FixedClock, Gateway

from sms123_simulator import (
    Account,
    Contact,
    ScheduledSend,
    SentMessage,
    Simulator,
)
from sms123_simulator.__main__ import parse_options, start_demo
from sms123_simulator.persistence import (
    RECORDS,
    decode_value,
    dump,
    is_supported,
    load,
)
from sms123_simulator.state import Ledger

if TYPE_CHECKING:
    import argparse
    from collections.abc import AsyncGenerator
    from pathlib import Path

USERNAME = "state@example.com"
API_KEY = "state-key"
SEND = "/api/send/"
MOBILE = "0601020304"
OTHER = "0611223344"
LATER = "150010032026"  # 15:00 on 10 March 2026, Paris time: three hours on
PROCESS_TIMEOUT = 10.0


@pytest.fixture
async def session(socket_enabled: None) -> AsyncGenerator[aiohttp.ClientSession]:
    """Give an HTTP session, sockets allowed."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    """Give where the state file goes (a folder that does not exist yet)."""
    return tmp_path / "config" / "simulator-state.json"


async def started(path: Path, clock: FixedClock) -> Simulator:
    """Start a simulator on `path`, opening the account if the file lacks it."""
    simulator = Simulator(clock=clock, state_file=path)
    if USERNAME not in simulator.accounts:
        simulator.add_account(USERNAME, API_KEY, balance=100)
    await simulator.start("127.0.0.1", 0)
    return simulator


async def fill(gateway: Gateway) -> None:
    """Send one SMS, schedule one, and add a group with a contact."""
    assert await gateway.call(SEND, {"numero": MOBILE, "message": "Now"}) == "80"
    scheduled = {"numero": OTHER, "message": "Later", "diff": LATER}
    assert await gateway.call(SEND, scheduled) == "81"
    assert await gateway.call("/api/group/add/", {"groupe": "Famille"}) == "514"
    contact = {"groupe": "Famille", "numero": MOBILE, "prenom": "Alice"}
    assert await gateway.call("/api/contact/add/", contact) == "507"


async def test_a_restart_with_the_same_file_keeps_the_ledger(
    session: aiohttp.ClientSession, state_path: Path
) -> None:
    clock = FixedClock(START)
    first = await started(state_path, clock)
    await fill(Gateway(session, first))
    await first.stop()

    second = await started(state_path, clock)
    try:
        gateway = Gateway(session, second)
        account = second.accounts[USERNAME]
        assert second.restored
        assert account.balance == 98
        assert account.groups == {"Famille": {MOBILE}}
        assert account.contacts == {MOBILE: Contact(prenom="Alice")}
        assert [(sent.number, sent.code) for sent in second.messages] == [
            (MOBILE, "80"),
            (OTHER, "81"),
        ]
        assert [(item.number, item.send_at) for item in second.scheduled] == [
            (OTHER, START + timedelta(hours=3))
        ]
        assert second.messages[0].at == START
        # The restored ledger works as the first one would have.
        assert await gateway.call("/api/solde/") == "98"
        assert await gateway.call(SEND, {"numero": MOBILE, "message": "Now"}) == "91"
        cancel = {"numero": OTHER, "message": "Later", "diff": f"{LATER}s"}
        assert await gateway.call(SEND, cancel) == "94"
        assert account.balance == 99
    finally:
        await second.stop()


async def test_a_scheduled_send_saved_before_its_time_is_delivered_after_a_restart(
    session: aiohttp.ClientSession, state_path: Path
) -> None:
    clock = FixedClock(START)
    first = await started(state_path, clock)
    await fill(Gateway(session, first))
    await first.stop()
    clock.advance(timedelta(hours=4))

    second = await started(state_path, clock)
    await second.stop()

    assert second.scheduled == []
    assert second.copies(OTHER, "Later") == 1


async def test_each_change_is_saved_at_once_and_a_read_rewrites_nothing(
    session: aiohttp.ClientSession, state_path: Path
) -> None:
    simulator = await started(state_path, FixedClock(START))
    gateway = Gateway(session, simulator)
    try:
        await fill(gateway)
        saved = load(state_path.read_text(encoding="utf-8"))
        inode = state_path.stat().st_ino

        assert await gateway.call("/api/solde/") == "98"
        assert await gateway.call(SEND, {"numero": "12", "message": "x"}) == "84"
        unchanged = state_path.stat().st_ino

        async with session.post(
            f"{simulator.url}/_simulator/balance",
            json={"username": USERNAME, "balance": 5},
        ) as response:
            assert response.status == 200
        after_command = load(state_path.read_text(encoding="utf-8"))
    finally:
        await simulator.stop()

    assert saved.accounts[USERNAME].balance == 98
    assert saved.accounts[USERNAME].groups == {"Famille": {MOBILE}}
    assert len(saved.scheduled) == 1
    assert unchanged == inode
    assert after_command.accounts[USERNAME].balance == 5
    # Written through a temporary file renamed over the state file: none is left.
    assert sorted(path.name for path in state_path.parent.iterdir()) == [
        state_path.name
    ]


async def test_a_change_made_from_python_is_saved_at_stop(state_path: Path) -> None:
    simulator = Simulator(state_file=state_path)
    simulator.add_account(USERNAME, API_KEY, balance=10)
    simulator.accounts[USERNAME].blacklist.add("33699999999")

    await simulator.stop()

    restored = Simulator(state_file=state_path).accounts[USERNAME]
    assert restored.blacklist == {"33699999999"}
    assert restored.api_key == API_KEY


def test_a_missing_file_starts_afresh_and_is_written_on_the_first_change(
    state_path: Path,
) -> None:
    simulator = Simulator(state_file=state_path)

    assert (simulator.restored, simulator.accounts, simulator.messages) == (
        False,
        {},
        [],
    )
    assert not state_path.exists()
    simulator.add_account(USERNAME, API_KEY)
    assert state_path.exists()
    assert simulator.state_path == state_path


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"\xff\xfe\x00binary",
        b"[1, 2, 3]",
        json.dumps({"format": "something else", "version": 1}).encode(),
        json.dumps({"format": "sms123-simulator-state", "version": 99}).encode(),
    ],
    ids=["empty", "truncated", "binary", "a list", "another format", "newer version"],
)
def test_an_unreadable_file_starts_afresh_and_is_kept_aside(
    state_path: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    state_path.parent.mkdir(parents=True)
    state_path.write_bytes(content)

    with caplog.at_level(logging.WARNING, "sms123_simulator"):
        simulator = Simulator(state_file=state_path)
    simulator.add_account(USERNAME, API_KEY)

    assert (simulator.restored, list(simulator.accounts)) == (False, [USERNAME])
    assert "cannot read the state file" in caplog.text
    aside = state_path.with_name("simulator-state.json.unreadable")
    assert aside.read_bytes() == content
    assert load(state_path.read_text(encoding="utf-8")).accounts[USERNAME]


def valid_document(state_path: Path) -> dict[str, Any]:
    """Write a state file with the account, and give its JSON to spoil."""
    Simulator(state_file=state_path).add_account(USERNAME, API_KEY)
    document: dict[str, Any] = json.loads(state_path.read_text(encoding="utf-8"))
    return document


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("balance", "a lot"),
        ("balance", True),
        ("api_key", None),
        ("api_key", 12),
        ("long_sms", "yes"),
        ("groups", {"Famille": 3}),
        ("contacts", {MOBILE: ["Alice"]}),
        ("username", "someone@else.example"),
    ],
)
def test_a_file_with_a_wrong_value_starts_afresh(
    state_path: Path, field: str, value: object
) -> None:
    document = valid_document(state_path)
    document["ledger"]["accounts"][USERNAME][field] = value
    state_path.write_text(json.dumps(document), encoding="utf-8")

    simulator = Simulator(state_file=state_path)

    assert (simulator.restored, simulator.accounts) == (False, {})


def test_a_file_without_a_newer_field_gives_it_its_default(state_path: Path) -> None:
    document = valid_document(state_path)
    del document["ledger"]["accounts"][USERNAME]["blacklist"]
    del document["ledger"]["delivered"]
    state_path.write_text(json.dumps(document), encoding="utf-8")

    simulator = Simulator(state_file=state_path)

    assert simulator.restored
    assert simulator.accounts[USERNAME].blacklist == set()
    assert simulator.delivered == []


async def test_a_file_that_cannot_be_written_is_logged_and_the_gateway_answers(
    session: aiohttp.ClientSession, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    state_path = tmp_path / "a-file" / "simulator-state.json"
    with caplog.at_level(logging.ERROR, "sms123_simulator"):
        simulator = await started(state_path, FixedClock(START))
        try:
            code = await Gateway(session, simulator).call(
                SEND, {"numero": MOBILE, "message": "Hi"}
            )
        finally:
            await simulator.stop()

    assert code == "80"
    assert "cannot write" in caplog.text


def test_a_failed_rename_leaves_no_temporary_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    state_path = tmp_path / "simulator-state.json"
    simulator = Simulator(state_file=state_path)
    state_path.mkdir()  # a folder where the file should go: the rename fails

    with caplog.at_level(logging.ERROR, "sms123_simulator"):
        simulator.add_account(USERNAME, API_KEY)

    assert "cannot write" in caplog.text
    assert [path.name for path in tmp_path.iterdir()] == [state_path.name]


def every_record() -> Ledger:
    """Build a ledger in which every field of every record differs from its default."""
    at = START + timedelta(minutes=5)
    account = Account(
        username=USERNAME,
        api_key=API_KEY,
        balance=12.5,
        long_sms=True,
        overseas=True,
        allowed_ips=frozenset({"127.0.0.1", "10.0.0.2"}),
        stop_mention_required=True,
        declared_sender_ids={"Maison", "Alarme"},
        blacklist={"33699999999"},
        groups={"Famille": {MOBILE, OTHER}, "Vide": set()},
        contacts={
            MOBILE: Contact(
                nom="Martin",
                prenom="Alice",
                societe="ACME",
                datea="010190",
                v1="a",
                v2="b",
                v3="c",
            )
        },
    )
    sent = SentMessage(
        username=USERNAME,
        number=MOBILE,
        message="Fuite d'eau 💧",
        sender_id="Maison",
        flash=True,
        voice=True,
        diff=LATER,
        test=True,
        code="92",
        parts=2,
        at=at,
    )
    waiting = ScheduledSend(
        username=USERNAME,
        number=OTHER,
        message="Later",
        diff=LATER,
        sender_id="Alarme",
        parts=3,
        send_at=START + timedelta(hours=3),
        at=at,
    )
    return Ledger(
        accounts={USERNAME: account},
        messages=[sent],
        delivered=[sent],
        scheduled=[waiting],
    )


def test_every_field_of_every_record_survives_a_round_trip() -> None:
    ledger = every_record()
    records = [
        ledger.accounts[USERNAME],
        ledger.accounts[USERNAME].contacts[MOBILE],
        ledger.messages[0],
        ledger.scheduled[0],
    ]
    # A field added to a record must be given a value here, so that it is checked.
    assert {type(record).__name__ for record in records} == set(RECORDS)
    for record in records:
        for item in fields(record):
            value = getattr(record, item.name)
            assert item.default is MISSING or value != item.default, item.name
            assert item.default_factory is MISSING or value != item.default_factory()

    assert load(dump(ledger)) == ledger


@pytest.mark.parametrize(
    "record", [Ledger, *RECORDS.values()], ids=lambda record: record.__name__
)
def test_every_field_has_a_type_the_file_can_hold(record: type[Any]) -> None:
    unsupported = [
        (item.name, item.type)
        for item in fields(record)
        if not is_supported(str(item.type))
    ]

    assert unsupported == []


def test_a_field_of_a_type_the_file_does_not_know_is_read_as_is() -> None:
    assert decode_value("Decimal", "1.5") == "1.5"
    assert is_supported("Decimal") is False


@pytest.mark.usefixtures("socket_enabled")
async def test_the_demo_account_keeps_its_saved_state_and_takes_the_new_key(
    state_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def options(key: str, balance: str) -> argparse.Namespace:
        return parse_options(
            [
                *("--port", "0", "--username", USERNAME, "--api-key", key),
                *("--balance", balance, "--state-file", str(state_path)),
            ]
        )

    first = await start_demo(options("key-1", "42"))
    first.accounts[USERNAME].balance = 40
    await first.stop()
    second = await start_demo(options("key-2", "7"))
    await second.stop()

    printed = capsys.readouterr().out.splitlines()
    assert printed[1:3] == [
        f"account: username={USERNAME} api_key=key-1 balance=42",
        f"state: new, kept in {state_path}",
    ]
    assert printed[4:6] == [
        f"account: username={USERNAME} api_key=key-2 balance=40",
        f"state: restored from {state_path}",
    ]
    assert second.accounts[USERNAME].api_key == "key-2"
    assert load(state_path.read_text(encoding="utf-8")).accounts[USERNAME].api_key == (
        "key-2"
    )


async def run_cli(*arguments: str) -> asyncio.subprocess.Process:
    """Start `python -m sms123_simulator` on a free port with these arguments."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sms123_simulator",
        "--port",
        "0",
        "--username",
        USERNAME,
        *arguments,
        stdout=asyncio.subprocess.PIPE,
    )


async def read_banner(process: asyncio.subprocess.Process) -> list[str]:
    """Read the three lines the simulator prints once it listens."""
    assert process.stdout is not None
    async with asyncio.timeout(PROCESS_TIMEOUT):
        return [(await process.stdout.readline()).decode().strip() for _ in range(3)]


async def test_the_cli_keeps_the_state_across_a_kill_and_a_restart(
    session: aiohttp.ClientSession, state_path: Path
) -> None:
    state = ("--state-file", str(state_path))
    first = await run_cli(*state, "--api-key", "key-1", "--balance", "42")
    try:
        banner = await read_banner(first)
        url = banner[0].rsplit(" ", 1)[-1]
        body = {"email": USERNAME, "pass": "key-1", "numero": MOBILE, "message": "Hi"}
        async with session.post(f"{url}/api/send/", json=body) as response:
            assert (await response.text()).strip() == "80"
    finally:
        # Killed: nothing runs at exit, the file already holds the send.
        first.send_signal(signal.SIGKILL)
        async with asyncio.timeout(PROCESS_TIMEOUT):
            await first.wait()

    second = await run_cli(*state, "--api-key", "key-2", "--balance", "7")
    try:
        restarted = await read_banner(second)
        url = restarted[0].rsplit(" ", 1)[-1]
        body = {"email": USERNAME, "pass": "key-2"}
        async with session.post(f"{url}/api/solde/", json=body) as response:
            balance = (await response.text()).strip()
    finally:
        second.send_signal(signal.SIGTERM)
        async with asyncio.timeout(PROCESS_TIMEOUT):
            await second.communicate()

    assert banner[1:] == [
        f"account: username={USERNAME} api_key=key-1 balance=42",
        f"state: new, kept in {state_path}",
    ]
    assert restarted[1:] == [
        f"account: username={USERNAME} api_key=key-2 balance=41",
        f"state: restored from {state_path}",
    ]
    assert balance == "41"
    assert second.returncode == 0
    assert load(state_path.read_text(encoding="utf-8")).accounts[USERNAME].balance == 41
