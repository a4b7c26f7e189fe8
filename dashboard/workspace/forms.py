"""The workspace form: the documented fields, plus one field per key of the `settings` object the
workspace actually has, typed after its JSON value (booleans as switches, numbers and strings as
inputs, nested objects as fieldsets). Anything else (lists, odd keys, deep nesting) is shown
read-only and never sent."""

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from accounts.zones import iana_timezones
from dashboard.workspace.snapshot import (
    TOP_LEVEL_KEYS,
    Path,
    Snapshot,
    differences,
    dotted,
    walk,
)

LANGUAGES = [("en", "English"), ("tr", "Türkçe"), ("de", "Deutsch"), ("es", "Español")]
NAME_MAX = 100
COMPANY_NAME_MAX = 200
SETTING_TEXT_MAX = 500  # the platform's limit for its widget texts
MAX_DEPTH = 4  # settings.a.b.c: deeper objects are shown read-only
# Keys are the platform's (untrusted); only plain ones become form field names.
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
# Form field name of each top-level platform key.
FIELD_OF_KEY = {
    "name": "name",
    "companyName": "company_name",
    "contactEmail": "contact_email",
    "language": "language",
    "timezone": "timezone",
}
KEY_OF_FIELD = {field_name: key for key, field_name in FIELD_OF_KEY.items()}


@dataclass
class SettingsGroup:
    """A fieldset of the settings object, for the template to render recursively."""

    label: str
    items: list["SettingsGroup | SettingField | ReadOnlySetting"] = field(default_factory=list)
    kind: str = "group"


@dataclass(frozen=True)
class SettingField:
    field: BoundField
    kind: str = "field"


@dataclass(frozen=True)
class ReadOnlySetting:
    """A value shown but not editable here (a list, an odd key, deep nesting)."""

    label: str
    value: Any
    kind: str = "readonly"

    @property
    def display(self) -> str:
        return json.dumps(self.value, ensure_ascii=False)


class WorkspaceForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX, label=_("Workspace name"))
    company_name = forms.CharField(
        max_length=COMPANY_NAME_MAX, required=False, label=_("Company name")
    )
    contact_email = forms.EmailField(max_length=254, required=False, label=_("Contact email"))
    language = forms.ChoiceField(choices=LANGUAGES, label=_("Language"))
    timezone = forms.CharField(
        max_length=64,
        label=_("Time zone"),
        help_text=_("An IANA time zone, such as Europe/Berlin; start typing to search."),
        widget=forms.TextInput(attrs={"list": "timezones", "autocomplete": "off"}),
    )
    snapshot = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, snapshot: Snapshot, signed_snapshot: str, **kwargs: Any):
        kwargs.setdefault("initial", initial_values(snapshot))
        super().__init__(*args, **kwargs)
        self.snapshot = snapshot
        self.fields["snapshot"].initial = signed_snapshot
        self.setting_paths: dict[str, Path] = {}
        self.settings_tree = self._add_settings_fields(snapshot.settings, ("settings",))

    # --- validation ---------------------------------------------------------------------------

    def clean_timezone(self) -> str:
        value = self.cleaned_data["timezone"].strip()
        if value not in iana_timezones():
            raise forms.ValidationError(_("Choose an IANA time zone from the list, such as UTC."))
        return value

    # --- what to send -------------------------------------------------------------------------

    def submitted_values(self) -> dict[Path, Any]:
        """Every editable leaf as typed, by path (only after is_valid())."""
        values: dict[Path, Any] = {
            (KEY_OF_FIELD[name],): self.cleaned_data[name] for name in KEY_OF_FIELD
        }
        for name, path in self.setting_paths.items():
            value = self.cleaned_data[name]
            before = _leaf(self.snapshot.settings, path[1:])
            if before is None and value == "":
                value = None  # a null setting left blank stays null rather than becoming ""
            elif isinstance(self.fields[name], ColourField) and _same_colour(before, value):
                value = before  # colour pickers answer in lower case: not a change
            values[path] = value
        return values

    def changed_values(self) -> dict[Path, tuple[Any, Any]]:
        """{path: (as loaded, as submitted)} for what the manager changed; nothing else is sent."""
        loaded = self.snapshot.leaves()
        submitted = self.submitted_values()
        return differences({path: loaded.get(path) for path in submitted}, submitted)

    def add_platform_error(self, platform_key: str, message: str) -> None:
        """A platform field error on the field it names. Errors of `settings` name the setting at
        the start of the message ("settings.widget.position: expected ...")."""
        if platform_key in FIELD_OF_KEY:
            self.add_error(FIELD_OF_KEY[platform_key], message)
            return
        path, separator, detail = message.partition(": ")
        if separator and path in self.setting_paths:
            self.add_error(path, detail[:1].upper() + detail[1:])
            return
        self.add_error(None, f"{platform_key}: {message}")

    def top_level_fields(self) -> list[BoundField]:
        return [self[FIELD_OF_KEY[key]] for key in TOP_LEVEL_KEYS]

    # --- settings fields ----------------------------------------------------------------------

    def _add_settings_fields(self, mapping: dict[str, Any], prefix: Path) -> SettingsGroup:
        group = SettingsGroup(label=humanize(prefix[-1]))
        for key, value in mapping.items():
            path = (*prefix, str(key))
            if not _PLAIN_KEY.match(str(key)) or len(path) > MAX_DEPTH + 1:
                group.items.append(ReadOnlySetting(humanize(str(key)), value))
            elif isinstance(value, dict):
                group.items.append(self._add_settings_fields(value, path))
            elif (form_field := setting_field(path, value)) is not None:
                name = dotted(path)
                self.fields[name] = form_field
                self.setting_paths[name] = path
                group.items.append(SettingField(self[name]))
            else:
                group.items.append(ReadOnlySetting(humanize(str(key)), value))
        return group


