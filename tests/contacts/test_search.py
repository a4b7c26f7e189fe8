"""/contacts/: one person on every connected platform, a panel per platform loaded by its own
request, with exactly the records the sandbox's seed shares (sandbox/people.py,
sandbox/connectiveone/shared.py), and a failing platform confined to its own panel."""

import re

import pytest

from dashboard.platforms.connectiveone import ApiKeyAuth, ConnectiveOneClient
from sandbox.connectiveone.credentials import API_KEY
from sandbox.connectiveone.shared import shared_rooms
from sandbox.people import PEOPLE
from tests.accounts.helpers import platform_as
from tests.broadcasts.helpers import set_up_connectiveone
from tests.fixtures import sandbox as sandbox_fixtures

JANE = PEOPLE[0]
TEST_CHAT_ROOMS = 2_500  # the sandbox's `test` seed
HTMX = {"HX-Request": "true"}


@pytest.fixture
def connected(manager_client, platform):
    set_up_connectiveone(manager_client, platform)
    return manager_client


@pytest.fixture
def janes_visitor(platform):
    manager = platform_as(platform, sandbox_fixtures.MANAGER_EMAIL).tenant
    (visitor,) = [v for v in manager.list_visitors(search=JANE.email).items
                  if v.user_email == JANE.email]  # fmt: skip
    return visitor


def panel_urls(html: str) -> dict[str, str]:
    found = re.findall(r'id="panel-([a-z]+)"[^>]*\s+hx-get="([^"]+)"', html)
    return {key: url.replace("&amp;", "&") for key, url in found}


def links(html: str, prefix: str) -> set[str]:
    return set(re.findall(rf'href="({prefix}[^"]+)"', html))


def janes_chats() -> set[str]:
    rooms = shared_rooms(TEST_CHAT_ROOMS)
    return {f"/connectiveone/chats/{room_id}/" for room_id, who in rooms.items() if who == JANE}


def look_up(client, **query) -> dict[str, str]:
    """The page, then each of its panels as htmx loads them: {platform: panel html}."""
    page = client.get("/contacts/", query)
    assert page.status_code == 200
    urls = panel_urls(page.content.decode())
    return {key: client.get(url, headers=HTMX).content.decode() for key, url in urls.items()}


def test_an_email_finds_the_person_on_each_platform_exactly(connected, janes_visitor):
    panels = look_up(connected, q="Jane.Cooper@example.NET")

    assert set(panels) == {"connextlive", "connectiveone"}
    assert links(panels["connextlive"], "/visitors/") == {f"/visitors/{janes_visitor.id}/"}
    assert links(panels["connectiveone"], "/connectiveone/chats/") == janes_chats()
    assert len(janes_chats()) == 2


@pytest.mark.parametrize(
    "query",
    [{"q": "+44 7700 900101"}, {"q": "07700 900101", "country": "GB"},
     {"q": "0044 7700-900-101"}],
)  # fmt: skip
def test_a_phone_written_several_ways_finds_the_same_records(connected, janes_visitor, query):
    panels = look_up(connected, **query)

    assert links(panels["connextlive"], "/visitors/") == {f"/visitors/{janes_visitor.id}/"}
    assert links(panels["connectiveone"], "/connectiveone/chats/") == janes_chats()


def test_numbers_without_a_plus_default_to_the_workspaces_country(connected):
    """The demo workspace's zone is America/New_York: a US number needs no +1."""
    page = connected.get("/contacts/", {"q": "(202) 555-0117"}).content.decode()

    assert 'value="US" selected' in page
    assert "%2B12025550117" in page  # Arjun Mehta's number, in E.164 in every panel's URL


def test_someone_on_one_platform_only(connected):
    liam = PEOPLE[1]  # a ConnectiveOne chat by phone; no Connextlive visitor, no e-mail there

    by_phone = look_up(connected, q=liam.phone)
    by_email = look_up(connected, q=liam.email)

    assert len(links(by_phone["connectiveone"], "/connectiveone/chats/")) == 1
    assert "No records of" in by_phone["connextlive"]
    assert "No records of" in by_email["connectiveone"]


