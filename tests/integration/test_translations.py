"""Tests that the English and French texts are complete and in step with the code."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
import voluptuous as vol
import yaml
from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import selector
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms123 import config_flow, options, services
from custom_components.sms123.api import (
    UNKNOWN_CODE_KEY,
    BalanceCode,
    ContactCode,
    GroupCode,
    SendCode,
)
from custom_components.sms123.const import (
    DEFAULT_URL,
    DOMAIN,
    ISSUE_NUMBER_BLOCKED,
    ISSUE_SENDER_ID_REFUSED,
)
from custom_components.sms123.errors import GATEWAY_PLACEHOLDERS
from custom_components.sms123.issues import ACCOUNT_ISSUES, FIXABLE

PACKAGE = Path(config_flow.__file__).parent
LANGUAGES = ("en", "fr")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
CODE_FAMILIES = (SendCode, BalanceCode, GroupCode, ContactCode)


def _load(name: str) -> dict[str, Any]:
    """Read one JSON file of the integration."""
    return json.loads((PACKAGE / name).read_text(encoding="utf-8"))


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Map every dotted key path of a translation tree to its text."""
    flat: dict[str, str] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


TEXTS = {
    language: _flatten(_load(f"translations/{language}.json")) for language in LANGUAGES
}
EN = _load("translations/en.json")


def test_languages_have_the_same_keys() -> None:
    """A key in one language and not the other fails."""
    assert set(TEXTS["en"]) == set(TEXTS["fr"])


@pytest.mark.parametrize("key", sorted(TEXTS["en"]))
def test_same_placeholders_and_no_empty_text(key: str) -> None:
    """Both languages use the same placeholders, and no text is empty."""
    english, french = TEXTS["en"][key], TEXTS["fr"][key]
    assert english.strip()
    assert french.strip()
    assert set(PLACEHOLDER.findall(english)) == set(PLACEHOLDER.findall(french))


def _same_in_both_languages() -> set[str]:
    """Return the keys whose French text is the English one, brand names aside."""
    return {
        key
        for key, text in TEXTS["en"].items()
        if text == TEXTS["fr"][key] and text not in {"JSON", "XML", "SMS", "Messages"}
    }


def test_french_is_not_english() -> None:
    """The French file is a translation, not a copy (brand names aside)."""
    assert _same_in_both_languages() == set()


def _fields(schema: vol.Schema) -> list[str]:
    """Return the field names of a form schema."""
    return [str(key) for key in schema.schema]


FORMS = [
    (EN["config"]["step"]["user"], config_flow.USER_SCHEMA),
    (EN["config"]["step"]["reconfigure"], config_flow.RECONFIGURE_SCHEMA),
    (EN["config"]["step"]["reauth_confirm"], config_flow.REAUTH_SCHEMA),
    (EN["options"]["step"]["init"], options.OPTIONS_SCHEMA),
    (
        EN["config_subentries"]["recipient"]["step"]["user"],
        config_flow.RECIPIENT_SCHEMA,
    ),
    (
        EN["config_subentries"]["recipient"]["step"]["reconfigure"],
        config_flow.RECIPIENT_SCHEMA,
    ),
]
# The forms with a folded section of advanced fields.
FORMS_WITH_SECTION = [
    (step, schema)
    for step, schema in FORMS
    if config_flow.SECTION_ADVANCED in _fields(schema)
]


@pytest.mark.parametrize(("step", "schema"), FORMS)
def test_every_field_has_a_label_and_a_description(
    step: dict[str, Any], schema: vol.Schema
) -> None:
    """Every field outside the folded section has data and data_description."""
    plain = [f for f in _fields(schema) if f != config_flow.SECTION_ADVANCED]
    assert set(step["data"]) == set(plain)
    assert set(step["data_description"]) == set(plain)


@pytest.mark.parametrize(("step", "schema"), FORMS_WITH_SECTION)
def test_every_field_of_the_section_has_a_label_and_a_description(
    step: dict[str, Any], schema: vol.Schema
) -> None:
    """Every field inside the folded section has data and data_description."""
    section = step["sections"][config_flow.SECTION_ADVANCED]
    inner = _fields(schema.schema[config_flow.SECTION_ADVANCED].schema)
    assert set(section["data"]) == set(inner)
    assert set(section["data_description"]) == set(inner)


def test_form_errors_and_aborts_used_by_code_exist() -> None:
    """Every error and abort key the config flow can produce has a text."""
    source = (PACKAGE / "config_flow.py").read_text(encoding="utf-8")
    config_errors = set(re.findall(r'\{"base": "(\w+)"\}', source))
    assert config_errors == {"invalid_url", "invalid_auth", "cannot_connect", "unknown"}
    assert config_errors <= set(EN["config"]["error"])
    assert set(re.findall(r'reason="(\w+)"', source)) <= set(EN["config"]["abort"])
    assert {"already_configured", "reauth_successful", "reconfigure_successful"} <= set(
        EN["config"]["abort"]
    )
    # The keys named after a client's reason are checked against the reasons in
    # test_config_flow.py::test_every_refusal_reason_has_an_error_text.
    options_source = (PACKAGE / "options.py").read_text(encoding="utf-8")
    assert 'f"sender_id_{error.reason}"' in options_source
    assert 'f"number_{error.reason}"' in source
    recipient_errors = set(EN["config_subentries"]["recipient"]["error"])
    for key in ("name_empty", "name_in_use", "numbers_empty", "number_duplicate"):
        assert f'"{key}"' in source
        assert key in recipient_errors


