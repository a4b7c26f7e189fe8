"""Tags for the list pattern of `dashboard.visitors.listing` (the visitors and conversations
lists, a conversation's messages)."""

from collections.abc import Iterable
from html import escape
from typing import Any

from django import template
from django.http import QueryDict
from django.utils.safestring import SafeString

from dashboard.visitors.listing import PageLink, Pager, pager_links

register = template.Library()


@register.simple_tag
def pager_list(pager: Pager, query: QueryDict, list_url: str) -> SafeString:
    """The pager's links (`<ul class="pagination">`): previous, the numbers around this page with
    gaps, next; each URL keeps the filters and changes only `page` (listing.pager_links).

    Rendered in Python like the visitors' rows: through the template engine, its loop and a
    dozen conditionals were about a twentieth of a list page's work. Every URL is escaped.
    """
    links = pager_links(pager, query, list_url)
    items = [
        _step(links.previous, "Previous", "prev"),
        *(_number(link) for link in links.pages),
        _step(links.next, "Next", "next"),
    ]
    return SafeString('<ul class="pagination m-0 ms-auto">\n' + "".join(items) + "</ul>\n")


def _step(url: str, label: str, rel: str) -> str:
    if not url:
        return (
            '<li class="page-item disabled">'
            f'<span class="page-link" aria-disabled="true">{label}</span></li>\n'
        )
    href = escape(url)
    return (
        '<li class="page-item">'
        f'<a class="page-link" href="{href}" hx-get="{href}" rel="{rel}">{label}</a></li>\n'
    )


def _number(link: PageLink) -> str:
    if link.number is None:
        return '<li class="page-item disabled"><span class="page-link">…</span></li>\n'
    if link.current:
        return (
            '<li class="page-item active">'
            f'<span class="page-link" aria-current="page">{link.number}</span></li>\n'
        )
    href = escape(link.url)
    return (
        '<li class="page-item"><a class="page-link" '
        f'href="{href}" hx-get="{href}" aria-label="Page {link.number}">{link.number}</a></li>\n'
    )


@register.simple_tag
def select_options(choices: Iterable[Any], selected: Any) -> SafeString:
    """`<option>`s of a filter's select: `choices` are values, or (value, label) pairs; the one
    equal to `selected` (compared as text) is selected. Sites, agents and page sizes come from the
    platform or the URL: every value and label is escaped."""
    chosen = "" if selected is None else str(selected)
    options = []
    for choice in choices:
        value, label = choice if isinstance(choice, tuple | list) else (choice, choice)
        value = str(value)
        mark = " selected" if value == chosen else ""
        options.append(f'<option value="{escape(value)}"{mark}>{escape(str(label))}</option>\n')
    return SafeString("".join(options))
