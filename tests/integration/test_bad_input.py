"""Bad-input sweep: every action, every field, a table of hostile values.

Each case must end one of two ways: a clear error (schema error, or a translated
Home Assistant error) with no request to the gateway, or requests that carry the
value intact (the gateway may still refuse it: that refusal is a translated error
too). Never an unexpected exception, never a traceback in the log.
"""

from __future__ import annotations

from collections import Counter
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
import voluptuous as vol
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util

from custom_components.sms123.api import (
    InvalidPhoneNumberError,
    normalize_phone_number,
)
from custom_components.sms123.const import CONF_DATA_FORMAT, DOMAIN
from sms123_simulator import Account, Contact, Simulator
from tests.integration.helpers import call_action

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

ALICE = "33601020304"
# How a case may end well: refused before any request, sent intact, or the gateway
# refused the intact value.
OUTCOMES = ("refused", "sent", "gateway refused")
# Yes/no fields: a value they accept is sent as the API's flag, not as given.
FLAGS = frozenset({"flash", "voice", "test", "split"})
FUTURE = (dt_util.utcnow() + timedelta(days=2)).replace(microsecond=0).isoformat()
TEN_KB = "A" * 10_240
HOSTILE_VALUES: list[Any] = [
    "",
    "   ",
    "x" * 200,
    TEN_KB,
    123,
    12.5,
    True,
    None,
    [],
    ["a", "b"],
    {"a": 1},
    "\x00\x07\x1b[31m",
    "line one\nline two\r\n\tend",
    "'; DROP TABLE contacts; --",
    '" OR 1=1 --',
    "<sms><user>x</user><pass>y</pass></sms>",
    "]]><!-- &amp; &#0; <![CDATA[ &lt;",
    "🚨🔥👩‍👩‍👧",
    "Family--Friends",
    "\u202eevil\u200b",
    "%s%n{0}${HOME}",
    "0601020304",
]


@dataclass(frozen=True, kw_only=True, slots=True)
class Action:
    """An action with a payload that succeeds, and the fields to spoil."""

    domain: str
    service: str
    valid: dict[str, Any]
    fields: tuple[str, ...]


# The details a contact may have, with a value each accepts.
CONTACT_DETAILS = {
    "last_name": "Doe",
    "first_name": "Jane",
    "company": "ACME",
    "birthday": "1990-05-17",
    "var1": "one",
    "var2": "two",
    "var3": "three",
}
ACTIONS = [
    Action(
        domain=DOMAIN,
        service="send_sms",
        valid={"recipients": ["0601020304"], "message": "Hello", "title": "Alert"},
        fields=(
            "config_entry_id",
            "recipients",
            "message",
            "title",
            "sender_id",
            "flash",
            "voice",
            "scheduled_at",
            "test",
            "split",
        ),
    ),
    Action(
        domain=DOMAIN,
        service="cancel_scheduled_sms",
        valid={"recipients": ["0601020304"], "scheduled_at": FUTURE, "message": "Hi"},
        fields=("config_entry_id", "id", "recipients", "scheduled_at", "message"),
    ),
    Action(
        domain=DOMAIN,
        service="add_group",
        valid={"group": "Friends"},
        fields=("config_entry_id", "group"),
    ),
    Action(
        domain=DOMAIN,
        service="rename_group",
        valid={"group": "Family", "new_name": "Relatives"},
        fields=("config_entry_id", "group", "new_name"),
    ),
    Action(
        domain=DOMAIN,
        service="delete_group",
        valid={"group": "Empty"},
        fields=("config_entry_id", "group"),
    ),
    Action(
        domain=DOMAIN,
        service="add_contact",
        valid={"phone": "0605060708", "groups": ["Family"], **CONTACT_DETAILS},
        fields=("config_entry_id", "phone", "groups", *CONTACT_DETAILS),
    ),
    Action(
        domain=DOMAIN,
        service="update_contact",
        valid={
            "group": "Family",
            "phone": "0601020304",
            "new_phone": "0601020305",
            **CONTACT_DETAILS,
        },
        fields=("config_entry_id", "group", "phone", "new_phone", *CONTACT_DETAILS),
    ),
    Action(
        domain=DOMAIN,
        service="delete_contact",
        valid={"phone": "0601020304", "group": "Family"},
        fields=("config_entry_id", "phone", "group"),
    ),
    Action(
        domain="notify",
        service="send_message",
        valid={"message": "Hello", "title": "Alert"},
        # The target (entity_id) is validated by Home Assistant itself.
        fields=("message", "title"),
    ),
]


