"""What a newcomer sees in the web UI: the actions tool, the dashboard, the options."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from browser import (
    choose_account,
    choose_target_entity,
    ensure_sms_dashboard,
    expect,
    form_input,
    form_row,
    open_action,
    open_page,
    release,
    take_screenshot,
)
from conftest import RECIPIENT_CANONICAL, USERNAME, Demo
from harness import DOMAIN, REPO, wait_until

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

SEND_SMS = f"{DOMAIN}.send_sms"
USAGE_SCREENSHOT = REPO / "docs" / "screenshot-usage.png"
# The event types as the frontend shows them (the event's state attribute).
TRANSLATIONS = json.loads(
    (REPO / "custom_components" / DOMAIN / "translations" / "en.json").read_text(
        encoding="utf-8"
    )
)
EVENT_TYPES = TRANSLATIONS["entity"]["event"]["messages"]["state_attributes"][
    "event_type"
]["state"]
RECIPIENTS_EMPTY = (
    "No recipient was given: choose a target or type at least one phone number."
)
THRESHOLD_NEGATIVE = "The threshold cannot be negative: give 0 or more credits."
SENDER_ID_CHARACTERS = (
    "The sender ID may only use letters, digits and spaces, and needs at least one "
    "letter."
)
THRESHOLD_LABEL = re.compile(r"^Low balance threshold \(credits\)\s*\*?$")
SENDER_ID_LABEL = "Default sender ID"
OPTIONS_SAVED = "Options successfully saved."
OPTIONS_FLOW = "/api/config/config_entries/options/flow"
SETTLE = 30.0
DASHBOARD_NUMBER = "06 98 76 54 33"


async def _settled_balance(demo: Demo) -> str:
    """Return the balance sensor's state once it shows what the gateway holds."""

    async def settled() -> str | None:
        state = (await demo.state("balance"))["state"]
        shown = None if state in {"unavailable", "unknown"} else float(state)
        return state if shown == demo.account.balance else None

    return await wait_until(settled, within=SETTLE, what="the balance to settle")


def _shown(value: str) -> re.Pattern[str]:
    """Match a text with `value` in it as whole words (2026 puts a no-break space)."""
    words = r"\s".join(re.escape(word) for word in value.split())
    return re.compile(rf"(?:^|\s){words}(?:\s|$)")


def _entity_row(page: Page, card: str, name: str) -> Locator:
    """Return the row of an entity in a card (its element name), by the row's name."""
    return page.locator(f"{card} hui-generic-entity-row").filter(
        has=page.get_by_text(name, exact=True)
    )


async def _perform(page: Page) -> None:
    """Press the actions tool's "Perform action" button."""
    await page.get_by_role("button", name="Perform action", exact=True).click()


async def _options(demo: Demo) -> dict[str, Any]:
    """Return the account's options, as its options form shows them (then closed)."""
    form = await demo.api.request("POST", OPTIONS_FLOW, {"handler": demo.entry_id})
    await demo.api.request("DELETE", f"{OPTIONS_FLOW}/{form['flow_id']}")
    shown = {
        field["name"]: (field.get("description") or {}).get(
            "suggested_value", field.get("default")
        )
        for field in form["data_schema"]
    }
    return {name: value for name, value in shown.items() if value is not None}


async def test_an_empty_recipient_row_gets_the_translated_error(demo: Demo) -> None:
    """Send SMS with one blank row from "Add" explains that no recipient was given."""
    before = len(demo.simulator.messages)
    async with open_page(demo) as page:
        await open_action(page, demo, SEND_SMS)
        recipients = form_row(page, "Recipients")
        await recipients.locator("ha-checkbox").click()
        await recipients.get_by_role("button", name="Add", exact=True).click()
        await expect(recipients.get_by_role("textbox")).to_have_value("")
        await choose_account(page, USERNAME)
        message = form_row(page, "Message").get_by_role("textbox")
        await message.fill("Nobody gets this")
        await expect(message).to_have_value("Nobody gets this")
        await _perform(page)

        await expect(page.get_by_text(RECIPIENTS_EMPTY, exact=True)).to_be_visible()
    assert demo.simulator.messages[before:] == []


async def test_a_target_entity_gets_the_sms(demo: Demo) -> None:
    """The target picker of Send SMS offers the recipient; performing sends to it."""
    text = "Hello Alice from the actions tool"
    name = (await demo.api.state(demo.notify_entity))["attributes"]["friendly_name"]
    before = len(demo.simulator.messages)
    async with open_page(demo) as page:
        await open_action(page, demo, SEND_SMS)
        await choose_target_entity(page, demo.ha_version, name, demo.notify_entity)
        await choose_account(page, USERNAME)
        message = form_row(page, "Message").get_by_role("textbox")
        await message.fill(text)
        await expect(message).to_have_value(text)
        await _perform(page)

        response = page.locator("ha-card").filter(
            has=page.get_by_text("Response", exact=True)
        )
        await expect(response.locator(".cm-content")).to_contain_text(
            re.compile(rf"number: ['\"]{RECIPIENT_CANONICAL}['\"]\s*status: sent")
        )
    sent = demo.simulator.messages[before:]
    assert [(message.number, message.message) for message in sent] == [
        (RECIPIENT_CANONICAL, text)
    ]


