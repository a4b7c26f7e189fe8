"""The Naxon conversations' filters: a date range typed in the viewer's time zone, the time field
it applies to (which is also the order, newest first), paging."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboard.lib.filters import (
    LenientChoiceField,
    LenientField,
    ListFilterForm,
    PageField,
    PageSizeField,
)

SORTS = (("created_at", _("Created")), ("updated_at", _("Updated")))


class LenientDateField(LenientField):
    """A day (`2026-12-06`); anything else is no bound at all."""

    widget = forms.DateInput(attrs={"type": "date"})

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        try:
            day = dt.date.fromisoformat(str(value or "").strip()[:10])
        except ValueError:
            return None
        return day if 1900 <= day.year <= 9000 else None

    def prepare_value(self, value: Any) -> str:
        return value.isoformat() if isinstance(value, dt.date) else ""


class NaxonConversationFilterForm(ListFilterForm):
    """`?since=2026-12-01&until=2026-12-06&sort=updated_at&page=2&limit=25`: days in the
    viewer's zone, both inclusive, on the field `sort` names (the document's rule)."""

    since = LenientDateField(label=_("From"))
    until = LenientDateField(label=_("To"))
    sort = LenientChoiceField(choices=SORTS, default="created_at", label=_("Dates and order by"))
    page = PageField()
    limit = PageSizeField(sizes=(10, 25, 50, 100), default=25, max_value=100)

    def platform_params(self) -> dict[str, Any]:
        """Keyword arguments for `NaxonClient.list_conversations`: the days as instants of the
        active zone (the start of `since`, the last second of `until`)."""
        f = self.filters
        return {
            "since": _local(f["since"], dt.time.min) if f["since"] else None,
            "until": _local(f["until"], dt.time(23, 59, 59)) if f["until"] else None,
            "sort": f["sort"],
            "page": f["page"],
            "per_page": f["limit"],
        }


def _local(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at))
