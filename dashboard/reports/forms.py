"""The reports page's range control: a preset (today, 7, 30 or 90 days) or two dates, over the
query string. Dates are days of the viewer's zone. Garbage never errors: an unreadable date is
ignored, a custom range is put in order and cut to MAX_DAYS, the future is today."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboard.lib.filters import LenientChoiceField, LenientField, ListFilterForm
from dashboard.reports.ranges import DEFAULT_PRESET, MAX_DAYS, PRESETS, ReportRange, preset_range

CUSTOM = "custom"


class LenientDateField(LenientField):
    """A YYYY-MM-DD day, or None for anything else."""

    widget = forms.DateInput(attrs={"type": "date"})

    def to_python(self, value: Any) -> dt.date | None:
        try:
            day = dt.date.fromisoformat(str(value).strip()) if value else None
        except ValueError:
            return None
        return day if day is not None and 2000 <= day.year <= 2100 else None


class RangeForm(ListFilterForm):
    range = LenientChoiceField(
        choices=[(key, label) for key, (label, _days) in PRESETS.items()]
        + [(CUSTOM, _("Custom range"))],
        default=DEFAULT_PRESET,
        label=_("Range"),
    )
    start = LenientDateField(label=_("From"))
    end = LenientDateField(label=_("To"))

    def report_range(self, today: dt.date, zone_name: str) -> ReportRange:
        filters = self.filters
        if filters["range"] != CUSTOM:
            return preset_range(filters["range"], today, zone_name)
        first, last = filters["start"] or today, filters["end"] or today
        first, last = min(first, last, today), min(max(first, last), today)
        first = max(first, last - dt.timedelta(days=MAX_DAYS - 1))
        return ReportRange(first, last, zone_name)
