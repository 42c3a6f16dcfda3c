"""Who may call the actions: the address book is for administrators only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.core import Context
from homeassistant.exceptions import Unauthorized

from custom_components.sms123.const import (
    DOMAIN,
    SERVICE_ADD_CONTACT,
    SERVICE_ADD_GROUP,
    SERVICE_CANCEL_SCHEDULED_SMS,
    SERVICE_DELETE_CONTACT,
    SERVICE_DELETE_GROUP,
    SERVICE_RENAME_GROUP,
    SERVICE_SEND_SMS,
    SERVICE_UPDATE_CONTACT,
)
from tests.integration.conftest import ALICE_NUMBER

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

    from sms123_simulator import Simulator

ADDRESS_BOOK = {
    SERVICE_ADD_GROUP: {"group": "Family"},
    SERVICE_RENAME_GROUP: {"group": "Family", "new_name": "Home"},
    SERVICE_DELETE_GROUP: {"group": "Family"},
    SERVICE_ADD_CONTACT: {"phone": ALICE_NUMBER, "groups": ["Family"]},
    SERVICE_UPDATE_CONTACT: {"phone": ALICE_NUMBER, "group": "Family"},
    SERVICE_DELETE_CONTACT: {"phone": ALICE_NUMBER},
}


async def call_as(
    hass: HomeAssistant,
    user: MockUser,
    entry: MockConfigEntry,
    service: str,
    data: dict[str, Any],
) -> None:
    """Call an action of the integration as `user`, asking for its answer."""
    await hass.services.async_call(
        DOMAIN,
        service,
        {"config_entry_id": entry.entry_id, **data},
        blocking=True,
        return_response=True,
        context=Context(user_id=user.id),
    )


@pytest.mark.parametrize("service", sorted(ADDRESS_BOOK))
async def test_a_user_who_is_not_an_administrator_cannot_change_the_address_book(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    hass_read_only_user: MockUser,
    service: str,
) -> None:
    """The six address-book actions answer "unauthorized", before any request."""
    requests = len(simulator.requests)

    with pytest.raises(Unauthorized):
        await call_as(
            hass, hass_read_only_user, init_integration, service, ADDRESS_BOOK[service]
        )

    assert len(simulator.requests) == requests


async def test_an_administrator_can_change_the_address_book(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    hass_admin_user: MockUser,
) -> None:
    """The same action, by an administrator, reaches the gateway."""
    await call_as(
        hass, hass_admin_user, init_integration, SERVICE_ADD_GROUP, {"group": "Family"}
    )

    assert "Family" in next(iter(simulator.accounts.values())).groups


async def test_any_user_can_send_and_cancel(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    hass_read_only_user: MockUser,
) -> None:
    """Sending an alert and cancelling a scheduled one stay open to every user."""
    later = {
        "recipients": [ALICE_NUMBER],
        "message": "Later",
        "scheduled_at": "2030-01-01 10:00",
    }
    await call_as(
        hass,
        hass_read_only_user,
        init_integration,
        SERVICE_SEND_SMS,
        {"recipients": [ALICE_NUMBER], "message": "Now"},
    )
    await call_as(hass, hass_read_only_user, init_integration, SERVICE_SEND_SMS, later)
    await call_as(
        hass, hass_read_only_user, init_integration, SERVICE_CANCEL_SCHEDULED_SMS, later
    )

    assert [sent.message for sent in simulator.delivered] == ["Now"]
    assert simulator.scheduled == []
