"""Tests of the config flow: account, reauth, reconfigure, options and recipients."""

import json
import re
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
import voluptuous as vol
from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigFlowResult,
)
from homeassistant.const import CONF_API_KEY, CONF_NAME, CONF_URL, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms123 import config_flow
from custom_components.sms123.api import Sms123Client
from custom_components.sms123.const import (
    CONF_DAILY_LIMIT,
    CONF_DATA_FORMAT,
    CONF_LONG_SMS,
    CONF_LOW_BALANCE_THRESHOLD,
    CONF_NUMBERS,
    CONF_RECIPIENT_HOURLY_LIMIT,
    CONF_SCAN_INTERVAL,
    CONF_SENDER_ID,
    CONF_STOP_MENTION,
    CONF_TEST_MODE,
    CONF_UNIQUE_REPEATS,
    DEFAULT_URL,
    DOMAIN,
    SECTION_ADVANCED,
    SUBENTRY_TYPE_RECIPIENT,
)
from sms123_simulator import FaultKind, Simulator
from tests.conftest import API_KEY, USERNAME

OTHER_USERNAME = "other@example.com"
PACKAGE = Path(config_flow.__file__).parent
EN = json.loads((PACKAGE / "translations" / "en.json").read_text(encoding="utf-8"))


def _account_form(
    url: str, *, username: str = USERNAME, api_key: str = API_KEY, fmt: str = "json"
) -> dict[str, Any]:
    """Return what a user types in the account form."""
    return {
        CONF_USERNAME: username,
        CONF_API_KEY: api_key,
        SECTION_ADVANCED: {CONF_URL: url, CONF_DATA_FORMAT: fmt},
    }


async def _submit_account(
    hass: HomeAssistant, form: dict[str, Any]
) -> ConfigFlowResult:
    """Open the add-account form and submit it."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    return await hass.config_entries.flow.async_configure(result["flow_id"], form)


async def _submit_reconfigure(
    hass: HomeAssistant, entry: MockConfigEntry, form: dict[str, Any]
) -> ConfigFlowResult:
    """Open the reconfigure form of an account and submit it."""
    result = await entry.start_reconfigure_flow(hass)
    return await hass.config_entries.flow.async_configure(result["flow_id"], form)


def _options_form(changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the options form as shown with its defaults, with some fields changed."""
    return {
        CONF_SCAN_INTERVAL: 30,
        CONF_LOW_BALANCE_THRESHOLD: 10,
        CONF_LONG_SMS: False,
        CONF_TEST_MODE: False,
        **(changes or {}),
    }


def _defaults(schema: vol.Schema) -> dict[str, Any]:
    """Return the default of each field of a form that has one."""
    return {str(key): key.default() for key in schema.schema if callable(key.default)}


def _suggested(schema: vol.Schema) -> dict[str, Any]:
    """Return the suggested value of each field of a form that has one."""
    return {
        str(key): key.description["suggested_value"]
        for key in schema.schema
        if key.description
    }


async def test_user_creates_entry(hass: HomeAssistant, simulator: Simulator) -> None:
    """A valid account becomes an entry with flat data, titled by its username."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        _account_form(f"{simulator.url}/", username=f" {USERNAME} ", fmt="xml"),
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == USERNAME
    assert result["data"] == {
        CONF_USERNAME: USERNAME,
        CONF_API_KEY: API_KEY,
        CONF_URL: simulator.url,
        CONF_DATA_FORMAT: "xml",
    }
    assert result["result"].unique_id == USERNAME.casefold()
    assert {request.path for request in simulator.requests} == {"/api/solde/"}
    assert simulator.messages == []


async def test_user_defaults_of_advanced_section(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """The folded section defaults to the public API address and JSON."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    section = result["data_schema"].schema[SECTION_ADVANCED]
    assert section.options == {"collapsed": True}
    assert _defaults(section.schema) == {
        CONF_URL: DEFAULT_URL,
        CONF_DATA_FORMAT: "json",
    }