async def test_the_yaml_of_send_sms_has_no_switch_turned_off(demo: Demo) -> None:
    """Switching Send SMS to YAML shows no `flash: false` and the like to delete."""
    async with open_page(demo) as page:
        await open_action(page, demo, SEND_SMS)
        await expect(form_row(page, "Message")).to_be_visible()
        yaml_mode = release(demo.ha_version).yaml_mode
        await page.get_by_role("button", name=yaml_mode, exact=True).click()

        yaml = page.locator("ha-code-editor .cm-content")
        await expect(yaml).to_contain_text(f"action: {SEND_SMS}")
        for switch in ("flash", "voice", "test", "split"):
            await expect(yaml).not_to_contain_text(f"{switch}: false")


async def test_device_page_shows_the_wallet_and_whole_credits(demo: Demo) -> None:
    """The balance row of the device page has the wallet icon and no ".0"."""
    balance = await _settled_balance(demo)
    assert balance == str(int(demo.account.balance))  # whole credits: no ".0"
    async with open_page(demo) as page:
        await page.goto(f"{demo.hass.url}/config/devices/device/{demo.device_id}")

        row = _entity_row(page, "ha-device-entities-card", "Balance")
        await expect(row).to_have_text(_shown(f"{balance} credits"))
        await expect(row.locator("ha-state-icon ha-icon")).to_have_js_property(
            "icon", "mdi:wallet-outline"
        )


async def test_sms_dashboard_shows_balance_outbox_and_last_message(
    demo: Demo,
) -> None:
    """The "SMS" dashboard: the balance graph, the outbox and the last message."""
    status, body = await demo.send_sms(
        recipients=[DASHBOARD_NUMBER], message="For the dashboard"
    )
    assert status == 200, body
    balance = await _settled_balance(demo)
    pending = (await demo.state("pending_messages"))["state"]
    last = (await demo.state("messages"))["attributes"]["event_type"]
    await ensure_sms_dashboard(demo)
    async with open_page(demo) as page:
        # No animation: the graph is drawn at once, for the screenshot.
        await page.emulate_media(reduced_motion="reduce")
        await page.goto(f"{demo.hass.url}/dashboard-sms")

        graph = page.locator("hui-history-graph-card")
        await expect(
            graph.get_by_role("heading", name="Balance", exact=True)
        ).to_be_visible()
        await expect(graph.locator("ha-chart-base canvas").first).to_be_visible()
        for name, value in (
            ("Balance", f"{balance} credits"),
            ("Waiting in the outbox", pending),
            ("Last message", EVENT_TYPES[last]),
        ):
            row = _entity_row(page, "hui-entities-card", name)
            await expect(row).to_have_text(_shown(value))
        await take_screenshot(page, demo, USAGE_SCREENSHOT)


async def test_options_form_shows_only_the_current_errors(demo: Demo) -> None:
    """The options form: the threshold's label and errors, each gone once fixed."""
    original = await _options(demo)
    try:
        async with open_page(demo) as page:
            await page.goto(f"{demo.hass.url}/config/integrations/integration/{DOMAIN}")
            # The account's row comes before its recipients' rows.
            await page.get_by_role("button", name="Configure").first.click()
            await expect(page.get_by_text(THRESHOLD_LABEL)).to_be_visible()
            threshold = form_input(page, THRESHOLD_LABEL)
            sender_id = form_input(page, SENDER_ID_LABEL)
            submit = page.get_by_role("button", name="Submit", exact=True)
            threshold_error = page.get_by_text(THRESHOLD_NEGATIVE, exact=True)
            sender_id_error = page.get_by_text(SENDER_ID_CHARACTERS, exact=True)

            await threshold.fill("-1")
            await submit.click()
            await expect(threshold_error).to_be_visible()

            await threshold.fill("5")
            await sender_id.fill("Bad-ID!")
            await submit.click()
            await expect(sender_id_error).to_be_visible()
            await expect(threshold_error).to_be_hidden()

            await sender_id.fill("Maison")
            await submit.click()
            await expect(page.get_by_text(OPTIONS_SAVED, exact=True)).to_be_visible()
            await expect(sender_id_error).to_be_hidden()
        saved = await _options(demo)
    finally:
        await demo.api.flow(OPTIONS_FLOW, {"handler": demo.entry_id}, original)
    assert (saved["sender_id"], saved["low_balance_threshold"]) == ("Maison", 5)
    assert await _options(demo) == original
