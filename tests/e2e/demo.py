"""Prepare the Home Assistant of scripts/develop: owner, account and recipient.

Run once Home Assistant is up; it does only what is missing, so restarting the demo
keeps the same configuration.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

import aiohttp
from harness import HassApi, Login, add_account, add_recipient, http_up, wait_until

DEMO_LOGIN = Login(name="Demo", username="demo", password="demo-sms123")  # noqa: S106 - demo user
DEMO_RECIPIENT = "Alice"
DEMO_NUMBERS = ["+33 6 12 34 56 78"]
START_TIMEOUT = 180.0


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


async def prepare(args: argparse.Namespace) -> None:
    """Onboard, add the account and one recipient, each only when missing."""
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
            "GET", "/api/config/config_entries/entry?domain=sms123"
        )
        if entries:
            entry = entries[0]
        else:
            entry = await add_account(
                api,
                username=args.username,
                api_key=args.api_key,
                gateway_url=args.simulator_url,
            )
        if not entry.get("num_subentries"):
            await add_recipient(api, entry["entry_id"], DEMO_RECIPIENT, DEMO_NUMBERS)
    sys.stdout.write(
        "\n"
        "  Home Assistant demo: http://localhost:8123\n"
        f"    login:    {DEMO_LOGIN.username}\n"
        f"    password: {DEMO_LOGIN.password}\n"
        f"  123-SMS account {args.username} on the simulator {args.simulator_url}\n"
        f"  recipient {DEMO_RECIPIENT}: {', '.join(DEMO_NUMBERS)}\n"
        "  Ctrl-C stops Home Assistant and the simulator.\n\n"
    )


def main() -> None:
    """Parse the command line and prepare the demo."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hass-url", default="http://127.0.0.1:8123")
    parser.add_argument("--simulator-url", default="http://127.0.0.1:8555")
    parser.add_argument("--username", default="demo@example.com")
    parser.add_argument("--api-key", default="demo-api-key")
    asyncio.run(prepare(parser.parse_args()))


if __name__ == "__main__":
    main()
