"""Fixed words kept per process and language (dashboard/lib/words.py): each language still gets
its own words, with its plural forms, and a clock's rows follow the language it was made in."""

from datetime import UTC, datetime, timedelta

from django.utils import translation

from dashboard.lib import words
from dashboard.lib.rows import Clock

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def test_a_kept_word_is_said_in_each_language_asked():
    said = {}
    for language in ("en", "tr", "de", "en", "tr"):
        with translation.override(language):
            said.setdefault(language, set()).add(words.gettext("Online"))
    assert said == {"en": {"Online"}, "tr": {"Çevrimiçi"}, "de": {"Online"}}


def test_plurals_are_kept_per_count_and_language():
    def days(count, language):
        return words.ngettext("%(count)d day ago", "%(count)d days ago", count, language)

    assert [days(1, "de"), days(2, "de"), days(1, "en"), days(2, "en")] == [
        "vor %(count)d Tag",
        "vor %(count)d Tagen",
        "%(count)d day ago",
        "%(count)d days ago",
    ]


def test_a_clock_says_how_long_ago_in_its_language():
    with translation.override("tr"):
        turkish = Clock(NOW).moment(NOW - timedelta(hours=3))
    with translation.override("de"):
        german = [Clock(NOW).moment(NOW - timedelta(days=n)).ago for n in (1, 2, 2)]
    english = Clock(NOW).moment(NOW - timedelta(hours=3))

    assert turkish.ago == "3 sa önce"
    assert german == ["vor 1 Tag", "vor 2 Tagen", "vor 2 Tagen"]
    assert english.ago == "3 h ago"


def test_changing_the_languages_forgets_what_was_kept(settings):
    with translation.override("tr"):
        words.gettext("Online")
    assert words._kept
    settings.LANGUAGES = [("en", "English"), ("tr", "Türkçe")]
    assert not words._kept
