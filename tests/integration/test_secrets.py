"""Secrets sweep: after every kind of scenario, the API key shows up nowhere.

Logs are checked after every integration test by the autouse fixture in
conftest.py; this module drives the scenarios that produce errors and then looks
at everything else a user or a bug report can see: exception texts, diagnostics,
entity states and attributes, events, repair issues, flows and the outbox store.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.const import MATCH_ALL
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)

from custom_components.sms123.const import DOMAIN
from sms123_simulator import Account, FaultKind, Simulator
from tests.conftest import API_KEY

if TYPE_CHECKING:
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

ALICE = "+33 6 01 02 03 04"
FAULTS = [
    FaultKind.HTML,
    FaultKind.GARBAGE,
    FaultKind.EMPTY,
    FaultKind.HTTP_500,
    FaultKind.TECHNICAL_ERROR,
    FaultKind.RESET,
]
# Each call fails in its own way: bad input, gateway refusals, faults, no credit.
FAILING_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("send_sms", {"recipients": ["not a number"], "message": "Hi"}),
    ("send_sms", {"recipients": [ALICE], "message": "Hi", "sender_id": "!!"}),
    ("send_sms", {"recipients": ["262692123456"], "message": "Overseas"}),
    ("send_sms", {"recipients": [ALICE], "message": "x" * 400}),
    ("cancel_scheduled_sms", {"id": "unknown"}),
    ("add_group", {"group": "Family"}),
    ("delete_group", {"group": "Nobody"}),
    ("delete_contact", {"phone": "0699999999"}),
    ("add_contact", {"phone": "bad", "groups": ["Family"]}),
]


def text_of(value: object) -> str:
    """Serialise anything the user could see, as thoroughly as possible."""
    return json.dumps(value, default=repr, ensure_ascii=False)


async def call(hass: HomeAssistant, service: str, data: dict[str, Any]) -> str:
    """Call an action expected to fail; return every text of its error."""
    with pytest.raises(HomeAssistantError) as error:
        await hass.services.async_call(DOMAIN, service, data, blocking=True)
    err = error.value
    return " ".join(
        (
            str(err),
            repr(err),
            text_of(err.translation_placeholders),
            repr(err.__cause__),
        )
    )


async def test_api_key_is_never_exposed(  # noqa: PLR0913 - fixtures
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    hass_storage: dict[str, Any],
    simulator: Simulator,
    account: Account,
    init_integration: MockConfigEntry,
) -> None:
    """Errors, diagnostics, states, events, issues, flows, store: no API key."""
    seen: list[str] = []
    events: list[Event] = []

    @callback
    def _record(event: Event) -> None:
        events.append(event)

    hass.bus.async_listen(MATCH_ALL, _record)
    entry_id = init_integration.entry_id
    account.groups["Family"] = set()

    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"config_entry_id": entry_id, "recipients": [ALICE], "message": "Sent"},
        blocking=True,
    )
    for service, data in FAILING_CALLS:
        seen.append(await call(hass, service, {"config_entry_id": entry_id, **data}))
    for fault in FAULTS:
        simulator.inject(fault, times=1)
        response = await hass.services.async_call(
            DOMAIN,
            "send_sms",
            {"config_entry_id": entry_id, "recipients": [ALICE], "message": fault},
            blocking=True,
            return_response=True,
        )
        seen.append(text_of(response))
    account.balance = 0
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=31))
    await hass.async_block_till_done()
    account.blacklist.add("33601020304")
    account.balance = 100
    seen.append(
        await call(
            hass,
            "send_sms",
            {"config_entry_id": entry_id, "recipients": [ALICE], "message": "STOP"},
        )
    )
    seen.append(
        text_of(
            await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
        )
    )
    account.api_key = "rotated-on-the-website"
    seen.append(
        await call(
            hass,
            "send_sms",
            {"config_entry_id": entry_id, "recipients": [ALICE], "message": "Denied"},
        )
    )
    await hass.async_block_till_done()

    seen.extend(text_of(state.as_dict()) for state in hass.states.async_all())
    seen.extend(text_of(event.as_dict()) for event in events)
    seen.extend(
        text_of(issue.to_json()) for issue in ir.async_get(hass).issues.values()
    )
    flows = hass.config_entries.flow.async_progress()
    seen.extend(text_of(flow) for flow in flows)
    seen.extend(
        text_of(stored)
        for key, stored in hass_storage.items()
        if key.startswith(f"{DOMAIN}.")
    )

    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    assert any("sms123.outbox." in key for key in hass_storage)
    leaks = [text[:200] for text in seen if API_KEY in text]
    assert not leaks
