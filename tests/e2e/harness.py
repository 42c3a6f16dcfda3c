"""Run a real Home Assistant process and talk to it the way a user's browser does."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import shutil
import signal
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import aiohttp

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

REPO = Path(__file__).resolve().parents[2]
DOMAIN = "sms123"
START_TIMEOUT = 120.0
STOP_TIMEOUT = 60.0
POLL_INTERVAL = 0.25


class HarnessError(Exception):
    """Home Assistant did not do what the harness expected."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_config(config_dir: Path, port: int) -> None:
    """Copy the demo configuration with another port and link the integration in."""
    text = (REPO / "config" / "configuration.yaml").read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^(\s+server_port:) \d+$", rf"\1 {port}", text)
    if count != 1:
        raise HarnessError("config/configuration.yaml has no http server_port line")
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "configuration.yaml").write_text(text, encoding="utf-8")
    link = config_dir / "custom_components"
    if not link.exists():
        link.symlink_to(REPO / "custom_components", target_is_directory=True)


async def wait_until[T](
    probe: Callable[[], Awaitable[T | None]],
    *,
    within: float,
    what: str,
    interval: float = POLL_INTERVAL,
) -> T:
    """Call `probe` every `interval` s until it answers something other than None.

    Give up with HarnessError after `within` s.
    """
    deadline = time.monotonic() + within
    while True:
        if (value := await probe()) is not None:
            return value
        if time.monotonic() > deadline:
            raise HarnessError(f"timed out after {within:.0f} s waiting for {what}")
        await asyncio.sleep(interval)


async def http_up(session: aiohttp.ClientSession, url: str) -> bool | None:
    """Return True once Home Assistant's HTTP server serves the login page's API."""
    try:
        # 400 "onboarding_required" before onboarding, 200 after.
        async with session.get(f"{url}/auth/providers") as response:
            return True if response.status in {200, 400} else None
    except aiohttp.ClientError:
        return None


class HassProcess:
    """One `hass -c <config_dir>` process listening on 127.0.0.1:<port>."""

    def __init__(self, config_dir: Path, port: int) -> None:
        """Remember where the process keeps its configuration and where it listens."""
        self.config_dir = config_dir
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = config_dir / "hass-console.log"
        self.start_seconds: list[float] = []
        # Home Assistant keeps only its last two logs (it rolls the log over at
        # each start): the log of every run that ended is copied here.
        self.runs_dir = config_dir / "runs"
        self.run_logs: list[Path] = []
        self._process: asyncio.subprocess.Process | None = None
        self._log: IO[bytes] | None = None

    async def start(self, session: aiohttp.ClientSession) -> None:
        """Start hass and return once its HTTP server answers."""
        started = time.monotonic()
        self._log = await asyncio.to_thread(self.log_path.open, "ab")
        hass = Path(sys.executable).with_name("hass")
        self._process = await asyncio.create_subprocess_exec(
            hass,
            "--config",
            str(self.config_dir),
            "--skip-pip",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=self._log,
            stderr=asyncio.subprocess.STDOUT,
        )
        await wait_until(
            lambda: self._answers(session), within=START_TIMEOUT, what="hass HTTP"
        )
        self.start_seconds.append(time.monotonic() - started)

    async def _answers(self, session: aiohttp.ClientSession) -> bool | None:
        """Return True once the login page's API answers; raise if hass died."""
        if self._process is not None and self._process.returncode is not None:
            log_tail = await asyncio.to_thread(self.log_tail)
            raise HarnessError(
                f"hass exited with {self._process.returncode}:\n{log_tail}"
            )
        return await http_up(session, self.url)

    @property
    def running(self) -> bool:
        """Whether the process was started and has not exited."""
        return self._process is not None and self._process.returncode is None

    async def stop(self) -> None:
        """Stop hass with SIGTERM (a clean stop), and kill it if it hangs."""
        process, self._process = self._process, None
        if process is not None and process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(STOP_TIMEOUT):
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()
        await self._ended(process)

    async def kill(self) -> None:
        """Kill hass with SIGKILL (a crash: nothing is flushed) and wait for its end."""
        process, self._process = self._process, None
        if process is not None and process.returncode is None:
            process.send_signal(signal.SIGKILL)
            await process.wait()
        await self._ended(process)

    async def _ended(self, process: asyncio.subprocess.Process | None) -> None:
        """Close the console log and keep a copy of the log of the run that ended."""
        if self._log is not None:
            await asyncio.to_thread(self._log.close)
            self._log = None
        log = self.config_dir / "home-assistant.log"
        if process is not None and log.exists():
            copy = self.runs_dir / f"home-assistant.{len(self.run_logs) + 1}.log"
            await asyncio.to_thread(self.runs_dir.mkdir, parents=True, exist_ok=True)
            await asyncio.to_thread(shutil.copyfile, log, copy)
            self.run_logs.append(copy)

    def logs(self) -> list[Path]:
        """Return the log of every run so far, the running one last."""
        current = self.config_dir / "home-assistant.log"
        return [*self.run_logs, *([current] if self.running else [])]

    def log_tail(self, lines: int = 60) -> str:
        """Return the end of hass's own log, for failure messages."""
        log = self.config_dir / "home-assistant.log"
        path = log if log.exists() else self.log_path
        with contextlib.suppress(OSError):
            return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
        return "(no log)"


