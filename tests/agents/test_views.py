"""The agents page against the sandbox: the roster, inviting (checked on the platform and in its
outbox), refusals before any call, each platform failure, the hourly limit, access, and the audit
event of each attempt."""

import re

import httpx
import pytest
import respx
from django.test import Client

from dashboard.agents import views as agent_views
from dashboard.agents.models import InviteInFlight
from dashboard.agents.views import IN_PROGRESS
from dashboard.audit.models import AuditEvent
from tests.accounts.helpers import htmx_headers, platform_as
from tests.fixtures.sandbox import AGENT_EMAIL, MANAGER_EMAIL, OTHER_EMAIL

pytestmark = pytest.mark.django_db

HTMX = htmx_headers("http://testserver/agents/")
AGENTS_PATH = "/connextlive/api/tenant/agents"
NEW_NAME, NEW_EMAIL = "Nadia Newcomer", "nadia@example.com"


def roster(platform, email=MANAGER_EMAIL):
    return platform_as(platform, email).tenant.list_agents()


def invite(client: Client, name=NEW_NAME, email=NEW_EMAIL, *, htmx=True):
    return client.post(
        "/agents/invite/", {"name": name, "email": email}, headers=HTMX if htmx else {}
    )


def invite_posts(platform) -> list[dict]:
    return [r for r in platform.requests() if r["method"] == "POST" and r["path"] == AGENTS_PATH]


def events():
    return list(AuditEvent.objects.filter(action="agent.invite").order_by("id"))


def pending_emails(platform) -> set[str]:
    return {i.email for i in roster(platform).invitations if i.status == "PENDING"}


# --- the roster ----------------------------------------------------------------------------------


def test_the_page_lists_agents_with_csat_and_invitations_with_counts(manager_client, platform):
    truth = roster(platform)

    response = manager_client.get("/agents/")

    html = response.content.decode()
    assert response.status_code == 200
    for agent in truth.agents:
        assert agent.email in html
        if agent.csat_score is not None:
            assert f"{agent.csat_score:.2f} / 5" in html
    expired = [i for i in truth.invitations if i.status == "EXPIRED"]
    pending = [i for i in truth.invitations if i.status == "PENDING"]
    assert expired and pending  # the seed has both kinds
    for invitation in truth.invitations:
        assert f'data-invitation="{invitation.id}"' in html
    assert html.count("Expired</span>") == len(expired)
    assert f'data-count="agents">{len(truth.agents)}<' in html
    assert f'data-count="pending">{len(pending)}<' in html
    assert f'data-count="expired">{len(expired)}<' in html


