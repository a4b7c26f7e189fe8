"""Every page of the console, as a manager and as an agent, on a laptop (1366 px) and a phone
(390 px): no serious or critical axe-core violation, and no horizontal scroll."""

import pytest

from accounts.models import User
from dashboard.integrations.models import Integration
from dashboard.jobs import engine
from sandbox.naxon.credentials import API_TOKEN as NAXON_TOKEN
from sandbox.uchat.credentials import BOT_TOKEN
from tests.accounts.helpers import platform_as
from tests.broadcasts.helpers import draft_broadcast
from tests.connectiveone.helpers import connect_connectiveone
from tests.e2e.axe import describe, violations
from tests.e2e.test_visitors import sign_in
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

MANAGER_PAGES = [
    "/",
    "/workspace/",
    "/agents/",
    "/keys/",
    "/keys/new/",
    "/visitors/",
    "/visitors/{visitor}/",
    "/conversations/",
    "/conversations/?status=all",
    "/conversations/{conversation}/",
    "/reports/",
    "/broadcasts/",
    "/broadcasts/new/",
    "/broadcasts/{broadcast}/",
    "/jobs/",
    "/jobs/{job}/",
    "/audit/",
    "/integrations/",
    "/preferences/",
    # The other platforms' areas, with ConnectiveOne, UChat and Naxon AI connected.
    "/contacts/?q=jane.cooper%40example.net",
    "/connectiveone/chats/",
    "/connectiveone/tickets/",
    "/uchat/",
    "/uchat/tags/",
    "/naxon/",
    "/naxon/conversations/",
    "/alerts/",
    "/integrations/connectiveone/remove/",
]
AGENT_PAGES = [
    "/",
    "/visitors/",
    "/conversations/",
    "/conversations/{conversation}/",
    "/reports/",
    "/contacts/?q=jane.cooper%40example.net",
    "/connectiveone/chats/",
    "/uchat/",
    "/naxon/",
]


# A table wrapped to scroll on its own hides columns as surely as the page scrolling would.
SCROLLING_TABLES = """() => [...document.querySelectorAll("main table")]
    .map(table => table.parentElement)
    .filter(wrap => wrap.scrollWidth > wrap.clientWidth + 1)
    .map(wrap => (wrap.querySelector("tbody[id]") || wrap.querySelector("table")).id
        + " by " + (wrap.scrollWidth - wrap.clientWidth) + " px")"""


def platform_ids(sandbox) -> dict[str, str]:
    truth = platform_as(sandbox, sandbox_fixtures.MANAGER_EMAIL).tenant
    return {
        "visitor": truth.list_visitors(limit=1).items[0].id,
        "conversation": truth.list_conversations(limit=1).items[0].id,
    }


def local_ids() -> dict[str, int]:
    """A job and a broadcast of the manager's workspace (after the manager has signed in)."""
    from accounts.models import User

    user = User.objects.get(email=sandbox_fixtures.MANAGER_EMAIL)
    job = engine.create_job(
        kind="visitors.add_tags",
        title="Add tags vip",
        tenant_id=user.tenant_id,
        created_by=user,
        params={"query": "", "tags": ["vip"]},
    )
    broadcast = draft_broadcast(user, "Holiday hours", "We are closed on Monday.")
    return {"job": job.pk, "broadcast": broadcast.pk}


def connect_other_platforms(sandbox, email: str) -> None:
    """ConnectiveOne, UChat and Naxon AI connected for the workspace of `email` (signed in)."""
    connect_connectiveone(email, sandbox.url)
    tenant_id = User.objects.get(email=email).tenant_id
    for kind, config, secrets in (
        (
            Integration.Kind.UCHAT,
            {"base_url": sandbox.url + "/uchat/api"},
            {"bot_token": BOT_TOKEN},
        ),
        (Integration.Kind.NAXON, {"base_url": sandbox.url + "/naxon"}, {"api_token": NAXON_TOKEN}),
    ):
        integration = Integration(tenant_id=tenant_id, kind=kind, config=config)
        integration.store_secrets(secrets)
        integration.save()


def survey(page, paths: list[str], ids: dict) -> list[str]:
    problems = []
    for template in paths:
        path = template.format(**ids)
        response = page.goto(path)
        if response.status != 200:
            problems.append(f"{path}: status {response.status}")
            continue
        found = violations(page)
        if found:
            problems.append(f"{path} axe:\n{describe(found)}")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"{path}: scrolls sideways by {overflow} px")
        hidden = page.evaluate(SCROLLING_TABLES)
        if hidden:
            problems.append(f"{path}: tables scroll sideways: {hidden}")
    return problems


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366px", "390px"])
def test_every_manager_page(page, live_console, sandbox, viewport):
    page.set_viewport_size(viewport)
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    connect_other_platforms(sandbox, sandbox_fixtures.MANAGER_EMAIL)
    problems = survey(page, MANAGER_PAGES, platform_ids(sandbox) | local_ids())
    assert not problems, "\n".join(problems)
    assert page.console_problems == []


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366px", "390px"])
def test_every_agent_page(page, live_console, sandbox, viewport):
    page.set_viewport_size(viewport)
    sign_in(page, sandbox_fixtures.AGENT_EMAIL)
    connect_other_platforms(sandbox, sandbox_fixtures.AGENT_EMAIL)
    problems = survey(page, AGENT_PAGES, platform_ids(sandbox))
    assert not problems, "\n".join(problems)
