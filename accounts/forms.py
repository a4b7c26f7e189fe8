from django import forms


class SignInForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    # Not stripped and not length-checked here: the platform alone judges a password, and a
    # local rule would tell an attacker which part of the pair was wrong.
    password = forms.CharField(
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class PreferencesForm(forms.Form):
    """The signed-in user's own settings, kept by the console (the platform has none of these)."""

    time_zone = forms.CharField(
        max_length=64,
        required=False,
        label="Your time zone",
        help_text="An IANA time zone such as Asia/Kathmandu. Leave empty to use the workspace's.",
        widget=forms.TextInput(attrs={"list": "timezones", "autocomplete": "off"}),
    )

    def clean_time_zone(self) -> str:
        # Imported here: accounts.forms loads before the app registry (the sign-in form).
        from accounts.zones import zone_named

        value = self.cleaned_data["time_zone"].strip()
        if value and zone_named(value) is None:
            raise forms.ValidationError("Choose an IANA time zone from the list, such as UTC.")
        return value
