"""Config flow for 123-SMS: account, reauth, reconfigure, options and recipients."""

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, override

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentry,
    ConfigSubentryFlow,
    OptionsFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_API_KEY, CONF_NAME, CONF_URL, CONF_USERNAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.data_entry_flow import section
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from yarl import URL

from .api import (
    DataFormat,
    InvalidPhoneNumberError,
    Sms123AuthenticationError,
    Sms123Client,
    Sms123Error,
    normalize_phone_number,
)
from .const import (
    CONF_DATA_FORMAT,
    CONF_NUMBERS,
    DEFAULT_DATA_FORMAT,
    DEFAULT_URL,
    DOMAIN,
    LOGGER,
    SECTION_ADVANCED,
    SUBENTRY_TYPE_RECIPIENT,
)
from .coordinator import Sms123ConfigEntry
from .options import OPTIONS_SCHEMA, options_from_form
from .schema import vol

USERNAME_SELECTOR = TextSelector(
    TextSelectorConfig(type=TextSelectorType.TEXT, autocomplete="username")
)
API_KEY_SELECTOR = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="current-password")
)

_USERNAME_FIELD = vol.Required(CONF_USERNAME)
_ADVANCED_SECTION: dict[vol.Marker, section] = {
    vol.Required(SECTION_ADVANCED): section(
        vol.Schema(
            {
                vol.Required(CONF_URL, default=DEFAULT_URL): TextSelector(
                    TextSelectorConfig(type=TextSelectorType.URL)
                ),
                vol.Required(
                    CONF_DATA_FORMAT, default=DEFAULT_DATA_FORMAT.value
                ): SelectSelector(
                    SelectSelectorConfig(
                        options=[fmt.value for fmt in DataFormat],
                        mode=SelectSelectorMode.DROPDOWN,
                        translation_key=CONF_DATA_FORMAT,
                    )
                ),
            }
        ),
        {"collapsed": True},
    ),
}

USER_SCHEMA = vol.Schema(
    {
        _USERNAME_FIELD: USERNAME_SELECTOR,
        vol.Required(CONF_API_KEY): API_KEY_SELECTOR,
        **_ADVANCED_SECTION,
    }
)
# An empty API key keeps the current one.
RECONFIGURE_SCHEMA = vol.Schema(
    {
        _USERNAME_FIELD: USERNAME_SELECTOR,
        vol.Optional(CONF_API_KEY): API_KEY_SELECTOR,
        **_ADVANCED_SECTION,
    }
)
REAUTH_SCHEMA = vol.Schema(
    {
        _USERNAME_FIELD: USERNAME_SELECTOR,
        vol.Required(CONF_API_KEY): API_KEY_SELECTOR,
    }
)
RECIPIENT_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_NAME): TextSelector(),
        vol.Required(CONF_NUMBERS): TextSelector(
            TextSelectorConfig(type=TextSelectorType.TEL, multiple=True)
        ),
    }
)


@dataclass(frozen=True, slots=True)
class RecipientCheck:
    """A recipient form normalised, with the errors and placeholders it shows."""

    data: dict[str, Any]
    errors: dict[str, str]
    placeholders: dict[str, str]


def _own_sections(schema: vol.Schema) -> vol.Schema:
    """Return the schema with a copy of each section in it."""
    # Home Assistant 2025.4 writes the suggested values into the section itself:
    # without a copy they would stay in the shared schema for the next form.
    return vol.Schema(
        {
            key: copy.copy(value) if isinstance(value, section) else value
            for key, value in schema.schema.items()
        }
    )


def _entry_data(
    user_input: Mapping[str, Any], current_api_key: str = ""
) -> dict[str, Any]:
    """Turn the account form into the flat entry data."""
    advanced = user_input.get(SECTION_ADVANCED, {})
    return {
        CONF_USERNAME: user_input[CONF_USERNAME].strip(),
        CONF_API_KEY: user_input.get(CONF_API_KEY, "").strip() or current_api_key,
        CONF_URL: advanced.get(CONF_URL, DEFAULT_URL).strip().rstrip("/"),
        CONF_DATA_FORMAT: advanced.get(CONF_DATA_FORMAT, DEFAULT_DATA_FORMAT.value),
    }


