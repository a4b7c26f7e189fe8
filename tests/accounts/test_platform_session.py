"""A console session follows its platform token (accounts.platform_session): revoked on the
platform, signed out here within SESSION_REVALIDATE_SECONDS on every page, local-data pages
included, and at once on sensitive actions. A check within the interval costs no platform call."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from accounts import platform_session
from dashboard.jobs.models import ExportChunk, Job, JobItem
from tests.accounts.helpers import closed_port_url, edit_session, session_exists, session_key
from tests.accounts.test_access import ROUTES, Route, open_route
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = pytest.mark.django_db

ENDED = "Your platform session ended"


def checks_sent(platform) -> int:
    """The calls the console makes to ask about a session: the workspace (managers) or the
    profile (agents)."""
    paths = ("/api/tenant/workspace", "/api/agent/profile")
    return sum(1 for r in platform.requests() if r["path"].endswith(paths))


def assert_signed_out(client: Client, response, key: str | None) -> None:
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith("/login/")
    assert not session_exists(key)
    assert any(ENDED in str(m) for m in get_messages(response.wsgi_request))
    assert client.get("/audit/").status_code == 302  # and it stays signed out


@pytest.fixture
def finished_jobs(manager_client) -> dict[str, int]:
    """A finished bulk job with a report, and a finished visitor export with its file."""
    from accounts.models import User

    manager = User.objects.get(email=sandbox_fixtures.MANAGER_EMAIL)
    done = {"tenant_id": manager.tenant_id, "created_by": manager, "state": Job.State.DONE}
    bulk = Job.objects.create(kind="visitors.add_tags", title="Tag", **done)
    JobItem.objects.create(job=bulk, key="v1", label="Visitor 1", state="done")
    export = Job.objects.create(kind="visitors.export", title="Export", **done)
    ExportChunk.objects.create(job=export, seq=1, rows=1, data=b"id,name\r\nv1,Ada\r\n")
    return {"report": bulk.pk, "export": export.pk}


LOCAL_DATA = [
    "/audit/",
    "/audit/export.csv",
    "/jobs/{report}/report.csv",
    "/jobs/{export}/download/",
]


@pytest.mark.parametrize("path", LOCAL_DATA)
def test_after_the_platform_revokes_the_token_the_next_request_signs_out(
    path, manager_client, finished_jobs, platform, settings
):
    settings.SESSION_REVALIDATE_SECONDS = 0
    url = path.format(**finished_jobs)
    assert manager_client.get(url).status_code == 200  # served while the token works
    key = session_key(manager_client)

    platform.revoke_tokens(sandbox_fixtures.MANAGER_EMAIL)
    response = manager_client.get(url)

    assert_signed_out(manager_client, response, key)


@pytest.mark.parametrize("path", ["/audit/export.csv", "/jobs/{export}/download/"])
def test_a_sensitive_action_asks_the_platform_every_time(
    path, manager_client, finished_jobs, platform
):
    url = path.format(**finished_jobs)
    platform.clear_requests()
    for _ in range(2):
        assert manager_client.get(url).status_code == 200
    assert checks_sent(platform) == 2
    key = session_key(manager_client)

    platform.revoke_tokens(sandbox_fixtures.MANAGER_EMAIL)
    response = manager_client.get(url)  # within the interval, yet refused at once

    assert_signed_out(manager_client, response, key)


def test_a_page_within_the_interval_costs_no_platform_call(manager_client, platform):
    platform.clear_requests()
    for _ in range(5):
        assert manager_client.get("/audit/").status_code == 200

    assert platform.requests() == []


def test_once_the_interval_has_passed_the_next_page_asks_once(manager_client, platform, settings):
    a_minute_ago = timezone.now().timestamp() - settings.SESSION_REVALIDATE_SECONDS - 1
    edit_session(manager_client, **{platform_session.CHECKED_AT: a_minute_ago})
    platform.clear_requests()

    for _ in range(3):
        assert manager_client.get("/audit/").status_code == 200

    assert checks_sent(platform) == 1


def test_the_interval_is_measured_with_the_consoles_clock(manager_client, platform, console_clock):
    key = session_key(manager_client)
    platform.revoke_tokens(sandbox_fixtures.MANAGER_EMAIL)
    console_clock.advance(seconds=30)
    assert manager_client.get("/audit/").status_code == 200  # not asked yet: within a minute

    console_clock.advance(seconds=31)
    response = manager_client.get("/audit/")

    assert_signed_out(manager_client, response, key)


def test_an_agents_session_is_checked_with_the_profile(agent_client, platform, settings):
    settings.SESSION_REVALIDATE_SECONDS = 0
    key = session_key(agent_client)
    platform.clear_requests()
    assert agent_client.get("/confirm/").status_code == 200
    assert [r["path"] for r in platform.requests()] == ["/connextlive/api/agent/profile"]

    platform.revoke_tokens(sandbox_fixtures.AGENT_EMAIL)
    response = agent_client.get("/confirm/")

    assert_signed_out(agent_client, response, key)


def test_an_htmx_request_is_sent_to_sign_in_with_an_htmx_redirect(
    manager_client, platform, settings
):
    settings.SESSION_REVALIDATE_SECONDS = 0
    platform.revoke_tokens(sandbox_fixtures.MANAGER_EMAIL)

    response = manager_client.get(
        "/audit/", headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/audit/"}
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/login/?next=%2Faudit%2F"


def test_an_unreachable_platform_leaves_ordinary_pages_served(manager_client, settings):
    settings.SESSION_REVALIDATE_SECONDS = 0
    settings.PLATFORM_URL = closed_port_url()

    assert manager_client.get("/audit/").status_code == 200


def test_but_refuses_sensitive_actions_since_nothing_vouches_for_the_session(
    manager_client, settings
):
    settings.PLATFORM_URL = closed_port_url()

    response = manager_client.get("/audit/export.csv")

    assert response.status_code == 503
    assert "Connextlive could not complete this request" in response.content.decode()
    assert manager_client.get("/audit/").status_code == 200  # still signed in


SIGNED_IN_ROUTES = [r for r in ROUTES if r.access != "public"]


@pytest.mark.parametrize("route", SIGNED_IN_ROUTES, ids=str)
def test_every_page_signs_a_revoked_session_out(route: Route, manager_client, platform, settings):
    settings.SESSION_REVALIDATE_SECONDS = 0
    key = session_key(manager_client)
    platform.revoke_tokens(sandbox_fixtures.MANAGER_EMAIL)

    response = open_route(manager_client, route)

    assert_signed_out(manager_client, response, key)


SENSITIVE = {
    "/audit/export.csv",
    "/integrations/",
    "/keys/",
    "/jobs/1/report.csv",
    "/jobs/1/download/",
    "/visitors/bulk/export/",
    "/conversations/bulk/export/",
    "/reports/sample-1.csv",
}


def test_exports_downloads_integrations_and_keys_are_sensitive_actions():
    marked = {r.path for r in ROUTES if platform_session.is_sensitive(r.view)}

    assert SENSITIVE <= marked
    # Besides those: the keys' and integrations' other actions, and the keyword alerts' webhook
    # URL (a credential of the Naxon integration, rotated from /integrations/).
    others = ("/keys/", "/integrations/", "/alerts/hook/")
    assert all(path.startswith(others) for path in marked - SENSITIVE)
