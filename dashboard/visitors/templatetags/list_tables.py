"""Tags for the list pattern of `dashboard.visitors.listing` (the visitors and conversations
lists, a conversation's messages), and the helpers their Python-rendered rows share: platform data
as HTML text, ids as path segments, moments as `<time>`."""

import html
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import quote

from django import template
from django.http import QueryDict
from django.utils.safestring import SafeString

from dashboard.visitors.listing import PageLink, Pager, pager_links

register = template.Library()

# --- platform data as HTML, for the rows and links rendered in Python --------------------------

DASH = '<span class="text-secondary">—</span>'  # an empty cell

# Finds the first character that HTML text must escape; most values have none.
_SPECIAL = re.compile("[&<>\"']").search


def text(value: str) -> str:
    """Platform data (always a str in the records) as HTML text: `& < > " '` escaped, as Django's
    autoescape does (quote=True is html.escape's default). A 100-row page escapes some 700
    values, most of them plain: one search for a special character costs less than half of
    html.escape's five replacements."""
    return html.escape(value) if _SPECIAL(value) else value


# What quote(safe="") leaves as it is. Platform ids (`vis_01H...`) are made of these only, and
# telling so costs a quarter of what quote() does.
_UNRESERVED = re.compile("[A-Za-z0-9_.~-]+").fullmatch


def path_segment(value: str) -> str:
    """An id as one path segment: an id is platform data too, percent-encoded whatever it holds."""
    return value if _UNRESERVED(value) else quote(value, safe="")


def moment(when: datetime | None, now: datetime) -> str:
    """A platform moment in a table cell: `<time>` with the exact UTC time as its title, and how
    long ago as its text."""
    if when is None:
        return DASH
    # One isoformat() for both attributes (the records' datetimes are UTC): strftime would cost
    # as much as the rest of the row.
    iso = when.isoformat()
    return f'<time datetime="{iso}" title="{iso[:10]} {iso[11:19]} UTC">{ago(when, now)}</time>'


def ago(moment: datetime, now: datetime) -> str:
    """“3 min ago”, “5 h ago”, “2 days ago”: the largest unit only (and cheap)."""
    seconds = max(0, int((now - moment).total_seconds()))
    for unit_seconds, unit in ((86_400, "day"), (3_600, "h"), (60, "min")):
        if seconds >= unit_seconds:
            count = seconds // unit_seconds
            plural = "s" if unit == "day" and count != 1 else ""
            return f"{count} {unit}{plural} ago"
    return "just now"


# --- tags ---------------------------------------------------------------------------------------


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
    href = html.escape(url)
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
    href = html.escape(link.url)
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
        options.append(
            f'<option value="{html.escape(value)}"{mark}>{html.escape(str(label))}</option>\n'
        )
    return SafeString("".join(options))
