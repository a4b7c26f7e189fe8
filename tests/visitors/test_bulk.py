"""Bulk operations on visitors, end to end: the page, a real worker, the sandbox's truth."""

from urllib.parse import urlencode

import pytest

from dashboard.jobs.models import Job
from tests.jobs.fixtures import wait_until
from tests.jobs.helpers import (
    audit_events,
    confirm_password,
    finished,
    forget_password_confirmation,
    item_states,
    job_id_from,
    manager_api,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_tag_page_counts_everyone_matching_not_one_page(manager_client, platform):
    total = manager_api(platform).tenant.list_visitors(is_online=True, limit=1).total

    response = manager_client.get("/visitors/bulk/tags/?isOnline=true&limit=10&page=3")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<span id="bulk-count">{total}</span>' in html
    assert "Online" in html


def test_adding_a_tag_reaches_every_matching_visitor(manager_client, platform, worker):
    api = manager_api(platform)
    matching = {v.id for v in api.tenant.iter_visitors(is_online=True)}

    response = manager_client.post(
        "/visitors/bulk/tags/?isOnline=true", {"operation": "add", "tags": "spring-sale"}
    )

    assert response.status_code == 303
    job_id = job_id_from(response)
    job = wait_until(lambda: finished(job_id), "the tagging job to finish")
    assert item_states(job_id) == {"done": len(matching)}
    tagged = {v.id for v in api.tenant.iter_visitors(tags=["spring-sale"])}
    assert tagged == matching
    assert job.expected_total == len(matching)


def test_removing_a_tag_leaves_the_other_tags(manager_client, platform, worker):
    api = manager_api(platform)
    visitor = next(v for v in api.tenant.iter_visitors() if len(v.tags) >= 2 and v.user_email)
    keep, drop = visitor.tags[0], visitor.tags[1]
    query = urlencode({"search": visitor.user_email, "tags": drop})

    response = manager_client.post(
        f"/visitors/bulk/tags/?{query}", {"operation": "remove", "tags": drop}
    )

    job_id = job_id_from(response)
    wait_until(lambda: finished(job_id), "the job to finish")
    tags = api.tenant.get_visitor(visitor.id).tags
    assert drop not in tags and keep in tags


def test_a_bad_tag_is_refused_before_any_job(manager_client, platform):
    response = manager_client.post("/visitors/bulk/tags/", {"operation": "add", "tags": " , "})

    assert response.status_code == 422
    assert not Job.objects.exists()


# --- delete ---------------------------------------------------------------------------------


def vip_visitors(platform) -> set[str]:
    return {v.id for v in manager_api(platform).tenant.iter_visitors(tags=["vip"])}


def test_deleting_asks_for_the_password_and_comes_back_to_the_same_filter(manager_client, platform):
    vip = vip_visitors(platform)
    forget_password_confirmation(manager_client)
    page = "/visitors/bulk/delete/?tags=vip"

    response = manager_client.post(page, {"typed": str(len(vip))})

    assert response.status_code == 303
    assert response["Location"] == "/confirm/?next=%2Fvisitors%2Fbulk%2Fdelete%2F%3Ftags%3Dvip"
    assert not Job.objects.exists()
    assert vip_visitors(platform) == vip
    # After the password, the page is back with its filter and what was typed; nothing done.
    confirm_password(manager_client, page)
    html = manager_client.get(page).content.decode()
    assert f'<span id="bulk-count">{len(vip)}</span>' in html
    assert f'value="{len(vip)}"' in html
    assert not Job.objects.exists()


def test_a_count_that_is_not_the_platforms_is_refused(manager_client, platform):
    vip = vip_visitors(platform)

    wrong = manager_client.post("/visitors/bulk/delete/?tags=vip", {"typed": len(vip) + 1})
    # The page cannot lower the number to type: it is counted again on the platform.
    forged = manager_client.post("/visitors/bulk/delete/?tags=vip", {"typed": "1", "expected": "1"})

    assert wrong.status_code == forged.status_code == 422
    assert f"Type {len(vip)} to confirm." in wrong.content.decode()
    assert not Job.objects.exists()
    assert vip_visitors(platform) == vip


def test_deleting_removes_every_matching_visitor_from_the_platform(
    manager_client, platform, worker
):
    api = manager_api(platform)
    vip = vip_visitors(platform)
    everyone = api.tenant.list_visitors(limit=1).total
    assert len(vip) > 3

    response = manager_client.post("/visitors/bulk/delete/?tags=vip", {"typed": len(vip)})

    job_id = job_id_from(response)
    wait_until(lambda: finished(job_id), "the delete job to finish")
    assert item_states(job_id) == {"done": len(vip)}
    assert api.tenant.list_visitors(tags=["vip"], limit=1).total == 0
    assert api.tenant.list_visitors(limit=1).total == everyone - len(vip)
    [started] = audit_events("bulk.visitors.delete")
    assert started.changes["count"] == [None, len(vip)]
    assert started.changes["query"] == [None, "tags=vip"]
    [ended] = audit_events("job.finish")
    assert ended.outcome == "success" and ended.changes["done"] == [None, len(vip)]
