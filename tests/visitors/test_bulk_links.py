"""The list pages offer bulk actions on everything matching their filters: the links carry the
filters (not the page or page size), and agents, who cannot run them, do not see them."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.accounts.helpers import htmx_headers

pytestmark = pytest.mark.django_db


def links_to(html: str, path: str) -> list[dict[str, list[str]]]:
    """The query of every link in the page whose path is `path`."""
    found = []
    for chunk in html.split('href="')[1:]:
        href = chunk.split('"', 1)[0].replace("&amp;", "&")
        if urlsplit(href).path == path:
            found.append(parse_qs(urlsplit(href).query))
    return found


def test_visitor_bulk_links_carry_the_filters_but_not_the_page(manager_client, platform):
    html = manager_client.get("/visitors/?isOnline=true&tags=vip&page=2&limit=10").content.decode()

    for name in ("bulk_tags", "bulk_export", "bulk_delete"):
        [query] = links_to(html, reverse(f"visitors:{name}"))
        assert query == {"isOnline": ["true"], "tags": ["vip"]}
    [broadcast] = links_to(html, reverse("broadcasts:new"))
    assert broadcast == {"isOnline": ["true"], "tags": ["vip"], "audience": ["visitors"]}


def test_the_table_fragment_brings_links_for_the_new_filters(manager_client, platform):
    response = manager_client.get(
        "/visitors/?search=a",
        headers={**htmx_headers("http://testserver/visitors/"), "HX-Target": "visitor-table"},
    )

    [query] = links_to(response.content.decode(), reverse("visitors:bulk_tags"))
    assert query == {"search": ["a"]}


def test_conversation_bulk_links_carry_the_filters(manager_client, platform):
    html = manager_client.get("/conversations/?status=WAITING&page=2").content.decode()

    for name in ("bulk_resolve", "bulk_assign", "bulk_export"):
        [query] = links_to(html, reverse(f"conversations:{name}"))
        assert query["status"] == ["WAITING"] and "page" not in query


def test_agents_see_no_bulk_actions(agent_client, platform):
    for page in ("/visitors/", "/conversations/"):
        html = agent_client.get(page).content.decode()
        assert "/bulk/" not in html and reverse("broadcasts:new") not in html


def test_the_agents_page_offers_inviting_from_a_csv_file(manager_client, platform):
    html = manager_client.get("/agents/").content.decode()

    assert links_to(html, reverse("agents:bulk_invite")) == [{}]


def test_each_bulk_link_opens_its_page(manager_client, platform):
    html = manager_client.get("/visitors/?tags=vip").content.decode()
    html += manager_client.get("/conversations/?status=WAITING").content.decode()
    hrefs = {
        chunk.split('"', 1)[0].replace("&amp;", "&")
        for chunk in html.split('href="')[1:]
        if chunk.startswith(("/visitors/bulk/", "/conversations/bulk/", "/broadcasts/new/"))
    }
    assert len(hrefs) == 8

    for href in sorted(hrefs):
        assert manager_client.get(href).status_code == 200, href
