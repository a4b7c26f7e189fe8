"""The contact search: one box (an e-mail or a phone number) and the country that numbers
written without `+` belong to (the workspace's by default)."""

from typing import Any

from django import forms

from dashboard.contacts import phones
from dashboard.lib.filters import LenientChoiceField, LenientTextField, ListFilterForm


class ContactSearchForm(ListFilterForm):
    """`/contacts/?q=&country=`: lenient like a list's filters (a bad value is ignored)."""

    q = LenientTextField(
        max_length=254,
        label="E-mail or phone",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "jane@example.com or +44 7700 900101"}
        ),
    )
    country = LenientChoiceField(
        choices=[
            (region, f"{region} (+{phones.calling_code(region)})") for region in phones.REGIONS
        ],
        label="Country of numbers without +",
    )

    def __init__(self, *args: Any, default_country: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["country"]
        field.default = default_country if default_country in field.allowed else ""
        field.widget.choices = [("", "None (numbers need +)"), *field.widget.choices]
