"""The device page in a real browser: headless Debian Chromium, driven by playwright."""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import OWNER, RECIPIENT, TIMINGS, Demo
from harness import REPO, wait_until

if TYPE_CHECKING:
    from playwright.async_api import Page

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
SCREENSHOT = REPO / "docs" / "screenshot-device.png"
PAGE_TIMEOUT_MS = 30_000

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing (Debian package `chromium`; scripts/e2e installs it "
        "when run as root)",
        allow_module_level=True,
    )
playwright_api = pytest.importorskip("playwright.async_api")


async def _log_in(page: Page, url: str) -> None:
    """Fill in Home Assistant's login page and wait for the app to open."""
    await page.goto(f"{url}/")
    await page.locator("input[name=username]").fill(OWNER.username)
    await page.locator("input[name=password]").fill(OWNER.password)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url(
        lambda now: "/auth/" not in now and "auth_callback" not in now
    )


async def test_device_page_shows_balance_and_recipient(demo: Demo) -> None:
    """Log in, open the account's device page, see the balance and the recipient."""
    started = time.monotonic()

    async def settled() -> float | None:
        """Return the balance once the sensor shows what the gateway holds."""
        state = (await demo.state("balance"))["state"]
        shown = None if state in {"unavailable", "unknown"} else float(state)
        return demo.account.balance if shown == demo.account.balance else None

    # The balance is read again a second after the last send of the tests before.
    balance = await wait_until(settled, within=30.0, what="the balance to settle")
    notify_state = await demo.api.state(demo.notify_entity)
    notify_name = notify_state["attributes"]["friendly_name"]
    expect = playwright_api.expect
    # The first page load of a fresh venv can take a while (cold caches).
    expect.set_options(timeout=PAGE_TIMEOUT_MS)
    with tempfile.TemporaryDirectory(prefix="sms123-chromium-") as profile:
        async with playwright_api.async_playwright() as playwright:
            browser = await playwright.chromium.launch_persistent_context(
                profile,
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_FLAGS,
                viewport={"width": 1280, "height": 720},
            )
            try:
                page = browser.pages[0] if browser.pages else await browser.new_page()
                page.set_default_timeout(PAGE_TIMEOUT_MS)
                await _log_in(page, demo.hass.url)
                await page.goto(
                    f"{demo.hass.url}/config/devices/device/{demo.device_id}"
                )

                # "100.0 credits": the value and the unit of the balance sensor's row.
                balance_text = re.compile(rf"\b{int(balance)}([.,]\d+)?\s*credits")
                await expect(page.get_by_text("Balance", exact=True)).to_be_visible()
                await expect(page.get_by_text(balance_text).first).to_be_visible()
                # The recipient is a device of its own, connected to the account.
                recipient = page.get_by_role(
                    "link", name=re.compile(rf"^{RECIPIENT}\b")
                )
                await expect(recipient).to_be_visible()
                await page.screenshot(path=SCREENSHOT)

                # Its own device page lists its notify entity among the notifiers.
                await recipient.click()
                notifiers = page.locator(
                    "ha-card", has=page.get_by_role("heading", name="Notifiers")
                )
                await expect(notifiers).to_contain_text(notify_name)
            finally:
                await browser.close()
    TIMINGS["browser check (launch, log in, device page)"] = time.monotonic() - started
