"""Template helpers of the keys pages: the countdown's text, as the page first shows it.

static/js/apikeys.js keeps the same text live from the `datetime` attribute; the server renders
it too, so the page reads right without JavaScript.
"""

from datetime import datetime

from django import template
from django.utils.translation import gettext, gettext_lazy

from dashboard.lib.durations import FORMATS, duration_text

register = template.Library()


@register.filter
def countdown(moment: datetime | None, now: datetime) -> str:
    """“23 h 04 min”, “4 min 12 s”, “12 s” in the active language; “0 s” once it has passed."""
    if moment is None:
        return ""
    return duration_text((moment - now).total_seconds())


@register.filter
def window_label(seconds: int) -> str:
    """The overlap window a rotation was given, as the rotate form named it."""
    if not seconds:
        return gettext("no overlap")
    return duration_text(seconds, drop_zero=True)


KEY_STATUSES = {"ACTIVE": gettext_lazy("Active"), "INACTIVE": gettext_lazy("Inactive")}


@register.filter
def key_status(status: object) -> str:
    """A key's status as people read it ("Active", "Inactive"), in the active language; another
    status as the platform sent it, capitalised."""
    text = str(status or "")
    label = KEY_STATUSES.get(text)
    return str(label) if label is not None else text.lower().capitalize()


@register.inclusion_tag("includes/duration_formats.html")
def duration_formats() -> dict[str, object]:
    """The countdown's formats in the active language, for static/js/apikeys.js to use."""
    return {"formats": {name: str(text) for name, text in FORMATS.items()}}
