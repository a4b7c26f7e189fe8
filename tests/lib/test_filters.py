"""List filter forms over the query string: garbage is clamped or ignored, never an error; the
canonical query leaves defaults out; each control refreshes the table alone."""

import pytest
from django import forms
from django.http import QueryDict

from dashboard.lib.filters import (
    KnownValuesInput,
    LenientChoiceField,
    LenientMultipleTextField,
    LenientTextField,
    ListFilterForm,
    PageField,
    PageSizeField,
    SearchField,
)


class ExampleFilters(ListFilterForm):
    search = SearchField(placeholder="Name")
    state = LenientChoiceField(choices=(("on", "On"), ("off", "Off")), blank_label="Any")
    owner = LenientTextField(max_length=10, label="Owner", widget=forms.Select)
    tags = LenientMultipleTextField(
        max_length=5, max_count=2, widget=KnownValuesInput(other_label="Another tag")
    )
    page = PageField()
    limit = PageSizeField(sizes=(10, 25, 100), default=25, max_value=50)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"search": "", "state": "", "owner": "", "tags": [], "page": 1, "limit": 25}),
        ("page=-3&limit=5000", {"page": 1, "limit": 50}),
        ("page=two&limit=&state=maybe", {"page": 1, "limit": 25, "state": ""}),
        (
            "search=%20jane%00\t%20&owner=abcdefghijklmnop",
            {"search": "jane", "owner": "abcdefghij"},
        ),
        ("tags=a&tags=a&tags=&tags=toolong&tags=b", {"tags": ["a", "toolo"]}),
    ],
)
def test_garbage_is_clamped_or_ignored(query, expected):
    form = ExampleFilters(QueryDict(query))

    assert form.is_valid()
    assert {name: form.filters[name] for name in expected} == expected


def test_the_canonical_query_leaves_defaults_and_garbage_out():
    form = ExampleFilters(QueryDict("search=jane&page=1&limit=25&state=maybe&tags=vip"))

    assert form.canonical_query().urlencode() == "search=jane&tags=vip"
    assert form.canonical_url("/things/", page=3) == "/things/?search=jane&tags=vip&page=3"
    assert ExampleFilters(QueryDict("")).canonical_url("/things/") == "/things/"


def test_each_visible_control_refreshes_the_table_and_the_page_is_no_control():
    form = ExampleFilters(QueryDict("limit=40"), list_url="/things/")

    visible = {bound.name: bound.field.widget.attrs for bound in form.visible_fields()}
    assert set(visible) == {"search", "state", "owner", "tags", "limit"}
    assert visible["search"]["hx-trigger"] == "input changed delay:300ms, search"
    assert visible["state"]["hx-trigger"] == "change"
    assert all(attrs["hx-get"] == "/things/" for attrs in visible.values())
    # The URL's own page size stays selectable beside the usual ones.
    assert list(form.fields["limit"].widget.choices) == [(10, 10), (25, 25), (40, 40)]


def test_options_known_at_request_time_keep_the_urls_own_value():
    form = ExampleFilters(QueryDict("owner=usr_9"), list_url="/things/")

    form.set_choices("owner", [("usr_1", "Ada")], blank="Anyone")

    assert list(form.fields["owner"].widget.choices) == [
        ("", "Anyone"),
        ("usr_1", "Ada"),
        ("usr_9", "usr_9"),
    ]
    assert 'value="usr_9" selected' in str(form["owner"])


def test_the_filter_form_escapes_what_the_url_and_the_platform_put_in_it():
    hostile = '"><script>alert(1)</script>'
    form = ExampleFilters(QueryDict(f"search={hostile}&owner=x"), list_url="/things/")
    form.set_choices("owner", [(hostile, hostile)], blank="Anyone")
    form.fields["tags"].widget.known = [hostile]

    html = "".join(bound.as_field_group() for bound in form.visible_fields())

    assert "<script>" not in html
    assert html.count("&lt;script&gt;") >= 4  # the search box, the option, the checkbox, its label


def test_a_list_context_names_the_filters_the_query_and_the_refresh_url():
    form = ExampleFilters(QueryDict("search=jane&page=1&junk=1"))
    context = form.list_context("/visitors/")

    assert context["form"] is form
    assert context["filters"] == form.filters
    assert context["query"].urlencode() == "search=jane"  # the default page is left out
    assert context["list_url"] == "/visitors/"
    assert context["refresh_url"] == "/visitors/?search=jane" == form.canonical_url("/visitors/")
    assert ExampleFilters(QueryDict()).list_context("/visitors/")["refresh_url"] == "/visitors/"
