"""Headless Debian Chromium driven by playwright, logged in to the demo's hass.

Importing this module skips the test module that imports it when Chromium or
playwright is missing.
"""

from __future__ import annotations

import re
import tempfile
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import OWNER, USERNAME
from demo import ensure_dashboard

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from conftest import Demo
    from playwright.async_api import Locator, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The first page load of a fresh venv can take a while (cold caches).
PAGE_TIMEOUT_MS = 30_000
VIEWPORT = {"width": 1280, "height": 720}
# The README's pictures show the newest release; the oldest one's run leaves them be.
SCREENSHOT_SINCE = (2026, 0)

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing (Debian package `chromium`; scripts/e2e installs it "
        "when run as root)",
        allow_module_level=True,
    )
playwright_api = pytest.importorskip("playwright.async_api")
expect = playwright_api.expect


@dataclass(frozen=True, kw_only=True, slots=True)
class Release:
    """What differs in Home Assistant's own UI between the releases tested."""

    # The actions tool. 2026 redirects /developer-tools/action there, but drops the
    # `?service=` that picks the action.
    actions_path: str
    yaml_mode: str  # the button that shows the action as YAML
    add_target: str  # the button that opens the target picker
    # The target picker's search box: its placeholder (2026), its label (2025).
    target_search: str
    search_by_placeholder: bool
    # What an entity's option in the target picker shows under its name:
    # its domain's name (2026) or its entity id (2025).
    option_shows_entity_id: bool


RELEASE_2026 = Release(
    actions_path="/config/tools/action",
    yaml_mode="YAML mode",
    add_target="Add target",
    target_search="Search",
    search_by_placeholder=True,
    option_shows_entity_id=False,
)
RELEASE_2025 = Release(
    actions_path="/developer-tools/action",
    yaml_mode="Go to YAML mode",
    add_target="Choose entity",
    target_search="Choose entity",
    search_by_placeholder=False,
    option_shows_entity_id=True,
)
DOMAIN_NAMES = {"notify": "Notifications"}  # as the 2026 target picker names them


def release(version: tuple[int, int]) -> Release:
    """Return the UI differences of the Home Assistant release `version`."""
    return RELEASE_2026 if version >= (2026, 0) else RELEASE_2025


async def log_in(page: Page, url: str) -> None:
    """Fill in Home Assistant's login page and wait for the app to open."""
    await page.goto(f"{url}/")
    await page.locator("input[name=username]").fill(OWNER.username)
    await page.locator("input[name=password]").fill(OWNER.password)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url(
        lambda now: "/auth/" not in now and "auth_callback" not in now
    )


@asynccontextmanager
async def open_page(demo: Demo) -> AsyncIterator[Page]:
    """Launch Chromium on a fresh profile and yield a page logged in to the demo."""
    expect.set_options(timeout=PAGE_TIMEOUT_MS)
    with tempfile.TemporaryDirectory(prefix="sms123-chromium-") as profile:
        async with playwright_api.async_playwright() as playwright:
            browser = await playwright.chromium.launch_persistent_context(
                profile,
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_FLAGS,
                viewport=VIEWPORT,
            )
            try:
                page = browser.pages[0] if browser.pages else await browser.new_page()
                page.set_default_timeout(PAGE_TIMEOUT_MS)
                await log_in(page, demo.hass.url)
                yield page
            finally:
                await browser.close()


async def take_screenshot(page: Page, demo: Demo, path: Path) -> None:
    """Save what the page shows as a README picture, on the newest release only."""
    if demo.ha_version >= SCREENSHOT_SINCE:
        await page.screenshot(path=path)


async def open_action(page: Page, demo: Demo, action: str) -> None:
    """Open the actions tool in UI mode with `action` ("domain.service") chosen."""
    await page.goto(
        f"{demo.hass.url}{release(demo.ha_version).actions_path}?service={action}"
    )


def form_row(page: Page, name: str) -> Locator:
    """Return the row of an action's field in the actions tool, by the field's name."""
    return page.locator("ha-settings-row").filter(
        has=page.get_by_text(name, exact=True)
    )


def form_input(page: Page, label: str | re.Pattern[str]) -> Locator:
    """Return the input of a field of a data-entry form (options...), by its label."""
    return (
        page.locator("ha-selector").filter(has=page.get_by_text(label)).locator("input")
    )


async def choose_account(page: Page, account: str) -> None:
    """Pick the 123-SMS account in an action's config entry field."""
    await page.locator("ha-config-entry-picker").click()
    option = page.get_by_role("option", name=re.compile(re.escape(account)))
    await option.click()
    await expect(option).to_be_hidden()


async def choose_target_entity(
    page: Page, version: tuple[int, int], name: str, entity_id: str
) -> None:
    """Pick the entity `entity_id`, named `name`, in an action's targets."""
    ui = release(version)
    await page.get_by_role("button", name=ui.add_target, exact=True).click()
    search = (
        page.get_by_placeholder(ui.target_search, exact=True)
        if ui.search_by_placeholder
        else page.get_by_role("combobox", name=ui.target_search, exact=True)
    )
    await search.fill(name)
    domain = entity_id.split(".", 1)[0]
    detail = entity_id if ui.option_shows_entity_id else DOMAIN_NAMES[domain]
    option = page.get_by_role("option").filter(has_text=name).filter(has_text=detail)
    await option.click()
    await expect(option).to_be_hidden()


async def ensure_sms_dashboard(demo: Demo) -> None:
    """Create the "SMS" dashboard of scripts/develop in the demo, unless it is there."""
    prefix = f"{USERNAME.casefold()}_"
    await ensure_dashboard(
        demo.api,
        {key.removeprefix(prefix): entity for key, entity in demo.entities.items()},
    )
