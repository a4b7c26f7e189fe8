"""The list pattern's links built in Python (listing.querystring, pager_links) read exactly as
Django's `{% querystring %}` tag wrote them."""

import pytest
from django.http import QueryDict
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from dashboard.visitors.listing import Pager, pager_links, querystring

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
