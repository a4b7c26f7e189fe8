"""The pager: the pages it links, and its markup (Jinja2 with Django's querystring)."""

import pytest
from django.http import QueryDict
from django.template import Context, Template

from dashboard.lib.pager import Pager


@pytest.mark.parametrize(
    ("page", "window"),
    [
        (1, [1, 2, 3, None, 10]),
        (5, [1, None, 3, 4, 5, 6, 7, None, 10]),
        (10, [1, None, 8, 9, 10]),
    ],
)
def test_the_window_links_the_ends_and_two_pages_either_side(page, window):
    assert Pager(page, 10, 100, 10).window() == window


def test_a_page_past_the_end_is_told_apart():
    pager = Pager(40, 10, 25, 0)

    assert pager.pages == 3 and pager.beyond_last_page and pager.first_row == 0


def render(pager: Pager, query: str) -> str:
    template = Template(
        '{% load lists %}{% jinja "lists/pager.html" pager=pager query=query list_url="/v/" '
        'noun="visitors" %}'
    )
    return template.render(Context({"pager": pager, "query": QueryDict(query)}))


def test_links_keep_the_filters_change_only_the_page_and_are_escaped():
    html = render(Pager(2, 10, 30, 10), "search=%22%3E%3Cscript%3E&page=2")

    assert "<script>" not in html
    first = "/v/?search=%22%3E%3Cscript%3E&amp;page=1"
    assert f'<a class="page-link" href="{first}" hx-get="{first}" rel="prev">Previous</a>' in html
    assert '<span class="page-link" aria-current="page">2</span>' in html
    assert 'aria-label="Page 3">3</a>' in html
    assert "Showing 11–20 of 30 results" in html


def test_the_first_and_last_pages_disable_previous_and_next():
    first = render(Pager(1, 10, 30, 10), "")
    last = render(Pager(3, 10, 30, 10), "page=3")

    assert '<span class="page-link" aria-disabled="true">Previous</span>' in first
    assert 'rel="next"' in first
    assert '<span class="page-link" aria-disabled="true">Next</span>' in last
    assert 'rel="prev"' in last


def test_one_page_shows_the_count_and_no_links():
    html = render(Pager(1, 10, 4, 4), "")

    assert "Showing 1–4 of 4 results" in html and "pagination" not in html
