"""The audit page's filters: a form over the query string. A value that does not validate is
ignored (the filter is simply not applied), so no query string can produce an error page."""

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboard.audit.labels import action_label
from dashboard.audit.models import AuditEvent, AuditEventQuerySet
from dashboard.lib.filters import refresh_on_change


def _plausible_date(value: dt.date) -> None:
    # Year 9999 would overflow when "until" becomes the next midnight.
    if not 1900 <= value.year <= 9000:
        raise forms.ValidationError(_("Out of range."))


class AuditFilterForm(forms.Form):
    actor = forms.CharField(
        required=False,
        label=_("Actor"),
        max_length=254,
        widget=forms.SearchInput(attrs={"placeholder": _("Email contains…")}),
    )
    action = forms.ChoiceField(required=False, label=_("Action"))
    target_type = forms.ChoiceField(required=False, label=_("Target type"))
    target_id = forms.CharField(
        required=False,
        max_length=128,
        label=_("Target id"),
        widget=forms.SearchInput(attrs={"placeholder": _("Exact id")}),
    )
    outcome = forms.ChoiceField(
        required=False,
        label=_("Outcome"),
        choices=[("", _("Any outcome")), *AuditEvent.Outcome.choices],
    )
    since = forms.DateField(required=False, label=_("From"), validators=[_plausible_date])
    until = forms.DateField(required=False, label=_("To"), validators=[_plausible_date])

    def __init__(
        self, *args: Any, events: AuditEventQuerySet, list_url: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Offer what this workspace's log actually holds, so a filter can always match.
        self.fields["action"].choices = [
            (value, action_label(value) if value else label)
            for value, label in _choices(_("Any action"), events, "action")
        ]
        self.fields["target_type"].choices = _choices(_("Any target"), events, "target_type")
        for name in ("since", "until"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"})
        if list_url:
            refresh_on_change(self, list_url)

    def valid_filters(self) -> dict[str, Any]:
        """The cleaned value of every field that validated, skipping the empty ones."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and value not in (None, "")
        }

    def filter(self, events: AuditEventQuerySet) -> AuditEventQuerySet:
        filters = self.valid_filters()
        query = Q()
        if actor := filters.get("actor"):
            query &= Q(actor_email__icontains=actor.strip())
        for exact in ("action", "target_type", "target_id", "outcome"):
            if value := filters.get(exact):
                query &= Q(**{exact: value})
        if since := filters.get("since"):
            query &= Q(created_at__gte=_start_of(since))
        if until := filters.get("until"):
            query &= Q(created_at__lt=_start_of(until + dt.timedelta(days=1)))
        return events.filter(query)


def _choices(empty_label: str, events: AuditEventQuerySet, column: str) -> list[tuple[str, str]]:
    values = events.exclude(**{column: ""}).order_by(column).values_list(column, flat=True)
    return [("", empty_label), *((v, v) for v in values.distinct())]


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight of `day` in the console's time zone (dates typed by a manager are local)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