def integration_errors(logs: list[Path]) -> list[str]:
    """Return the ERROR lines the integration logged in these Home Assistant logs."""
    return [
        line
        for log in logs
        for line in log.read_text(errors="replace").splitlines()
        if " ERROR " in line and f"[custom_components.{DOMAIN}" in line
    ]


def stored_outbox(config_dir: Path, entry_id: str) -> dict[str, Any]:
    """Return what the outbox of an entry holds on disk (Home Assistant's storage)."""
    path = config_dir / ".storage" / f"{DOMAIN}.outbox.{entry_id}"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["data"]
    return data


@dataclass(frozen=True, kw_only=True, slots=True)
class Login:
    """A Home Assistant user: display name and credentials."""

    name: str
    username: str
    password: str


class HassApi:
    """The REST and websocket API of one Home Assistant, as an admin user."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        """Talk to the Home Assistant at `url` (no token yet)."""
        self.session = session
        self.url = url
        self.client_id = f"{url}/"
        self.token: str | None = None

    @property
    def _headers(self) -> dict[str, str]:
        """Return the authorization header."""
        if self.token is None:
            raise HarnessError("not logged in")
        return {"Authorization": f"Bearer {self.token}"}

    async def request(
        self,
        method: str,
        path: str,
        payload: dict[str, Any] | None = None,
    ) -> Any:  # noqa: ANN401 - JSON from Home Assistant
        """Send one authenticated request; fail unless it answers 200 OK."""
        async with self.session.request(
            method, f"{self.url}{path}", json=payload, headers=self._headers
        ) as response:
            body = await response.text()
            if response.status != 200:
                raise HarnessError(
                    f"{method} {path} answered {response.status}: {body}"
                )
            return await response.json() if body else None

    async def onboard(self, login: Login) -> None:
        """Do every onboarding step over HTTP, ending logged in as the new owner."""
        await wait_until(self._onboarding_open, within=START_TIMEOUT, what="onboarding")
        async with self.session.post(
            f"{self.url}/api/onboarding/users",
            json={
                "client_id": self.client_id,
                "name": login.name,
                "username": login.username,
                "password": login.password,
                "language": "en",
            },
        ) as response:
            if response.status != 200:
                raise HarnessError(f"onboarding user: {await response.text()}")
            auth_code = (await response.json())["auth_code"]
        await self._exchange(auth_code)
        await self.request("POST", "/api/onboarding/core_config", {})
        await self.request("POST", "/api/onboarding/analytics", {})
        await self.request(
            "POST",
            "/api/onboarding/integration",
            {
                "client_id": self.client_id,
                "redirect_uri": f"{self.url}/?auth_callback=1",
            },
        )

    async def _onboarding_open(self) -> bool | None:
        """Return True once the onboarding API is there, None before."""
        async with self.session.get(f"{self.url}/api/onboarding") as response:
            return True if response.status == 200 else None

    async def is_onboarded(self) -> bool:
        """Return whether onboarding is over (its API is gone once every step is)."""
        async with self.session.get(f"{self.url}/api/onboarding") as response:
            if response.status == 404:
                return True
            return all(step["done"] for step in await response.json())

    async def log_in(self, login: Login) -> None:
        """Log in with the login flow the web UI uses."""
        async with self.session.post(
            f"{self.url}/auth/login_flow",
            json={
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": f"{self.url}/?auth_callback=1",
            },
        ) as response:
            flow = await response.json()
        async with self.session.post(
            f"{self.url}/auth/login_flow/{flow['flow_id']}",
            json={
                "client_id": self.client_id,
                "username": login.username,
                "password": login.password,
            },
        ) as response:
            result = await response.json()
        if result.get("type") != "create_entry":
            raise HarnessError(f"login refused: {result}")
        await self._exchange(result["result"])

    async def _exchange(self, auth_code: str) -> None:
        """Trade an authorization code for an access token."""
        async with self.session.post(
            f"{self.url}/auth/token",
            data={
                "grant_type": "authorization_code",
                "code": auth_code,
                "client_id": self.client_id,
            },
        ) as response:
            if response.status != 200:
                raise HarnessError(f"token exchange: {await response.text()}")
            self.token = (await response.json())["access_token"]

    async def wait_running(self) -> None:
        """Wait until Home Assistant reports it has finished starting."""

        async def running() -> bool | None:
            config = await self.request("GET", "/api/config")
            return True if config["state"] == "RUNNING" else None

        await wait_until(running, within=START_TIMEOUT, what="hass RUNNING")

    async def version(self) -> tuple[int, int]:
        """Return the year and month of the running Home Assistant release."""
        config = await self.request("GET", "/api/config")
        year, month = config["version"].split(".")[:2]
        return int(year), int(month)

    async def state(self, entity_id: str) -> dict[str, Any]:
        """Return an entity's state object."""
        result: dict[str, Any] = await self.request("GET", f"/api/states/{entity_id}")
        return result

    async def call(
        self,
        domain: str,
        service: str,
        data: dict[str, Any],
        *,
        return_response: bool = False,
    ) -> tuple[int, Any]:
        """Call an action; return the HTTP status and the decoded body."""
        path = f"/api/services/{domain}/{service}"
        if return_response:
            path += "?return_response"
        async with self.session.post(
            f"{self.url}{path}", json=data, headers=self._headers
        ) as response:
            body = await response.text()
            try:
                decoded = await response.json(content_type=None)
            except ValueError:
                decoded = body
            return response.status, decoded

    async def set_state(
        self, entity_id: str, state: str, attributes: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Set an entity's state over REST (200 if it had one, 201 if new)."""
        async with self.session.post(
            f"{self.url}/api/states/{entity_id}",
            json={"state": state, "attributes": attributes or {}},
            headers=self._headers,
        ) as response:
            if response.status not in {200, 201}:
                raise HarnessError(
                    f"POST /api/states/{entity_id} answered {response.status}:"
                    f" {await response.text()}"
                )
            result: dict[str, Any] = await response.json()
        return result

    async def flow(
        self, base: str, start: dict[str, Any], *steps: dict[str, Any]
    ) -> dict[str, Any]:
        """Run a data-entry flow over REST: start it, then post each step's input."""
        result: dict[str, Any] = await self.request("POST", base, start)
        for user_input in steps:
            if result["type"] != "form":
                raise HarnessError(f"flow ended early: {result}")
            result = await self.request(
                "POST", f"{base}/{result['flow_id']}", user_input
            )
        return result

    async def ws_answer(self, message_type: str, **data: object) -> dict[str, Any]:
        """Send one websocket command and return the whole answer."""
        async with self.session.ws_connect(f"{self.url}/api/websocket") as socket_:
            await socket_.receive_json()  # auth_required
            await socket_.send_json({"type": "auth", "access_token": self.token})
            if (await socket_.receive_json())["type"] != "auth_ok":
                raise HarnessError("websocket authentication refused")
            await socket_.send_json({"id": 1, "type": message_type, **data})
            answer: dict[str, Any] = await socket_.receive_json()
        return answer

    async def ws(self, message_type: str, **data: object) -> Any:  # noqa: ANN401
        """Send one websocket command and return its result."""
        answer = await self.ws_answer(message_type, **data)
        if not answer.get("success"):
            raise HarnessError(f"websocket {message_type}: {answer}")
        return answer["result"]

    async def keep_http_config(self) -> None:
        """Confirm the HTTP settings read from configuration.yaml.

        Since 2026.11 Home Assistant moves them to its storage as a trial that
        reverts (to every interface, port 8123) after five minutes unless the user
        confirms it; releases before have no trial and no such command.
        """
        answer = await self.ws_answer("http/config")
        if not answer.get("success"):
            return
        pending = answer["result"]["pending"]
        if pending is not None and pending.get("error") is None:
            await self.ws("http/config/promote")

    async def entity_ids_by_unique_id(self) -> dict[str, str]:
        """Return {unique_id: entity_id} for the integration's entities."""
        entries = await self.ws("config/entity_registry/list")
        return {
            entry["unique_id"]: entry["entity_id"]
            for entry in entries
            if entry["platform"] == DOMAIN
        }

    async def device_id(self, identifier: str) -> str:
        """Return the id of the integration's device with this identifier."""
        for device in await self.ws("config/device_registry/list"):
            if [DOMAIN, identifier] in device["identifiers"]:
                return str(device["id"])
        raise HarnessError(f"no {DOMAIN} device {identifier!r}")


async def add_account(
    api: HassApi, *, username: str, api_key: str, gateway_url: str
) -> dict[str, Any]:
    """Add the integration through its config flow, pointed at `gateway_url`."""
    result = await api.flow(
        "/api/config/config_entries/flow",
        {"handler": DOMAIN, "show_advanced_options": False},
        {
            "username": username,
            "api_key": api_key,
            "advanced": {"url": gateway_url, "data_format": "json"},
        },
    )
    if result["type"] != "create_entry":
        raise HarnessError(f"config flow did not create an entry: {result}")
    entry: dict[str, Any] = result["result"]
    return entry


async def add_recipient(
    api: HassApi, entry_id: str, name: str, numbers: list[str]
) -> dict[str, Any]:
    """Add a recipient subentry through the subentry flow."""
    result = await api.flow(
        "/api/config/config_entries/subentries/flow",
        {"handler": [entry_id, "recipient"]},
        {"name": name, "numbers": numbers},
    )
    if result["type"] != "create_entry":
        raise HarnessError(f"subentry flow did not create a recipient: {result}")
    return result
