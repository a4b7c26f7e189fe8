"""A list page's filters: a form over the query string that never fails.

- Filters live in the query string, so every view a manager sees is a URL. Garbage in it
  (`page=-1`, `limit=5000`, `isOnline=maybe`) is clamped or ignored by the fields themselves, so a
  shared or hand-edited URL never errors.
- The same form renders the filter controls (`templates/lists/filters.html`): each shown field
  with its label through the project's field template, each control refreshing the table alone
  (`hx-get` to the list's URL) when given `list_url`.
- `canonical_query()` is the filters without their defaults: the URL pushed into the address bar,
  and the query string the page's links keep.
"""

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- fields that clamp or ignore instead of failing ---------------------------------------


class LenientField(forms.Field):
    """A filter field: never required, never invalid. A hidden one (the page number, a tab) is
    kept in links and the URL but is not a control of the filter form."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        """Never fails: to_python already turned every input into a usable value."""

    def bound_data(self, data: Any, initial: Any) -> Any:
        """The control shows what the filter understood (`limit=5000` as 100, a missing page size
        as the default), never the raw query string."""
        return self.to_python(data)


class ClampedIntegerField(LenientField):
    """An integer kept within [min_value, max_value]; what is not a number is the default."""

    def __init__(self, *, default: int, min_value: int, max_value: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.default = default
        self.min_value = min_value
        self.max_value = max_value

    def to_python(self, value: Any) -> int:
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            return self.default
        number = max(number, self.min_value)
        if self.max_value is not None:
            number = min(number, self.max_value)
        return number


class PageField(ClampedIntegerField):
    """`page`, from 1 (or `min_value`): kept in links and the URL, never a control of the filter
    form, so that changing a filter starts again at the first page."""

    def __init__(self, *, default: int = 1, min_value: int = 1) -> None:
        super().__init__(
            default=default, min_value=min_value, max_value=100_000, widget=forms.HiddenInput
        )


class PageSizeField(ClampedIntegerField):
    """`limit`, offered as a select of `sizes` (and the URL's own value, if it is another)."""

    def __init__(self, *, sizes: Sequence[int], default: int, max_value: int, **kwargs: Any):
        kwargs.setdefault("label", _("Rows per page"))
        super().__init__(
            default=default, min_value=1, max_value=max_value, widget=forms.Select, **kwargs
        )
        self.sizes = tuple(size for size in sizes if size <= max_value)

    def choices_with(self, current: int) -> list[tuple[int, int]]:
        return [(size, size) for size in sorted({*self.sizes, current})]


class LenientChoiceField(LenientField):
    """One of `choices` (values, or (value, label) pairs; compared as given); anything else is
    the default. Shown as a select whose first option is `blank_label` when given."""

    def __init__(
        self,
        *,
        choices: Iterable[str | tuple[str, str]],
        default: str = "",
        blank_label: str = "",
        **kwargs: Any,
    ) -> None:
        pairs = [choice if isinstance(choice, tuple) else (choice, choice) for choice in choices]
        options = [("", blank_label), *pairs] if blank_label else pairs
        kwargs.setdefault("widget", forms.Select(choices=options))
        super().__init__(**kwargs)
        self.allowed = frozenset(value for value, _ in pairs)
        self.default = default

    def to_python(self, value: Any) -> str:
        text = str(value).strip() if value is not None else ""
        return text if text in self.allowed else self.default


class LenientTextField(LenientField):
    """Stripped text cut to `max_length` characters; control characters removed."""

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        self.max_length = max_length  # before Field.__init__, which asks widget_attrs()
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return clean_text(value, self.max_length)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.TextInput):
            attrs |= {"maxlength": str(self.max_length), "autocomplete": "off"}
        return attrs


class SearchInput(forms.TextInput):
    input_type = "search"


