"""Forms of the job pages: starting (now or later) and the bulk operations' confirmations."""

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from dashboard.visitors.forms import MAX_TAG_LENGTH, clean_tag

MAX_SCHEDULE_AHEAD = timedelta(days=90)


class StartForm(forms.Form):
    start_at = forms.DateTimeField(
        required=False,
        label="Start at (UTC)",
        help_text="Leave empty to start now.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

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


class TagsForm(forms.Form):
    operation = forms.ChoiceField(
        choices=[("add", "Add these tags"), ("remove", "Remove these tags")]
    )
    tags = forms.CharField(
        max_length=MAX_TAG_LENGTH * 10,
        help_text="Separate tags with commas.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_tags(self) -> list[str]:
        tags: list[str] = []
        for raw in self.cleaned_data["tags"].split(","):
            if raw.strip():
                tag = clean_tag(raw)
                if tag not in tags:
                    tags.append(tag)
        if not tags:
            raise forms.ValidationError("Type at least one tag.")
        if len(tags) > 10:
            raise forms.ValidationError("At most 10 tags at once.")
        return tags


class ConfirmCountForm(forms.Form):
    """Type the number of records to confirm an irreversible change to all of them. The number
    to type is the platform's count now (`expected`), never one the page sent back."""

    typed = forms.CharField(max_length=20, label="Type the number of visitors to confirm")

    def __init__(self, *args: Any, expected: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected = expected

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.expected is None:
            raise forms.ValidationError(
                "The visitors matching cannot be counted right now, so nothing can be confirmed. "
                "Try again in a moment."
            )
        if self.expected == 0:
            raise forms.ValidationError(
                "No visitor matches the filter: there is nothing to delete."
            )
        if "typed" in data and data["typed"].strip() != str(self.expected):
            self.add_error("typed", f"Type {self.expected} to confirm.")
        return data


class AssignForm(forms.Form):
    agent_id = forms.ChoiceField(label="Assign to")

    def __init__(self, *args: Any, agents: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent_id"].choices = agents


class InviteUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="A header row with the columns name and email, then one person per row.",
    )
