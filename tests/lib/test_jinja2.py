"""The Jinja2 partials' output escaping (dashboard/lib/jinja2.py): every `{{ value }}` goes through
`escape_output`, which replaces exactly what markupsafe's escape replaces."""

import jinja2
import pytest
from django.template import engines
from django.utils.safestring import mark_safe
from markupsafe import Markup, escape

from dashboard.lib.jinja2 import escape_output

HOSTILE = [
    '"><svg onload=alert(1)>',
    "Robert'); DROP TABLE visitors;--",
    "<script>alert(1)</script> & co",
    "invoice\u202efdp.exe",
    "",
    "plain",
]


class WithHtml:
    def __html__(self) -> str:
        return "<b>already markup</b>"


class Number:
    def __str__(self) -> str:
        return "<1 & 2>"


@pytest.mark.parametrize("value", [*HOSTILE, Markup("<i>x</i>"), WithHtml(), Number(), 42, None])
def test_escape_output_writes_what_markupsafe_writes(value):
    assert escape_output(value) == str(escape(value))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_template_writes_hostile_text_inert_and_marked_safe_text_as_is(text):
    template = engines["jinja2"].from_string("<p title='{{ text }}'>{{ text }}</p>{{ safe }}")

    html = template.render({"text": text, "safe": mark_safe("<em>ok</em>")})

    assert html == f"<p title='{escape(text)}'>{escape(text)}</p><em>ok</em>"
    assert "<script" not in html and "<svg" not in html


def test_templates_from_files_and_strings_use_escape_output():
    """The console's templates write through escape_output. Jinja2's generated code names the
    function `escape` in the template's namespace: if a Jinja2 release stops doing that, this
    fails (and the templates fall back to markupsafe's slower escape, still escaping)."""
    from_file = engines["jinja2"].get_template("visitors/rows.html").template
    from_string = engines["jinja2"].from_string("{{ x }}").template

    for template in (from_file, from_string):
        assert template.root_render_func.__globals__["escape"] is escape_output


def test_an_undefined_name_is_still_an_error():
    with pytest.raises(jinja2.UndefinedError):
        engines["jinja2"].from_string("{{ missing }}").render({})
