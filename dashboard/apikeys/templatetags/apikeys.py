"""Template helpers of the keys pages: the countdown's text, as the page first shows it.

static/js/apikeys.js keeps the same text live from the `datetime` attribute; the server renders
it too, so the page reads right without JavaScript.
"""

from datetime import datetime, timedelta

from django import template
from django.utils.translation import gettext, gettext_lazy

register = template.Library()


@register.filter
def countdown(moment: datetime | None, now: datetime) -> str:
    """“23 h 4 min”, “4 min 12 s”, “12 s”; “0 s” once the moment has passed."""
    if moment is None:
        return ""
    return duration_text(moment - now)


def duration_text(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {seconds} s"
    return f"{seconds} s"


@register.filter
def window_label(seconds: int) -> str:
    """The overlap window a rotation was given, as the rotate form named it."""
    if not seconds:
        return gettext("no overlap")
    return duration_text(timedelta(seconds=seconds)).replace(" 0 h", "").replace(" 0 min", "")


KEY_STATUSES = {"ACTIVE": gettext_lazy("Active"), "INACTIVE": gettext_lazy("Inactive")}


@register.filter
def key_status(status: object) -> str:
    """A key's status as people read it ("Active", "Inactive"), in the active language; another
    status as the platform sent it, capitalised."""
    text = str(status or "")
    label = KEY_STATUSES.get(text)
    return str(label) if label is not None else text.lower().capitalize()
