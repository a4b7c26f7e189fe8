"""The visitors table's rows: each visitor's cell values, worked out once (dashboard/lib/rows.py),
for `templates/jinja2/visitors/rows.html`."""

from typing import NamedTuple

from dashboard.lib.rows import Clock, Moment, detail_url
from dashboard.lib.words import gettext
from dashboard.platforms.connextlive_records import Visitor


class VisitorRow(NamedTuple):
    url: str
    name: str
    email: str
    phone: str
    location: str
    site: str
    tags: list[str]
    online: bool
    returning: bool
    last_seen: Moment | None


def visitor_row(visitor: Visitor, list_url: str, clock: Clock) -> VisitorRow:
    # In the fields' order, not by keyword: a page builds a hundred, and a NamedTuple's keyword
    # arguments cost about as much again as the tuple (bench/README.md).
    return VisitorRow(
        detail_url(list_url, visitor.id),  # url
        visitor.user_name or gettext("Anonymous visitor", clock.language),  # name
        visitor.user_email or "",  # email
        visitor.user_phone or "",  # phone
        location(visitor),  # location
        (visitor.site.name or visitor.site.domain) if visitor.site else "",  # site
        visitor.tags,  # tags
        bool(visitor.is_online),  # online
        bool(visitor.is_returning),  # returning
        clock.moment(visitor.last_seen_at),  # last_seen
    )


def location(visitor: Visitor) -> str:
    if visitor.city and visitor.country:
        return f"{visitor.city}, {visitor.country}"
    return visitor.city or visitor.country or ""
