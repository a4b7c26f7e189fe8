"""`{% load job_tags %}`: the CSS kit's badge colour for a job's state, a kind's label, the
texts a worker stored in English said in the reader's language, and numbers with thousands
separators."""

import re

from django import template
from django.utils.translation import gettext, ngettext

from dashboard.jobs.kinds import label_of
from dashboard.platforms.errors import said_again, stored_text

register = template.Library()

_BADGES = {
    "draft": "bg-secondary-lt",
    "scheduled": "bg-azure-lt",
    "running": "bg-blue-lt",
    "paused": "bg-yellow-lt",
    "done": "bg-green-lt",
    "cancelled": "bg-red-lt",
}


@register.filter
def state_badge(state: str) -> str:
    return _BADGES.get(state, "bg-secondary-lt")


@register.filter
def kind_label(kind: str) -> str:
    """What the pages call a job kind ("Delete visitors"), from the app that registered it."""
    return label_of(kind)


_PAUSED = re.compile(r"Paused: (?P<reason>.*)\. Fix it, then resume\.", re.S)
_AUTO_PAUSED = re.compile(
    r"Paused automatically after (?P<count>\d+) consecutive platform errors\. Last: (?P<last>.*)",
    re.S,
)
# broadcasts/once.py: a person's record on a later channel of a broadcast on several channels.
_ALREADY_REACHED = re.compile(r"(?P<channel>.+): skipped, already reached through (?P<earlier>.+)")


@register.filter
def stored(text: str | None) -> str:
    """A pause reason, last error or item error as a worker stored it (in English, for the logs
    and every reader alike), in the reader's language: the runner's own sentences and a platform
    error's title and own words translated; the platform's own words, and anything unknown, as
    they are."""
    text = text or ""
    if match := _PAUSED.fullmatch(text):
        reason = said_again(match.group("reason"))
        return gettext("Paused: %(reason)s. Fix it, then resume.") % {"reason": reason}
    if match := _AUTO_PAUSED.fullmatch(text):
        count = int(match.group("count"))
        return ngettext(
            "Paused automatically after %(count)s consecutive platform error. Last: %(last)s",
            "Paused automatically after %(count)s consecutive platform errors. Last: %(last)s",
            count,
        ) % {"count": count, "last": said_again(match.group("last"))}
    if match := _ALREADY_REACHED.fullmatch(text):
        return gettext("%(channel)s: skipped, already reached through %(earlier)s") % {
            "channel": match.group("channel"),
            "earlier": match.group("earlier"),
        }
    return stored_text(text)


@register.filter
def thousands(number: int | None) -> str:
    """1200 as "1,200" (the pages' English)."""
    return "" if number is None else f"{int(number):,}"