def test_sorting_by_csat_answers_the_table_fragment_for_htmx(manager_client, platform):
    scored = sorted(
        (a for a in roster(platform).agents if a.csat_score is not None),
        key=lambda a: a.csat_score,
        reverse=True,
    )

    response = manager_client.get("/agents/?sort=-csat", headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<div id="agents-table"')
    positions = [html.index(agent.email) for agent in scored]
    assert positions == sorted(positions)
    assert 'aria-sort="descending"' in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("query", ["?sort=password", "?sort=", "?sort=%00", "?page=x&sort=--"])
def test_garbage_sorts_fall_back_to_the_name(manager_client, platform, query):
    response = manager_client.get("/agents/" + query)

    assert response.status_code == 200
    assert response.context["sort"] == "name"


def test_each_manager_sees_only_their_own_agents(other_client, platform):
    html = other_client.get("/agents/").content.decode()

    assert f">{AGENT_EMAIL}<" not in html
    for agent in roster(platform, OTHER_EMAIL).agents:
        assert f">{agent.email}<" in html


# --- inviting ------------------------------------------------------------------------------------


def test_an_invitation_appears_without_a_reload_and_reaches_the_platform(manager_client, platform):
    pending_before = len(pending_emails(platform))

    response = invite(manager_client)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<form id="invite-form"')  # the form, fresh, in place
    assert f"Invitation sent to {NEW_NAME} &lt;{NEW_EMAIL}&gt;" in html
    form = re.search(r'<form id="invite-form".*?</form>', html, re.S).group(0)
    assert 'name="email" value=' not in form  # emptied for the next one
    invitations = re.search(r'<div id="invitations"[^>]*hx-swap-oob="true".*?</table>', html, re.S)
    assert invitations and NEW_EMAIL in invitations.group(0)
    assert re.search(r'<div id="agent-counts"[^>]*hx-swap-oob="true"', html)
    assert f'data-count="pending">{pending_before + 1}<' in html

    created = next(i for i in roster(platform).invitations if i.email == NEW_EMAIL)
    assert (created.name, created.status) == (NEW_NAME, "PENDING")
    assert [m["to"] for m in platform.outbox()].count(NEW_EMAIL) == 1
    (event,) = events()
    assert (event.outcome, event.actor_email, event.target_type, event.target_id) == (
        "success",
        MANAGER_EMAIL,
        "invitation",
        created.id,
    )
    assert event.changes == {"name": [None, NEW_NAME], "email": [None, NEW_EMAIL]}


def test_without_javascript_an_invitation_redirects_back_with_the_message(manager_client, platform):
    response = invite(manager_client, htmx=False)

    assert response.status_code == 303 and response["Location"] == "/agents/"
    page = manager_client.get("/agents/").content.decode()
    assert f"Invitation sent to {NEW_NAME}" in page
    assert NEW_EMAIL in pending_emails(platform)


@pytest.mark.parametrize(
    ("name", "email", "field"),
    [
        ("", NEW_EMAIL, "name"),
        ("x" * 101, NEW_EMAIL, "name"),
        (NEW_NAME, "", "email"),
        (NEW_NAME, "nadia@", "email"),
        (NEW_NAME, "nadia@example.com\r\nBcc: all@example.com", "email"),
    ],
)
def test_invalid_input_is_refused_before_any_call(manager_client, platform, name, email, field):
    response = invite(manager_client, name, email)

    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert invite_posts(platform) == []
    assert events() == []


@pytest.mark.parametrize(
    ("email", "words"),
    [
        (AGENT_EMAIL.upper(), "already an agent"),
        ("bob@example.com", "pending invitation"),  # pending in the seed
        (MANAGER_EMAIL, "your own address"),
    ],
)
def test_an_existing_member_or_pending_invitation_gets_a_message_and_no_call(
    manager_client, platform, email, words
):
    assert not any(i.email == email for i in roster(platform).invitations) or (
        email in pending_emails(platform)
    )

    response = invite(manager_client, email=email)

    assert response.status_code == 422
    assert words in response.context["form"].errors["email"][0]
    assert invite_posts(platform) == []
    (event,) = events()
    assert event.outcome == "failure" and words in event.error


def test_an_expired_invitation_can_be_sent_again(manager_client, platform):
    expired = next(i for i in roster(platform).invitations if i.status == "EXPIRED")

    response = invite(manager_client, name=expired.name, email=expired.email)

    assert response.status_code == 200
    assert expired.email in pending_emails(platform)


def test_a_platform_400_lands_on_the_field_it_names(manager_client, platform, monkeypatch):
    # As if the invitation had been created elsewhere between our check and our call.
    monkeypatch.setattr(agent_views, "duplicate_reason", lambda *args: None)

    response = invite(manager_client, email="bob@example.com")

    assert response.status_code == 422
    assert "already pending" in response.context["form"].errors["email"][0]
    (event,) = events()
    assert event.outcome == "failure" and "rejected" in event.error


@pytest.mark.parametrize(
    ("status", "answer", "words"),
    [
        (400, 422, "rejected"),
        (403, 403, "role does not allow"),
        (404, 404, "Not found"),
        (429, 429, "rate limiting"),
        (500, 503, "unavailable"),
    ],
)
def test_platform_failures_become_messages_and_audited_failures(
    manager_client, platform, settings, status, answer, words
):
    settings.PLATFORM_MAX_RETRIES = 0
    platform.set_faults(
        errorRate=1, errorStatus=status, retryAfter=3600, paths="/api/tenant/agents"
    )

    response = invite(manager_client)

    assert response.status_code == answer
    assert words in response.content.decode()
    assert 'id="invite-errors"' in response.content.decode()
    platform.clear_faults()
    assert NEW_EMAIL not in {i.email for i in roster(platform).invitations}
    (event,) = events()
    assert event.outcome == "failure" and words in event.error


def test_a_platform_timeout_becomes_a_message(manager_client, platform, settings):
    settings.PLATFORM_MAX_RETRIES = 0
    settings.PLATFORM_READ_TIMEOUT = 0.2
    platform.set_faults(latencyMs=1000, paths="/api/tenant/agents")

    response = invite(manager_client)

    html = response.content.decode()
    assert response.status_code == 503
    assert "timeout" in html and "No invitation was sent" in html
    (event,) = events()
    assert event.outcome == "failure" and "timeout" in event.error


def test_an_invitation_sent_without_an_answer_says_it_may_have_arrived(manager_client, platform):
    # The sandbox delays a path, not a method: respx stands in for the lost answer to the POST
    # alone, while the roster is still read from the sandbox.
    with respx.mock(assert_all_called=False) as mock:
        mock.post(url__regex=r"/api/tenant/agents$").mock(side_effect=httpx.ReadTimeout("slow"))
        mock.route().pass_through()
        response = invite(manager_client)

    html = response.content.decode()
    assert response.status_code == 503
    assert "may have been sent" in html and "reload the page" in html
    (event,) = events()
    assert event.outcome == "failure"


# --- the hourly limit ------------------------------------------------------------------------


def test_the_hourly_limit_refuses_the_next_invitation_without_a_call(
    manager_client, platform, settings
):
    settings.INVITES_PER_HOUR = 1
    assert invite(manager_client).status_code == 200

    response = invite(manager_client, "Second Person", "second@example.com")

    assert response.status_code == 429
    assert "You have sent 1 invitation in the last hour" in response.content.decode()
    assert len(invite_posts(platform)) == 1
    assert "second@example.com" not in {i.email for i in roster(platform).invitations}
    assert [(e.outcome, e.error) for e in events()] == [
        ("success", ""),
        ("failure", "Invitation limit reached (1 an hour)"),
    ]


def test_the_limit_is_per_manager(manager_client, other_client, platform, settings):
    settings.INVITES_PER_HOUR = 1
    assert invite(manager_client).status_code == 200

    assert invite(other_client, "Other Invitee", "invitee@globex.example").status_code == 200


def test_a_second_invitation_while_one_is_in_flight_is_refused(manager_client, platform):
    manager_client.get("/agents/")
    from accounts.models import User

    InviteInFlight.objects.create(manager=User.objects.get(email=MANAGER_EMAIL))

    response = invite(manager_client)

    assert response.status_code == 429
    assert IN_PROGRESS in response.content.decode()
    assert invite_posts(platform) == []


# --- access --------------------------------------------------------------------------------------


def test_agents_get_403_and_invite_nobody(agent_client, platform):
    assert agent_client.get("/agents/").status_code == 403

    response = invite(agent_client)

    assert response.status_code == 403
    assert invite_posts(platform) == []
    assert events() == []


def test_inviting_needs_a_post(manager_client, platform):
    assert manager_client.get("/agents/invite/").status_code == 405


def test_an_expired_invitation_has_invite_again_and_then_one_row(manager_client, platform):
    expired = next(i for i in roster(platform).invitations if i.status == "EXPIRED")
    page = manager_client.get("/agents/").content.decode()
    row = re.search(rf'<tr data-invitation="{expired.id}".*?</tr>', page, re.S).group(0)
    assert "Invite again" in row and expired.email in row

    response = invite(manager_client, name=expired.name, email=expired.email)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(f"<td>{expired.email}</td>") == 1  # the new invitation's row alone
    page = manager_client.get("/agents/").content.decode()
    assert page.count(f"<td>{expired.email}</td>") == 1
    assert "just now" in page and "0\xa0minutes ago" not in page
