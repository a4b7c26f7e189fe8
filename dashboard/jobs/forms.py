"""The job page's form: starting a draft now or later."""

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

MAX_SCHEDULE_AHEAD = timedelta(days=90)


class StartForm(forms.Form):
    start_at = forms.DateTimeField(
        required=False,
        label="Start at",
        help_text="Leave empty to start now.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Typed in the viewer's zone (the field reads it in the active zone): say which.
        self.fields["start_at"].label = f"Start at ({timezone.get_current_timezone_name()})"

    def clean_start_at(self) -> datetime | None:
        at = self.cleaned_data.get("start_at")
        if at is None:
            return None
        if timezone.is_naive(at):
            at = timezone.make_aware(at, timezone.get_current_timezone())
        now = timezone.now()
        if at < now - timedelta(minutes=1):
            raise forms.ValidationError("That time has passed.")
        if at > now + MAX_SCHEDULE_AHEAD:
            raise forms.ValidationError("Schedule at most 90 days ahead.")
        return at
