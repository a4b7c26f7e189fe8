"""The pattern every list page follows: a filter form that never fails, a pager, and one view that
answers the full page, the table fragment or the live rows fragment.

The visitors page introduced it and the conversations page reuses it; it knows nothing about
visitors (a candidate for a shared `dashboard/lib/` package).

- Filters live in the query string. Garbage in it (`page=-1`, `limit=5000`, `isOnline=maybe`) is
  clamped or ignored by the fields themselves, so a shared or hand-edited URL never errors.
- The page template defines each swappable region as a `{% partialdef <dom-id> %}`. An htmx
  request (not boosted, not a history restore) gets the partial named by its `HX-Target`, plus
  the out-of-band partials listed for that target (stats, counts), rendered with `oob=True`.
- A filter or page change pushes the canonical URL (garbage dropped) into the address bar, so
  every view is a URL; a live poll does not.
"""

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from math import ceil
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.context import make_context
from django.template.loader import get_template
from django.utils.cache import patch_vary_headers
from django_htmx.http import push_url, reswap

# --- fields that clamp or ignore instead of failing ---------------------------------------


class ClampedIntegerField(forms.Field):
    """An integer kept within [min_value, max_value]; what is not a number is the default."""

    def __init__(self, *, default: int, min_value: int, max_value: int | None = None, **kwargs):
        kwargs.setdefault("required", False)
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

    def validate(self, value: Any) -> None:
        """Never fails: to_python already turned every input into a usable number."""


