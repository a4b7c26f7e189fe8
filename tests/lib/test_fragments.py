"""One test decides "page or fragment?", and answers after a form post never 302 into a fragment."""

import pytest
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from dashboard.lib.fragments import fragment_target, redirect_after_post, wants_fragment


def request_with(**headers: str):
    request = RequestFactory().get("/visitors/", headers=headers)
    request.htmx = HtmxDetails(request)
    return request


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        ({}, False),
        ({"HX-Request": "true", "HX-Target": "visitor-table"}, True),
        ({"HX-Request": "true", "HX-Boosted": "true"}, False),
        ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, False),
    ],
)
def test_boosted_and_history_restores_want_the_whole_page(headers, fragment):
    request = request_with(**headers)

    assert wants_fragment(request) is fragment
    assert fragment_target(request) == ("visitor-table" if fragment else "")


def test_after_a_post_htmx_gets_an_htmx_redirect_and_a_form_a_303():
    plain = redirect_after_post(request_with(), "/visitors/")
    htmx = redirect_after_post(request_with(**{"HX-Request": "true"}), "/visitors/")

    assert (plain.status_code, plain["Location"]) == (303, "/visitors/")
    assert htmx.status_code == 200 and htmx["HX-Redirect"] == "/visitors/"
