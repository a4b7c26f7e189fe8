"""The list pattern's links built in Python (listing.querystring, pager_links) read exactly as
Django's `{% querystring %}` tag wrote them."""

from html import escape

import pytest
from django.http import QueryDict
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from dashboard.visitors.listing import Pager, pager_links, querystring
from dashboard.visitors.templatetags.list_tables import pager_list, select_options

DJANGO_TAG = Template("{% querystring query page=page limit=limit audience=audience %}")
keys = st.sampled_from(["search", "tags", "page", "limit", "isOnline", "audience", "ü"])
values = st.text(max_size=12)
changes = st.none() | st.integers(min_value=1, max_value=500) | values


@given(
    pairs=st.lists(st.tuples(keys, values), max_size=8),
    page=changes,
    limit=changes,
    audience=changes,
)
def test_it_writes_what_djangos_tag_writes(pairs, page, limit, audience):
    query = QueryDict(mutable=True)
    for key, value in pairs:
        query.appendlist(key, value)
    context = Context({"query": query, "page": page, "limit": limit, "audience": audience})

    expected = DJANGO_TAG.render(Context(context.flatten(), autoescape=False))
    assert querystring(query, page=page, limit=limit, audience=audience) == expected


def test_a_changed_key_keeps_its_place_and_a_new_one_goes_last():
    query = QueryDict("page=3&search=jane&tags=a&tags=b")

    assert querystring(query, page=4) == "?page=4&search=jane&tags=a&tags=b"
    assert querystring(query, page=None, audience="visitors") == (
        "?search=jane&tags=a&tags=b&audience=visitors"
    )
    assert querystring(QueryDict(), page=None) == "?"


@pytest.mark.parametrize(
    ("page", "previous", "numbers", "next_page"),
    [
        (1, None, [1, 2, 3, None, 10], 2),
        (5, 4, [1, None, 3, 4, 5, 6, 7, None, 10], 6),
        (10, 9, [1, None, 8, 9, 10], None),
    ],
)
def test_pager_links_keep_the_filters_and_change_only_the_page(page, previous, numbers, next_page):
    query = QueryDict(f"search=jane&page={page}")
    links = pager_links(Pager(page, 10, 100, 10), query, "/visitors/")

    def url(number):
        return f"/visitors/?search=jane&page={number}"

    assert links.previous == (url(previous) if previous else "")
    assert links.next == (url(next_page) if next_page else "")
    assert [link.number for link in links.pages] == numbers
    for link in links.pages:
        assert link.current == (link.number == page)
        expected = "" if link.number in (None, page) else url(link.number)
        assert link.url == expected


def test_the_pager_markup_is_accessible_and_escapes_its_urls():
    query = QueryDict(mutable=True)
    query.setlist("search", ['"><script>alert(1)</script>'])
    query["page"] = "2"

    html = pager_list(Pager(2, 10, 30, 10), query, "/visitors/")

    assert "<script>" not in html
    first = "/visitors/?search=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E&amp;page=1"
    assert f'<a class="page-link" href="{first}" hx-get="{first}" rel="prev">Previous</a>' in html
    assert '<span class="page-link" aria-current="page">2</span>' in html
    assert 'aria-label="Page 3">3</a>' in html
    assert 'rel="next">Next</a>' in html


def test_the_first_and_last_pages_disable_previous_and_next():
    first = pager_list(Pager(1, 10, 30, 10), QueryDict(), "/visitors/")
    last = pager_list(Pager(3, 10, 30, 10), QueryDict("page=3"), "/visitors/")

    assert '<span class="page-link" aria-disabled="true">Previous</span>' in first
    assert 'rel="next"' in first
    assert '<span class="page-link" aria-disabled="true">Next</span>' in last
    assert 'rel="prev"' in last


def test_select_options_escape_platform_values_and_mark_the_selection():
    hostile = '"><img src=x onerror=alert(1)>'
    html = select_options([("site_1", hostile), ("site_2", "Shop & Co")], "site_2")

    assert "<img" not in html
    assert f'<option value="site_1">{escape(hostile)}</option>' in html
    assert '<option value="site_2" selected>Shop &amp; Co</option>' in html


def test_select_options_take_plain_values_and_compare_them_as_text():
    html = select_options([10, 25, 100], 25)

    assert html == (
        '<option value="10">10</option>\n'
        '<option value="25" selected>25</option>\n'
        '<option value="100">100</option>\n'
    )
    assert " selected" not in select_options(["None", "a"], None)
