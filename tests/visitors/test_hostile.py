"""The seed's hostile strings (HTML, scripts, htmx attributes, template syntax...) sit in visitor
names, notes and tags: every page and fragment shows them as text, never as markup."""

import pytest

from sandbox.connextlive.hostile import HOSTILE_STRINGS, HOSTILE_TAGS, SCRIPT_TAG
from tests.accounts.helpers import platform_as
from tests.fixtures import sandbox as sandbox_fixtures
from tests.visitors.helpers import escaped_hostile_strings, htmx, unescaped_hostile_strings

pytestmark = pytest.mark.django_db


def hostile_visitors(platform):
    visitors = platform_as(platform, sandbox_fixtures.MANAGER_EMAIL).tenant.list_visitors(limit=100)
    return [
        v
        for v in visitors.items
        if v.user_name in HOSTILE_STRINGS
        or v.notes in HOSTILE_STRINGS
        or set(v.tags) & set(HOSTILE_TAGS)
    ]


@pytest.mark.parametrize("target", [None, "visitor-table", "visitor-rows"])
def test_the_list_and_its_fragments_show_hostile_strings_as_text(
    manager_client, console_platform, target
):
    headers = htmx(target) if target else {}

    html = manager_client.get("/visitors/?limit=100", headers=headers).content.decode()

    assert unescaped_hostile_strings(html) == []
    assert len(escaped_hostile_strings(html)) >= 5  # they were on the page, escaped


def test_the_list_filtered_by_a_hostile_tag(manager_client, console_platform):
    response = manager_client.get("/visitors/", {"tags": SCRIPT_TAG, "search": SCRIPT_TAG})

    html = response.content.decode()
    assert response.status_code == 200
    assert unescaped_hostile_strings(html) == []
    assert unescaped_hostile_strings(response.get("HX-Push-Url", "")) == []


def test_every_hostile_profile_shows_them_as_text(manager_client, agent_client, console_platform):
    visitors = hostile_visitors(console_platform)
    assert len(visitors) >= 10

    for visitor in visitors:
        for client in (manager_client, agent_client):
            html = client.get(f"/visitors/{visitor.id}/").content.decode()
            assert unescaped_hostile_strings(html) == [], visitor.id


def test_the_profile_fragments_show_them_as_text(manager_client, console_platform):
    visitor = next(v for v in hostile_visitors(console_platform) if set(v.tags) & set(HOSTILE_TAGS))
    tag = next(t for t in visitor.tags if t in HOSTILE_TAGS)

    url = f"/visitors/{visitor.id}"
    responses = [
        manager_client.post(f"{url}/tags/", {"add": SCRIPT_TAG}, headers=htmx("x")),
        manager_client.post(f"{url}/tags/", {"remove": tag}, headers=htmx("x")),
        manager_client.post(f"{url}/notes/", {"notes": SCRIPT_TAG, "seen": "x"}, headers=htmx("x")),
        manager_client.get(f"{url}/delete/", headers=htmx("visitor-delete")),
        manager_client.get(f"{url}/delete/"),
    ]

    for response in responses:
        assert response.status_code in (200, 422)
        assert unescaped_hostile_strings(response.content.decode()) == []
