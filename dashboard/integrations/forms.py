"""The integrations forms. Secret fields are write-only: rendered empty every time, and left
blank they keep what is stored."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboard.integrations.channels import is_allowed_uchat_url
from dashboard.integrations.connections import (
    API_KEY,
    AUTH_MODES,
    LOGIN,
    TOKEN,
    is_allowed_connectiveone_url,
    is_allowed_naxon_url,
)
from dashboard.integrations.models import Integration

SECRET_WIDGET = forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})
KEEP_HINT = _("Leave blank to keep the one stored.")


class SenderForm(forms.Form):
    """The Connextlive agent that broadcasts are sent as."""

    email = forms.EmailField(max_length=254, label=_("Agent email"))
    password = forms.CharField(
        max_length=200, required=False, strip=False, widget=SECRET_WIDGET, label=_("Password")
    )

    def __init__(self, *args: Any, integration: Integration | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.integration = integration
        if integration and integration.has_secret("password"):
            self.fields["password"].help_text = KEEP_HINT

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        stored = self.integration is not None and self.integration.has_secret("password")
        if not data.get("password") and not stored:
            self.add_error("password", _("The agent's password is required."))
        return data


class ConnectiveOneForm(forms.Form):
    base_url = forms.URLField(
        max_length=300,
        label=_("Instance URL"),
        help_text="https://engine-<instance>.connectiveone.io",
        assume_scheme="https",
    )
    auth_mode = forms.ChoiceField(choices=AUTH_MODES, label=_("Authenticate with"))
    api_key = forms.CharField(
        max_length=300, required=False, strip=True, widget=SECRET_WIDGET, label=_("API key")
    )
    email = forms.EmailField(max_length=254, required=False, label=_("Operator email"))
    password = forms.CharField(
        max_length=200,
        required=False,
        strip=False,
        widget=SECRET_WIDGET,
        label=_("Operator password"),
    )
    token = forms.CharField(
        max_length=300, required=False, strip=True, widget=SECRET_WIDGET, label=_("External token")
    )
    rate_limit = forms.FloatField(
        required=False,
        min_value=0.1,
        max_value=1000,
        label=_("Requests per second"),
        help_text=_("The most the console sends to this instance, all workers together."),
    )

    def __init__(self, *args: Any, integration: Integration | None = None, **kwargs: Any):
        # Ids of its own: the sender's card on the same page has an email and a password too.
        kwargs.setdefault("auto_id", "id_connectiveone_%s")
        super().__init__(*args, **kwargs)
        self.integration = integration
        for name in ("api_key", "password", "token"):
            if integration and integration.has_secret(name):
                self.fields[name].help_text = KEEP_HINT

    def clean_base_url(self) -> str:
        url = self.cleaned_data["base_url"].rstrip("/")
        if not is_allowed_connectiveone_url(url):
            raise forms.ValidationError(
                _("Use your instance's address, https://engine-<instance>.connectiveone.io.")
            )
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        mode = data.get("auth_mode")
        needed = {API_KEY: "api_key", LOGIN: "password", TOKEN: "token"}.get(mode or "")
        stored = self.integration is not None and needed and self.integration.has_secret(needed)
        if needed and not data.get(needed) and not stored:
            self.add_error(needed, _("Required for this way of authenticating."))
        if mode == LOGIN and not data.get("email"):
            self.add_error("email", _("Required for an operator login."))
        return data


class NaxonForm(forms.Form):
    """The Naxon AI account whose bots' conversations the console reads (seeds/001)."""

    base_url = forms.URLField(
        max_length=300,
        label=_("API base URL"),
        help_text=_("The address the Naxon API's paths (/models, /conversations) are below."),
        assume_scheme="https",
    )
    api_token = forms.CharField(
        max_length=300, required=False, strip=True, widget=SECRET_WIDGET, label=_("API token")
    )

    def __init__(self, *args: Any, integration: Integration | None = None, **kwargs: Any):
        kwargs.setdefault("auto_id", "id_naxon_%s")  # ConnectiveOne's card has a base_url too
        super().__init__(*args, **kwargs)
        self.integration = integration
        if integration and integration.has_secret("api_token"):
            self.fields["api_token"].help_text = KEEP_HINT

    def clean_base_url(self) -> str:
        url = self.cleaned_data["base_url"].rstrip("/")
        if not is_allowed_naxon_url(url):
            raise forms.ValidationError(
                _("This address is not an allowed Naxon host (NAXON_ALLOWED_HOSTS names them).")
            )
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        stored = self.integration is not None and self.integration.has_secret("api_token")
        if not data.get("api_token") and not stored:
            self.add_error("api_token", _("The API token is required."))
        return data


class UChatForm(forms.Form):
    """konversation Connect (a white label of UChat): the partner's API address and a bot's
    token (the token names the workspace and the bot)."""

    base_url = forms.URLField(
        max_length=300,
        label=_("Partner API URL"),
        help_text="https://<partner domain>/api",
        assume_scheme="https",
    )
    bot_token = forms.CharField(
        max_length=300, required=False, strip=True, widget=SECRET_WIDGET, label=_("Bot token")
    )
    rate_limit = forms.FloatField(
        required=False,
        min_value=0.1,
        max_value=1000,
        label=_("Requests per second"),
        help_text=_("The most the console sends to this bot, all workers together."),
    )

    def __init__(self, *args: Any, integration: Integration | None = None, **kwargs: Any):
        kwargs.setdefault("auto_id", "id_uchat_%s")  # ids of its own on the shared page
        super().__init__(*args, **kwargs)
        self.integration = integration
        if integration and integration.has_secret("bot_token"):
            self.fields["bot_token"].help_text = KEEP_HINT

    def clean_base_url(self) -> str:
        url = self.cleaned_data["base_url"].rstrip("/")
        if not is_allowed_uchat_url(url):
            raise forms.ValidationError(_("Use your partner's API address, https://<domain>/api."))
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        stored = self.integration is not None and self.integration.has_secret("bot_token")
        if not data.get("bot_token") and not stored:
            self.add_error("bot_token", _("The bot's token is required."))
        return data


class LivePersonForm(forms.Form):
    """A LivePerson connector app: the account and the app's client credentials."""

    account_id = forms.RegexField(
        regex=r"^[0-9A-Za-z_-]{1,64}$",
        max_length=64,
        label=_("Account id"),
        help_text=_("Your LivePerson account (brand) id, e.g. 90233546."),
    )
    client_id = forms.CharField(max_length=200, label=_("Client id"))
    client_secret = forms.CharField(
        max_length=300, required=False, strip=True, widget=SECRET_WIDGET, label=_("Client secret")
    )
    rate_limit = forms.FloatField(
        required=False,
        min_value=0.1,
        max_value=1000,
        label=_("Requests per second"),
        help_text=_("The most the console sends to LivePerson, all workers together."),
    )

    def __init__(self, *args: Any, integration: Integration | None = None, **kwargs: Any):
        kwargs.setdefault("auto_id", "id_liveperson_%s")
        super().__init__(*args, **kwargs)
        self.integration = integration
        if integration and integration.has_secret("client_secret"):
            self.fields["client_secret"].help_text = KEEP_HINT

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        stored = self.integration is not None and self.integration.has_secret("client_secret")
        if not data.get("client_secret") and not stored:
            self.add_error("client_secret", _("The app's client secret is required."))
        return data