def _form_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """Turn flat entry data back into form values, leaving the API key out."""
    return {
        CONF_USERNAME: data[CONF_USERNAME],
        SECTION_ADVANCED: {
            CONF_URL: data[CONF_URL],
            CONF_DATA_FORMAT: data[CONF_DATA_FORMAT],
        },
    }


def _is_web_url(url: str) -> bool:
    """Tell whether the text is an absolute http(s) URL with a host."""
    try:
        parsed = URL(url)
    except ValueError:
        return False
    return parsed.scheme in {"http", "https"} and bool(parsed.host)


async def _async_check_account(
    hass: HomeAssistant, data: Mapping[str, Any]
) -> dict[str, str]:
    """Read the balance with these settings (no SMS spent); return the form errors."""
    if not _is_web_url(data[CONF_URL]):
        return {"base": "invalid_url"}
    client = Sms123Client(
        data[CONF_USERNAME],
        data[CONF_API_KEY],
        session=async_get_clientsession(hass),
        base_url=data[CONF_URL],
        data_format=DataFormat(data[CONF_DATA_FORMAT]),
    )
    try:
        await client.get_balance()
    except Sms123AuthenticationError:
        return {"base": "invalid_auth"}
    except Sms123Error as error:
        LOGGER.debug("Could not check the 123-SMS account: %s", error)
        return {"base": "cannot_connect"}
    except Exception:  # noqa: BLE001 - a surprise must end in a form error, not a crash
        LOGGER.exception("Unexpected error while checking the 123-SMS account")
        return {"base": "unknown"}
    return {}


class Sms123ConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up a 123-SMS account."""

    VERSION = 1

    @staticmethod
    @callback
    @override
    def async_get_options_flow(config_entry: Sms123ConfigEntry) -> OptionsFlow:
        """Return the options flow of an account."""
        return Sms123OptionsFlow()

    @classmethod
    @callback
    @override
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Return the subentry types an account supports."""
        return {SUBENTRY_TYPE_RECIPIENT: RecipientSubentryFlow}

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the account and check it with a balance call."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data = _entry_data(user_input)
            await self.async_set_unique_id(data[CONF_USERNAME].casefold())
            self._abort_if_unique_id_configured()
            errors = await _async_check_account(self.hass, data)
            if not errors:
                return self.async_create_entry(title=data[CONF_USERNAME], data=data)
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(
                _own_sections(USER_SCHEMA), user_input
            ),
            description_placeholders={"default_url": DEFAULT_URL},
            errors=errors,
        )

    async def async_step_reauth(
        self,
        entry_data: Mapping[str, Any],  # noqa: ARG002 - the entry already holds it
    ) -> ConfigFlowResult:
        """Start reauthentication after the gateway refused the credentials."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a new API key of the same account."""
        errors: dict[str, str] = {}
        entry = self._get_reauth_entry()
        if user_input is not None:
            data = {
                **entry.data,
                CONF_USERNAME: user_input[CONF_USERNAME].strip(),
                CONF_API_KEY: user_input[CONF_API_KEY].strip(),
            }
            if not (errors := await self._async_check_same_account(data)):
                return self.async_update_reload_and_abort(entry, data=data)
        suggested = {CONF_USERNAME: entry.data[CONF_USERNAME]}
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=self.add_suggested_values_to_schema(REAUTH_SCHEMA, suggested),
            description_placeholders={"account": entry.title},
            errors=errors,
        )

    async def _async_check_same_account(
        self, data: Mapping[str, Any]
    ) -> dict[str, str]:
        """Abort if the form names another account, else check it; return errors."""
        await self.async_set_unique_id(data[CONF_USERNAME].casefold())
        self._abort_if_unique_id_mismatch(reason="account_mismatch")
        return await _async_check_account(self.hass, data)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change any setting of the account; an empty API key keeps the current one."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = _entry_data(user_input, entry.data[CONF_API_KEY])
            errors = await self._async_check_same_account(data)
            if not errors:
                return self.async_update_reload_and_abort(
                    entry, title=data[CONF_USERNAME], data=data
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                _own_sections(RECONFIGURE_SCHEMA),
                _form_values(entry.data) if user_input is None else user_input,
            ),
            description_placeholders={
                "account": entry.title,
                "default_url": DEFAULT_URL,
            },
            errors=errors,
        )


