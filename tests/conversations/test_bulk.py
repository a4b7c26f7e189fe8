"""Resolve or assign every conversation matching a filter: the page, a real worker, and the
platform's own state afterwards as the truth."""

import pytest

from dashboard.jobs.models import Job
from tests.jobs.fixtures import wait_until
from tests.jobs.helpers import audit_events, finished, item_states, job_id_from, manager_api

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_resolve_page_counts_every_page_of_the_filter(manager_client, platform):
    waiting = manager_api(platform).tenant.list_conversations(status="WAITING", limit=1).total

    html = manager_client.get("/conversations/bulk/resolve/?status=WAITING&page=2").content

    assert f'<span id="bulk-count">{waiting}</span>'.encode() in html


def test_resolve_all_closes_every_matching_conversation_and_nothing_else(
    manager_client, platform, worker
):
    api = manager_api(platform)
    waiting = {c.id for c in api.tenant.iter_conversations(status="WAITING")}
    active = {c.id for c in api.tenant.iter_conversations(status="ACTIVE")}
    assert waiting and active

    response = manager_client.post("/conversations/bulk/resolve/?status=WAITING")

    job_id = job_id_from(response)
    wait_until(lambda: finished(job_id), "the resolve job to finish")
    assert item_states(job_id) == {"done": len(waiting)}
    assert {api.tenant.get_conversation(cid).status for cid in waiting} == {"CLOSED"}
    assert {c.id for c in api.tenant.iter_conversations(status="ACTIVE")} == active
    [event] = audit_events("bulk.conversations.resolve")
    assert event.changes["query"] == [None, "status=WAITING"]


def test_assign_all_gives_every_matching_conversation_to_the_agent(
    manager_client, platform, worker
):
    api = manager_api(platform)
    roster = api.tenant.list_agents().agents
    active = {c.id: c.agent_id for c in api.tenant.iter_conversations(status="ACTIVE")}
    agent = next(a for a in roster if list(active.values()).count(a.id) < len(active))

    response = manager_client.post(
        "/conversations/bulk/assign/?status=ACTIVE", {"agent_id": agent.id}
    )

    job_id = job_id_from(response)
    job = wait_until(lambda: finished(job_id), "the assign job to finish")
    assert item_states(job_id) == {"done": len(active)}
    assert {api.tenant.get_conversation(cid).agent_id for cid in active} == {agent.id}
    assert job.params["agentId"] == agent.id
    [event] = audit_events("bulk.conversations.assign")
    assert event.changes["agentId"] == [None, agent.id]


def test_assigning_to_someone_not_on_the_roster_is_refused(manager_client, platform):
    response = manager_client.post(
        "/conversations/bulk/assign/?status=ACTIVE", {"agent_id": "usr_not_an_agent"}
    )

    assert response.status_code == 422
    assert not Job.objects.exists()
