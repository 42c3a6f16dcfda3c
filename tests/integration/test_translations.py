"""Tests that the English and French texts are complete and in step with the code."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
import voluptuous as vol

from custom_components.sms123 import config_flow
from custom_components.sms123.binary_sensor import BINARY_SENSORS
from custom_components.sms123.issues import ACCOUNT_ISSUES
from custom_components.sms123.sensor import SENSORS

PACKAGE = Path(config_flow.__file__).parent
LANGUAGES = ("en", "fr")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


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


def test_french_is_not_english() -> None:
    """The French file is a translation, not a copy (brand names aside)."""
    same = {
        key
        for key, text in TEXTS["en"].items()
        if text == TEXTS["fr"][key] and text not in {"JSON", "XML"}
    }
    assert same == set()


def _fields(schema: vol.Schema) -> list[str]:
    """Return the field names of a form schema."""
    return [str(key) for key in schema.schema]


@pytest.mark.parametrize(
    ("step", "schema"),
    [
        (EN["config"]["step"]["user"], config_flow._account_schema()),
        (EN["config"]["step"]["reconfigure"], config_flow._account_schema()),
        (EN["config"]["step"]["reauth_confirm"], config_flow._reauth_schema()),
        (EN["options"]["step"]["init"], config_flow._options_schema()),
        (
            EN["config_subentries"]["recipient"]["step"]["user"],
            config_flow._recipient_schema(),
        ),
        (
            EN["config_subentries"]["recipient"]["step"]["reconfigure"],
            config_flow._recipient_schema(),
        ),
    ],
)
def test_every_field_has_a_label_and_a_description(
    step: dict[str, Any], schema: vol.Schema
) -> None:
    """Every field, also inside the folded section, has data and data_description."""
    fields = _fields(schema)
    plain = [field for field in fields if field != config_flow.SECTION_ADVANCED]
    assert set(step["data"]) == set(plain)
    assert set(step["data_description"]) == set(plain)
    if config_flow.SECTION_ADVANCED in fields:
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
    assert set(config_flow.SENDER_ID_ERRORS.values()) == set(EN["options"]["error"])
    recipient_errors = set(config_flow.PHONE_NUMBER_ERRORS.values()) | {
        "name_empty",
        "name_in_use",
        "numbers_empty",
        "number_duplicate",
    }
    assert recipient_errors == set(EN["config_subentries"]["recipient"]["error"])
    for key in recipient_errors:
        assert f'"{key}"' in source or key in config_flow.PHONE_NUMBER_ERRORS.values()


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


def test_entities_have_names_and_icons() -> None:
    """Every entity description has a name and an icon."""
    icons = _load("icons.json")["entity"]
    for platform, descriptions in (
        ("sensor", SENSORS),
        ("binary_sensor", BINARY_SENSORS),
    ):
        for description in descriptions:
            assert description.translation_key in EN["entity"][platform]
            assert description.translation_key in icons[platform]


def test_issues_have_texts() -> None:
    """Every repair issue has a title and a description."""
    for kind in ACCOUNT_ISSUES:
        assert set(EN["issues"][kind]) == {"title", "description"}
