"""Forms of the keys pages: they validate and normalise; the views decide what to send."""

import ipaddress
import re
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 100  # seeds/003: "Descriptive name (max 100 chars)"
MAX_DOMAINS = 50
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_SCHEME = re.compile(r"^https?://", re.IGNORECASE)


StrOrPromise = str | Promise


def _domain_error(message: StrOrPromise, raw: str) -> str:
    return str(message) % {"domain": raw.strip()}


STATUS_CHOICES = [("ACTIVE", _("Active")), ("INACTIVE", _("Inactive"))]

# The overlap windows a manager may pick when rotating: how long the old key keeps working.
WINDOWS: dict[str, tuple[StrOrPromise, timedelta]] = {
    "now": (_("Now (no overlap)"), timedelta(0)),
    "1h": (_("1 hour"), timedelta(hours=1)),
    "24h": (_("24 hours"), timedelta(hours=24)),
    "7d": (_("7 days"), timedelta(days=7)),
}
DEFAULT_WINDOW = "24h"


def normalise_domain(raw: str) -> str:
    """One allowed origin as the platform wants it: a lower-case host name, maybe `*.` first.

    A pasted origin (`https://shop.example.com/`) is reduced to its host; paths, ports, IP
    addresses and a wildcard over a whole top-level domain are refused with a message that says
    why.
    """
    value = raw.strip()
    value = _SCHEME.sub("", value).rstrip("/")
    if not value:
        raise ValidationError(_("An empty domain."))
    if "/" in value or "?" in value or "#" in value:
        raise ValidationError(
            _domain_error(_("“%(domain)s” has a path; give only the host name."), raw)
        )
    if ":" in value:
        raise ValidationError(
            _domain_error(_("“%(domain)s” has a port or is not a host name."), raw)
        )
    wildcard = value.startswith("*.")
    host = value[2:] if wildcard else value
    host = _to_ascii(host.rstrip("."), raw)
    if _is_ip_address(host):
        raise ValidationError(
            _domain_error(_("“%(domain)s” is an IP address; give a host name."), raw)
        )
    labels = host.split(".")
    if len(host) > 253 or not all(_LABEL.match(label) for label in labels):
        message = _("“%(domain)s” is not a valid host name.")
        raise ValidationError(_domain_error(message, raw))
    if wildcard and len(labels) < 2:
        raise ValidationError(
            _domain_error(_("“%(domain)s” would allow a whole top-level domain."), raw)
        )
    if len(labels) == 1 and host != "localhost":
        raise ValidationError(
            _domain_error(_("“%(domain)s” is not a full host name (like example.com)."), raw)
        )
    if labels[-1].isdigit():
        message = _("“%(domain)s” is not a valid host name.")
        raise ValidationError(_domain_error(message, raw))
    return f"*.{host}" if wildcard else host


def _to_ascii(host: str, raw: str) -> str:
    """Internationalised names in their ASCII (punycode) form, which browsers send as Origin."""
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise ValidationError(
            _domain_error(_("“%(domain)s” is not a valid host name."), raw)
        ) from None


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def split_domains(text: str) -> list[str]:
    """Domains as typed: one per line, or separated by commas or spaces."""
    return [part for part in re.split(r"[\s,]+", text) if part]


class DomainsField(forms.CharField):
    """A textarea of host names, cleaned to a de-duplicated list in the order given."""

    widget = forms.Textarea(
        attrs={
            "rows": 3,
            "spellcheck": "false",
            "autocapitalize": "none",
            "class": "font-monospace",
        }
    )

    def to_python(self, value: str | None) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        errors: list[ValidationError] = []
        domains: list[str] = []
        for part in split_domains(text):
            try:
                domain = normalise_domain(part)
            except ValidationError as error:
                errors.append(error)
                continue
            if domain not in domains:
                domains.append(domain)
        if errors:
            raise ValidationError(errors)
        if len(domains) > MAX_DOMAINS:
            raise ValidationError(_("At most %(most)d domains per key.") % {"most": MAX_DOMAINS})
        return domains

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise ValidationError(
                _("List at least one domain the widget runs on."), code="required"
            )

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value


class CreateKeyForm(forms.Form):
    name = forms.CharField(
        max_length=NAME_MAX_LENGTH,
        strip=True,
        label=_("Name"),
        help_text=_(
            "For you and your team, for example “Production website”. At most 100 characters."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    domains = DomainsField(
        label=_("Allowed domains"),
        help_text=_("One host name per line; *.example.com allows every subdomain."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, initial="ACTIVE")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if any(ord(char) < 32 for char in name):
            raise ValidationError(_("The name cannot contain control characters."))
        return name


class RotateKeyForm(forms.Form):
    window = forms.ChoiceField(
        label=_("Keep the old key working for"),
        choices=[
            (value, format_lazy(_("{} (recommended)"), label) if value == DEFAULT_WINDOW else label)
            for value, (label, _delta) in WINDOWS.items()
        ],
        initial=DEFAULT_WINDOW,
        widget=forms.RadioSelect,
        help_text=_(
            "“Now” revokes the old key as soon as the new one exists: widgets using the "
            "old key stop at once."
        ),
    )

    def window_delta(self) -> timedelta:
        return WINDOWS[self.cleaned_data["window"]][1]


# The platform names fields in camelCase; our forms use the same names, so a platform 400 on
# `name` or `domains` lands on the matching form field.
PLATFORM_FIELDS = {"name": "name", "domains": "domains", "status": "status"}
