"""The console's fixed words in the active language, each looked up in the catalogues once per
process and language.

Django's `gettext` walks the active translation's catalogues (and their fallbacks) on every call,
and a list page says the same few dozen words on every request: the navigation's labels, its
partials' words, "3 h ago" for each row. The catalogues do not change while the process runs
(Django itself keeps each language's translation for the life of the process, dropped only when
a test changes LANGUAGES, LANGUAGE_CODE or LOCALE_PATHS: so are these), so a word's translation
is kept by (language, message). Only for messages written in the code or templates: never for
text that comes from users or platforms (it would grow without bound).
"""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation

# A bound for what could be said with a number in it ("3 days ago" for any count of days).
MAX_KEPT = 10_000

_kept: dict[tuple, str] = {}


def gettext(message: str, language: str | None = None) -> str:
    """`django.utils.translation.gettext(message)`, kept per language: `language` is the active
    one, read here unless the caller read it once for many words (translation.get_language())."""
    if language is None:
        language = translation.get_language()
    key = (language, message)
    said = _kept.get(key)
    if said is None:
        with translation.override(language):  # kept under `language`: said in it
            said = _keep(key, translation.gettext(message))
    return said


def ngettext(singular: str, plural: str, count: int, language: str) -> str:
    """`django.utils.translation.ngettext(singular, plural, count)`, kept per language:
    `language` is the active one, read by the caller once for many words
    (translation.get_language())."""
    key = (language, singular, plural, count)
    said = _kept.get(key)
    if said is None:
        with translation.override(language):  # kept under `language`: said in it
            said = _keep(key, translation.ngettext(singular, plural, count))
    return said


def _keep(key: tuple, said: str) -> str:
    if len(_kept) >= MAX_KEPT:
        _kept.clear()
    _kept[key] = said
    return said


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: object) -> None:
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"):
        _kept.clear()