class Sms123OptionsFlow(OptionsFlow):
    """Change how an account sends and polls."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show and check the options."""
        errors: dict[str, str] = {}
        if user_input is not None:
            options, errors = options_from_form(user_input)
            if not errors:
                return self.async_create_entry(data=options)
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                OPTIONS_SCHEMA,
                self.config_entry.options if user_input is None else user_input,
            ),
            errors=errors,
        )


class RecipientSubentryFlow(ConfigSubentryFlow):
    """Add or edit a recipient: a name and the phone numbers it sends to."""

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add a recipient."""
        return self._recipient_step("user", user_input, None)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Edit a recipient."""
        return self._recipient_step(
            "reconfigure", user_input, self._get_reconfigure_subentry()
        )

    def _recipient_step(
        self,
        step_id: str,
        user_input: dict[str, Any] | None,
        subentry: ConfigSubentry | None,
    ) -> SubentryFlowResult:
        """Show the recipient form, or save it once it is valid."""
        check = RecipientCheck(data={}, errors={}, placeholders={})
        if user_input is not None:
            others = self._other_recipients(subentry.subentry_id if subentry else None)
            check = _check_recipient(user_input, others)
            title = check.data[CONF_NAME]
            if not check.errors and subentry is None:
                return self.async_create_entry(title=title, data=check.data)
            if not check.errors and subentry is not None:
                return self.async_update_and_abort(
                    self._get_entry(), subentry, title=title, data=check.data
                )
        shown = subentry.data if user_input is None and subentry else user_input
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(RECIPIENT_SCHEMA, shown),
            errors=check.errors,
            description_placeholders=check.placeholders,
        )

    def _other_recipients(self, subentry_id: str | None) -> list[ConfigSubentry]:
        """Return the recipients of the account other than the one being edited."""
        return [
            subentry
            for subentry in self._get_entry().subentries.values()
            if subentry.subentry_type == SUBENTRY_TYPE_RECIPIENT
            and subentry.subentry_id != subentry_id
        ]


def _check_recipient(
    user_input: Mapping[str, Any], others: Iterable[ConfigSubentry]
) -> RecipientCheck:
    """Validate and normalise a recipient form."""
    errors: dict[str, str] = {}
    placeholders: dict[str, str] = {}
    name = user_input[CONF_NAME].strip()
    if not name:
        errors[CONF_NAME] = "name_empty"
    elif name.casefold() in {other.title.casefold() for other in others}:
        errors[CONF_NAME] = "name_in_use"
    numbers: list[str] = []
    for raw in user_input[CONF_NUMBERS]:
        if not raw.strip():
            continue
        try:
            number = normalize_phone_number(raw)
        except InvalidPhoneNumberError as error:
            errors[CONF_NUMBERS] = f"number_{error.reason}"
            placeholders["number"] = raw
            break
        if number in numbers:
            errors[CONF_NUMBERS] = "number_duplicate"
            placeholders["number"] = raw
            break
        numbers.append(number)
    else:
        if not numbers:
            errors[CONF_NUMBERS] = "numbers_empty"
    return RecipientCheck(
        {CONF_NAME: name, CONF_NUMBERS: numbers}, errors, placeholders
    )