# Settings whose values the platform restricts to a few (the sandbox's checks, guessed from the
# dashboard's own widget editor): a choice, not a free-text box.
SETTING_CHOICES: dict[Path, list[tuple[str, str]]] = {
    ("settings", "widget", "position"): [
        ("bottom-right", "Bottom right"),
        ("bottom-left", "Bottom left"),
    ],
}


def setting_field(path: Path, value: Any) -> forms.Field | None:
    """The form field for one setting, after the JSON type of its current value."""
    label = humanize(path[-1])
    if path in SETTING_CHOICES and isinstance(value, str):
        choices = SETTING_CHOICES[path]
        if value not in dict(choices):
            choices = [*choices, (value, value)]  # a value set elsewhere stays possible
        return forms.ChoiceField(label=label, choices=choices)
    match value:
        case bool():
            widget = forms.CheckboxInput(attrs={"role": "switch"})
            return forms.BooleanField(required=False, label=label, widget=widget)
        case int():
            return forms.IntegerField(label=label, min_value=-(2**53), max_value=2**53)
        case float():
            return forms.FloatField(label=label)
        case str() if _HEX_COLOUR.match(value):
            return ColourField(label=label)
        case str() | None:
            return SettingTextField(label=label, value=value or "")
    return None


class ColourField(forms.RegexField):
    """#rrggbb, picked with the browser's colour input."""

    def __init__(self, *, label: str) -> None:
        attrs = {"type": "color", "class": "form-control form-control-color"}
        widget = forms.TextInput(attrs=attrs)
        super().__init__(_HEX_COLOUR, label=label, widget=widget)


class SettingTextField(forms.CharField):
    """Free text: a one-line input, or a text area for long or multi-line values."""

    def __init__(self, *, label: str, value: str) -> None:
        long = "\n" in value or len(value) > 60
        widget = forms.Textarea(attrs={"rows": 3}) if long else forms.TextInput()
        super().__init__(
            label=label, required=False, max_length=SETTING_TEXT_MAX, strip=False, widget=widget
        )

    def to_python(self, value: Any) -> str:
        # Browsers send text areas with CRLF line endings.
        return super().to_python(value).replace("\r\n", "\n")


def initial_values(snapshot: Snapshot) -> dict[str, Any]:
    """The form's initial data for a workspace: top-level fields and every setting leaf."""
    initial = {field_name: snapshot.values.get(key) for key, field_name in FIELD_OF_KEY.items()}
    for path, value in walk(snapshot.settings, ("settings",)):
        initial[dotted(path)] = value
    return initial


TOP_LEVEL_LABELS = {
    "name": "Workspace name",
    "companyName": "Company name",
    "contactEmail": "Contact email",
    "language": "Language",
    "timezone": "Time zone",
}


def human_label(path: Path) -> str:
    """What a manager calls a field: ("companyName",) -> "Company name";
    ("settings", "widget", "primaryColor") -> "Widget: primary color"."""
    if len(path) == 1:
        return TOP_LEVEL_LABELS.get(path[0], humanize(path[0]))
    words = [humanize(key) for key in path[1:]]
    return ": ".join([words[0], *(word[:1].lower() + word[1:] for word in words[1:])])


def field_name_of(path: Path) -> str:
    """The form field of a path: ("timezone",) -> "timezone"; settings by their dotted path."""
    if len(path) == 1 and path[0] in FIELD_OF_KEY:
        return FIELD_OF_KEY[path[0]]
    return dotted(path)


# The settings the platform is known to keep (seeds/003, the sandbox), labelled in the viewer's
# language; any other key is labelled from its own name, as the platform spells it.
KNOWN_SETTINGS = {
    "settings": _("Settings"),
    "notifications": _("Notifications"),
    "visitorSound": _("Sound for visitors"),
    "agentSound": _("Sound for agents"),
    "emailOnNewConversation": _("Email on a new conversation"),
    "emailDigest": _("Email digest"),
    "widget": _("Chat widget"),
    "primaryColor": _("Primary colour"),
    "position": _("Position"),
    "greeting": _("Greeting"),
    "showAgentAvatar": _("Show the agent's picture"),
    "offlineMessage": _("Message when offline"),
}


def humanize(key: str) -> str:
    """A label from a camelCase or snake_case key: a known setting's in the active language,
    else "emailOnNewThing" -> "Email on new thing"."""
    if (known := KNOWN_SETTINGS.get(key)) is not None:
        return str(known)
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key).replace("_", " ").replace("-", " ")
    return words[:1].upper() + words[1:].lower()


def _same_colour(before: Any, after: Any) -> bool:
    return isinstance(before, str) and isinstance(after, str) and before.lower() == after.lower()


def _leaf(mapping: dict[str, Any], keys: Path) -> Any:
    node: Any = mapping
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node
