"""Tests of the address-book actions against the simulated gateway."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.core import HomeAssistant, ServiceResponse
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms123.const import DOMAIN
from sms123_simulator import FaultKind, Simulator
from sms123_simulator.state import Account, Contact
from tests.conftest import USERNAME
from tests.entries import account_entry
from tests.integration.helpers import call_action

ALICE = "33601020304"
BOB = "33611223344"
CONTENT_TYPES = {"json": "application/json", "xml": "application/xml"}


@pytest.fixture(params=["json", "xml"])
def data_format(request: pytest.FixtureRequest) -> str:
    """Run each test with both request body formats."""
    return str(request.param)


@pytest.fixture
def mock_config_entry(simulator: Simulator, data_format: str) -> MockConfigEntry:
    """Return a config entry for the demo account, in the body format under test."""
    return account_entry(simulator, data_format=data_format)


@dataclass
class Book:
    """A loaded entry, the gateway behind it and its demo account."""

    hass: HomeAssistant
    entry: MockConfigEntry
    simulator: Simulator
    account: Account

    async def call(self, service: str, **data: object) -> ServiceResponse:
        """Call an address-book action of the entry and return its response."""
        return await call_action(self.hass, service, data, entry=self.entry)

    def fill(self, groups: dict[str, set[str]]) -> None:
        """Give the account these groups, and a contact record for each member."""
        self.account.groups.update(groups)
        self.account.contacts.update(
            {number: Contact() for members in groups.values() for number in members}
        )


@pytest.fixture
async def book(
    hass: HomeAssistant,
    simulator: Simulator,
    account: Account,
    init_integration: MockConfigEntry,
) -> Book:
    """Set the entry up and forget the requests setup made."""
    simulator.reset_logs()
    return Book(hass=hass, entry=init_integration, simulator=simulator, account=account)


def _requests(simulator: Simulator) -> list[tuple[str, str, dict[str, str]]]:
    """Return each request the gateway received: path, content type, parameters."""
    return [
        (record.path, record.content_type, record.params)
        for record in simulator.requests
    ]


def _without_credentials(params: dict[str, str]) -> dict[str, str]:
    """Drop the credentials from request parameters."""
    return {key: value for key, value in params.items() if key not in {"email", "pass"}}


# Groups


async def test_add_group(
    book: Book,
    data_format: str,
) -> None:
    """A group is created with the chosen body format, and the code is answered."""
    response = await book.call("add_group", group="  Family ")
    assert response == {"code": "514", "meaning": "the group was saved"}
    assert book.account.groups == {"Family": set()}
    ((path, content_type, params),) = _requests(book.simulator)
    assert path.rstrip("/") == "/api/group/add"
    assert content_type == CONTENT_TYPES[data_format]
    assert _without_credentials(params) == {"groupe": "Family"}


async def test_action_without_response(book: Book) -> None:
    """Called without asking for a response, an action still does its work."""
    response = await call_action(
        book.hass, "add_group", {"group": "Family"}, entry=book.entry, response=False
    )
    assert response is None
    assert "Family" in book.account.groups


async def test_add_group_that_exists(book: Book) -> None:
    """Adding a group twice names the group that exists (513)."""
    book.account.groups["Family"] = set()
    with pytest.raises(HomeAssistantError) as error:
        await book.call("add_group", group="Family")
    assert error.value.translation_key == "group_exists"
    assert {"group": "Family"}.items() <= error.value.translation_placeholders.items()
    assert str(error.value) == "A group named Family already exists"


async def test_rename_group(book: Book) -> None:
    """A group is renamed and keeps its contacts."""
    book.account.groups["Family"] = {ALICE}
    response = await book.call("rename_group", group="Family", new_name="Home")
    assert response == {"code": "514", "meaning": "the group was saved"}
    assert book.account.groups == {"Home": {ALICE}}


async def test_delete_group(book: Book) -> None:
    """An empty group is deleted."""
    book.account.groups["Family"] = set()
    response = await book.call("delete_group", group="Family")
    assert response == {"code": "516", "meaning": "the group was deleted"}
    assert book.account.groups == {}


@pytest.mark.parametrize(
    ("service", "data", "groups", "key", "placeholders"),
    [
        (
            "rename_group",
            {"group": "Family", "new_name": "Home"},
            {"Home": set()},
            "group_not_found",
            {"group": "Family", "number": ""},
        ),
        (
            "rename_group",
            {"group": "Family", "new_name": "Home"},
            {"Family": set(), "Home": set()},
            "group_exists",
            {"new_group": "Home"},
        ),
        (
            "delete_group",
            {"group": "Family"},
            {"Family": {ALICE}},
            "group_not_empty",
            {"group": "Family", "number": ""},
        ),
        (
            "delete_group",
            {"group": "Family"},
            {},
            "group_not_found",
            {"group": "Family", "number": ""},
        ),
        (
            "add_contact",
            {"phone": "0601020304", "groups": ["Family", "Friends"]},
            {"Family": {ALICE}, "Friends": set()},
            "contact_in_group",
            {"group": "Family, Friends", "number": ALICE},
        ),
        (
            "add_contact",
            {"phone": "0601020304", "groups": ["Family", "Friends"]},
            {"Family": set()},
            "group_not_found",
            {"group": "Family, Friends", "number": ALICE},
        ),
    ],
    ids=[
        "rename_group-517",
        "rename_group-513",
        "delete_group-515",
        "delete_group-517",
        "add_contact-506",
        "add_contact-517",
    ],
)
async def test_group_refusal_names_the_group_and_changes_nothing(  # noqa: PLR0913 - parameters
    book: Book,
    service: str,
    data: dict[str, Any],
    groups: dict[str, set[str]],
    key: str,
    placeholders: dict[str, str],
) -> None:
    """A missing or taken group, or a number in it already: named, nothing changed."""
    book.account.groups.update(groups)
    with pytest.raises(HomeAssistantError) as error:
        await book.call(service, **data)
    assert error.value.translation_key == key
    assert placeholders.items() <= error.value.translation_placeholders.items()
    assert book.account.groups == groups


# Contacts


async def test_add_contact_in_several_groups(
    book: Book,
) -> None:
    """A contact joins every group named, sent joined by `--`, with its details."""
    book.account.groups.update({"Family": set(), "Friends": set()})
    response = await book.call(
        "add_contact",
        phone="+33 6 01 02 03 04",
        groups=["Family", "Friends", "Family"],
        last_name="Martin",
        first_name="Alice",
        company="Café & Co <SARL>",
        birthday="1968-02-12",
        var1="one",
        var2="two",
        var3="three",
    )
    assert response == {"code": "507", "meaning": "the contact was saved"}
    assert book.account.groups == {"Family": {ALICE}, "Friends": {ALICE}}
    ((path, _, params),) = _requests(book.simulator)
    assert path.rstrip("/") == "/api/contact/add"
    assert _without_credentials(params) == {
        "groupe": "Family--Friends",
        "numero": ALICE,
        "nom": "Martin",
        "prenom": "Alice",
        "societe": "Café & Co <SARL>",
        "datea": "120268",
        "v1": "one",
        "v2": "two",
        "v3": "three",
    }


async def test_add_contact_with_a_single_group_and_no_details(
    book: Book,
) -> None:
    """A single group may be given as text; absent details are not sent."""
    book.account.groups["Family"] = set()
    await book.call("add_contact", phone="0601020304", groups="Family")
    ((_, _, params),) = _requests(book.simulator)
    assert _without_credentials(params) == {"groupe": "Family", "numero": ALICE}
    assert book.account.groups == {"Family": {ALICE}}


async def test_update_contact(
    book: Book,
) -> None:
    """A contact gets a new number and new details in its group."""
    await book.call("add_group", group="Family")
    await book.call("add_contact", phone=ALICE, groups=["Family"])
    book.simulator.reset_logs()
    response = await book.call(
        "update_contact",
        group="Family",
        phone="06 01 02 03 04",
        new_phone="+33611223344",
        first_name="Bob",
        birthday="2001-09-30",
    )
    assert response == {"code": "507", "meaning": "the contact was saved"}
    assert book.account.groups == {"Family": {BOB}}
    assert book.account.contacts[BOB].prenom == "Bob"
    assert book.account.contacts[BOB].datea == "300901"
    ((path, _, params),) = _requests(book.simulator)
    assert path.rstrip("/") == "/api/contact/upd"
    assert _without_credentials(params) == {
        "groupe": "Family",
        "numeroa": ALICE,
        "numero": BOB,
        "prenom": "Bob",
        "datea": "300901",
    }


async def test_update_contact_keeps_the_number(
    book: Book,
) -> None:
    """Without a new number the contact keeps its own."""
    book.account.groups["Family"] = set()
    await book.call("add_contact", phone=ALICE, groups=["Family"])
    await book.call("update_contact", group="Family", phone=ALICE, company="ACME")
    assert book.account.groups == {"Family": {ALICE}}
    assert book.account.contacts[ALICE].societe == "ACME"
    assert _without_credentials(book.simulator.requests[-1].params) == {
        "groupe": "Family",
        "numeroa": ALICE,
        "numero": ALICE,
        "societe": "ACME",
    }


@pytest.mark.parametrize(
    ("friends", "key"),
    [(set(), "contact_not_found"), ({ALICE}, "contact_not_in_group")],
    ids=["508", "510"],
)
async def test_update_contact_refused(
    book: Book,
    friends: set[str],
    key: str,
) -> None:
    """An unknown contact, or one outside the group, is named in the error."""
    book.fill({"Family": set(), "Friends": friends})
    with pytest.raises(HomeAssistantError) as error:
        await book.call("update_contact", group="Family", phone=ALICE)
    assert error.value.translation_key == key
    assert {
        "group": "Family",
        "number": ALICE,
    }.items() <= error.value.translation_placeholders.items()


async def test_delete_contact_from_one_group(
    book: Book,
) -> None:
    """With a group, the contact leaves that group only."""
    book.account.groups.update({"Family": set(), "Friends": set()})
    await book.call("add_contact", phone=ALICE, groups=["Family", "Friends"])
    response = await book.call("delete_contact", phone="0601020304", group="Family")
    assert response == {"code": "509", "meaning": "the contact was deleted"}
    assert book.account.groups == {"Family": set(), "Friends": {ALICE}}
    assert ALICE in book.account.contacts
    assert _without_credentials(book.simulator.requests[-1].params) == {
        "numero": ALICE,
        "groupe": "Family",
    }


async def test_delete_contact_from_every_group(
    book: Book,
) -> None:
    """Without a group, the contact leaves every group and the address book."""
    book.account.groups.update({"Family": set(), "Friends": set()})
    await book.call("add_contact", phone=ALICE, groups=["Family", "Friends"])
    response = await book.call("delete_contact", phone=ALICE)
    assert response == {"code": "509", "meaning": "the contact was deleted"}
    assert book.account.groups == {"Family": set(), "Friends": set()}
    assert book.account.contacts == {}
    assert _without_credentials(book.simulator.requests[-1].params) == {"numero": ALICE}


@pytest.mark.parametrize(
    ("family", "group", "key", "placeholders"),
    [
        ({BOB}, {}, "contact_not_found", {"group": "", "number": ALICE}),
        (
            {BOB, ALICE},
            {"group": "Friends"},
            "contact_not_in_group",
            {"group": "Friends", "number": ALICE},
        ),
    ],
    ids=["508", "510"],
)
async def test_delete_contact_refused(
    book: Book,
    family: set[str],
    group: dict[str, str],
    key: str,
    placeholders: dict[str, str],
) -> None:
    """An unknown contact, or one outside the group, is named in the error."""
    book.fill({"Family": family, "Friends": set()})
    with pytest.raises(HomeAssistantError) as error:
        await book.call("delete_contact", phone=ALICE, **group)
    assert error.value.translation_key == key
    assert placeholders.items() <= error.value.translation_placeholders.items()


# Validation before any request


@pytest.mark.parametrize(
    ("service", "data", "key", "placeholders"),
    [
        ("add_group", {"group": "   "}, "group_name_empty", None),
        ("add_group", {"group": "A--B"}, "group_name_separator", {"group": "A--B"}),
        (
            "add_group",
            {"group": "Fam\x07ily"},
            "control_character",
            {"field": "group", "character": "U+0007"},
        ),
        (
            "add_contact",
            {"phone": ALICE, "groups": ["Family"], "company": "ACME\x0c"},
            "control_character",
            {"field": "company", "character": "U+000C"},
        ),
        (
            "update_contact",
            {"group": "Family", "phone": ALICE, "var2": "\ufffe"},
            "control_character",
            {"field": "var2", "character": "U+FFFE"},
        ),
        (
            "rename_group",
            {"group": "Family", "new_name": ""},
            "group_name_empty",
            None,
        ),
        (
            "rename_group",
            {"group": "Family", "new_name": "Home--Work"},
            "group_name_separator",
            {"group": "Home--Work"},
        ),
        ("delete_group", {"group": ""}, "group_name_empty", None),
        (
            "add_contact",
            {"phone": ALICE, "groups": []},
            "groups_empty",
            None,
        ),
        (
            "add_contact",
            {"phone": ALICE, "groups": ["Family", " "]},
            "group_name_empty",
            None,
        ),
        (
            "add_contact",
            {"phone": ALICE, "groups": ["Family--Friends"]},
            "group_name_separator",
            {"group": "Family--Friends"},
        ),
        (
            "add_contact",
            {"phone": "06 CALL ME", "groups": ["Family"]},
            "invalid_phone_number",
            {"number": "06 CALL ME"},
        ),
        (
            "add_contact",
            {"phone": "0601", "groups": ["Family"]},
            "invalid_phone_number",
            {"number": "0601"},
        ),
        (
            "update_contact",
            {"group": "Family", "phone": "12"},
            "invalid_phone_number",
            {"number": "12"},
        ),
        (
            "update_contact",
            {"group": "Family", "phone": ALICE, "new_phone": "+33 6 0"},
            "invalid_phone_number",
            {"number": "+33 6 0"},
        ),
        (
            "update_contact",
            {"group": "", "phone": ALICE},
            "group_name_empty",
            None,
        ),
        (
            "delete_contact",
            {"phone": "1234567890123456789"},
            "invalid_phone_number",
            {"number": "1234567890123456789"},
        ),
        ("delete_contact", {"phone": ALICE, "group": " "}, "group_name_empty", None),
    ],
)
async def test_invalid_input_is_refused_before_any_request(
    book: Book,
    service: str,
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str] | None,
) -> None:
    """Bad input raises a translated validation error and sends nothing."""
    with pytest.raises(ServiceValidationError) as error:
        await book.call(service, **data)
    assert error.value.translation_domain == DOMAIN
    assert error.value.translation_key == key
    assert error.value.translation_placeholders == placeholders
    assert book.simulator.requests == []


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("add_contact", {"phone": ALICE, "groups": ["Family"]}),
        ("update_contact", {"phone": ALICE, "group": "Family"}),
    ],
)
async def test_birthday_in_the_future_is_refused(
    book: Book, service: str, data: dict[str, Any]
) -> None:
    """A birthday after today is refused, naming the date."""
    tomorrow = dt_util.now().date() + timedelta(days=1)
    with pytest.raises(ServiceValidationError) as error:
        await book.call(service, birthday=tomorrow.isoformat(), **data)
    assert error.value.translation_key == "birthday_in_future"
    assert error.value.translation_placeholders == {"birthday": tomorrow.isoformat()}
    assert book.simulator.requests == []


async def test_birthday_today_is_accepted(book: Book) -> None:
    """A contact born today is fine."""
    book.account.groups["Family"] = set()
    today = dt_util.now().date()
    await book.call("add_contact", phone=ALICE, groups=["Family"], birthday=today)
    assert book.account.contacts[ALICE].datea == today.strftime("%d%m%y")


# Account and gateway failures


async def test_refused_credentials_start_reauth(book: Book) -> None:
    """An authentication refusal raises and asks the user to sign in again."""
    book.account.api_key = "another-key"
    with pytest.raises(HomeAssistantError) as error:
        await book.call("add_group", group="Family")
    assert error.value.translation_key == "invalid_auth"
    await book.hass.async_block_till_done()
    (flow,) = book.hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == SOURCE_REAUTH
    assert flow["context"]["entry_id"] == book.entry.entry_id
    assert book.account.groups == {}


@pytest.mark.parametrize(
    "fault",
    [FaultKind.RESET, FaultKind.HTTP_503, FaultKind.HTML, FaultKind.EMPTY],
)
async def test_unreachable_gateway(
    book: Book,
    fault: FaultKind,
) -> None:
    """A gateway that cannot be reached or understood gives `cannot_connect`."""
    book.simulator.inject(fault)
    with pytest.raises(HomeAssistantError) as error:
        await book.call("delete_group", group="Family")
    assert error.value.translation_key == "cannot_connect"
    assert error.value.translation_placeholders is not None
    assert error.value.translation_placeholders["error"]


async def test_other_codes_have_their_own_message(book: Book) -> None:
    """A code the address book does not expect still gets its own message."""
    book.simulator.inject(FaultKind.TECHNICAL_ERROR)
    with pytest.raises(HomeAssistantError) as error:
        await book.call("add_group", group="Family")
    assert error.value.translation_key == "technical_error"
    assert str(error.value) == (
        "123-SMS.net had a technical error (code -2); try again later"
    )


async def test_unknown_entry(hass: HomeAssistant, book: Book) -> None:
    """An entry id that is not a 123-SMS entry is refused."""
    other = MockConfigEntry(domain="other_domain")
    other.add_to_hass(hass)
    for entry_id in ("no-such-entry", other.entry_id):
        with pytest.raises(ServiceValidationError) as error:
            await call_action(
                hass,
                "add_group",
                {"config_entry_id": entry_id, "group": "Family"},
                response=False,
            )
        assert error.value.translation_key == "entry_not_found"
        assert error.value.translation_placeholders == {"entry_id": entry_id}


async def test_entry_not_loaded(book: Book) -> None:
    """An unloaded entry is refused by title, and nothing is sent."""
    assert await book.hass.config_entries.async_unload(book.entry.entry_id)
    book.simulator.reset_logs()
    with pytest.raises(ServiceValidationError) as error:
        await book.call("add_group", group="Family")
    assert error.value.translation_key == "entry_not_loaded"
    assert error.value.translation_placeholders == {"entry_title": USERNAME}
    assert book.simulator.requests == []


async def test_actions_exist_without_any_entry(hass: HomeAssistant) -> None:
    """The actions are registered when the integration is set up, not per entry."""
    assert await async_setup_component(hass, DOMAIN, {})
    for service in (
        "add_group",
        "rename_group",
        "delete_group",
        "add_contact",
        "update_contact",
        "delete_contact",
    ):
        assert hass.services.has_service(DOMAIN, service)
