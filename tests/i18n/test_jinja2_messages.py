"""The Jinja2 templates' words reach the catalogues. `make messages` reads templates with Django's
`templatize`, which understands `{{ _("...") }}` only when `_(` opens the expression: a word
written as `{{ a if b else _("...") }}` would never be extracted, and would stay in English the
day no other template happens to say it. Jinja2's own extractor finds every `_()` call."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.utils.translation.template import templatize

JINJA2 = Path(settings.BASE_DIR) / "templates" / "jinja2"
TEMPLATES = sorted(JINJA2.rglob("*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(JINJA2)))
def test_every_word_of_a_jinja2_template_is_extracted_by_make_messages(path):
    source = path.read_text()
    said = {
        message
        for _line, _function, message in engines["jinja2"].env.extract_translations(source)
        if isinstance(message, str)
    }

    extracted = templatize(source, origin=str(path))

    missed = sorted(
        message
        for message in said
        if f'_("{message}")' not in extracted and f"_('{message}')" not in extracted
    )
    assert not missed, f"write these as {{{{ _(...) }}}} of their own: {missed}"


def test_the_check_reads_the_templates():
    assert len(TEMPLATES) > 20
