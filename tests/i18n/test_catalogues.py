"""The catalogues (locale/<lang>/LC_MESSAGES/django.po): every message translated, none fuzzy,
the same placeholders and markup as its English, the plurals each language's gettext rules ask
for. What `msgfmt --check --statistics` checks, in Python (no GNU gettext needed)."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]
# gettext's plural rules: Turkish has one form for every count after a number (CLDR "other"
# besides "one" for 1 only as a noun phrase), German and Spanish singular for 1 alone.
PLURAL_FORMS = {
    "tr": "nplurals=2; plural=(n > 1);",
    "de": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
}
PLACEHOLDER = re.compile(r"%\([a-zA-Z_]+\)[0-9]*[sd]|%[sd]|\{[a-zA-Z_]*\}")
TAG = re.compile(r"</?[a-z]+[^>]*>")


def catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def tags(text: str) -> list[str]:
    return sorted(TAG.findall(text))


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(code):
    po = catalogue(code)

    assert len(po) > 400  # the whole console, not an empty file
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [], f"{code}: untranslated {untranslated[:10]}"
    assert fuzzy == [], f"{code}: fuzzy {fuzzy[:10]}"
    assert not po.metadata_is_fuzzy
    assert po.metadata["Plural-Forms"] == PLURAL_FORMS[code]
    for entry in po:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0, 1], entry.msgid
            assert all(entry.msgstr_plural.values()), entry.msgid


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_the_placeholders_and_markup_of_their_english(code):
    wrong = []
    for entry in catalogue(code):
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        english = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        for text in forms:
            # A plural form may drop the count ("one message"), never add or rename one.
            expected = set(placeholders(" ".join(english)))
            if not set(placeholders(text)) <= expected or (
                not entry.msgid_plural and placeholders(text) != placeholders(entry.msgid)
            ):
                wrong.append((entry.msgid, text))
            if tags(text) != tags(entry.msgid):
                wrong.append((entry.msgid, text))
    assert wrong == []


def test_the_checker_catches_what_it_is_for():
    """The checks above fail on the mistakes they exist for (a check that cannot fail is none)."""
    assert placeholders("%(count)d days ago") != placeholders("%(cuont)d gün önce")
    assert placeholders("Up to {count} files") != placeholders("En çok {sayı} dosya")
    assert tags("Its SHA-256 starts with <code>%(hash)s</code>") != tags("Özeti %(hash)s")
    entry = polib.POEntry(msgid="Save", msgstr="Kaydet", flags=["fuzzy"])
    po = polib.POFile()
    po.append(entry)
    po.append(polib.POEntry(msgid="Cancel", msgstr=""))
    assert [e.msgid for e in po.fuzzy_entries()] == ["Save"]
    assert [e.msgid for e in po.untranslated_entries()] == ["Cancel"]


@pytest.mark.parametrize(
    ("code", "one", "five"),
    [
        ("tr", "1 gün önce", "5 gün önce"),
        ("de", "vor 1 Tag", "vor 5 Tagen"),
        ("es", "hace 1 día", "hace 5 días"),
        ("en", "1 day ago", "5 days ago"),
    ],
)
def test_the_compiled_catalogues_give_each_languages_plurals(code, one, five):
    from datetime import UTC, datetime, timedelta

    from dashboard.lib.rows import ago

    now = datetime(2026, 12, 6, 12, tzinfo=UTC)
    with translation.override(code):
        assert ago(now - timedelta(days=1), now) == one
        assert ago(now - timedelta(days=5, hours=3), now) == five


@pytest.mark.parametrize(
    ("code", "texts"),
    [
        ("en", ("45 s", "3 min 20 s", "2 h 05 min", "3 d 4 h")),
        ("tr", ("45 sn", "3 dk 20 sn", "2 sa 05 dk", "3 g 4 sa")),
        ("de", ("45 s", "3 Min. 20 s", "2 Std. 05 Min.", "3 T. 4 Std.")),
    ],
)
def test_report_durations_are_in_the_language(code, texts):
    from dashboard.reports.figures import readable

    with translation.override(code):
        shown = tuple(readable(s) for s in (45, 200, 2 * 3600 + 300, 3 * 86_400 + 4 * 3600))
    assert shown == texts


def test_countdowns_and_windows_are_in_the_language():
    from dashboard.apikeys.templatetags.apikeys import countdown, duration_formats, window_label

    now = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
    with translation.override("tr"):
        assert countdown(now + timedelta(minutes=59, seconds=3), now) == "59 dk 3 sn"
        assert window_label(7 * 86_400) == "7 g"
        assert window_label(3600) == "1 sa"
        # The page hands the same words to static/js/apikeys.js, which keeps the countdown live.
        assert duration_formats()["formats"]["min-s"] == "%(minutes)d dk %(seconds)d sn"