@pytest.mark.parametrize(
    ("form_changes", "error"),
    [
        ({CONF_API_KEY: "wrong-key"}, "invalid_auth"),
        ({CONF_USERNAME: "nobody@example.com"}, "invalid_auth"),
        ({"url": "ftp://www.123-sms.net"}, "invalid_url"),
        ({"url": "not an address"}, "invalid_url"),
        ({"url": "http://"}, "invalid_url"),
        ({"url": "http://[bad"}, "invalid_url"),
    ],
)
async def test_user_errors_then_recovers(
    hass: HomeAssistant,
    simulator: Simulator,
    form_changes: dict[str, str],
    error: str,
) -> None:
    """A refused or malformed form shows its error and can be corrected."""
    form = _account_form(form_changes.pop("url", simulator.url))
    form.update(form_changes)
    result = await _submit_account(hass, form)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _account_form(simulator.url)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    "fault", [FaultKind.RESET, FaultKind.HTTP_503, FaultKind.HTML, FaultKind.EMPTY]
)
async def test_user_cannot_connect(
    hass: HomeAssistant, simulator: Simulator, fault: FaultKind
) -> None:
    """An unreachable or garbled gateway shows cannot_connect."""
    simulator.inject(fault)
    result = await _submit_account(hass, _account_form(simulator.url))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}


async def test_user_unknown_error(hass: HomeAssistant, simulator: Simulator) -> None:
    """A surprise while checking the account shows unknown, not a crash."""
    with patch.object(Sms123Client, "get_balance", side_effect=RuntimeError("boom")):
        result = await _submit_account(hass, _account_form(simulator.url))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}


async def test_user_already_configured(
    hass: HomeAssistant, simulator: Simulator, mock_config_entry: MockConfigEntry
) -> None:
    """The same account, whatever its case, cannot be added twice."""
    mock_config_entry.add_to_hass(hass)
    result = await _submit_account(
        hass, _account_form(simulator.url, username=USERNAME.upper())
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert simulator.requests == []


async def test_reauth_with_new_key(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """Reauth stores the new API key of the same account and reloads."""
    # The user regenerated the key on the provider's site.
    simulator.accounts[USERNAME].api_key = "sk-new-key"
    result = await init_integration.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"]["account"] == USERNAME

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: USERNAME, CONF_API_KEY: API_KEY}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: USERNAME, CONF_API_KEY: " sk-new-key "}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert init_integration.data[CONF_API_KEY] == "sk-new-key"
    assert init_integration.data[CONF_URL] == simulator.url


async def test_reauth_other_account_aborts(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """Reauth cannot switch the entry to another account."""
    simulator.add_account(OTHER_USERNAME, "other-key", balance=5)
    result = await init_integration.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_USERNAME: OTHER_USERNAME, CONF_API_KEY: "other-key"},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "account_mismatch"
    assert init_integration.data[CONF_USERNAME] == USERNAME


async def test_reconfigure_keeps_key_when_left_empty(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """Reconfigure shows the current settings and keeps the key if none is typed."""
    result = await init_integration.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert _suggested(result["data_schema"]) == {CONF_USERNAME: USERNAME}
    assert _suggested(result["data_schema"].schema[SECTION_ADVANCED].schema) == {
        CONF_URL: simulator.url,
        CONF_DATA_FORMAT: "json",
    }
    assert API_KEY not in str(result["data_schema"].schema)

    form = _account_form(simulator.url, fmt="xml")
    form.pop(CONF_API_KEY)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], form)
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert init_integration.data == {
        CONF_USERNAME: USERNAME,
        CONF_API_KEY: API_KEY,
        CONF_URL: simulator.url,
        CONF_DATA_FORMAT: "xml",
    }
    assert simulator.requests[-1].content_type == "application/xml"


