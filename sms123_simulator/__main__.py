"""Run the simulator alone, for the demo: `python -m sms123_simulator --port 8555`."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path

from .codec import AnswerStyle
from .server import Simulator


def parse_options(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m sms123_simulator",
        description="Serve a fake 123-SMS.net API with one demo account.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8555, help="0 picks a free port")
    parser.add_argument("--username", default="demo@example.com")
    parser.add_argument("--api-key", default="demo-api-key")
    parser.add_argument("--balance", type=float, default=100.0)
    parser.add_argument(
        "--answer-style",
        choices=[style.value for style in AnswerStyle],
        default=AnswerStyle.PLAIN.value,
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per answer")
    parser.add_argument(
        "--state-file",
        type=Path,
        metavar="PATH",
        help="keep accounts, messages, address book and scheduled sends in this JSON "
        "file: read at start if present, written after each change",
    )
    return parser.parse_args(argv)


async def start_demo(options: argparse.Namespace) -> Simulator:
    """Start a simulator with the demo account and print where it listens.

    With a state file that already holds the account, the account keeps its saved
    balance and address book (`--balance` is for a new account); it takes the API
    key of the command line.
    """
    simulator = Simulator(
        answer_style=AnswerStyle(options.answer_style), state_file=options.state_file
    )
    simulator.latency = options.latency
    account = simulator.accounts.get(options.username)
    if account is None:
        account = simulator.add_account(
            options.username, options.api_key, options.balance
        )
    else:
        account.api_key = options.api_key
        simulator.save_state()
    url = await simulator.start(options.host, options.port)
    # The key is printed on purpose: it belongs to a throw-away demo account.
    print(f"123-SMS simulator listening on {url}", flush=True)  # noqa: T201
    print(  # noqa: T201
        f"account: username={account.username} api_key={account.api_key} "
        f"balance={account.balance:g}",
        flush=True,
    )
    if options.state_file is not None:
        kept = "restored from" if simulator.restored else "new, kept in"
        print(f"state: {kept} {options.state_file}", flush=True)  # noqa: T201
    return simulator


async def serve(options: argparse.Namespace, stop: asyncio.Event) -> None:
    """Serve the demo account until `stop` is set."""
    simulator = await start_demo(options)
    try:
        await stop.wait()
    finally:
        await simulator.stop()


async def _run(options: argparse.Namespace) -> None:
    """Serve until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await serve(options, stop)


def main(argv: list[str] | None = None) -> int:
    """Run the simulator from the command line; tell the exit status."""
    asyncio.run(_run(parse_options(argv)))
    print("123-SMS simulator stopped", flush=True)  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