def test_a_failing_platform_shows_in_its_own_panel_only(connected, janes_visitor, platform):
    platform.set_faults(errorRate=1.0, errorStatus=503, paths=r"^/connectiveone/")

    panels = look_up(connected, q=JANE.email)

    assert "Could not look in ConnectiveOne" in panels["connectiveone"]
    assert links(panels["connextlive"], "/visitors/") == {f"/visitors/{janes_visitor.id}/"}


def test_a_platform_not_connected_says_so(manager_client):
    panels = look_up(manager_client, q=JANE.email)

    assert "ConnectiveOne is not connected" in panels["connectiveone"]


def test_something_that_is_neither_is_said_plainly(connected):
    page = connected.get("/contacts/", {"q": "hello there"}).content.decode()

    assert "is neither an e-mail address nor a phone number" in page
    assert not panel_urls(page)


def test_a_visitors_profile_shows_where_else_they_are(connected, janes_visitor):
    profile = connected.get(f"/visitors/{janes_visitor.id}/").content.decode()
    urls = panel_urls(profile)
    panel = connected.get(urls["connectiveone"], headers=HTMX).content.decode()

    assert set(urls) == {"connectiveone"}  # not Connextlive itself
    assert "Also on" in profile
    assert links(panel, "/connectiveone/chats/") == janes_chats()


def test_a_visitors_conversations_load_under_the_match(connected, janes_visitor, platform):
    manager = platform_as(platform, sandbox_fixtures.MANAGER_EMAIL).tenant
    theirs = [c.id for c in manager.list_conversations(status="all", search=janes_visitor.id,
                                                       limit=50).items
              if c.visitor_id == janes_visitor.id][:10]  # fmt: skip
    panel = look_up(connected, q=JANE.email)["connextlive"]
    (url,) = re.findall(r'hx-get="(/contacts/connextlive/visitors/[^"]+)"', panel)

    items = connected.get(url, headers=HTMX).content.decode()

    assert theirs
    assert links(items, "/conversations/") == {f"/conversations/{c}/" for c in theirs}


def test_agents_look_people_up_too(connected, agent_client, janes_visitor):
    panels = look_up(agent_client, q=JANE.email)

    assert links(panels["connextlive"], "/visitors/") == {f"/visitors/{janes_visitor.id}/"}
    assert links(panels["connectiveone"], "/connectiveone/chats/") == janes_chats()


def test_without_javascript_a_panel_is_a_page(connected):
    page = connected.get("/contacts/panels/connectiveone/", {"email": JANE.email})

    assert page.status_code == 200 and "<!doctype html>" in page.content.decode().lower()
    assert connected.get("/contacts/panels/nowhere/", {"email": JANE.email}).status_code == 404


def test_the_sandbox_agrees_with_the_seed(platform):
    """A guard for the guard: the chats the tests expect are the sandbox's answer."""
    api = ConnectiveOneClient(platform.url + "/connectiveone", ApiKeyAuth(API_KEY))
    found = api.list_chat_rooms(email=JANE.email).items

    assert {f"/connectiveone/chats/{room.id}/" for room in found} == janes_chats()


def test_a_new_platforms_source_is_one_registered_class(connected, monkeypatch):
    """What the Naxon and UChat sources will do: register, and the page gets their panel."""
    from dashboard.contacts import sources
    from dashboard.contacts.sources import Findings, Match

    monkeypatch.setattr(sources, "SOURCES", dict(sources.SOURCES))

    @sources.register
    class Elsewhere:
        key = "elsewhere"
        label = "Elsewhere"

        def find(self, request, person, clock):
            return Findings(matches=[Match(title=f"Seen {person.email}", url="/somewhere/")])

    panels = look_up(connected, q=JANE.email)

    assert set(panels) == {"connextlive", "connectiveone", "elsewhere"}
    assert f"Seen {JANE.email}" in panels["elsewhere"]


def test_a_connectiveone_chat_shows_where_else_its_person_is(connected, janes_visitor):
    room_id = min(shared_id for shared_id, who in shared_rooms(TEST_CHAT_ROOMS).items()
                  if who == JANE)  # fmt: skip
    chat = connected.get(f"/connectiveone/chats/{room_id}/").content.decode()
    urls = panel_urls(chat)
    panel = connected.get(urls["connextlive"], headers=HTMX).content.decode()

    assert set(urls) == {"connextlive"}  # not ConnectiveOne itself
    assert links(panel, "/visitors/") == {f"/visitors/{janes_visitor.id}/"}
