"""The contact search: one box (an e-mail or a phone number) and the country that numbers
written without `+` belong to (the workspace's by default)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboard.contacts import phones
from dashboard.lib.filters import LenientChoiceField, LenientTextField, ListFilterForm

NO_COUNTRY = ("", _("None (numbers need +)"))
COUNTRY_OPTIONS = (
    NO_COUNTRY,
    *((region, f"{region} (+{phones.calling_code(region)})") for region in phones.REGIONS),
)


class CountrySelect(forms.Select):
    """A select of every country phone numbers know, rendered from one precomputed list (its
    template loops over plain pairs: Django's Select builds a dict per option, which cost
    more than the rest of the page)."""

    template_name = "contacts/country_select.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        # Widget's context, not Select's: that one is where the per-option dicts are built.
        context = forms.Widget.get_context(self, name, value, attrs)
        selected = value[0] if isinstance(value, list | tuple) and value else value
        context["widget"] |= {"options": COUNTRY_OPTIONS, "selected": selected or ""}
        return context


class ContactSearchForm(ListFilterForm):
    """`/contacts/?q=&country=`: lenient like a list's filters (a bad value is ignored)."""

    q = LenientTextField(
        max_length=254,
        label=_("E-mail or phone"),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("jane@example.com or +44 7700 900101")}
        ),
    )
    country = LenientChoiceField(
        choices=COUNTRY_OPTIONS[1:], label=_("Country of numbers without +"), widget=CountrySelect
    )

    def __init__(self, *args: Any, default_country: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["country"]
        field.default = default_country if default_country in field.allowed else ""
