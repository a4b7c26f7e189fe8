"""Exports of everything matching a filter, as a job with a real worker: every row exactly once
in the download, hostile values intact, and a platform that fails half the time costs retries,
never a lost or repeated page. The pages are fetched ahead of the writer, and no further."""

import time

import pytest

from dashboard.jobs import exports
from dashboard.jobs.kinds import FetchedPage
from dashboard.jobs.models import ExportChunk, Job, RunnerLease
from dashboard.platforms.errors import PlatformUnavailable
from dashboard.visitors.exports import VisitorExport
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

    job_id = job_id_from(manager_client.post("/visitors/bulk/export/?isOnline=false"))

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

    job_id = job_id_from(manager_client.post("/conversations/bulk/export/"))

    rows = export_rows(manager_client, job_id)
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) and set(ids) == conversations
    assert {row["status"] for row in rows} <= {"ACTIVE", "WAITING", "CLOSED"}


def test_an_export_survives_a_failing_platform_without_losing_or_repeating_a_page(
    manager_client, platform, worker, monkeypatch, job_settings
):
    job_settings.JOBS_AUTO_PAUSE_AFTER = 100  # failures are the point here, not the auto-pause
    monkeypatch.setattr(VisitorExport, "page_size", 10)  # 15 pages instead of 2
    monkeypatch.setattr(exports, "CHUNK_BYTES", 3_000)  # a chunk every few pages
    visitors = {v.id for v in manager_api(platform).tenant.iter_visitors()}
    platform.set_faults(errorRate=0.3, errorStatus=503, paths="/api/tenant/visitors$")
    platform.clear_requests()

    job_id = job_id_from(manager_client.post("/visitors/bulk/export/"))

    rows = export_rows(manager_client, job_id)
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) == len(visitors) and set(ids) == visitors
    assert any(r["status"] == 503 for r in platform.requests())
    assert ExportChunk.objects.filter(job_id=job_id).count() > 2


def test_the_download_waits_for_the_export_to_finish(manager_client, platform):
    job_id = job_id_from(manager_client.post("/visitors/bulk/export/"))  # no worker

    assert fresh(job_id).state == Job.State.RUNNING
    assert manager_client.get(f"/jobs/{job_id}/download/").status_code == 404
    assert 'id="job-download"' not in manager_client.get(f"/jobs/{job_id}/").content.decode()


def test_a_paused_export_keeps_every_page_it_fetched_and_resumes_after_them(
    manager_client, platform, worker, monkeypatch
):
    monkeypatch.setattr(VisitorExport, "page_size", 10)  # 15 pages
    monkeypatch.setattr(exports, "CHUNK_BYTES", 3_000)  # a chunk every page or two
    visitors = {v.id for v in manager_api(platform).tenant.iter_visitors()}
    platform.set_faults(latencyMs=150, paths="/api/tenant/visitors$")  # about 2 s in all
    platform.clear_requests()
    job_id = job_id_from(manager_client.post("/visitors/bulk/export/"))
    wait_until(lambda: fresh(job_id).cursor.get("seq", 0) >= 1, "a first chunk stored")

    manager_client.post(f"/jobs/{job_id}/pause/")

    wait_until(lambda: not RunnerLease.objects.filter(job_id=job_id).exists(), "the runner to stop")
    job = fresh(job_id)
    assert job.state == Job.State.PAUSED
    # Every page the platform answered is stored, the ones fetched ahead of the writer too.
    answered = [r for r in platform.requests() if r["status"] == 200 and "visitors" in r["path"]]
    assert job.cursor["page"] == len(answered) + 1 < 16
    assert job.cursor["rows"] == len(answered) * 10
    platform.clear_faults()

    manager_client.post(f"/jobs/{job_id}/resume/")

    ids = [row["id"] for row in export_rows(manager_client, job_id)]
    assert len(ids) == len(set(ids)) == len(visitors) and set(ids) == visitors


class NumberedPages:
    """A list of `count` one-record pages for a Prefetcher, failing at page `fail_at`."""

    def __init__(self, count: int, fail_at: int = 0) -> None:
        self.count, self.fail_at = count, fail_at
        self.fetched: list[int] = []
        self.paced = 0

    def fetch(self, cursor: dict) -> FetchedPage:
        number = cursor["page"]
        if number == self.fail_at:
            raise PlatformUnavailable("the platform is down")
        self.fetched.append(number)
        return FetchedPage([number], {"page": number + 1}, self.count, number == self.count)

    def pace(self) -> None:
        self.paced += 1

    def prefetcher(self) -> exports.Prefetcher:
        return exports.Prefetcher(self.fetch, {"page": 1}, self.pace)


def records(pages) -> list:
    return [record for page in pages for record in page.records]


def test_pages_are_fetched_two_ahead_of_the_writer_and_no_further():
    pages = NumberedPages(10)
    prefetcher = pages.prefetcher()
    handed_out = iter(prefetcher)

    first = next(handed_out)

    # While the writer is on page 1, the thread goes on to pages 2 and 3 by itself...
    wait_until(lambda: len(pages.fetched) == 3, "two pages fetched ahead")
    time.sleep(0.1)  # ...and, given time, fetches no more than that.
    assert pages.fetched == [1, 2, 3] and pages.paced == 3
    assert first.records + records(handed_out) == list(range(1, 11))
    assert pages.fetched == list(range(1, 11))
    assert prefetcher.close(written_to={"page": 11}) == []


def test_nothing_is_fetched_after_the_last_page():
    pages = NumberedPages(3)
    prefetcher = pages.prefetcher()

    assert records(prefetcher) == [1, 2, 3]

    assert prefetcher.close(written_to={"page": 4}) == []
    assert pages.fetched == [1, 2, 3]


def test_closing_hands_back_the_pages_fetched_ahead_only_if_they_follow_what_was_written():
    for written, kept in ((True, [2, 3]), (False, [])):
        pages = NumberedPages(10)
        prefetcher = pages.prefetcher()
        first = next(iter(prefetcher))
        wait_until(lambda pages=pages: len(pages.fetched) == 3, "two pages fetched ahead")

        ahead = prefetcher.close(written_to=first.cursor if written else {"page": 1})

        assert records(ahead) == kept


def test_a_failed_fetch_ends_the_pages_and_nothing_after_it_is_fetched():
    pages = NumberedPages(10, fail_at=3)
    prefetcher = pages.prefetcher()
    handed_out = iter(prefetcher)
    assert records([next(handed_out), next(handed_out)]) == [1, 2]

    with pytest.raises(PlatformUnavailable):
        next(handed_out)

    assert prefetcher.close(written_to={"page": 3}) == []
    assert pages.fetched == [1, 2]
