"""Config entries of the demo account served by the simulator, for tests and bench."""

from collections.abc import Sequence
from typing import Any

from homeassistant.const import CONF_API_KEY, CONF_URL, CONF_USERNAME
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms123.const import CONF_DATA_FORMAT, DOMAIN
from sms123_simulator import Simulator
from tests.conftest import API_KEY, USERNAME


def account_entry(  # noqa: PLR0913 - each argument is one part of an entry
    simulator: Simulator,
    *,
    username: str = USERNAME,
    api_key: str = API_KEY,
    data_format: str = "json",
    options: dict[str, Any] | None = None,
    subentries_data: Sequence[dict[str, Any]] = (),
) -> MockConfigEntry:
    """Return a config entry for an account of the simulator."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=username,
        unique_id=username.casefold(),
        data={
            CONF_USERNAME: username,
            CONF_API_KEY: api_key,
            CONF_URL: simulator.url,
            CONF_DATA_FORMAT: data_format,
        },
        options=options or {},
        subentries_data=list(subentries_data),
    )
