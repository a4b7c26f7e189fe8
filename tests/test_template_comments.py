"""A Django template's `{# … #}` comment ends on its own line: one spread over two lines is not a
comment, and its words are shown on the page. Longer comments use {% comment %}."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "templates"


def test_no_django_template_has_a_comment_over_two_lines():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(ROOT.rglob("*.html"))
        if "jinja2" not in path.relative_to(ROOT).parts  # Jinja2's comments may span lines
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]

    assert found == []