def test_translation_keys_used_by_code_exist() -> None:
    """Every translation_key literal in the code names a text that exists."""
    defined = (
        set(EN["exceptions"])
        | set(EN["issues"])
        | {key for platform in EN["entity"].values() for key in platform}
    )
    used: set[str] = set()
    for module in PACKAGE.glob("*.py"):
        used |= set(
            re.findall(r'translation_key="(\w+)"', module.read_text(encoding="utf-8"))
        )
    assert used
    assert used <= defined


def _translation_keys(entities: list[er.RegistryEntry]) -> list[tuple[str, str]]:
    """Return (platform, translation key) of the entities named by a translation."""
    return sorted(
        (entity.domain, entity.translation_key)
        for entity in entities
        if entity.translation_key is not None
    )


async def test_entities_have_names_and_icons(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Every entity of an account is named by a translation and has an icon."""
    icons = _load("icons.json")["entity"]
    registered = er.async_entries_for_config_entry(
        er.async_get(hass), init_integration.entry_id
    )
    keys = _translation_keys(registered)
    assert len(keys) == len(registered) - 1  # the notify entity takes its device's
    for platform, key in keys:
        assert EN["entity"][platform][key]["name"]
        assert icons[platform][key]


REPAIRS = sorted(
    {*ACCOUNT_ISSUES, *FIXABLE, ISSUE_NUMBER_BLOCKED, ISSUE_SENDER_ID_REFUSED}
)


@pytest.mark.parametrize("kind", REPAIRS)
def test_every_repair_has_a_title_and_a_text_or_a_fix(kind: str) -> None:
    """A repair with a fix flow explains itself in its steps; the others describe."""
    expected = {"title", "fix_flow"} if kind in FIXABLE else {"title", "description"}
    assert set(EN["issues"][kind]) == expected


SERVICES_YAML = yaml.safe_load((PACKAGE / "services.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("service", sorted(services.ACTIONS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_action_is_described(service: str, language: str) -> None:
    """Each action has valid selectors, an icon, and a name for every field."""
    schema = services.ACTIONS[service].schema
    fields = SERVICES_YAML[service]["fields"]
    # An action with a target takes Home Assistant's target keys besides its fields.
    target = {str(key) for key in cv.ENTITY_SERVICE_FIELDS}
    targets = SERVICES_YAML[service].get("target")
    assert set(fields) | (target if targets else set()) == {
        str(key) for key in schema.schema
    }
    required = {str(key) for key in schema.schema if isinstance(key, vol.Required)}
    assert {name for name, field in fields.items() if field.get("required")} == required
    for field in fields.values():
        selector.validate_selector(field["selector"])
    texts = _load(f"translations/{language}.json")["services"][service]
    assert texts["name"]
    assert texts["description"]
    assert set(texts["fields"]) == set(fields)
    assert all(
        text["name"] and text["description"] for text in texts["fields"].values()
    )
    assert _load("icons.json")["services"][service]["service"].startswith("mdi:")


def test_send_targets_the_recipients_notify_entities() -> None:
    """The send action's target picker offers this integration's notify entities."""
    assert SERVICES_YAML["send_sms"]["target"] == {
        "entity": {"integration": "sms123", "domain": "notify"}
    }
    selector.validate_selector({"target": SERVICES_YAML["send_sms"]["target"]})


def test_optional_booleans_are_not_prefilled() -> None:
    """The UI form does not write `false` for booleans the user left alone."""
    fields = SERVICES_YAML["send_sms"]["fields"]
    assert [name for name, field in fields.items() if "default" in field] == []


REFUSALS = sorted(
    {code.key for family in CODE_FAMILIES for code in family if code.refused}
    | {SendCode.BLACKLISTED.key, UNKNOWN_CODE_KEY}
)


@pytest.mark.parametrize("key", REFUSALS)
def test_every_refusal_code_has_a_message(key: str) -> None:
    """A code the gateway refuses with names its own translated message."""
    message = EN["exceptions"][key]["message"]
    assert set(PLACEHOLDER.findall(message)) <= set(GATEWAY_PLACEHOLDERS)


# What Home Assistant's validator (hassfest) refuses in a text: an address (use a
# placeholder) or markup.
URL = re.compile(
    r"((ftp|ftps|scp|http|https|mqtt|mqtts|socket|socks5)://|www\.)[a-z0-9]",
    re.IGNORECASE,
)
HTML = re.compile(r"<\s*/?\s*[a-z][^>]*>", re.IGNORECASE)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_holds_an_address_or_markup(language: str) -> None:
    """Addresses come in through placeholders; no text holds HTML."""
    found = {
        key: text
        for key, text in TEXTS[language].items()
        if URL.search(text) or HTML.search(text)
    }
    assert found == {}


async def test_the_default_address_comes_in_as_a_placeholder(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The account forms name the default API address through a placeholder."""
    new = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    changed = await init_integration.start_reconfigure_flow(hass)

    for step, form in (("user", new), ("reconfigure", changed)):
        advanced = EN["config"]["step"][step]["sections"]["advanced"]
        assert "{default_url}" in advanced["data_description"]["url"]
        assert form["description_placeholders"]["default_url"] == DEFAULT_URL
