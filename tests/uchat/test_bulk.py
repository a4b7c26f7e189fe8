"""Tagging everyone matching the subscribers' filter, as a job on a real worker."""

import pytest

from dashboard.jobs.models import Job
from tests.broadcasts.channels import set_up_uchat
from tests.jobs.fixtures import wait_until
from tests.jobs.helpers import finished, item_states, job_id_from
from tests.uchat.test_pages import LEAD, SPRING, truth

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_page_counts_everyone_matching(manager_client, platform):
    set_up_uchat(manager_client, platform)

    html = manager_client.get(f"/uchat/bulk/tags/?tag={SPRING}&page=3").content.decode()

    assert '<span id="bulk-count">40</span>' in html


def test_tagging_everyone_matching_then_untagging(manager_client, platform, worker):
    set_up_uchat(manager_client, platform)
    uchat = truth(platform)
    matching = {s.user_ns for s in uchat.iter_subscribers(tag_ns=SPRING)}

    response = manager_client.post(
        f"/uchat/bulk/tags/?tag={SPRING}", {"operation": "add", "tag": LEAD}
    )

    job_id = job_id_from(response)
    wait_until(lambda: finished(job_id), "the tagging job to finish")
    assert item_states(job_id) == {"done": len(matching)}
    both = {s.user_ns for s in uchat.iter_subscribers(tag_ns=SPRING) if LEAD in s.tag_ns_set}
    assert both == matching
    assert Job.objects.get(pk=job_id).kind == "uchat.add_tag"

    response = manager_client.post(
        f"/uchat/bulk/tags/?tag={LEAD}", {"operation": "remove", "tag": LEAD}
    )
    job_id = job_id_from(response)
    wait_until(lambda: finished(job_id), "the untagging job to finish")
    assert uchat.search_subscribers(tag_ns=LEAD, limit=1).total == 0


def test_agents_cannot_start_it(agent_client, manager_client, platform):
    set_up_uchat(manager_client, platform)

    response = agent_client.post(
        f"/uchat/bulk/tags/?tag={SPRING}", {"operation": "add", "tag": LEAD}
    )

    assert response.status_code == 403
    assert not Job.objects.exists()
