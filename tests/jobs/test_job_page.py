"""The job page: progress, polling that stops with 286, access limited to the workspace."""

import pytest

from accounts.models import User
from dashboard.jobs import engine
from dashboard.jobs.kinds import ItemSpec
from dashboard.jobs.models import Job
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
