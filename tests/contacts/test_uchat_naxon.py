"""The UChat and Naxon AI panels of /contacts/, against the sandbox's seed: exactly the records
sandbox/shared.py says each platform has of a person, by e-mail and by phone; nothing for
someone the platform does not know; a failing or refusing platform confined to its own panel;
and a platform that is not connected said plainly."""

import re

import pytest

from dashboard.platforms.naxon import NaxonClient
from sandbox.naxon.credentials import API_TOKEN
from sandbox.naxon.shared import user_id
from sandbox.people import PEOPLE
from sandbox.shared import PLATFORMS, found
from sandbox.uchat.credentials import FIRST_USER_NS
from tests.broadcasts.channels import set_up_uchat
from tests.broadcasts.helpers import set_up_connectiveone
from tests.contacts.test_search import links, look_up
from tests.naxon.helpers import naxon_url, set_up_naxon

JANE, LIAM = PEOPLE[0], PEOPLE[1]
NAXON_LINK = re.compile(r'href="/naxon/conversations/(\d+)/"')


@pytest.fixture
def everywhere(manager_client, platform):
    set_up_connectiveone(manager_client, platform)
    set_up_uchat(manager_client, platform)
    set_up_naxon(manager_client, platform)
    return manager_client


def naxon_conversations(panel: str) -> list[int]:
    return [int(found_id) for found_id in NAXON_LINK.findall(panel)]


def user_ns_of(person) -> str:
    """The store bot's subscribers are PEOPLE first, their user_ns counted on by 37 (seed)."""
    number = int(FIRST_USER_NS.split("u")[1]) + PEOPLE.index(person) * 37
    return f"f190385u{number}"


@pytest.mark.parametrize(
    ("query", "by"),
    [({"q": "Jane.Cooper@Example.net"}, "email"), ({"q": "+44 7700 900101"}, "phone"),
     ({"q": "07700-900-101", "country": "GB"}, "phone")],
)  # fmt: skip
def test_a_person_is_found_on_uchat_and_naxon_exactly(everywhere, platform, query, by):
    panels = look_up(everywhere, **query)
    expected = found(JANE)

    assert set(panels) == set(PLATFORMS)
    assert links(panels["uchat"], "/uchat/") == {f"/uchat/{user_ns_of(JANE)}/"}
    conversations = naxon_conversations(panels["naxon"])
    assert len(conversations) == getattr(expected["naxon"], f"by_{by}") == 1
    truth = NaxonClient(naxon_url(platform), API_TOKEN).get_conversation(conversations[0])
    wanted = ("web", user_id(JANE, "web")) if by == "email" else ("whatsapp", JANE.phone_digits)
    assert (truth.platform, truth.platform_user_id) == wanted
    assert JANE.phone_digits in panels["naxon"] or JANE.email in panels["naxon"]


def test_someone_a_platform_does_not_know_by_that_is_not_found(everywhere):
    """Liam talks to Naxon on WhatsApp only: his e-mail finds nothing there."""
    by_email, by_phone = look_up(everywhere, q=LIAM.email), look_up(everywhere, q=LIAM.phone)

    assert found(LIAM)["naxon"].by_email == 0
    assert f"No records of {LIAM.email} in Naxon AI" in by_email["naxon"]
    assert len(naxon_conversations(by_phone["naxon"])) == found(LIAM)["naxon"].by_phone == 1
    assert links(by_email["uchat"], "/uchat/") == {f"/uchat/{user_ns_of(LIAM)}/"}
    stranger = look_up(everywhere, q="nobody.at.all@example.org")
    assert "No records of nobody.at.all@example.org in UChat" in stranger["uchat"]
    assert "No records of" in stranger["naxon"]


@pytest.mark.parametrize(("failing", "label"), [("uchat", "UChat"), ("naxon", "Naxon AI")])
def test_a_failing_platform_shows_in_its_own_panel_only(everywhere, platform, failing, label):
    platform.set_faults(errorRate=1.0, errorStatus=503, paths=rf"^/{failing}/")

    panels = look_up(everywhere, q=JANE.email)

    assert f"Could not look in {label}." in panels[failing]
    others = set(PLATFORMS) - {failing}
    assert all("Could not look in" not in panels[key] for key in others)
    assert links(panels["connextlive"], "/visitors/")
    assert len(links(panels["connectiveone"], "/connectiveone/chats/")) == 2
    if failing == "uchat":
        assert naxon_conversations(panels["naxon"])
    else:
        assert links(panels["uchat"], "/uchat/") == {f"/uchat/{user_ns_of(JANE)}/"}


def test_a_refused_token_is_the_panels_error_not_a_sign_out(manager_client, platform):
    set_up_uchat(manager_client, platform, token="not-a-token-" * 5)
    set_up_naxon(manager_client, platform, token="not-a-token")

    panels = look_up(manager_client, q=JANE.email)

    assert "UChat refused the bot token" in panels["uchat"]
    assert "Naxon AI refused the API token" in panels["naxon"]
    assert manager_client.get("/contacts/").status_code == 200  # still signed in


def test_platforms_not_connected_say_so(manager_client):
    panels = look_up(manager_client, q=JANE.phone)

    assert "UChat is not connected" in panels["uchat"]
    assert "Naxon AI is not connected" in panels["naxon"]
    assert "Could not look in" not in panels["uchat"] + panels["naxon"]


def test_agents_see_the_same_panels(everywhere, agent_client):
    panels = look_up(agent_client, q=JANE.email)

    assert links(panels["uchat"], "/uchat/") == {f"/uchat/{user_ns_of(JANE)}/"}
    assert len(naxon_conversations(panels["naxon"])) == 1
