"""The alerts feed's filters (lenient, like every list) and the webhook rotation form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboard.alerts.hooks import DEFAULT_OVERLAP, OVERLAPS
from dashboard.lib.filters import (
    LenientChoiceField,
    LenientTextField,
    ListFilterForm,
    PageField,
    PageSizeField,
)

UNHANDLED, HANDLED, ALL = "unhandled", "handled", "all"


class AlertFilterForm(ListFilterForm):
    """`/alerts/?keyword=&model=&state=&page=&limit=`: the keywords and models offered are those
    the workspace's alerts hold (set by the view)."""

    keyword = LenientTextField(max_length=200, label=_("Keyword"), widget=forms.Select)
    model = LenientTextField(max_length=20, label=_("Model"), widget=forms.Select)
    state = LenientChoiceField(
        choices=((ALL, _("All")), (UNHANDLED, _("Unhandled")), (HANDLED, _("Handled"))),
        default=ALL,
        label=_("Show"),
    )
    page = PageField()
    limit = PageSizeField(sizes=(25, 50, 100), default=25, max_value=100)

    def model_id(self) -> int | None:
        value = self.filters["model"]
        if value.isascii() and value.isdigit() and int(value) < 2**63:
            return int(value)
        return None


class RotateHookForm(forms.Form):
    overlap = forms.ChoiceField(
        choices=[(key, _(label)) for key, (label, _overlap) in OVERLAPS.items()],
        initial=DEFAULT_OVERLAP,
        label=_("The old URL keeps working for"),
    )
