"""A conversation as a manager sees it, and every manager action: assign, resolve, set status,
mark read, delete (re-authentication); each checked on the platform and in the audit log, each
answering with the refreshed panel and the list counts."""

import re
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from dashboard.audit.models import AuditEvent
from dashboard.platforms.connextlive import TenantResource
from dashboard.platforms.errors import PlatformUnavailable
from tests.apikeys.helpers import confirm_password, forget_confirmation
from tests.conversations.helpers import counts_on_platform, find_conversation, tenant
from tests.visitors.helpers import calls_to, htmx

pytestmark = pytest.mark.django_db


def events(action):
    return list(AuditEvent.objects.filter(action=action))


@pytest.fixture
def waiting(console_platform):
    """A waiting conversation nobody is assigned to."""
    return find_conversation(console_platform, lambda c: c.status == "WAITING" and not c.agent_id)


@pytest.fixture
def active_unread(console_platform):
    return find_conversation(console_platform, lambda c: c.status == "ACTIVE" and c.unread_count)


@pytest.fixture
def long_conversation(console_platform):
    return find_conversation(console_platform, lambda c: c.message_count >= 3)


def detail_url(conversation) -> str:
    return f"/conversations/{conversation.id}/"


def panel_headers(conversation):
    return htmx("conversation-panel", f"http://testserver{detail_url(conversation)}")


# --- the page -----------------------------------------------------------------------------


def test_the_page_shows_the_visitor_the_messages_oldest_first_and_the_counts(
    manager_client, console_platform, long_conversation
):
    detail = tenant(console_platform).get_conversation(long_conversation.id)
    counts = counts_on_platform(console_platform)

    html = manager_client.get(detail_url(long_conversation)).content.decode()

    # Times are in the workspace's zone (the demo workspace's: America/New_York).
    zone = ZoneInfo("America/New_York")
    positions = [
        html.index(f'datetime="{m.created_at.astimezone(zone).isoformat()}"')
        for m in detail.messages
    ]
    assert positions == sorted(positions) and len(positions) == len(detail.messages)
    assert f'href="/visitors/{detail.visitor.id}/"' in html
    assert f'All <span class="badge bg-secondary-lt ms-1">{counts["all"]}</span>' in html


def test_attachments_are_links_and_only_http_ones(manager_client, console_platform):
    with_file = find_conversation(
        console_platform,
        lambda c: any(
            m.attachments for m in tenant(console_platform).get_conversation(c.id).messages
        ),
    )
    detail = tenant(console_platform).get_conversation(with_file.id)
    attachment = next(a for m in detail.messages for a in m.attachments)

    html = manager_client.get(detail_url(with_file)).content.decode()

    assert f'<a href="{attachment.url}" rel="noopener noreferrer nofollow"' in html


