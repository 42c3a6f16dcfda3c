"""The blueprints in a real Home Assistant: listed once copied in, and one at work.

This module runs a hass and a simulator of its own: its hass loads automations
from automations.yaml (the demo configuration has none), as the automation
editor needs, and the automation it makes holds runs that the other modules'
hass need not have.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
from conftest import RECIPIENT_CANONICAL, Demo, running_demo, running_simulator
from harness import REPO, integration_errors, wait_until

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    import aiohttp

BLUEPRINTS = REPO / "blueprints" / "automation" / "sms123"
SOURCE_URL = (
    "https://github.com/sms123-ha/sms123/blob/main/blueprints/automation/sms123/"
)
TITLES = {
    "failed_sms_fallback.yaml": "123-SMS failed SMS fallback",
    "low_balance.yaml": "123-SMS low balance alert",
    "state_alert.yaml": "123-SMS alert on a state change",
}
AUTOMATION_ID = "sms123_e2e_doors"
FRONT_DOOR = "binary_sensor.e2e_front_door"
BACK_DOOR = "binary_sensor.e2e_back_door"
NAMES = {FRONT_DOOR: "Front door", BACK_DOOR: "Back door"}
COOLDOWN_MINUTES = 5
SETTLE = 30.0
# A run decides within about a second of its change; this is well past that.
QUIET = 3.0
# The integration appends the time to a text the number got in the last 24 hours.
REPEAT_SUFFIX = r"( \(\d\d:\d\d\))?"
# Where errors of the automation machinery show in Home Assistant's log.
AUTOMATION_LOGGERS = (
    "[homeassistant.components.automation",
    "[homeassistant.components.blueprint",
    "[homeassistant.helpers.script",
)


def _load_automations(config_dir: Path) -> None:
    """Load automations from automations.yaml, the file the editor writes."""
    with (config_dir / "configuration.yaml").open("a", encoding="utf-8") as config:
        config.write("\nautomation: !include automations.yaml\n")
    (config_dir / "automations.yaml").write_text("[]\n", encoding="utf-8")


@pytest.fixture(scope="module")
async def blueprint_demo(session: aiohttp.ClientSession) -> AsyncIterator[Demo]:
    """Run a simulator and an onboarded hass that loads automations.yaml.

    The blueprints are copied in once hass runs, as an import would.
    """
    async with (
        running_simulator() as simulator,
        running_demo(
            session, simulator, "config-blueprints", prepare=_load_automations
        ) as demo,
    ):
        target = demo.hass.config_dir / "blueprints" / "automation" / "sms123"
        await asyncio.to_thread(shutil.copytree, BLUEPRINTS, target)
        yield demo


async def test_blueprints_are_listed_without_error(blueprint_demo: Demo) -> None:
    """Home Assistant lists the three blueprints, each with its metadata."""
    listed = await blueprint_demo.api.ws("blueprint/list", domain="automation")

    ours = {path: item for path, item in listed.items() if path.startswith("sms123/")}
    assert sorted(ours) == [f"sms123/{name}" for name in sorted(TITLES)]
    for name, title in TITLES.items():
        item = ours[f"sms123/{name}"]
        assert "error" not in item, item
        metadata = item["metadata"]
        assert (metadata["name"], metadata["domain"]) == (title, "automation")
        assert metadata["source_url"] == SOURCE_URL + name
        assert metadata["homeassistant"] == {"min_version": "2025.4.0"}


async def _automation(demo: Demo) -> dict[str, Any] | None:
    """Return the state of the automation made here, once it is on."""
    for state in await demo.api.request("GET", "/api/states"):
        if (
            state["entity_id"].startswith("automation.")
            and state["attributes"].get("id") == AUTOMATION_ID
            and state["state"] == "on"
        ):
            return dict(state)
    return None


def _new_sms(demo: Demo, before: int) -> list[tuple[str, str]]:
    """Return (number, text) of every SMS the simulator accepted since `before`."""
    return [(sent.number, sent.message) for sent in demo.simulator.messages[before:]]


async def _sms_after(demo: Demo, before: int) -> list[tuple[str, str]]:
    """Wait for SMS beyond the first `before` ones and return them."""

    async def arrived() -> list[tuple[str, str]] | None:
        return _new_sms(demo, before) or None

    return await wait_until(arrived, within=SETTLE, what="an SMS from the automation")


async def _turn_on(demo: Demo, entity_id: str) -> str:
    """Set the entity off, then on; return the local time of the change, HH:MM."""
    attributes = {"friendly_name": NAMES[entity_id]}
    await demo.api.set_state(entity_id, "off", attributes)
    state = await demo.api.set_state(entity_id, "on", attributes)
    zone = ZoneInfo((await demo.api.request("GET", "/api/config"))["time_zone"])
    return (
        datetime.fromisoformat(state["last_changed"]).astimezone(zone).strftime("%H:%M")
    )


def _is_alert(sms: tuple[str, str], entity_id: str, at: str) -> bool:
    """Tell whether an SMS is the default alert of the entity, to the recipient."""
    text = re.escape(f"{NAMES[entity_id]} changed to on at {at}.") + REPEAT_SUFFIX
    return sms[0] == RECIPIENT_CANONICAL and re.fullmatch(text, sms[1]) is not None


async def test_state_alert_automation_sends_once_per_entity(
    blueprint_demo: Demo,
) -> None:
    """An automation made from state_alert.yaml sends per entity, per cooldown."""
    demo = blueprint_demo
    for entity_id, name in NAMES.items():
        await demo.api.set_state(entity_id, "off", {"friendly_name": name})
    await demo.api.request(
        "POST",
        f"/api/config/automation/config/{AUTOMATION_ID}",
        {
            "alias": "Doors by SMS",
            "description": "Made from the sms123 state_alert blueprint.",
            "use_blueprint": {
                "path": "sms123/state_alert.yaml",
                "input": {
                    "watched": [FRONT_DOOR, BACK_DOOR],
                    "to_state": "on",
                    "recipients": [demo.notify_entity],
                    "cooldown": COOLDOWN_MINUTES,
                },
            },
        },
    )
    automation = await wait_until(
        lambda: _automation(demo), within=SETTLE, what="the automation, on"
    )
    before = len(demo.simulator.messages)

    at = await _turn_on(demo, FRONT_DOOR)
    [sms] = await _sms_after(demo, before)
    assert _is_alert(sms, FRONT_DOOR, at), sms

    # Within the front door's cooldown: nothing for it, the back door sends.
    await _turn_on(demo, FRONT_DOOR)
    at = await _turn_on(demo, BACK_DOOR)
    await _sms_after(demo, before + 1)
    await _turn_on(demo, FRONT_DOOR)
    await asyncio.sleep(QUIET)

    [sms] = _new_sms(demo, before + 1)
    assert _is_alert(sms, BACK_DOOR, at), sms
    delivered = [(sent.number, sent.message) for sent in demo.simulator.delivered]
    assert delivered[-2:] == _new_sms(demo, before)
    # One run holds each door's cooldown; the others ended.
    state = await demo.api.state(automation["entity_id"])
    assert state["attributes"]["current"] == len(NAMES)


def test_nothing_logged_an_error(blueprint_demo: Demo) -> None:
    """The automation machinery and the integration logged no error meanwhile."""
    logs = blueprint_demo.hass.logs()
    automation_errors = [
        line
        for log in logs
        for line in log.read_text(errors="replace").splitlines()
        if " ERROR " in line and any(logger in line for logger in AUTOMATION_LOGGERS)
    ]

    assert automation_errors == []
    assert integration_errors(logs) == []
