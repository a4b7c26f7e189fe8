"""Every page of the console, as a manager and as an agent, on a laptop (1366 px): no serious or
critical axe-core violation."""

import pytest

from dashboard.broadcasts.models import Broadcast
from dashboard.jobs import engine
from tests.accounts.helpers import platform_as
from tests.e2e.axe import describe, violations
from tests.e2e.test_visitors import sign_in
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}

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
]
AGENT_PAGES = ["/", "/visitors/", "/conversations/", "/conversations/{conversation}/", "/reports/"]


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
    broadcast_job = engine.create_job(
        kind="broadcast",
        title="Holiday hours",
        tenant_id=user.tenant_id,
        created_by=user,
        params={},
    )
    broadcast = Broadcast.objects.create(
        job=broadcast_job,
        name="Holiday hours",
        message="We are closed on Monday.",
        channel=Broadcast.Channel.CONNEXTLIVE,
        audience=Broadcast.Audience.CONVERSATIONS,
    )
    return {"job": job.pk, "broadcast": broadcast.pk}


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
    return problems


@pytest.mark.parametrize("viewport", [LAPTOP], ids=["1366px"])
def test_every_manager_page(page, live_console, sandbox, viewport):
    page.set_viewport_size(viewport)
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    problems = survey(page, MANAGER_PAGES, platform_ids(sandbox) | local_ids())
    assert not problems, "\n".join(problems)
    assert page.console_problems == []


@pytest.mark.parametrize("viewport", [LAPTOP], ids=["1366px"])
def test_every_agent_page(page, live_console, sandbox, viewport):
    page.set_viewport_size(viewport)
    sign_in(page, sandbox_fixtures.AGENT_EMAIL)
    problems = survey(page, AGENT_PAGES, platform_ids(sandbox))
    assert not problems, "\n".join(problems)