def test_the_history_is_paged_with_the_latest_page_first(manager_client, long_conversation):
    with mock.patch("dashboard.conversations.data.MESSAGES_PER_PAGE", 2):
        latest = manager_client.get(detail_url(long_conversation)).content.decode()
        first = manager_client.get(
            detail_url(long_conversation) + "?page=1", headers=htmx("conversation-messages")
        ).content.decode()
        garbage = manager_client.get(detail_url(long_conversation) + "?page=-5")

    pages = -(-long_conversation.message_count // 2)
    assert f'aria-current="page">{pages}</span>' in latest
    assert first.lstrip().startswith('<section id="conversation-messages"')
    assert 'aria-current="page">1</span>' in first
    assert garbage.status_code == 200


def test_another_workspaces_conversation_is_not_found(other_client, waiting):
    assert other_client.get(detail_url(waiting)).status_code == 404
    assert other_client.post(detail_url(waiting) + "resolve/").status_code == 404


def test_an_unknown_id_is_not_found(manager_client, console_platform):
    assert manager_client.get("/conversations/cnv_nope/").status_code == 404


# --- assign -------------------------------------------------------------------------------


def test_assigning_to_an_agent(manager_client, console_platform, waiting):
    agent = tenant(console_platform).list_agents().agents[1]
    counts_before = counts_on_platform(console_platform)

    response = manager_client.post(
        detail_url(waiting) + "assign/", {"agent_id": agent.id}, headers=panel_headers(waiting)
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert tenant(console_platform).get_conversation(waiting.id).agent_id == agent.id
    assert html.lstrip().startswith('<section id="conversation-panel"')
    assert f"Assigned to {agent.name}." in html
    for oob in ("conversation-header", "conversation-messages", "conversation-counts"):
        assert re.search(rf'id="{oob}"[^>]*hx-swap-oob="true"', html), oob
    assert f'All <span class="badge bg-secondary-lt ms-1">{counts_before["all"]}</span>' in html
    (event,) = events("conversation.assign")
    assert event.outcome == "success" and event.target_id == waiting.id
    assert event.changes == {"agent": [None, agent.name]}


def test_assigning_to_someone_not_on_the_roster_is_refused_before_any_call(
    manager_client, console_platform, waiting
):
    console_platform.clear_requests()

    response = manager_client.post(
        detail_url(waiting) + "assign/",
        {"agent_id": "usr_stranger"},
        headers=panel_headers(waiting),
    )

    assert response.status_code == 422
    assert "Choose one of the workspace&#x27;s agents." in response.content.decode()
    assert calls_to(console_platform, "POST", r"/assign$") == []
    assert events("conversation.assign") == []


def test_without_javascript_an_action_redirects_back_with_a_message(manager_client, waiting):
    response = manager_client.post(detail_url(waiting) + "resolve/")

    assert response.status_code == 303
    assert response["Location"] == detail_url(waiting)
    assert "Conversation resolved." in manager_client.get(detail_url(waiting)).content.decode()


# --- resolve, status, mark read -----------------------------------------------------------


def test_resolving_closes_and_adds_the_system_message(manager_client, console_platform, waiting):
    response = manager_client.post(detail_url(waiting) + "resolve/", headers=panel_headers(waiting))

    after = tenant(console_platform).get_conversation(waiting.id)
    html = response.content.decode()
    assert after.status == "CLOSED"
    assert after.messages[-1].sender_type == "SYSTEM"
    assert (
        "Conversation resolved." in html
        and '<span class="badge bg-secondary-lt">Closed</span>' in html
    )
    (event,) = events("conversation.resolve")
    assert event.changes == {"status": ["WAITING", "CLOSED"]}


def test_setting_the_status_without_resolving(manager_client, console_platform, waiting):
    messages_before = len(tenant(console_platform).get_conversation(waiting.id).messages)

    manager_client.post(
        detail_url(waiting) + "status/", {"status": "ACTIVE"}, headers=panel_headers(waiting)
    )

    after = tenant(console_platform).get_conversation(waiting.id)
    assert after.status == "ACTIVE" and len(after.messages) == messages_before
    (event,) = events("conversation.status")
    assert event.changes == {"status": ["WAITING", "ACTIVE"]}


def test_an_unknown_status_is_refused_before_any_call(manager_client, console_platform, waiting):
    console_platform.clear_requests()

    response = manager_client.post(
        detail_url(waiting) + "status/", {"status": "DONE"}, headers=panel_headers(waiting)
    )

    assert response.status_code == 422
    assert calls_to(console_platform, "PUT", r"/status$") == []


def test_marking_as_read_resets_the_badge(manager_client, console_platform, active_unread):
    response = manager_client.post(
        detail_url(active_unread) + "mark-read/", headers=panel_headers(active_unread)
    )

    assert tenant(console_platform).get_conversation(active_unread.id).unread_count == 0
    html = response.content.decode()
    assert f"Marked {active_unread.unread_count} message" in html
    (event,) = events("conversation.mark_read")
    assert event.changes == {"unread": [active_unread.unread_count, 0]}


def test_a_platform_failure_is_shown_in_the_panel_and_audited(
    manager_client, console_platform, waiting
):
    failure = PlatformUnavailable("error 502", status=502)
    with mock.patch.object(TenantResource, "resolve_conversation", side_effect=failure):
        response = manager_client.post(
            detail_url(waiting) + "resolve/", headers=panel_headers(waiting)
        )

    assert response.status_code == 422
    assert "The platform is unavailable right now (error 502)" in response.content.decode()
    (event,) = events("conversation.resolve")
    assert event.outcome == "failure"


def test_a_platform_that_is_down_for_the_whole_action_gets_the_banner(
    manager_client, console_platform, waiting
):
    console_platform.set_faults(errorRate=1, errorStatus=503, paths="/api/tenant/conversations/")

    response = manager_client.post(detail_url(waiting) + "resolve/", headers=panel_headers(waiting))

    assert response.status_code == 503
    assert response["HX-Retarget"] == "#platform-banner"


def test_agents_cannot_set_a_status_or_delete(agent_client, waiting):
    assert (
        agent_client.post(detail_url(waiting) + "status/", {"status": "ACTIVE"}).status_code == 403
    )
    assert agent_client.post(detail_url(waiting) + "delete/").status_code == 403


def test_managers_cannot_reply(manager_client, console_platform, waiting):
    response = manager_client.post(detail_url(waiting) + "reply/", {"content": "hi"})

    assert response.status_code == 403
    assert calls_to(console_platform, "POST", r"/messages$") == []


# --- delete -------------------------------------------------------------------------------


def test_deleting_needs_a_recent_password(manager_client, console_platform, waiting):
    forget_confirmation(manager_client)

    response = manager_client.post(detail_url(waiting) + "delete/")

    assert response.status_code == 303
    assert response["Location"].startswith("/confirm/?next=")
    assert tenant(console_platform).get_conversation(waiting.id).id == waiting.id


def test_the_confirmation_then_the_deletion(manager_client, console_platform, waiting):
    forget_confirmation(manager_client)
    confirm_password(manager_client)
    confirmation = manager_client.get(
        detail_url(waiting) + "delete/", headers=htmx("conversation-delete")
    )
    assert "and all its messages from Connextlive?" in confirmation.content.decode()

    response = manager_client.post(detail_url(waiting) + "delete/", headers=htmx("x"))

    assert response["HX-Redirect"] == "/conversations/"
    assert manager_client.get(detail_url(waiting)).status_code == 404
    (event,) = events("conversation.delete")
    assert event.outcome == "success" and event.target_id == waiting.id
