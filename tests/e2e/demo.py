"""Prepare the Home Assistant of scripts/develop.

`demo.py config DIR --port N`, before Home Assistant starts: write the configuration
DIR/configuration.yaml (config/configuration.yaml with that HTTP port), link the
integration in.

`demo.py prepare ...`, once Home Assistant is up: onboarding, the 123-SMS account, a
recipient and an "SMS" dashboard, each only when missing (so restarting the demo keeps
what is there); then print where everything is, the recipients as Home Assistant has
them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

import aiohttp
from harness import (
    DOMAIN,
    HarnessError,
    HassApi,
    Login,
    add_account,
    add_recipient,
    http_up,
    wait_until,
    write_config,
)

DEMO_LOGIN = Login(name="Demo", username="demo", password="demo-sms123")  # noqa: S106 - demo user
DEMO_RECIPIENT = "Alice"
DEMO_NUMBERS = ["+33 6 12 34 56 78"]
START_TIMEOUT = 180.0
ENTITY_TIMEOUT = 60.0
DASHBOARD_URL = "dashboard-sms"
DASHBOARD_TITLE = "SMS"
DASHBOARD_ICON = "mdi:message-text"


def write_demo_config(config_dir: Path, port: int) -> None:
    """Write the demo's configuration.yaml with `port`, and link the integration in.

    Home Assistant 2026.x reads `http:` from YAML only once, then from its storage
    (`.storage/http`): removing that file makes it take the YAML, port included, at
    each start (2025.4 keeps only a copy for recovery mode there).
    """
    link = config_dir / "custom_components"
    if link.is_symlink() and not link.exists():
        link.unlink()  # the checkout moved: link it again
    write_config(config_dir, port)
    (config_dir / ".storage" / "http").unlink(missing_ok=True)


async def remove_onboarding_entries(api: HassApi) -> None:
    """Remove what onboarding set up on its own (Google Translate, shopping list...).

    They are not part of the demo, and without their packages (hass runs with
    --skip-pip) some of them only show up as failed integrations.
    """
    for entry in await api.request("GET", "/api/config/config_entries/entry"):
        if entry["source"] == "onboarding":
            await api.request(
                "DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}"
            )


def suggested(schema: list[dict[str, Any]], *path: str) -> Any:  # noqa: ANN401
    """Return the value a form shows in a field (path: `section`, `field` in it)."""
    fields = schema
    for name in path[:-1]:
        section = next((field for field in fields if field.get("name") == name), {})
        fields = section.get("schema") or []
    field = next((field for field in fields if field.get("name") == path[-1]), {})
    return (field.get("description") or {}).get("suggested_value")


async def follow_simulator(api: HassApi, entry_id: str, simulator_url: str) -> bool:
    """Point the account at `simulator_url` if it uses another address; tell if it did.

    (A run with another SIMULATOR_PORT than the one before.) This is the account's
    reconfigure form, as in Settings: read, then sent with the new address or aborted.
    """
    base = "/api/config/config_entries/flow"
    form = await api.request("POST", base, {"handler": DOMAIN, "entry_id": entry_id})
    schema = form.get("data_schema") or []
    url = suggested(schema, "advanced", "url")
    if form.get("type") != "form" or url in (None, simulator_url):
        if "flow_id" in form:
            await api.request("DELETE", f"{base}/{form['flow_id']}")
        return False
    data_format = suggested(schema, "advanced", "data_format") or "json"
    result = await api.request(
        "POST",
        f"{base}/{form['flow_id']}",
        {
            "username": suggested(schema, "username"),
            "advanced": {"url": simulator_url, "data_format": data_format},
        },
    )
    if result.get("type") != "abort":
        raise HarnessError(f"could not point the account at {simulator_url}: {result}")
    return True


async def account_entities(
    api: HassApi, entry: dict[str, Any], username: str, keys: set[str]
) -> dict[str, str]:
    """Return {unique-id key: entity id} of the account, once `keys` all have one.

    The unique ids are `<account username casefolded>_<key>` (a recipient's notify
    entity: `_<subentry id>`); the account is the entry's title unless renamed.
    """
    prefixes = [entry["title"].casefold(), username.casefold()]

    async def registered() -> dict[str, str] | None:
        by_unique_id = await api.entity_ids_by_unique_id()
        for prefix in prefixes:
            found = {
                unique_id.removeprefix(f"{prefix}_"): entity_id
                for unique_id, entity_id in by_unique_id.items()
                if unique_id.startswith(f"{prefix}_")
            }
            if keys <= found.keys():
                return found
        return None

    return await wait_until(
        registered, within=ENTITY_TIMEOUT, what="the account's entities"
    )


def dashboard_config(entities: dict[str, str]) -> dict[str, Any]:
    """Return the SMS dashboard: balance history, outbox, last messages and usage."""
    rows = [
        {"entity": entities[key], "name": name}
        for key, name in (
            ("balance", "Balance"),
            ("pending_messages", "Waiting in the outbox"),
            ("messages", "Last message"),
            ("credit_days_left", "Days of credit left"),
        )
        if key in entities
    ]
    cards: list[dict[str, Any]] = [
        {
            "type": "history-graph",
            "title": "Balance",
            "hours_to_show": 24,
            "entities": [entities["balance"]],
        },
        {"type": "entities", "title": "Account", "entities": rows},
    ]
    # sent_total's change per day is the day's use: sent_today would repeat it.
    if "sent_total" in entities:
        cards.append(
            {
                "type": "statistics-graph",
                "title": "SMS sent per day",
                "entities": [entities["sent_total"]],
                "period": "day",
                "stat_types": ["change"],
                "chart_type": "bar",
                "days_to_show": 14,
            }
        )
    return {
        "title": DASHBOARD_TITLE,
        "views": [
            {
                "title": DASHBOARD_TITLE,
                "path": "sms",
                "icon": DASHBOARD_ICON,
                "cards": cards,
            }
        ],
    }


async def ensure_dashboard(api: HassApi, entities: dict[str, str]) -> None:
    """Create the SMS dashboard and its cards, unless they are there already."""
    dashboards = await api.ws("lovelace/dashboards/list")
    if all(dashboard["url_path"] != DASHBOARD_URL for dashboard in dashboards):
        await api.ws(
            "lovelace/dashboards/create",
            url_path=DASHBOARD_URL,
            title=DASHBOARD_TITLE,
            icon=DASHBOARD_ICON,
            show_in_sidebar=True,
            require_admin=False,
        )
    answer = await api.ws_answer("lovelace/config", url_path=DASHBOARD_URL)
    if answer.get("success"):
        return  # saved before, perhaps changed since: leave it as it is
    if answer.get("error", {}).get("code") != "config_not_found":
        raise HarnessError(f"websocket lovelace/config: {answer}")
    await api.ws(
        "lovelace/config/save",
        url_path=DASHBOARD_URL,
        config=dashboard_config(entities),
    )


async def recipient_numbers(
    api: HassApi, entry_id: str, subentry_id: str
) -> list[str] | None:
    """Return a recipient's numbers, as its edit form shows them; None if it cannot.

    (The subentry list has the names only: the form is opened, read and aborted.)
    """
    try:
        form = await api.request(
            "POST",
            "/api/config/config_entries/subentries/flow",
            {"handler": [entry_id, "recipient"], "subentry_id": subentry_id},
        )
    except HarnessError:
        return None
    try:
        for field in form.get("data_schema") or []:
            if field.get("name") == "numbers":
                numbers = (field.get("description") or {}).get("suggested_value")
                return [str(number) for number in numbers or []]
        return None
    finally:
        if "flow_id" in form:
            await api.request(
                "DELETE",
                f"/api/config/config_entries/subentries/flow/{form['flow_id']}",
            )


async def recipients(
    api: HassApi,
    entry_id: str,
    subentries: list[dict[str, Any]],
    entities: dict[str, str],
) -> list[str]:
    """Describe each recipient of the account: name, numbers and notify entity."""
    lines = []
    for subentry in subentries:
        numbers = await recipient_numbers(api, entry_id, subentry["subentry_id"])
        line = subentry["title"]
        if numbers:
            line += f": {', '.join(numbers)}"
        if notify := entities.get(subentry["subentry_id"]):
            line += f" ({notify})"
        lines.append(line)
    return lines


def banner(args: argparse.Namespace, recipient_lines: list[str]) -> str:
    """Tell where the demo is, how to log in and what it holds."""
    url = args.hass_url
    lines = [
        "",
        f"  Home Assistant demo: {url}",
        f"    login:     {DEMO_LOGIN.username}",
        f"    password:  {DEMO_LOGIN.password}",
        f"    dashboard: {url}/{DASHBOARD_URL}",
        f"  123-SMS account {args.username} on the simulator {args.simulator_url}",
    ]
    if recipient_lines:
        lines.append("    recipients:")
        lines += [f"      {line}" for line in recipient_lines]
    else:
        lines.append("    no recipient: add one in Settings > Devices & services")
    if args.state:
        lines.append(f"  state kept in {args.state}")
    lines += ["  Ctrl-C stops Home Assistant and the simulator.", "", ""]
    return "\n".join(lines)


async def prepare(args: argparse.Namespace) -> None:
    """Onboard, add the account, a recipient, the dashboard: each only when missing."""
    async with aiohttp.ClientSession() as session:
        api = HassApi(session, args.hass_url)
        await wait_until(
            lambda: http_up(session, args.hass_url),
            within=START_TIMEOUT,
            what="Home Assistant",
        )
        onboarded = await api.is_onboarded()
        if onboarded:
            await api.log_in(DEMO_LOGIN)
        else:
            await api.onboard(DEMO_LOGIN)
        await api.wait_running()
        await api.keep_http_config()
        if not onboarded:
            await remove_onboarding_entries(api)
        entries = await api.request(
            "GET", f"/api/config/config_entries/entry?domain={DOMAIN}"
        )
        if entries:
            entry = entries[0]
            if await follow_simulator(api, entry["entry_id"], args.simulator_url):
                sys.stdout.write(f"demo: the account now uses {args.simulator_url}\n")
        else:
            entry = await add_account(
                api,
                username=args.username,
                api_key=args.api_key,
                gateway_url=args.simulator_url,
            )
        if not entry.get("num_subentries"):
            await add_recipient(api, entry["entry_id"], DEMO_RECIPIENT, DEMO_NUMBERS)
        subentries = [
            subentry
            for subentry in await api.ws(
                "config_entries/subentries/list", entry_id=entry["entry_id"]
            )
            if subentry["subentry_type"] == "recipient"
        ]
        keys = {"balance"} | {subentry["subentry_id"] for subentry in subentries}
        entities = await account_entities(api, entry, args.username, keys)
        await ensure_dashboard(api, entities)
        recipient_lines = await recipients(api, entry["entry_id"], subentries, entities)
    sys.stdout.write(banner(args, recipient_lines))


def parse_options(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    steps = parser.add_subparsers(dest="step", required=True)
    config = steps.add_parser("config", help="write the demo's configuration.yaml")
    config.add_argument("config_dir", type=Path)
    config.add_argument("--port", type=int, default=8123)
    ready = steps.add_parser("prepare", help="set up what is missing, print the login")
    ready.add_argument("--hass-url", default="http://127.0.0.1:8123")
    ready.add_argument("--simulator-url", default="http://127.0.0.1:8555")
    ready.add_argument("--username", default="demo@example.com")
    ready.add_argument("--api-key", default="demo-api-key")
    ready.add_argument("--state", default="", help="where the state is, for the banner")
    return parser.parse_args(argv)


def main() -> None:
    """Run the step the command line names."""
    args = parse_options()
    if args.step == "config":
        write_demo_config(args.config_dir, args.port)
    else:
        asyncio.run(prepare(args))


if __name__ == "__main__":
    main()