class SearchField(LenientTextField):
    """The list's search box: refreshes the table as the manager types, after a pause."""

    def __init__(self, *, max_length: int = 200, placeholder: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Search"))
        widget = SearchInput(attrs={"placeholder": placeholder} if placeholder else {})
        super().__init__(max_length=max_length, widget=widget, **kwargs)


class KnownValuesInput(forms.Widget):
    """A repeated parameter as a checkbox per value known so far (`known`, set by the view) and a
    text box for another one, suggested from the known values. With JavaScript
    (static/js/multiselect.js) it becomes a searchable multi-select: one Tab stop, not one per
    known value.

    Its template is Jinja2 (`templates/jinja2/lists/known_values.html`, found by the form
    renderer after Django's engine): a workspace may know 200 tags, and the Django engine's loop
    costs several times as much per checkbox (bench/README.md)."""

    template_name = "lists/known_values.html"
    use_fieldset = True

    def __init__(
        self,
        *,
        other_label: str,
        search_label: str = _("Search"),  # lazily translated, like other_label
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.other_label = other_label
        self.search_label = search_label
        self.known: list[str] = []

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        checked = [str(item) for item in (value or [])]
        known = [*self.known, *(item for item in checked if item not in self.known)]
        # The control attributes that refresh the table (hx-get, hx-trigger), not the CSS class:
        # every checkbox and the text box get their own classes in the template.
        refresh = {key: val for key, val in context["widget"]["attrs"].items() if key[:3] == "hx-"}
        context["widget"] |= {
            "known": known,
            "checked": set(checked),
            "other_label": self.other_label,
            "search_label": self.search_label,
            "refresh": refresh,
        }
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False


class LenientMultipleTextField(LenientField):
    """A repeated query parameter (`?tags=vip&tags=trial`): stripped, blanks and duplicates
    dropped, each value cut to `max_length`, at most `max_count` values kept."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, max_length: int, max_count: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length
        self.max_count = max_count

    def to_python(self, value: Any) -> list[str]:
        if value is None:
            return []
        values = [value] if isinstance(value, str) else list(value)
        kept: list[str] = []
        for item in values:
            text = clean_text(item, self.max_length)
            if text and text not in kept:
                kept.append(text)
        return kept[: self.max_count]


class LenientDateField(LenientField):
    """A day (`2024-12-01`) shown as a date control; anything else, or a year outside
    1900-9000, is no day (None): the filter is simply not applied. Days are read in the viewer's
    time zone by whoever turns them into moments (`start_of_day`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        try:
            day = dt.date.fromisoformat(str(value or "").strip())
        except ValueError:
            return None
        return day if 1900 <= day.year <= 9000 else None


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight of `day` in the current time zone (the workspace's or the user's)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def clean_text(value: Any, max_length: int) -> str:
    """One line of text: control characters (tabs, newlines, NUL...) dropped, ends stripped.
    Format characters stay: an emoji's zero-width joiner or a right-to-left mark is content."""
    if value is None:
        return ""
    text = "".join(ch for ch in str(value) if not is_control(ch))
    return text.strip()[:max_length]


def is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc"


# --- the filter form --------------------------------------------------------------------------

# How each kind of control refreshes the table: text after a pause in typing, the rest at once.
TYPING_TRIGGER = "input changed delay:300ms, search"
CHANGE_TRIGGER = "change"


def refresh_on_change(form: forms.Form, list_url: str) -> None:
    """Make each visible control of a filter form refresh the list's table alone (htmx), the
    form's other fields included (the form's `hx-include`)."""
    for bound in form.visible_fields():
        widget = bound.field.widget
        typing = isinstance(widget, forms.TextInput) and widget.input_type in ("search", "text")
        widget.attrs |= {
            "hx-get": list_url,
            "hx-trigger": TYPING_TRIGGER if typing else CHANGE_TRIGGER,
        }


class ListFilterForm(forms.Form):
    """A form over the query string whose `filters` are always usable.

    Its fields never raise, so the form is always valid; `defaults` says which values a canonical
    URL leaves out. Given `list_url`, its shown controls refresh the table alone (htmx), and the
    page-size select offers the URL's own size too.
    """

    def __init__(self, query: QueryDict | None = None, *, list_url: str = "") -> None:
        super().__init__(query if query is not None else QueryDict())
        if list_url:
            refresh_on_change(self, list_url)
            for name, field in self.fields.items():
                if isinstance(field, PageSizeField):
                    field.widget.choices = field.choices_with(self.filters[name])

    @cached_property
    def filters(self) -> dict[str, Any]:
        """The values the URL asks for (clamped, defaults for garbage): worked out once, since a
        view, its form and its templates read them a dozen times. Read-only by convention."""
        self.is_valid()
        values = {}
        for name, field in self.fields.items():
            if name in self.cleaned_data:
                values[name] = self.cleaned_data[name]
            else:  # a field that raised after all: behave as if it was not given
                values[name] = field.to_python(None)
        return values

    def set_choices(self, name: str, choices: Iterable[tuple[str, str]], blank: str) -> None:
        """Options known only at request time (a workspace's sites, agents): `blank` first, and
        the URL's own value kept selectable even when it is not among them."""
        options = [("", blank), *choices]
        selected = self.filters[name]
        if selected and selected not in {value for value, _ in options}:
            options.append((selected, selected))
        self.fields[name].widget.choices = options

    def defaults(self) -> dict[str, Any]:
        return {name: field.to_python(None) for name, field in self.fields.items()}

    def canonical_query(self, **overrides: Any) -> QueryDict:
        """The filters as a query string without default values: `?search=jane&page=2`."""
        values = {**self.filters, **overrides}
        defaults = self.defaults()
        query = QueryDict(mutable=True)
        for name, value in values.items():
            if value in (None, "", []) or value == defaults.get(name):
                continue
            if isinstance(value, list | tuple):
                query.setlist(name, [str(item) for item in value])
            elif isinstance(value, bool):
                query[name] = "true" if value else "false"
            else:
                query[name] = str(value)
        return query

    def canonical_url(self, path: str, **overrides: Any) -> str:
        return _with_query(path, self.canonical_query(**overrides))

    def list_context(self, list_url: str) -> dict[str, Any]:
        """What every list page's templates read of its filters: the form, its values, the query
        without defaults, the list's URL, and the URL of exactly this view of it (the live
        refresh's, and the one pushed to the address bar)."""
        query = self.canonical_query()
        return {
            "form": self,
            "filters": self.filters,
            "query": query,
            "list_url": list_url,
            "refresh_url": _with_query(list_url, query),
        }


def _with_query(path: str, query: QueryDict) -> str:
    encoded = query.urlencode()
    return f"{path}?{encoded}" if encoded else path
