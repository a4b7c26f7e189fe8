"""UChat forms: the subscribers list's filters (lenient, in the query string), and the edits
(strict): a tag to add, a new flow tag, a user field's value read as the field's type."""

import re
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dashboard.lib.filters import (
    LenientTextField,
    ListFilterForm,
    PageField,
    PageSizeField,
    SearchField,
    is_control,
)
from dashboard.platforms.uchat import MAX_PAGE_SIZE
from dashboard.platforms.uchat_records import UserField

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25
MAX_TAG_NAME = 100  # guess: the sandbox's limit
MAX_TEXT_VALUE = 2000  # the sandbox's text field limit (guess)
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")
_NS = re.compile(r"^f[0-9]+[a-z][0-9]+$")


def is_namespace(value: str) -> bool:
    """A UChat namespace: the flow's, a letter, a number (`f190385t7215001`)."""
    return bool(_NS.match(value))


class SubscriberFilterForm(ListFilterForm):
    """`/uchat/?search=&tag=&page=&limit=`: one search box (a name, an email or a phone number,
    told apart by their shape) and one tag (its tag_ns)."""

    search = SearchField(placeholder=_("Name, email or phone"))
    tag = LenientTextField(max_length=64, label=_("Tag"), widget=forms.Select)
    page = PageField()
    limit = PageSizeField(sizes=PAGE_SIZES, default=DEFAULT_PAGE_SIZE, max_value=MAX_PAGE_SIZE)

    def search_params(self) -> dict[str, Any]:
        """Keyword arguments for `UChatClient.search_subscribers`, paging aside."""
        f = self.filters
        params: dict[str, Any] = {}
        search = f["search"]
        if "@" in search:
            params["email"] = search
        elif search and _PHONE.match(search):
            params["phone"] = search
        elif search:
            params["name"] = search
        if f["tag"]:
            params["tag_ns"] = f["tag"]
        return params

    def platform_params(self) -> dict[str, Any]:
        f = self.filters
        return {**self.search_params(), "page": f["page"], "limit": f["limit"]}


def clean_tag_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name:
        raise forms.ValidationError(gettext("A tag needs a name."))
    if len(name) > MAX_TAG_NAME:
        raise forms.ValidationError(
            gettext("A tag has at most %(most)d characters.") % {"most": MAX_TAG_NAME}
        )
    if any(is_control(ch) for ch in name):
        raise forms.ValidationError(gettext("A tag cannot contain control characters."))
    return name


class NewTagForm(forms.Form):
    name = forms.CharField(max_length=MAX_TAG_NAME * 2, label=_("New tag"))

    def clean_name(self) -> str:
        return clean_tag_name(self.cleaned_data["name"])


class SubscriberTagForm(forms.Form):
    """Add one of the bot's tags (`add`, a tag_ns chosen from the list), or remove one (`remove`,
    the chip's × button)."""

    add = forms.ChoiceField(required=False, label=_("Add a tag"))
    remove = forms.CharField(required=False, max_length=64)

    def __init__(self, *args: Any, tags: list[tuple[str, str]] = (), **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_%s_tag")
        super().__init__(*args, **kwargs)
        self.fields["add"].choices = [("", gettext("Choose a tag…")), *tags]

    def clean_remove(self) -> str:
        value = self.cleaned_data["remove"]
        if value and not is_namespace(value):
            raise forms.ValidationError(gettext("Not a tag."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not data.get("add") and not data.get("remove"):
            raise forms.ValidationError(gettext("Choose a tag to add."))
        return data


BOOLEAN_CHOICES = [("", _("Not set")), ("true", _("Yes")), ("false", _("No"))]


class UserFieldForm(forms.Form):
    """One user field's value, with the input its type calls for: text, a number, yes/no, a date
    or a date and time (read in the viewer's zone, sent in UTC). The page posts the field's
    var_ns as `field` beside it."""

    def __init__(self, *args: Any, field: UserField, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", field.var_ns)  # one form per field on the page
        super().__init__(*args, **kwargs)
        self.user_field = field
        self.fields["value"] = _value_field(field)

    def clean_value(self) -> Any:
        value = self.cleaned_data.get("value")
        if value in (None, ""):
            raise forms.ValidationError(gettext("Give a value (UChat cannot clear one)."))
        if self.user_field.var_type == "boolean":
            return value == "true"
        if self.user_field.var_type == "number":
            return int(value) if value == value.to_integral_value() else float(value)
        if isinstance(value, datetime) and timezone.is_naive(value):
            return timezone.make_aware(value, timezone.get_current_timezone())
        if isinstance(value, str) and any(is_control(ch) and ch not in "\n\t" for ch in value):
            raise forms.ValidationError(gettext("No control characters, please."))
        return value


def _value_field(field: UserField) -> forms.Field:
    label = field.name or field.var_ns
    match field.var_type:
        case "number":
            return forms.DecimalField(label=label, required=False, max_digits=20, decimal_places=6)
        case "boolean":
            return forms.ChoiceField(label=label, required=False, choices=BOOLEAN_CHOICES)
        case "date":
            return forms.DateField(
                label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
            )
        case "datetime":
            zone = timezone.get_current_timezone_name()
            return forms.DateTimeField(
                label=f"{label} ({zone})",
                required=False,
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
            )
        case _:
            return forms.CharField(label=label, required=False, max_length=MAX_TEXT_VALUE)


def initial_value(field_type: str, value: Any) -> Any:
    """A stored value as its input shows it."""
    if value is None:
        return ""
    if field_type == "boolean":
        return "true" if value is True else "false" if value is False else ""
    if field_type == "datetime" and isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
    return value
