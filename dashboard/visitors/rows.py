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
    return VisitorRow(
        url=detail_url(list_url, visitor.id),
        name=visitor.user_name or gettext("Anonymous visitor", clock.language),
        email=visitor.user_email or "",
        phone=visitor.user_phone or "",
        location=location(visitor),
        site=(visitor.site.name or visitor.site.domain) if visitor.site else "",
        tags=visitor.tags,
        online=bool(visitor.is_online),
        returning=bool(visitor.is_returning),
        last_seen=clock.moment(visitor.last_seen_at),
    )


def location(visitor: Visitor) -> str:
    if visitor.city and visitor.country:
        return f"{visitor.city}, {visitor.country}"
    return visitor.city or visitor.country or ""
