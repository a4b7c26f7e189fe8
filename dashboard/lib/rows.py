"""A table's rows: their values worked out once in Python, then placed by a Jinja2 template.

A list page shows up to 100 rows, refreshed every few seconds, and must cost little more than the
platform call behind it (bench/bench_visitors.py). Most of a row's cost is working out its
values (the link, "3 h ago", the exact local time), so each app turns a record into a small row
object (`dashboard/visitors/rows.py`...) with the helpers below, and its rows template
(`templates/jinja2/<app>/rows.html`) only places those values, with `{% jinja %}` from the page:

    {% jinja "visitors/rows.html" rows=rows %}

That template is rendered by Django's Jinja2 backend (settings.TEMPLATES, NAME "jinja2"):
autoescape on, an undefined name an error. Django's own engine costs several times as much per
row here, and escapes no better (the figures: bench/README.md).
"""

from datetime import UTC, datetime, timedelta, tzinfo
from typing import NamedTuple

from django.utils import timezone, translation

from dashboard.lib.words import gettext, ngettext
from dashboard.platforms.base import path_segment
from dashboard.platforms.errors import PlatformNotFound

__all__ = ["Badge", "Clock", "Moment", "Stamp", "ago", "detail_url", "path_segment", "stamp"]

ZERO = timedelta(0)


# Row values are NamedTuples: typed and immutable like a frozen dataclass, at a fraction of the
# cost to build (a frozen dataclass sets each field through object.__setattr__), and a page
# builds hundreds of them.


class Badge(NamedTuple):
    """A label shown as a badge (a status, a role): its text and the CSS kit's colour class."""

    label: str
    css: str = ""


class Moment(NamedTuple):
    """A time in a table cell: how long ago as its text, the exact local time as its tooltip."""

    iso: str  # the machine-readable datetime attribute, as the platform sent it
    exact: str  # "2026-12-06 09:12:05 CET"
    ago: str  # "3 h ago"


class Stamp(NamedTuple):
    """A time to the second in the viewer's zone, in a column whose heading names the zone."""

    iso: str  # the datetime attribute: the local time with its offset
    text: str  # "2026-12-06 09:12:05"


def stamp(when: datetime, zone: tzinfo) -> Stamp:
    """`when` in `zone`, as Django's `|date:"c"` and `|date:"Y-m-d H:i:s"` wrote it."""
    local = when.astimezone(zone).isoformat()
    return Stamp(local, f"{local[:10]} {local[11:19]}")


class Clock:
    """Now, the viewer's time zone and language, read once for all the rows of a page (reading
    the active zone or language costs more than the rest of a row's time); and each "3 h ago"
    put into words once per page: a page's rows share a few dozen such texts, and looking each
    up again (dashboard/lib/words.py keeps the catalogue's answer, not the sentence with its
    number) costs a few per cent of the rows' values (bench/README.md)."""

    def __init__(self, now: datetime | None = None, zone: tzinfo | None = None) -> None:
        self.now = now or timezone.now()
        self.zone = zone or timezone.get_current_timezone()
        self.in_utc = str(self.zone) == "UTC"
        self.language = translation.get_language()
        self._said: dict[tuple[int, int], str] = {}

    def moment(self, when: datetime | None) -> Moment | None:
        if when is None:
            return None
        # isoformat() and slicing: strftime would cost as much as the rest of the row. A time
        # in UTC (how records read the platforms' times) is formatted naive with its offset
        # written out: the same text, without isoformat() asking the zone for the offset.
        iso = (
            f"{when.replace(tzinfo=None).isoformat()}+00:00"
            if when.tzinfo is UTC
            else when.isoformat()
        )
        if self.in_utc and when.utcoffset() == ZERO:
            exact = f"{iso[:10]} {iso[11:19]} UTC"  # the same wall time: no second formatting
        else:
            local = when.astimezone(self.zone)
            # The wall time to the second, without its offset: formatting a naive copy costs
            # less than formatting the offset and slicing it off again.
            wall = local.replace(tzinfo=None).isoformat(" ", "seconds")
            exact = f"{wall} {local.tzname()}"
        return Moment(iso, exact, self.ago(when))

    def ago(self, when: datetime) -> str:
        """`ago(when, now)`, each distinct text looked up once per clock (the language is the
        same for all the rows of a page)."""
        amount = _amount(when, self.now)
        said = self._said.get(amount)
        if said is None:
            said = self._said[amount] = _say(*amount, self.language)
        return said


def ago(when: datetime, now: datetime) -> str:
    """“3 min ago”, “5 h ago”, “2 days ago”: the largest unit only, in the active language
    (with its plural forms: Turkish has one, German and Spanish two)."""
    return _say(*_amount(when, now), translation.get_language())


def _amount(when: datetime, now: datetime) -> tuple[int, int]:
    """(unit in seconds, how many): the largest unit only; (0, 0) under a minute."""
    seconds = int((now - when).total_seconds())
    if seconds >= 86_400:
        return 86_400, seconds // 86_400
    if seconds >= 3_600:
        return 3_600, seconds // 3_600
    if seconds >= 60:
        return 60, seconds // 60
    return 0, 0  # a time in the future too


def _say(unit: int, count: int, language: str) -> str:
    """The words for (unit, count) in `language` (the active one), kept per process."""
    if unit == 86_400:
        said = ngettext("%(count)d day ago", "%(count)d days ago", count, language)
    elif unit == 3_600:
        said = ngettext("%(count)d h ago", "%(count)d h ago", count, language)
    elif unit == 60:
        said = ngettext("%(count)d min ago", "%(count)d min ago", count, language)
    else:
        return gettext("just now", language)
    return said % {"count": count}


def detail_url(list_url: str, record_id: str) -> str:
    """`/visitors/<id>/` from the list's URL: `{% url %}` would raise (a 500) on an id that is not
    a slug, and ids are platform data like the rest, so each is one percent-encoded segment. An
    id no page can have ("", "..") gets no link ("")."""
    try:
        return f"{list_url}{path_segment(record_id)}/"
    except PlatformNotFound:
        return ""
