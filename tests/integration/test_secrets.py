"""Secrets sweep: after every kind of scenario, the API key shows up nowhere.

Logs are checked after every integration test by the autouse fixture in
conftest.py; this module drives the scenarios that produce errors and then looks
at everything else a user or a bug report can see: exception texts, diagnostics,
entity states and attributes, events, repair issues, flows and the outbox store.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.const import MATCH_ALL
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)

from custom_components.sms123.const import DOMAIN
from sms123_simulator import Account, FaultKind, Simulator
from tests.conftest import API_KEY
from tests.integration.helpers import call_action, poll

if TYPE_CHECKING:
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

    from tests.integration.helpers import BoundAction

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


def stored_texts(hass_storage: dict[str, Any]) -> list[str]:
    """Return every store of the integration as text."""
    return [
        text_of(stored)
        for key, stored in hass_storage.items()
        if key.startswith(f"{DOMAIN}.")
    ]


async def error_texts(
    hass: HomeAssistant, entry: MockConfigEntry, service: str, data: dict[str, Any]
) -> str:
    """Call an action of the entry expected to fail; return every text of its error."""
    with pytest.raises(HomeAssistantError) as error:
        await call_action(hass, service, data, entry=entry, response=False)
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
    send: BoundAction,
) -> None:
    """Errors, diagnostics, states, events, issues, flows, store: no API key."""
    seen: list[str] = []
    events: list[Event] = []

    @callback
    def _record(event: Event) -> None:
        events.append(event)

    hass.bus.async_listen(MATCH_ALL, _record)
    entry = init_integration
    account.groups["Family"] = set()

    await send({"recipients": [ALICE], "message": "Sent"})
    for service, data in FAILING_CALLS:
        seen.append(await error_texts(hass, entry, service, data))
    for fault in FAULTS:
        simulator.inject(fault, times=1)
        seen.append(text_of(await send({"recipients": [ALICE], "message": fault})))
    account.balance = 0
    await poll(hass)
    account.blacklist.add("33601020304")
    account.balance = 100
    stop = {"recipients": [ALICE], "message": "STOP"}
    seen.append(await error_texts(hass, entry, "send_sms", stop))
    seen.append(
        text_of(await get_diagnostics_for_config_entry(hass, hass_client, entry))
    )
    account.api_key = "rotated-on-the-website"
    denied = {"recipients": [ALICE], "message": "Denied"}
    seen.append(await error_texts(hass, entry, "send_sms", denied))
    await hass.async_block_till_done()

    seen.extend(text_of(state.as_dict()) for state in hass.states.async_all())
    seen.extend(text_of(event.as_dict()) for event in events)
    seen.extend(
        text_of(issue.to_json()) for issue in ir.async_get(hass).issues.values()
    )
    flows = hass.config_entries.flow.async_progress()
    seen.extend(text_of(flow) for flow in flows)
    seen.extend(stored_texts(hass_storage))

    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    assert any("sms123.outbox." in key for key in hass_storage)
    leaks = [text[:200] for text in seen if API_KEY in text]
    assert not leaks