class LenientChoiceField(forms.Field):
    """One of `choices` (compared as given); anything else is the default."""

    def __init__(self, *, choices: Iterable[str], default: str = "", **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.allowed = frozenset(choices)
        self.default = default

    def to_python(self, value: Any) -> str:
        text = str(value).strip() if value is not None else ""
        return text if text in self.allowed else self.default

    def validate(self, value: Any) -> None:
        """Never fails: unknown choices were already replaced by the default."""


class LenientTextField(forms.Field):
    """Stripped text cut to `max_length` characters; control characters removed."""

    def __init__(self, *, max_length: int, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.max_length = max_length

    def to_python(self, value: Any) -> str:
        return clean_text(value, self.max_length)

    def validate(self, value: Any) -> None:
        """Never fails: too long is cut, not refused."""


class LenientMultipleTextField(forms.Field):
    """A repeated query parameter (`?tags=vip&tags=trial`): stripped, blanks and duplicates
    dropped, each value cut to `max_length`, at most `max_count` values kept."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, max_length: int, max_count: int, **kwargs):
        kwargs.setdefault("required", False)
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

    def validate(self, value: Any) -> None:
        """Never fails: extra values were dropped."""


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


class ListFilterForm(forms.Form):
    """A form over the query string whose `filters` are always usable.

    Its fields never raise, so the form is always valid; `defaults` says which values a canonical
    URL leaves out.
    """

    def __init__(self, query: QueryDict | None = None) -> None:
        super().__init__(query if query is not None else QueryDict())

    @property
    def filters(self) -> dict[str, Any]:
        self.is_valid()
        values = {}
        for name, field in self.fields.items():
            if name in self.cleaned_data:
                values[name] = self.cleaned_data[name]
            else:  # a field that raised after all: behave as if it was not given
                values[name] = field.to_python(None)
        return values

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
        query = self.canonical_query(**overrides).urlencode()
        return f"{path}?{query}" if query else path


# --- the pager --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pager:
    """Where a page sits in a list of `total` rows shown `per_page` at a time (pages from 1)."""

    page: int
    per_page: int
    total: int
    shown: int  # rows actually on this page

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page)) if self.per_page > 0 else 1

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def previous_page(self) -> int:
        return min(self.page - 1, self.pages)

    @property
    def next_page(self) -> int:
        return self.page + 1

    @property
    def first_row(self) -> int:
        return self.offset + 1 if self.shown else 0

    @property
    def last_row(self) -> int:
        return self.offset + self.shown

    @property
    def beyond_last_page(self) -> bool:
        """A URL asked for page 40 of 3: the table says so and links back to the last page."""
        return self.page > self.pages

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: first, last and `around` either side of this one; None marks a
        gap (shown as an ellipsis)."""
        wanted = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        numbers = sorted(n for n in wanted if 1 <= n <= self.pages)
        window: list[int | None] = []
        for number in numbers:
            if window and number - (window[-1] or 0) > 1:
                window.append(None)
            window.append(number)
        return window


@dataclass(frozen=True, slots=True)
class PageLink:
    number: int | None  # None marks a gap (an ellipsis)
    url: str = ""
    current: bool = False


@dataclass(frozen=True, slots=True)
class PagerLinks:
    """The pager's links, each URL keeping the filters and changing only `page`."""

    previous: str  # "" on the first page
    next: str  # "" on the last page
    pages: list[PageLink]


def pager_links(pager: Pager, query: QueryDict, list_url: str) -> PagerLinks:
    def url(number: int) -> str:
        return f"{list_url}{querystring(query, page=number)}"

    return PagerLinks(
        previous=url(pager.previous_page) if pager.has_previous else "",
        next=url(pager.next_page) if pager.has_next else "",
        pages=[
            PageLink(None)
            if number is None
            else PageLink(number, "" if number == pager.page else url(number), number == pager.page)
            for number in pager.window()
        ],
    )


def querystring(query: QueryDict, **changes: str | int | None) -> str:
    """What `{% querystring query key=value %}` writes, from Python: `?search=jane&page=2`.

    A changed key keeps its place, a new one goes last and None drops one. Views and tags build
    a list's links with it: Django's tag costs about four times as much per link, and a list page
    has a dozen (pager, bulk actions).
    """
    pairs: list[tuple[str, Any]] = []
    for key, values in query.lists():
        if key not in changes:
            pairs.extend((key, value) for value in values)
        elif changes[key] is not None:
            pairs.append((key, changes[key]))
    pairs.extend(
        (key, value) for key, value in changes.items() if value is not None and key not in query
    )
    return f"?{urlencode(pairs)}"


def bulk_action_queries(query: QueryDict, audience: str) -> dict[str, str]:
    """The query strings of a list's bulk actions, which take everyone matching the filters,
    whatever the page: `bulk_query` for the job forms, `broadcast_query` for a broadcast."""
    return {
        "bulk_query": querystring(query, page=None, limit=None),
        "broadcast_query": querystring(query, page=None, limit=None, audience=audience),
    }


# --- one view, three answers -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fragment:
    """What an htmx request aimed at one DOM id gets back.

    `oob`: partials swapped out of band in the same response (stats, tab counts, the pager).
    `push_url`: a filter or page change is a new view of the list, so its canonical URL goes in
    the address bar; a live refresh is the same view and must not add history entries.
    """

    oob: Sequence[str] = ()
    push_url: bool = True


def wants_fragment(request: HttpRequest) -> bool:
    """A boosted request or a history restore is a full-page request, not a fragment request."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def fragment_target(request: HttpRequest, fragments: Mapping[str, Fragment]) -> str:
    """The partial the request aims at; an unknown or missing HX-Target gets the first one."""
    target = request.htmx.target
    return target if target in fragments else next(iter(fragments))


def render_list(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any],
    *,
    fragments: Mapping[str, Fragment],
    canonical_url: str,
) -> HttpResponse:
    """The full page, or for an htmx request the partial it targets plus its out-of-band parts."""
    if wants_fragment(request):
        target = fragment_target(request, fragments)
        response = render_partials(request, template_name, context, target, fragments[target].oob)
        if fragments[target].push_url:
            push_url(response, canonical_url)
    else:
        response = render(request, template_name, context)
    # The same URL answers a page or a fragment: caches and the back button must tell them apart.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def render_partials(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any],
    target: str,
    oob: Sequence[str] = (),
) -> HttpResponse:
    """`target`'s partial followed by each of `oob`, rendered with `oob=True` so each marks its
    root element `hx-swap-oob`."""
    return HttpResponse(_render_parts(request, template_name, context, [target], oob))


def render_out_of_band_only(
    request: HttpRequest, template_name: str, context: dict[str, Any], names: Sequence[str]
) -> HttpResponse:
    """Leave the request's target as it is and swap only `names` (e.g. a live refresh that
    failed: the rows the user is reading stay, a status line says updates are paused)."""
    response = HttpResponse(_render_parts(request, template_name, context, [], names))
    reswap(response, "none")  # htmx still performs the out-of-band swaps
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _render_parts(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any],
    in_place: Sequence[str],
    out_of_band: Sequence[str],
) -> str:
    """Several partials of one page in one context, whose processors (navigation, CSP nonce,
    messages...) run once rather than once per partial: fragments are the hot path (every live
    refresh is one)."""
    parts = [get_template(f"{template_name}#{name}").template for name in in_place]
    oob_parts = [get_template(f"{template_name}#{name}").template for name in out_of_band]
    request_context = make_context(context, request)
    with request_context.bind_template((parts or oob_parts)[0]):
        html = [part.render(request_context) for part in parts]
        with request_context.push(oob=True):
            html += [part.render(request_context) for part in oob_parts]
    return "".join(html)
