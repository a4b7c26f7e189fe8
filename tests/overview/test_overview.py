"""The overview page against the sandbox: real figures, one card failing alone, agents' view."""

import pytest

from accounts import vault
from tests.accounts.helpers import platform_as
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = pytest.mark.django_db


def figure(html: str, name: str, value: object) -> str:
    return f'id="figure-{name}">{value}<'


def test_managers_see_their_workspace_in_figures(manager_client, console_platform):
    tenant = platform_as(console_platform, sandbox_fixtures.MANAGER_EMAIL).tenant
    everything = tenant.list_conversations(status="all", limit=1)
    counts = {
        s: tenant.list_conversations(status=s.upper(), limit=1).total
        for s in ("active", "waiting", "closed")
    }
    stats = tenant.list_visitors(limit=1).stats
    roster = tenant.list_agents()
    keys = tenant.list_api_keys()

    html = manager_client.get("/").content.decode()

    for status, total in counts.items():
        assert figure(html, status, total) in html
    assert figure(html, "unread", everything.unread_total) in html
    assert figure(html, "visitors-total", stats.total) in html
    assert figure(html, "visitors-online", stats.online) in html
    assert figure(html, "visitors-returning", stats.returning) in html
    assert figure(html, "agents", len(roster.agents)) in html
    pending = sum(1 for i in roster.invitations if i.status == "PENDING")
    assert figure(html, "invitations-pending", pending) in html
    active_keys = sum(1 for k in keys if k.status == "ACTIVE")
    assert figure(html, "keys-active", active_keys) in html
    assert stats.total > 0 and sum(counts.values()) > 0  # the seed has data: nothing vacuous


def test_the_overview_remembers_the_workspace_name_for_the_layout(manager_client, console_platform):
    name = platform_as(console_platform, sandbox_fixtures.MANAGER_EMAIL).tenant.get_workspace().name

    response = manager_client.get("/")

    assert vault.workspace_name(manager_client.session) == name
    assert (
        f'<span class="sb-workspace" id="workspace-name" title="Workspace">{name}</span>'
        in response.content.decode()
    )


def test_each_workspace_sees_only_its_own_name(manager_client, other_client, console_platform):
    mine = platform_as(console_platform, sandbox_fixtures.MANAGER_EMAIL).tenant.get_workspace()
    theirs = platform_as(console_platform, sandbox_fixtures.OTHER_EMAIL).tenant.get_workspace()
    assert mine.name != theirs.name

    assert theirs.name not in manager_client.get("/").content.decode()
    assert mine.name not in other_client.get("/").content.decode()


def test_one_failing_call_empties_one_card_and_the_rest_render(manager_client, console_platform):
    console_platform.set_faults(errorRate=1.0, errorStatus=500, paths=r"/api/tenant/visitors")

    response = manager_client.get("/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Couldn't load visitors:" in html
    assert 'id="figure-visitors-total"' not in html
    assert 'id="figure-active"' in html
    assert 'id="figure-agents"' in html
    assert 'id="figure-keys-active"' in html


def test_every_card_failing_still_renders_the_page(manager_client, console_platform):
    console_platform.set_faults(errorRate=1.0, errorStatus=500, paths=r"/api/tenant/")

    response = manager_client.get("/")
    html = response.content.decode()

    assert response.status_code == 200
    for subject in ("conversations", "visitors", "agents", "widget keys", "workspace"):
        assert f"Couldn't load {subject}:" in html


def test_the_overview_asks_the_platform_once_per_figure_set(manager_client, console_platform):
    console_platform.reset()

    manager_client.get("/")

    paths = sorted(r["path"] for r in console_platform.requests())
    assert paths.count("/connextlive/api/tenant/conversations") == 3
    for endpoint in ("workspace", "visitors", "agents", "api-keys"):
        assert paths.count(f"/connextlive/api/tenant/{endpoint}") == 1


def test_agents_get_their_own_overview_from_the_agent_api(agent_client, console_platform):
    agent = platform_as(console_platform, sandbox_fixtures.AGENT_EMAIL).agent
    counts = agent.list_conversations(limit=1).counts
    profile = agent.profile()

    html = agent_client.get("/").content.decode()

    assert figure(html, "active", counts.active) in html
    assert figure(html, "waiting", counts.waiting) in html
    assert figure(html, "closed", counts.closed) in html
    assert profile.email in html
    assert 'id="figure-visitors-total"' not in html  # no manager figures


def test_agents_overview_never_calls_tenant_endpoints(agent_client, console_platform):
    console_platform.reset()

    agent_client.get("/")

    assert not [r for r in console_platform.requests() if "/api/tenant/" in r["path"]]


def test_platform_text_is_escaped_on_the_overview(manager_client, console_platform):
    client = platform_as(console_platform, sandbox_fixtures.MANAGER_EMAIL)
    client.tenant.update_workspace(name="<script>alert(1)</script> & Co")

    html = manager_client.get("/").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
