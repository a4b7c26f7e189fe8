"""The job page: progress, polling that stops with 286, access limited to the workspace."""

import pytest

from accounts.models import User
from dashboard.broadcasts.sending import NO_CONVERSATION, BroadcastKind
from dashboard.jobs import engine
from dashboard.jobs.kinds import ItemSpec
from dashboard.jobs.models import Job, JobItem
from dashboard.visitors.bulk import DeleteVisitorsKind
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = pytest.mark.django_db


def a_job(client, state=Job.State.RUNNING) -> Job:
    """A job of the signed-in manager's workspace, in `state`, with labels a page must escape."""
    user = User.objects.get(email=sandbox_fixtures.MANAGER_EMAIL)
    job = engine.create_job(kind=DeleteVisitorsKind.kind, title="<b>Delete</b> some",
                            tenant_id=user.tenant_id, created_by=user, params={})  # fmt: skip
    engine.add_items(job, [ItemSpec(f"vis_{n}", f"<script>{n}</script>") for n in range(3)])
    Job.objects.filter(pk=job.pk).update(state=state)
    return job


def test_the_page_shows_counts_and_escapes_labels(manager_client, platform):
    job = a_job(manager_client)

    html = manager_client.get(f"/jobs/{job.pk}/").content.decode()

    assert 'id="job-bar"' in html and "&lt;b&gt;Delete&lt;/b&gt;" in html
    assert 'data-live-refresh="1000"' in html


def test_polling_stops_with_286_once_the_job_ends(manager_client, platform):
    job = a_job(manager_client, state=Job.State.DONE)

    response = manager_client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"})

    assert response.status_code == 286
    assert "data-live-refresh" not in response.content.decode()
    assert 'hx-swap-oob="true"' in response.content.decode()


def test_another_workspace_gets_404(manager_client, other_client, platform):
    job = a_job(manager_client)

    assert other_client.get(f"/jobs/{job.pk}/").status_code == 404
    assert other_client.post(f"/jobs/{job.pk}/cancel/").status_code == 404
    assert other_client.get(f"/jobs/{job.pk}/report.csv").status_code == 404


def test_agents_get_403(manager_client, agent_client, platform):
    job = a_job(manager_client)

    assert agent_client.get(f"/jobs/{job.pk}/").status_code == 403


def test_the_report_defuses_spreadsheet_formulas(manager_client, platform):
    job = a_job(manager_client)
    job.items.filter(key="vis_0").update(label="=HYPERLINK(1)")

    body = b"".join(manager_client.get(f"/jobs/{job.pk}/report.csv").streaming_content).decode()

    assert "'=HYPERLINK(1)" in body


def a_broadcast_job(state=Job.State.DONE, **fields) -> Job:
    user = User.objects.get(email=sandbox_fixtures.MANAGER_EMAIL)
    job = engine.create_job(kind=BroadcastKind.kind, title="Spring news", tenant_id=user.tenant_id,
                            created_by=user, params={})  # fmt: skip
    Job.objects.filter(pk=job.pk).update(state=state, **fields)
    job.refresh_from_db()
    return job


def test_collecting_has_its_own_progress_and_never_says_100_percent(manager_client, platform):
    job = a_broadcast_job(Job.State.RUNNING, collected=False, expected_total=2000)

    empty = manager_client.get(f"/jobs/{job.pk}/").content.decode()
    engine.add_items(job, [ItemSpec(f"cnv_{n}") for n in range(1200)])
    half = manager_client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()

    assert "Collecting the audience: 0 of about 2,000" in empty
    assert "Collecting the audience: 1,200 of about 2,000" in half
    for html in (empty, half):
        assert "% done" not in html


def test_a_job_that_ended_with_failures_says_so_and_retries_only_what_may_change(
    manager_client, platform
):
    job = a_broadcast_job()
    engine.add_items(job, [ItemSpec(f"vis_{n}") for n in range(6)])
    items = list(job.items.order_by("id"))
    JobItem.objects.filter(pk__in=[i.pk for i in items[:2]]).update(state="done")
    JobItem.objects.filter(pk__in=[i.pk for i in items[2:4]]).update(
        state="failed", final=True, error=NO_CONVERSATION
    )
    JobItem.objects.filter(pk__in=[i.pk for i in items[4:]]).update(
        state="failed", error="The platform refused it (404)"
    )

    page = manager_client.get(f"/jobs/{job.pk}/").content.decode()

    assert "Finished: 2 sent, 4 failed" in page
    assert "bg-green-lt" not in page.split('id="job-state"')[0].rsplit("<span", 1)[-1]
    assert "Retry failed (2)" in page
    assert "2 failures cannot change by trying again, so they are not retried" in page
    assert NO_CONVERSATION in page

    response = manager_client.post(f"/jobs/{job.pk}/retry-failed/")
    assert response.status_code == 303
    states = dict(job.items.values_list("key", "state"))
    assert [states[f"vis_{n}"] for n in range(6)] == ["done"] * 2 + ["failed"] * 2 + ["pending"] * 2


def test_the_job_list_filters_by_kind_and_state_and_tells_same_titles_apart(
    manager_client, platform
):
    first = a_broadcast_job(Job.State.DONE)
    engine.add_items(first, [ItemSpec(f"cnv_{n}") for n in range(3)])
    second = a_broadcast_job(Job.State.RUNNING, collected=False, expected_total=2000)
    other = a_job(manager_client)  # visitors.delete, running, 3 items

    everything = manager_client.get("/jobs/").content.decode()
    broadcasts = manager_client.get("/jobs/?kind=broadcast").content.decode()
    running_broadcasts = manager_client.get("/jobs/?kind=broadcast&state=running")
    garbage = manager_client.get("/jobs/?kind=nonsense&state=%00&page=-4")

    assert f"#{first.pk}" in everything and f"#{second.pk}" in everything
    assert f"#{other.pk}" in everything
    assert "about 2,000" in everything  # the second is still collecting its audience
    creator = User.objects.get(email=sandbox_fixtures.MANAGER_EMAIL).display_name
    assert everything.count(f"<td>{creator}</td>") == 3
    assert f"#{other.pk}" not in broadcasts and f"#{first.pk}" in broadcasts
    running = running_broadcasts.content.decode()
    assert f"#{second.pk}" in running and f"#{first.pk}" not in running
    assert garbage.status_code == 200 and f"#{other.pk}" in garbage.content.decode()

    fragment = manager_client.get(
        "/jobs/?state=done", headers={"HX-Request": "true", "HX-Target": "job-table"}
    )
    assert 'id="job-table"' in fragment.content.decode()
    assert f"#{first.pk}" in fragment.content.decode()
    assert f"#{second.pk}" not in fragment.content.decode()
