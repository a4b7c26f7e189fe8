"""The job pages' forms: starting a draft now or later, and the job list's filters."""

from datetime import datetime, timedelta

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dashboard.jobs.kinds import KINDS, label_of
from dashboard.jobs.models import Job
from dashboard.lib.filters import LenientChoiceField, ListFilterForm, PageField

MAX_SCHEDULE_AHEAD = timedelta(days=90)


class StartForm(forms.Form):
    start_at = forms.DateTimeField(
        required=False,
        label=_("Start at"),
        help_text=_("Leave empty to start now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Typed in the viewer's zone (the field reads it in the active zone): say which.
        self.fields["start_at"].label = gettext("Start at (%(zone)s)") % {
            "zone": timezone.get_current_timezone_name()
        }

    def clean_start_at(self) -> datetime | None:
        at = self.cleaned_data.get("start_at")
        if at is None:
            return None
        if timezone.is_naive(at):
            at = timezone.make_aware(at, timezone.get_current_timezone())
        now = timezone.now()
        if at < now - timedelta(minutes=1):
            raise forms.ValidationError(gettext("That time has passed."))
        if at > now + MAX_SCHEDULE_AHEAD:
            raise forms.ValidationError(gettext("Schedule at most 90 days ahead."))
        return at


class JobFilterForm(ListFilterForm):
    """/jobs/?kind=broadcast&state=running: garbage in either is ignored (every job)."""

    kind = LenientChoiceField(choices=[], blank_label=_("Any kind"), label=_("Kind"))
    state = LenientChoiceField(
        choices=Job.State.choices, blank_label=_("Any state"), label=_("State")
    )
    page = PageField()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # The kinds the apps registered (known once Django is set up, not at import).
        kinds = sorted(((name, label_of(name)) for name in KINDS), key=lambda c: c[1])
        field = self.fields["kind"]
        assert isinstance(field, LenientChoiceField)
        field.allowed = frozenset(name for name, _ in kinds)
        field.widget.choices = [("", gettext("Any kind")), *kinds]

    def filter(self, jobs: QuerySet[Job]) -> QuerySet[Job]:
        filters = self.filters
        if filters["kind"]:
            jobs = jobs.filter(kind=filters["kind"])
        if filters["state"]:
            jobs = jobs.filter(state=filters["state"])
        return jobs
