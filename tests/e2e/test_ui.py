"""The device page in a real browser: headless Debian Chromium, driven by playwright."""

from __future__ import annotations

import re
import time

from browser import expect, open_page, take_screenshot
from conftest import RECIPIENT, TIMINGS, Demo
from harness import REPO, wait_until

SCREENSHOT = REPO / "docs" / "screenshot-device.png"


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
    async with open_page(demo) as page:
        await page.goto(f"{demo.hass.url}/config/devices/device/{demo.device_id}")

        # "100.0 credits": the value and the unit of the balance sensor's row.
        balance_text = re.compile(rf"\b{int(balance)}([.,]\d+)?\s*credits")
        await expect(page.get_by_text("Balance", exact=True)).to_be_visible()
        await expect(page.get_by_text(balance_text).first).to_be_visible()
        # The recipient is a device of its own, connected to the account.
        recipient = page.get_by_role("link", name=re.compile(rf"^{RECIPIENT}\b"))
        await expect(recipient).to_be_visible()
        await take_screenshot(page, demo, SCREENSHOT)

        # Its own device page lists its notify entity among the notifiers.
        await recipient.click()
        notifiers = page.locator(
            "ha-card", has=page.get_by_role("heading", name="Notifiers")
        )
        await expect(notifiers).to_contain_text(notify_name)
    TIMINGS["browser check (launch, log in, device page)"] = time.monotonic() - started
