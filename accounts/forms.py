from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    # Not stripped and not length-checked here: the platform alone judges a password, and a
    # local rule would tell an attacker which part of the pair was wrong.
    password = forms.CharField(
        label=_("Password"),
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class PreferencesForm(forms.Form):
    """The signed-in user's own settings, kept by the console (the platform has none of these)."""

    language = forms.ChoiceField(
        required=False,
        label=_("Your language"),
        help_text=_("The console's language for you. Leave it to use the workspace's."),
    )
    time_zone = forms.CharField(
        max_length=64,
        required=False,
        label=_("Your time zone"),
        help_text=_(
            "An IANA time zone such as Asia/Kathmandu. Leave empty to use the workspace's."
        ),
        widget=forms.TextInput(attrs={"list": "timezones", "autocomplete": "off"}),
    )

    def clean_time_zone(self) -> str:
        # Imported here: accounts.forms loads before the app registry (the sign-in form).
        from accounts.zones import zone_named

        value = self.cleaned_data["time_zone"].strip()
        if value and zone_named(value) is None:
            raise forms.ValidationError(_("Choose an IANA time zone from the list, such as UTC."))
        return value

    def __init__(self, *args, workspace_language: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Each language in its own name, so that anyone can find theirs whatever the page is in.
        names = dict(settings.LANGUAGES)
        default = names.get(workspace_language, names[settings.LANGUAGE_CODE])
        self.fields["language"].choices = [
            ("", _("The workspace's (%(language)s)") % {"language": default}),
            *settings.LANGUAGES,
        ]