def reset_gateway(simulator: Simulator, account: Account) -> None:
    """Put the account back in a known state: two groups, one contact, no log."""
    simulator.reset_logs()
    simulator._ledger.delivered.clear()  # the 24-hour duplicate rule
    account.balance = 1_000
    account.groups = {"Family": {ALICE}, "Empty": set()}
    account.contacts = {ALICE: Contact(nom="Doe")}


def carried(value: object, requests: list[dict[str, str]]) -> bool:
    """Whether the value reached the gateway intact in some request parameter."""
    if isinstance(value, list):
        return all(carried(item, requests) for item in value)
    raw = value.strip() if isinstance(value, str) else str(value)
    expected = {raw}
    with suppress(InvalidPhoneNumberError):
        # A phone number travels in the canonical form.
        expected.add(normalize_phone_number(raw))
    return any(
        text in param
        for text in expected
        for params in requests
        for param in params.values()
    )


def is_clear(error: Exception) -> bool:
    """Whether an error tells the user what is wrong (schema or translated)."""
    if isinstance(error, vol.Invalid):
        return bool(str(error))
    return (
        isinstance(error, HomeAssistantError)
        and error.translation_key is not None
        and str(error) not in ("", error.translation_key)
    )


def judge(
    error: Exception | None, field: str, value: object, sent: list[dict[str, str]]
) -> str:
    """Name how a case ended (the error it raised, if any): an OUTCOME, or a problem."""
    if error is None:
        if sent and (field in FLAGS or carried(value, sent)):
            return "sent"
        return f"accepted, but sent {sent!r:.200}"
    if not is_clear(error):
        return f"unclear error {error!r}"
    if not sent:
        return "refused"
    if carried(value, sent):
        return "gateway refused"
    return f"request sent, then {error!r}"


async def error_of(
    hass: HomeAssistant, action: Action, data: dict[str, Any]
) -> Exception | None:
    """Call the action with these data; return the error it raised, if any."""
    try:
        await call_action(
            hass, action.service, data, domain=action.domain, response=False
        )
    except (vol.Invalid, HomeAssistantError) as error:
        return error
    return None


async def sweep(  # noqa: PLR0913 - what a sweep needs
    hass: HomeAssistant,
    simulator: Simulator,
    account: Account,
    caplog: pytest.LogCaptureFixture,
    action: Action,
    target: dict[str, Any],
) -> tuple[Counter[str], list[str]]:
    """Try every hostile value in every field; count outcomes, list the problems."""
    outcomes: Counter[str] = Counter(dict.fromkeys(OUTCOMES, 0))
    problems: list[str] = []
    for field in action.fields:
        for value in HOSTILE_VALUES:
            reset_gateway(simulator, account)
            caplog.clear()
            case = f"{field}={value!r:.40}"
            error = await error_of(
                hass, action, {**target, **action.valid, field: value}
            )
            sent = [record.params for record in simulator.requests]
            outcome = judge(error, field, value, sent)
            if outcome in OUTCOMES:
                outcomes[outcome] += 1
            else:
                problems.append(f"{case}: {outcome}")
            tracebacks = [r.getMessage()[:120] for r in caplog.records if r.exc_info]
            if tracebacks:
                problems.append(f"{case}: traceback logged {tracebacks}")
    return outcomes, problems


@pytest.mark.parametrize("data_format", ["json", "xml"])
@pytest.mark.parametrize("action", ACTIONS, ids=lambda action: action.service)
async def test_hostile_values(  # noqa: PLR0913 - fixtures and parameters
    hass: HomeAssistant,
    simulator: Simulator,
    account: Account,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    action: Action,
    data_format: str,
) -> None:
    """Each hostile value: a clear error and no request, or an intact request."""
    mock_config_entry.add_to_hass(hass)
    data = {**mock_config_entry.data, CONF_DATA_FORMAT: data_format}
    hass.config_entries.async_update_entry(mock_config_entry, data=data)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    target = _target(hass, mock_config_entry, action)

    outcomes, problems = await sweep(hass, simulator, account, caplog, action, target)

    tried = len(action.fields) * len(HOSTILE_VALUES)
    print(  # noqa: T201 - the sweep reports how much it tried
        f"\nbad input {action.service} ({data_format}): {tried} cases, {dict(outcomes)}"
    )
    assert not problems, "\n".join(problems)


def _target(
    hass: HomeAssistant, entry: MockConfigEntry, action: Action
) -> dict[str, Any]:
    """Return what names the account: the entry id, or Alice's notify entity."""
    if action.domain != "notify":
        return {"config_entry_id": entry.entry_id}
    registry = er.async_get(hass)
    (alice,) = [
        item.entity_id
        for item in er.async_entries_for_config_entry(registry, entry.entry_id)
        if item.domain == "notify"
    ]
    return {"entity_id": alice}
