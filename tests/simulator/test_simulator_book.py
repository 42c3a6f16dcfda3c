"""The simulator's groups and contacts endpoints."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from sms123_simulator import Contact

if TYPE_CHECKING:
    from simulator_client import BodyFormat, Gateway, Spelling

    from sms123_simulator import Account, Simulator

GROUP_ADD = "/api/group/add/"
GROUP_UPD = "/api/group/upd/"
GROUP_DEL = "/api/group/del/"
CONTACT_ADD = "/api/contact/add/"
CONTACT_UPD = "/api/contact/upd/"
CONTACT_DEL = "/api/contact/del/"
ENDPOINTS = [GROUP_ADD, GROUP_UPD, GROUP_DEL, CONTACT_ADD, CONTACT_UPD, CONTACT_DEL]
MOBILE = "33601020304"
OTHER = "0612345678"


@pytest.fixture
def account(simulator: Simulator) -> Account:
    """Give the demo account, with groups `Famille` (one contact) and `Voisins`."""
    account = next(iter(simulator.accounts.values()))
    account.groups = {"Famille": {MOBILE}, "Voisins": set()}
    account.contacts = {MOBILE: Contact(prenom="Alice")}
    return account


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "501"),
        ({"user": "", "cleAPI": "x"}, "501"),
        ({"email": "demo@example.com"}, "502"),
        ({"email": "demo@example.com", "pass": "nope"}, "505"),
    ],
)
async def test_book_credentials_refusals(
    gateway: Gateway, path: str, params: dict[str, str], expected: str
) -> None:
    reply = await gateway.raw(
        path,
        body=json.dumps(params | {"groupe": "Famille"}).encode(),
        content_type="application/json",
    )

    assert reply.text == expected


@pytest.mark.parametrize("path", ENDPOINTS)
async def test_book_refuses_an_address_outside_the_allowed_list(
    gateway: Gateway, simulator: Simulator, path: str
) -> None:
    simulator.accounts[gateway.username].allowed_ips = frozenset({"192.0.2.10"})

    assert await gateway.call(path, {"groupe": "Famille"}) == "505"


async def test_group_is_added(
    gateway: Gateway, account: Account, body_format: BodyFormat, spelling: Spelling
) -> None:
    code = await gateway.call(
        GROUP_ADD, {"groupe": "Amis"}, body_format=body_format, spelling=spelling
    )

    assert code == "514"
    assert account.groups["Amis"] == set()


async def test_group_is_renamed_with_its_contacts(
    gateway: Gateway, account: Account
) -> None:
    code = await gateway.call(GROUP_UPD, {"groupe": "Famille", "groupe_upd": "Tribu"})

    assert code == "514"
    assert account.groups == {"Tribu": {MOBILE}, "Voisins": set()}


async def test_empty_group_is_deleted(gateway: Gateway, account: Account) -> None:
    assert await gateway.call(GROUP_DEL, {"groupe": "Voisins"}) == "516"
    assert account.groups == {"Famille": {MOBILE}}


async def test_contact_is_added_to_several_groups(
    gateway: Gateway, account: Account, body_format: BodyFormat
) -> None:
    params = {
        "groupe": "Famille--Voisins",
        "numero": OTHER,
        "nom": "Martin",
        "prenom": "Léa",
        "societe": "ACME",
        "datea": "120268",
        "v1": "A",
        "v2": "B",
        "v3": "C",
    }

    code = await gateway.call(CONTACT_ADD, params, body_format=body_format)

    assert code == "507"
    assert account.groups == {"Famille": {MOBILE, OTHER}, "Voisins": {OTHER}}
    assert account.contacts[OTHER] == Contact(
        nom="Martin",
        prenom="Léa",
        societe="ACME",
        datea="120268",
        v1="A",
        v2="B",
        v3="C",
    )


async def test_existing_contact_joins_another_group(
    gateway: Gateway, account: Account
) -> None:
    code = await gateway.call(CONTACT_ADD, {"groupe": "Voisins", "numero": MOBILE})

    assert code == "507"
    assert account.groups["Voisins"] == {MOBILE}
    assert account.contacts[MOBILE].prenom == "Alice"


async def test_contact_is_updated_with_a_new_number(
    gateway: Gateway, account: Account
) -> None:
    params = {"groupe": "Famille", "numeroa": MOBILE, "numero": OTHER, "nom": "Durand"}

    code = await gateway.call(CONTACT_UPD, params)

    assert code == "507"
    assert account.groups["Famille"] == {OTHER}
    assert account.contacts == {OTHER: Contact(nom="Durand", prenom="Alice")}


async def test_contact_in_two_groups_keeps_its_number_in_the_other(
    gateway: Gateway, account: Account
) -> None:
    account.groups["Voisins"].add(MOBILE)
    params = {"groupe": "Famille", "numeroa": MOBILE, "numero": OTHER}

    assert await gateway.call(CONTACT_UPD, params) == "507"
    assert account.groups == {"Famille": {OTHER}, "Voisins": {MOBILE}}
    assert set(account.contacts) == {MOBILE, OTHER}


async def test_contact_is_deleted_from_one_group(
    gateway: Gateway, account: Account
) -> None:
    account.groups["Voisins"].add(MOBILE)

    assert await gateway.call(CONTACT_DEL, {"numero": MOBILE, "groupe": "Famille"}) == (
        "509"
    )
    assert account.groups == {"Famille": set(), "Voisins": {MOBILE}}
    assert list(account.contacts) == [MOBILE]


@pytest.mark.parametrize("group", [{}, {"groupe": ""}])
async def test_contact_is_deleted_from_every_group(
    gateway: Gateway, account: Account, group: dict[str, str]
) -> None:
    account.groups["Voisins"].add(MOBILE)

    assert await gateway.call(CONTACT_DEL, {"numero": MOBILE} | group) == "509"
    assert account.groups == {"Famille": set(), "Voisins": set()}
    assert account.contacts == {}


@pytest.mark.parametrize(
    ("path", "params", "expected"),
    [
        (GROUP_ADD, {"groupe": "Famille"}, "513"),
        (GROUP_ADD, {"groupe": ""}, "-1"),
        (GROUP_UPD, {"groupe": "Famille", "groupe_upd": "Voisins"}, "513"),
        (GROUP_UPD, {"groupe": "Amis", "groupe_upd": "Copains"}, "517"),
        (GROUP_UPD, {"groupe": "Famille"}, "-1"),
        (GROUP_UPD, {"groupe_upd": "Famille"}, "-1"),
        (GROUP_DEL, {"groupe": "Famille"}, "515"),
        (GROUP_DEL, {"groupe": "famille"}, "517"),
        (GROUP_DEL, {}, "-1"),
        (CONTACT_ADD, {"groupe": "Famille", "numero": MOBILE}, "506"),
        (CONTACT_ADD, {"groupe": "Voisins--Famille", "numero": MOBILE}, "506"),
        (CONTACT_ADD, {"groupe": "Amis", "numero": OTHER}, "517"),
        (CONTACT_ADD, {"groupe": "Voisins--Amis", "numero": OTHER}, "517"),
        (CONTACT_ADD, {"groupe": "", "numero": OTHER}, "-1"),
        (CONTACT_ADD, {"groupe": "Voisins--", "numero": OTHER}, "-1"),
        (CONTACT_ADD, {"numero": OTHER}, "-1"),
        (CONTACT_ADD, {"groupe": "Voisins"}, "-1"),
        (CONTACT_ADD, {"groupe": "Voisins", "numero": "06 12 34 56 78"}, "-1"),
        (CONTACT_ADD, {"groupe": "Voisins", "numero": OTHER, "datea": "310268"}, "-1"),
        (
            CONTACT_ADD,
            {"groupe": "Voisins", "numero": OTHER, "datea": "12021968"},
            "-1",
        ),
        (CONTACT_UPD, {"groupe": "Famille", "numeroa": OTHER, "numero": MOBILE}, "508"),
        (CONTACT_UPD, {"groupe": "Voisins", "numeroa": MOBILE, "numero": OTHER}, "510"),
        (CONTACT_UPD, {"groupe": "Amis", "numeroa": MOBILE, "numero": OTHER}, "510"),
        (CONTACT_UPD, {"numeroa": MOBILE, "numero": OTHER}, "-1"),
        (CONTACT_UPD, {"groupe": "Famille", "numero": OTHER}, "-1"),
        (CONTACT_UPD, {"groupe": "Famille", "numeroa": MOBILE}, "-1"),
        (
            CONTACT_UPD,
            {"groupe": "Famille", "numeroa": MOBILE, "numero": "+33612"},
            "-1",
        ),
        (
            CONTACT_UPD,
            {"groupe": "Famille", "numeroa": MOBILE, "numero": OTHER, "datea": "1202"},
            "-1",
        ),
        (CONTACT_DEL, {"numero": OTHER}, "508"),
        (CONTACT_DEL, {"numero": MOBILE, "groupe": "Voisins"}, "510"),
        (CONTACT_DEL, {"numero": MOBILE, "groupe": "Amis"}, "510"),
        (CONTACT_DEL, {"groupe": "Famille"}, "-1"),
    ],
)
async def test_book_refusals_change_nothing(
    gateway: Gateway,
    account: Account,
    path: str,
    params: dict[str, str],
    expected: str,
) -> None:
    assert await gateway.call(path, params) == expected
    assert account.groups == {"Famille": {MOBILE}, "Voisins": set()}
    assert account.contacts == {MOBILE: Contact(prenom="Alice")}


async def test_group_with_contacts_can_be_deleted_once_emptied(
    gateway: Gateway, account: Account
) -> None:
    assert await gateway.call(GROUP_DEL, {"groupe": "Famille"}) == "515"
    assert await gateway.call(CONTACT_DEL, {"numero": MOBILE}) == "509"
    assert await gateway.call(GROUP_DEL, {"groupe": "Famille"}) == "516"
    assert account.groups == {"Voisins": set()}
