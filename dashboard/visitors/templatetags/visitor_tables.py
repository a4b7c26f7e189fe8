"""The visitors table's rows, and the tag filter's choices, rendered in Python.

Why not a template loop: a 100-row page through Django's template engine cost ~30 ms of the
page's budget (about 2,000 variable lookups, 200 date formats, 100 `{% url %}` reversals and
`timesince` translations per page), and the page must cost at most 10% over the platform call
behind it (bench/bench_visitors.py). Every value from the platform goes through `text()` (from
list_tables, shared with the conversations' rows), the same escaping as the templates' autoescape
(Django's own `escape` is the stdlib's plus lazy-string handling, which costs more than the rest
of the row); the finished rows are one SafeString.
tests/visitors/test_hostile.py checks the seed's hostile strings come out escaped.

The tag filter's checkboxes and suggestions are here for the same reason: each known tag of the
workspace (up to facets.MAX_TAGS, 200) is two template loop turns, ~2.3 ms of a page at 200 tags.
"""

from datetime import datetime

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from dashboard.platforms.connextlive_records import Visitor
from dashboard.visitors.templatetags.list_tables import DASH, moment, path_segment, text

register = template.Library()

# Fixed markup, no data in it.
ONLINE = (
    '<span class="status-dot status-dot-animated status-green" aria-hidden="true"></span> '
    "<span>Online</span>"
)
OFFLINE = (
    '<span class="status-dot status-secondary" aria-hidden="true"></span> '
    '<span class="text-secondary">Offline</span>'
)
RETURNING = '<span class="badge bg-blue-lt">Returning</span>'
NEW = '<span class="text-secondary">New</span>'


@register.simple_tag
def visitor_rows(visitors: list[Visitor]) -> SafeString:
    """Every row of the table, one `<tr>` per visitor; every value from the platform goes
    through text() on its way in."""
    prefix = reverse("visitors:list")
    now = timezone.now()
    return SafeString("".join([visitor_row(visitor, prefix, now) for visitor in visitors]))


def visitor_row(visitor: Visitor, prefix: str, now: datetime) -> str:
    url = text(f"{prefix}{path_segment(visitor.id)}/")
    name = text(visitor.user_name or "Anonymous visitor")
    email = (
        f'<div class="small text-secondary text-break">{text(visitor.user_email)}</div>'
        if visitor.user_email
        else ""
    )
    tags = "".join(
        f'<span class="badge bg-secondary-lt me-1">{text(tag)}</span>' for tag in visitor.tags
    )
    return (
        "<tr>\n"
        f'<td><a href="{url}">{name}</a>{email}</td>\n'
        f'<td class="text-nowrap">{text(visitor.user_phone) if visitor.user_phone else DASH}</td>\n'
        f"<td>{text(_location(visitor))}</td>\n"
        f"<td>{_site(visitor)}</td>\n"
        f"<td>{tags or DASH}</td>\n"
        f"<td>{ONLINE if visitor.is_online else OFFLINE}</td>\n"
        f"<td>{RETURNING if visitor.is_returning else NEW}</td>\n"
        f'<td class="text-nowrap">{moment(visitor.last_seen_at, now)}</td>\n'
        "</tr>\n"
    )


def _location(visitor: Visitor) -> str:
    if visitor.city and visitor.country:
        return f"{visitor.city}, {visitor.country}"
    return visitor.city or visitor.country or "—"


def _site(visitor: Visitor) -> str:
    if visitor.site and (visitor.site.name or visitor.site.domain):
        return text(visitor.site.name or visitor.site.domain)
    return DASH


# --- the tag filter ---------------------------------------------------------------------------


@register.simple_tag
def tag_filter_checkboxes(tags: list[str], checked: list[str], list_url: str) -> SafeString:
    """A checkbox per known tag, ticked when the filter has it; each change refreshes the table
    (`hx-get`, the form's other attributes inherited)."""
    url = text(list_url)
    ticked = set(checked)
    return SafeString("".join([_tag_checkbox(tag, tag in ticked, url) for tag in tags]))


def _tag_checkbox(tag: str, checked: bool, url: str) -> str:
    value = text(tag)
    return (
        '<label class="form-check form-check-inline m-0">\n'
        f'<input class="form-check-input" type="checkbox" name="tags" value="{value}"'
        f'{" checked" if checked else ""} hx-get="{url}" hx-trigger="change">\n'
        f'<span class="form-check-label">{value}</span>\n'
        "</label>\n"
    )


@register.simple_tag
def tag_datalist_options(tags: list[str]) -> SafeString:
    """The known tags as suggestions for the free-text tag input."""
    return SafeString("".join([f'<option value="{text(tag)}"></option>' for tag in tags]))
