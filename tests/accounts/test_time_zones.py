"""Every page is in the viewer's time zone: the workspace's (read at sign-in, refreshed when the
workspace is read or saved), or the user's own choice, which overrides it. Agents, who cannot read
the workspace settings, take the zone a manager's session last read."""

from datetime import UTC, datetime

import pytest
from django.test import Client

from accounts.models import User, WorkspaceZone
from dashboard.audit.models import AuditEvent
from tests.accounts.helpers import platform_as
from tests.fixtures.console import shown_time_zone, sign_in
from tests.fixtures.sandbox import AGENT_EMAIL, MANAGER_EMAIL

pytestmark = pytest.mark.django_db

SEEDED_ZONE = "America/New_York"  # the demo workspace's, in the sandbox's seed


def active_zone(client: Client, path: str = "/audit/") -> str:
    """The zone the page says its times are in (the layout's top bar names it)."""
    response = client.get(path)
    assert response.status_code == 200
    return shown_time_zone(response.content.decode())


def set_workspace_zone(platform, zone: str) -> None:
    platform_as(platform, MANAGER_EMAIL).tenant.update_workspace(timezone=zone)


def test_a_manager_sees_times_in_the_workspace_zone_from_sign_in_on(manager_client):
    page = manager_client.get("/audit/").content.decode()

    assert active_zone(manager_client) == SEEDED_ZONE
    assert f">{SEEDED_ZONE}</a>" in page  # the top bar says which zone times are in
    assert f"When ({SEEDED_ZONE})" in page


def test_audit_times_are_shown_in_the_active_zone(manager_client):
    user = User.objects.get(email=MANAGER_EMAIL)
    AuditEvent.objects.create(
        tenant_id=user.tenant_id,
        actor=user,
        action="test.event",
        created_at=datetime(2026, 7, 1, 12, tzinfo=UTC),
    )

    page = manager_client.get("/audit/?action=test.event").content.decode()

    assert "2026-07-01 08:00:00" in page  # New York is UTC-4 in July


def test_an_agent_takes_the_zone_a_manager_last_read(console_platform):
    sign_in(Client(), MANAGER_EMAIL)  # reads the workspace: Acme's zone is now known here

    agent = sign_in(Client(), AGENT_EMAIL)

    assert WorkspaceZone.objects.get().time_zone == SEEDED_ZONE
    assert active_zone(agent, "/conversations/") == SEEDED_ZONE


def test_an_agent_of_a_workspace_no_manager_opened_sees_utc(console_platform):
    agent = sign_in(Client(), AGENT_EMAIL)

    assert active_zone(agent, "/conversations/") == "UTC"


def test_saving_the_workspace_zone_moves_the_next_page_into_it(manager_client, platform):
    form = manager_client.get("/workspace/").context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    data["timezone"] = "Asia/Kathmandu"

    response = manager_client.post("/workspace/", data)

    assert response.status_code == 303, response.content.decode()[:500]
    assert active_zone(manager_client) == "Asia/Kathmandu"
    assert WorkspaceZone.objects.get().time_zone == "Asia/Kathmandu"


def test_a_zone_changed_elsewhere_is_followed_after_the_next_revalidation(
    manager_client, platform, settings
):
    settings.SESSION_REVALIDATE_SECONDS = 0  # every page asks the platform
    set_workspace_zone(platform, "Europe/Berlin")

    manager_client.get("/audit/")  # the check that reads the workspace again

    assert active_zone(manager_client) == "Europe/Berlin"


def test_the_users_own_zone_overrides_the_workspace_and_is_audited(manager_client):
    response = manager_client.post("/preferences/", {"time_zone": "Asia/Kathmandu"})

    assert response.status_code == 303
    assert active_zone(manager_client) == "Asia/Kathmandu"
    event = AuditEvent.objects.get(action="user.preferences")
    assert event.changes == {"time_zone": ["", "Asia/Kathmandu"]}
    # Emptied: back to the workspace's zone.
    manager_client.post("/preferences/", {"time_zone": ""})
    assert active_zone(manager_client) == SEEDED_ZONE


def test_an_unknown_zone_is_refused_with_a_clear_message(manager_client):
    response = manager_client.post("/preferences/", {"time_zone": "Mars/Olympus_Mons"})

    assert response.status_code == 422
    assert "Choose an IANA time zone" in response.content.decode()
    assert User.objects.get(email=MANAGER_EMAIL).time_zone == ""


def test_the_preferences_page_is_linked_from_the_top_bar_for_agents_too(agent_client):
    page = agent_client.get("/conversations/").content.decode()
    assert 'href="/preferences/"' in page
    assert agent_client.get("/preferences/").status_code == 200


def test_signed_out_visitors_cannot_open_preferences(client, db):
    response = client.get("/preferences/")
    assert response.status_code == 302 and "/login/" in response["Location"]
