"""Visitor forms: the list's filters (lenient: garbage is clamped or ignored) and the profile's
edits (strict: a bad tag or note is an error shown next to the field, before any platform call)."""

import hashlib
from typing import Any

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from dashboard.lib.filters import (
    KnownValuesInput,
    LenientChoiceField,
    LenientMultipleTextField,
    LenientTextField,
    ListFilterForm,
    PageField,
    PageSizeField,
    SearchField,
    is_control,
)

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100  # seeds/003: visitors list `limit` max 100

MAX_TAGS = 50
MAX_TAG_LENGTH = 100  # the sandbox's limit (guess; seeds/003 gives none)
MAX_NOTES_LENGTH = 10_000  # the sandbox's limit (guess)
MAX_FILTER_TAGS = 10


class VisitorFilterForm(ListFilterForm):
    """`/visitors/?search=&isOnline=&siteId=&tags=&tags=&page=&limit=` for managers: the
    platform's own parameter names, so a URL reads like the API call it makes."""

    # camelCase names: the URL keeps the API's names.
    search = SearchField(placeholder=_("Name, email, phone, IP, country or city"))
    isOnline = LenientChoiceField(
        choices=(("true", _("Online")), ("false", _("Offline"))),
        blank_label=_("Anyone"),
        label=_("Presence"),
    )
    siteId = LenientTextField(max_length=64, label=_("Site"), widget=forms.Select)
    tags = LenientMultipleTextField(
        max_length=MAX_TAG_LENGTH,
        max_count=MAX_FILTER_TAGS,
        label=_("Tags"),
        help_text=_("Visitors with all the chosen tags."),
        widget=KnownValuesInput(other_label=_("Another tag"), search_label=_("Search tags")),
    )
    page = PageField()
    limit = PageSizeField(sizes=PAGE_SIZES, default=DEFAULT_PAGE_SIZE, max_value=MAX_PAGE_SIZE)

    def platform_params(self) -> dict:
        """Keyword arguments for `client.tenant.list_visitors`."""
        f = self.filters
        return {
            "search": f["search"] or None,
            "is_online": {"true": True, "false": False}.get(f["isOnline"]),
            "site_id": f["siteId"] or None,
            "tags": f["tags"],
            "page": f["page"],
            "limit": f["limit"],
        }


class AgentVisitorFilterForm(VisitorFilterForm):
    """The same URL for agents (`client.agent.list_visitors`): the agent API has no site or tag
    filter, and searches names and emails only."""

    search = SearchField(placeholder=_("Name or email"))
    siteId = None
    tags = None

    def platform_params(self) -> dict:
        f = self.filters
        return {
            "search": f["search"] or None,
            "is_online": {"true": True, "false": False}.get(f["isOnline"]),
            "page": f["page"],
            "limit": f["limit"],
        }


def fingerprint(text: str) -> str:
    """A short digest of a value as the form showed it, to notice someone else's edit since."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def clean_tag(raw: str) -> str:
    tag = " ".join(raw.split())
    if not tag:
        raise forms.ValidationError(gettext("A tag cannot be empty."))
    if len(tag) > MAX_TAG_LENGTH:
        raise forms.ValidationError(
            ngettext(
                "A tag has at most %(count)s character.",
                "A tag has at most %(count)s characters.",
                MAX_TAG_LENGTH,
            )
            % {"count": MAX_TAG_LENGTH}
        )
    if any(is_control(ch) for ch in tag):
        raise forms.ValidationError(gettext("A tag cannot contain control characters."))
    return tag


class TagEditForm(forms.Form):
    """One chip operation: `add` a tag, or `remove` one (the chip's × button)."""

    def __init__(self, *args: Any, focus: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_%s_tag")  # id_add_tag: the "Add" box
        super().__init__(*args, **kwargs)
        if focus:  # back after an edit: typing the next tag goes on where it left off
            self.fields["add"].widget.attrs["autofocus"] = True

    add = forms.CharField(
        required=False,
        strip=True,
        max_length=MAX_TAG_LENGTH * 4,
        label=_("Add a tag"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": MAX_TAG_LENGTH}),
    )
    remove = forms.CharField(required=False, strip=False, max_length=MAX_TAG_LENGTH * 4)
    # The two answers to "there is already a "vip"" (case_twin): keep the new spelling anyway,
    # or use the existing one instead.
    same_case_ok = forms.BooleanField(required=False)
    use_existing = forms.BooleanField(required=False)
    case_twin = ""  # set by the view: an existing tag spelt differently ("vip" for "VIP")

    def twin_of(self, known: list[str]) -> str:
        """The existing tag the one being added differs from only by case, if any (and the
        manager has not already answered about it)."""
        added = self.cleaned_data.get("add")
        if not added or self.cleaned_data.get("same_case_ok"):
            return ""
        wanted = added.casefold()
        return next((tag for tag in known if tag.casefold() == wanted and tag != added), "")

    def clean_add(self) -> str:
        raw = self.cleaned_data["add"]
        return clean_tag(raw) if raw else ""

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not data.get("add") and not data.get("remove"):
            raise forms.ValidationError(_("Type a tag to add."))
        return data

    def apply_to(self, current: list[str]) -> list[str]:
        """The new array: the platform replaces the whole list, so the edit is applied to the
        visitor's tags as they are now, not as the page showed them."""
        tags = [tag for tag in current if tag != self.cleaned_data.get("remove")]
        added = self.cleaned_data.get("add")
        if added and added not in tags:
            if len(tags) >= MAX_TAGS:
                raise forms.ValidationError(
                    ngettext(
                        "A visitor has at most %(count)s tag.",
                        "A visitor has at most %(count)s tags.",
                        MAX_TAGS,
                    )
                    % {"count": MAX_TAGS}
                )
            tags.append(added)
        return tags


class NotesForm(forms.Form):
    """Internal notes (plain text). `seen` is the fingerprint of the notes the form was opened
    with: if the platform's notes changed since, saving would silently overwrite someone."""

    notes = forms.CharField(
        required=False,
        strip=False,
        max_length=MAX_NOTES_LENGTH,
        label=_("Internal notes"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    seen = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def clean_notes(self) -> str:
        notes = self.cleaned_data["notes"].replace("\r\n", "\n").strip()
        if any(is_control(ch) and ch not in "\n\t" for ch in notes):
            raise forms.ValidationError(_("Notes cannot contain control characters."))
        return notes
