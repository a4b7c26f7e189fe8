"""Exports of everything matching a filter, as a job with a real worker: every row exactly once
in the download, hostile values intact, and a platform that fails half the time costs retries,
never a lost or repeated page."""

import pytest

from dashboard.jobs import exports
from dashboard.jobs.models import ExportChunk, Job
from tests.jobs.fixtures import wait_until
from tests.jobs.helpers import (
    audit_events,
    download,
    finished,
    fresh,
    job_id_from,
    manager_api,
)

pytestmark = pytest.mark.django_db(transaction=True)


def export_rows(client, job_id: int) -> list[dict[str, str]]:
    wait_until(lambda: finished(job_id), "the export to finish")
    return download(client.get(f"/jobs/{job_id}/download/"))


def test_a_visitors_export_has_every_matching_visitor_once_as_the_platform_has_it(
    manager_client, platform, worker
):
    visitors = {v.id: v for v in manager_api(platform).tenant.iter_visitors(is_online=False)}

    job_id = job_id_from(manager_client.post("/jobs/new/visitors-export/?isOnline=false"))

    rows = export_rows(manager_client, job_id)
    assert [row["id"] for row in rows].count(rows[0]["id"]) == 1
    assert sorted(row["id"] for row in rows) == sorted(visitors)
    # Hostile names (markup, line breaks, right-to-left overrides...) come back unchanged.
    assert {row["id"]: row["name"] for row in rows} == {
        vid: v.user_name or "" for vid, v in visitors.items()
    }
    assert fresh(job_id).cursor["rows"] == len(visitors)
    [event] = audit_events("job.finish")
    assert event.changes["rows"] == [None, len(visitors)]


def test_a_conversations_export_has_every_conversation_once(manager_client, platform, worker):
    conversations = {c.id for c in manager_api(platform).tenant.iter_conversations(status="all")}

    job_id = job_id_from(manager_client.post("/jobs/new/conversations-export/"))

    rows = export_rows(manager_client, job_id)
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) and set(ids) == conversations
    assert {row["status"] for row in rows} <= {"ACTIVE", "WAITING", "CLOSED"}


def test_an_export_survives_a_failing_platform_without_losing_or_repeating_a_page(
    manager_client, platform, worker, monkeypatch, job_settings
):
    job_settings.JOBS_AUTO_PAUSE_AFTER = 100  # failures are the point here, not the auto-pause
    monkeypatch.setattr(exports, "COLLECT_PAGE_SIZE", 10)  # 15 pages instead of 2
    monkeypatch.setattr(exports, "CHUNK_BYTES", 3_000)  # a chunk every few pages
    visitors = {v.id for v in manager_api(platform).tenant.iter_visitors()}
    platform.set_faults(errorRate=0.3, errorStatus=503, paths="/api/tenant/visitors$")
    platform.clear_requests()

    job_id = job_id_from(manager_client.post("/jobs/new/visitors-export/"))

    rows = export_rows(manager_client, job_id)
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) == len(visitors) and set(ids) == visitors
    assert any(r["status"] == 503 for r in platform.requests())
    assert ExportChunk.objects.filter(job_id=job_id).count() > 2


def test_the_download_waits_for_the_export_to_finish(manager_client, platform):
    job_id = job_id_from(manager_client.post("/jobs/new/visitors-export/"))  # no worker

    assert fresh(job_id).state == Job.State.RUNNING
    assert manager_client.get(f"/jobs/{job_id}/download/").status_code == 404
    assert 'id="job-download"' not in manager_client.get(f"/jobs/{job_id}/").content.decode()