async def test_suggested_values_stay_in_their_form(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The settings a reconfigure form suggests do not reach a new account's form."""
    await init_integration.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert _suggested(result["data_schema"].schema[SECTION_ADVANCED].schema) == {}


async def test_reconfigure_error_then_new_key(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """A refused reconfigure shows its error; a working key is then stored."""
    result = await _submit_reconfigure(
        hass, init_integration, _account_form(simulator.url, api_key="bad")
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    simulator.accounts[USERNAME].api_key = "sk-rotated"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _account_form(simulator.url, api_key="sk-rotated")
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert init_integration.data[CONF_API_KEY] == "sk-rotated"


async def test_reconfigure_other_account_aborts(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """Reconfigure cannot switch the entry to another account."""
    result = await _submit_reconfigure(
        hass, init_integration, _account_form(simulator.url, username=OTHER_USERNAME)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "account_mismatch"


async def test_options_defaults_and_save(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The options form saves every option, the sender ID trimmed."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert _defaults(result["data_schema"]) == {
        CONF_SCAN_INTERVAL: 30,
        CONF_LOW_BALANCE_THRESHOLD: 10.0,
        CONF_LONG_SMS: False,
        CONF_TEST_MODE: False,
        CONF_UNIQUE_REPEATS: True,
        CONF_STOP_MENTION: False,
        CONF_DAILY_LIMIT: 50,
        CONF_RECIPIENT_HOURLY_LIMIT: 10,
    }

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_SENDER_ID: " Maison ",
            CONF_SCAN_INTERVAL: 15,
            CONF_LOW_BALANCE_THRESHOLD: 2.5,
            CONF_LONG_SMS: True,
            CONF_TEST_MODE: True,
            CONF_UNIQUE_REPEATS: False,
            CONF_STOP_MENTION: True,
            CONF_DAILY_LIMIT: 200,
            CONF_RECIPIENT_HOURLY_LIMIT: 0,
        },
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {
        CONF_SENDER_ID: "Maison",
        CONF_SCAN_INTERVAL: 15,
        CONF_LOW_BALANCE_THRESHOLD: 2.5,
        CONF_LONG_SMS: True,
        CONF_TEST_MODE: True,
        CONF_UNIQUE_REPEATS: False,
        CONF_STOP_MENTION: True,
        CONF_DAILY_LIMIT: 200,
        CONF_RECIPIENT_HOURLY_LIMIT: 0,
    }


async def test_options_blank_sender_id_is_dropped(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Clearing the sender ID removes it from the options."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], _options_form({CONF_SENDER_ID: "   "})
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_SENDER_ID not in init_integration.options


@pytest.mark.parametrize(
    ("sender_id", "error"),
    [
        ("ABCDEFGHIJKL", "sender_id_too_long"),
        ("Mai-son", "sender_id_characters"),
        ("1234", "sender_id_characters"),
    ],
)
async def test_options_sender_id_refused_in_form(
    hass: HomeAssistant, init_integration: MockConfigEntry, sender_id: str, error: str
) -> None:
    """A sender ID the gateway would refuse is refused in the form."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], _options_form({CONF_SENDER_ID: sender_id})
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_SENDER_ID: error}
    assert init_integration.options == {}


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        (CONF_SCAN_INTERVAL, 4, "scan_interval_range"),
        (CONF_SCAN_INTERVAL, 1441, "scan_interval_range"),
        (CONF_LOW_BALANCE_THRESHOLD, -1, "threshold_negative"),
        (CONF_DAILY_LIMIT, -1, "limit_range"),
        (CONF_RECIPIENT_HOURLY_LIMIT, 100001, "limit_range"),
    ],
)
async def test_options_out_of_range_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    field: str,
    value: int,
    error: str,
) -> None:
    """A number out of its range is shown again with the step's translated error."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], _options_form({field: value})
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: error}
    assert init_integration.options == {}


async def test_options_fixed_sender_id_error_leaves_the_form(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Once the sender ID is valid its error is gone, even if another field is not."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], _options_form({CONF_SENDER_ID: "Maison!"})
    )
    assert result["errors"] == {CONF_SENDER_ID: "sender_id_characters"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        _options_form({CONF_SENDER_ID: "Maison", CONF_LOW_BALANCE_THRESHOLD: -5}),
    )
    assert result["errors"] == {CONF_LOW_BALANCE_THRESHOLD: "threshold_negative"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], _options_form({CONF_SENDER_ID: "Maison"})
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_SENDER_ID] == "Maison"


async def _open_recipient_form(
    hass: HomeAssistant, entry: MockConfigEntry, context: dict[str, str]
) -> str:
    """Open a recipient form, its step named after the source; return its flow id."""
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_TYPE_RECIPIENT), context=context
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == context["source"]
    return result["flow_id"]


async def _start_recipient_flow(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """Open the add-recipient form and return its flow id."""
    return await _open_recipient_form(hass, entry, {"source": SOURCE_USER})


async def test_add_recipient(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A recipient is stored with its numbers normalised, blank lines ignored."""
    flow_id = await _start_recipient_flow(hass, init_integration)
    result = await hass.config_entries.subentries.async_configure(
        flow_id,
        {CONF_NAME: " Bob ", CONF_NUMBERS: ["06 11 22 33 44", "", "+44 7700 900123"]},
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Bob"
    recipients = {
        subentry.title: dict(subentry.data)
        for subentry in init_integration.subentries.values()
    }
    assert recipients["Bob"] == {
        CONF_NAME: "Bob",
        CONF_NUMBERS: ["33611223344", "447700900123"],
    }


@pytest.mark.parametrize(
    ("name", "numbers", "errors"),
    [
        ("  ", ["0611223344"], {CONF_NAME: "name_empty"}),
        ("alice", ["0611223344"], {CONF_NAME: "name_in_use"}),
        ("Bob", [" "], {CONF_NUMBERS: "numbers_empty"}),
    ],
)
async def test_add_recipient_errors(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    name: str,
    numbers: list[str],
    errors: dict[str, str],
) -> None:
    """A recipient without a name of its own or without numbers is refused."""
    flow_id = await _start_recipient_flow(hass, init_integration)
    result = await hass.config_entries.subentries.async_configure(
        flow_id, {CONF_NAME: name, CONF_NUMBERS: numbers}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert result["description_placeholders"] == {}
    assert len(init_integration.subentries) == 1


@pytest.mark.parametrize(
    ("numbers", "error"),
    [
        (["0611223344", "+33 6 11 22 33 44"], "number_duplicate"),
        (["-"], "number_empty"),
        (["06 CALL ME"], "number_characters"),
        (["0611"], "number_too_short"),
        (["1234567890123456"], "number_too_long"),
        (["+0601020304"], "number_format"),
    ],
)
async def test_add_recipient_number_errors(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    numbers: list[str],
    error: str,
) -> None:
    """A refused number names the error and shows the number as typed."""
    flow_id = await _start_recipient_flow(hass, init_integration)
    result = await hass.config_entries.subentries.async_configure(
        flow_id, {CONF_NAME: "Bob", CONF_NUMBERS: numbers}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_NUMBERS: error}
    assert result["description_placeholders"] == {"number": numbers[-1]}
    assert len(init_integration.subentries) == 1


@pytest.mark.parametrize(
    ("module", "exception", "prefix", "texts", "reasons"),
    [
        (
            "text.py",
            "InvalidSenderIdError",
            "sender_id_",
            EN["options"]["error"],
            {"empty", "too_long", "characters"},
        ),
        (
            "phone.py",
            "InvalidPhoneNumberError",
            "number_",
            EN["config_subentries"]["recipient"]["error"],
            {"empty", "characters", "too_short", "too_long", "format"},
        ),
    ],
)
def test_every_refusal_reason_has_an_error_text(
    module: str, exception: str, prefix: str, texts: dict[str, str], reasons: set[str]
) -> None:
    """The form error named after each reason the client can give has a text."""
    source = (PACKAGE / "api" / module).read_text(encoding="utf-8")
    assert set(re.findall(rf'{exception}\(\w+, "(\w+)"\)', source)) == reasons
    assert {f"{prefix}{reason}" for reason in reasons} <= set(texts)


async def _start_edit_flow(
    hass: HomeAssistant, entry: MockConfigEntry, title: str
) -> str:
    """Open the edit form of a recipient and return its flow id."""
    subentry_id = next(
        subentry.subentry_id
        for subentry in entry.subentries.values()
        if subentry.title == title
    )
    return await _open_recipient_form(
        hass, entry, {"source": SOURCE_RECONFIGURE, "subentry_id": subentry_id}
    )


async def test_edit_recipient(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Editing keeps the recipient's own name allowed and renames it."""
    flow_id = await _start_edit_flow(hass, init_integration, "Alice")
    result = await hass.config_entries.subentries.async_configure(
        flow_id, {CONF_NAME: "ALICE", CONF_NUMBERS: ["0601020304", "0611223344"]}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    (subentry,) = init_integration.subentries.values()
    assert subentry.title == "ALICE"
    assert dict(subentry.data) == {
        CONF_NAME: "ALICE",
        CONF_NUMBERS: ["33601020304", "33611223344"],
    }


async def test_edit_recipient_name_in_use(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A recipient cannot take the name of another one."""
    flow_id = await _start_recipient_flow(hass, init_integration)
    await hass.config_entries.subentries.async_configure(
        flow_id, {CONF_NAME: "Bob", CONF_NUMBERS: ["0611223344"]}
    )
    await hass.async_block_till_done()
    flow_id = await _start_edit_flow(hass, init_integration, "Bob")
    result = await hass.config_entries.subentries.async_configure(
        flow_id, {CONF_NAME: "Alice", CONF_NUMBERS: ["0611223344"]}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_NAME: "name_in_use"}
