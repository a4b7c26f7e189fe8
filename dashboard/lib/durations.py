"""A length of time in the active language, in the short words tables use: "45 s", "3 min 20 s",
"2 h 05 min", "3 d 4 h". The report figures, the keys' countdowns and the rotation windows say it
the same way; static/js/apikeys.js keeps a countdown going with these same formats, which the
page hands it (templates/includes/duration_formats.html)."""

from django.utils.translation import pgettext_lazy

# Each format by the name the page and the script know it by.
FORMATS = {
    "s": pgettext_lazy("duration", "%(seconds)d s"),
    "min-s": pgettext_lazy("duration", "%(minutes)d min %(seconds)d s"),
    "min": pgettext_lazy("duration", "%(minutes)d min"),
    "h-min": pgettext_lazy("duration", "%(hours)d h %(minutes)02d min"),
    "h": pgettext_lazy("duration", "%(hours)d h"),
    "d-h": pgettext_lazy("duration", "%(days)d d %(hours)d h"),
    "d": pgettext_lazy("duration", "%(days)d d"),
}


def duration_text(seconds: float, *, drop_zero: bool = False) -> str:
    """Two units at most, the larger first ("3 min" when the seconds are 0); a negative length
    is "0 s". With `drop_zero`, whole hours or days say only that unit ("1 h", "7 d"), as a
    chosen window is named."""
    seconds = max(0, int(seconds))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, rest = divmod(rest, 60)
    values = {"days": days, "hours": hours, "minutes": minutes, "seconds": rest}
    if days:
        name = "d" if drop_zero and not hours else "d-h"
    elif hours:
        name = "h" if drop_zero and not minutes else "h-min"
    elif minutes:
        name = "min-s" if rest else "min"
    else:
        name = "s"
    return str(FORMATS[name]) % values
