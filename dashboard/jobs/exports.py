"""Exports: everything matching a list's filter as CSV, fetched a page at a time, as a job.

Memory stays flat whatever the size: one page and one chunk (about 256 KB of CSV) at a time.
Each chunk is stored in the database together with the cursor of the last page it holds, so a
runner that dies resumes after the last stored chunk, and the download streams the chunks in
order. The next page is fetched while the current one is written.
"""

import csv
import io
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from dashboard.jobs.csvfiles import cell
from dashboard.jobs.engine import record_finish
from dashboard.jobs.kinds import JobKind, Performer, register, tenant_client
from dashboard.jobs.models import ExportChunk, Job
from dashboard.jobs.operations import COLLECT_PAGE_SIZE, conversation_filters, visitor_filters
from dashboard.jobs.outcomes import classify
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.connextlive_records import ConversationSummary, Visitor

CHUNK_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class ExportPage:
    rows: list[list[Any]]
    cursor: dict[str, Any]
    total: int
    last: bool


def _when(moment: Any) -> str:
    return moment.isoformat() if moment else ""


VISITOR_COLUMNS = ["id", "name", "email", "phone", "country", "city", "site", "tags", "online",
                   "returning", "visits", "first seen", "last seen", "created"]  # fmt: skip


def visitor_row(v: Visitor) -> list[Any]:
    site = v.site.name if v.site else v.site_id
    return [v.id, v.user_name, v.user_email, v.user_phone, v.country, v.city, site,
            "; ".join(v.tags), v.is_online, v.is_returning, v.visit_count,
            _when(v.first_seen_at), _when(v.last_seen_at), _when(v.created_at)]  # fmt: skip


CONVERSATION_COLUMNS = ["id", "status", "visitor id", "visitor", "visitor email", "agent",
                        "subject", "unread", "messages", "created", "updated",
                        "closed"]  # fmt: skip


def conversation_row(c: ConversationSummary) -> list[Any]:
    visitor = c.visitor
    return [c.id, c.status, c.visitor_id, visitor.user_name if visitor else "",
            visitor.user_email if visitor else "", c.agent.name if c.agent else "", c.subject,
            c.unread_count, c.message_count, _when(c.created_at), _when(c.updated_at),
            _when(c.closed_at)]  # fmt: skip


class ExportPerformer(Performer):
    columns: list[str]

    def __init__(self, job: Job) -> None:
        self.client: ConnextliveClient = tenant_client(job)
        self.query = job.params.get("query", "")

    def first_cursor(self) -> dict[str, Any]:
        raise NotImplementedError

    def fetch(self, cursor: dict[str, Any]) -> ExportPage:
        raise NotImplementedError


class VisitorExport(ExportPerformer):
    columns = VISITOR_COLUMNS

    def first_cursor(self) -> dict[str, Any]:
        return {"page": 1}

    def fetch(self, cursor: dict[str, Any]) -> ExportPage:
        page = int(cursor["page"])
        listed = self.client.tenant.list_visitors(
            **visitor_filters(self.query), page=page, limit=COLLECT_PAGE_SIZE
        )
        last = not listed.items or page >= listed.total_pages
        rows = [visitor_row(v) for v in listed.items]
        return ExportPage(rows, {"page": page + 1}, listed.total, last)


class ConversationExport(ExportPerformer):
    columns = CONVERSATION_COLUMNS

    def first_cursor(self) -> dict[str, Any]:
        return {"offset": 0}

    def fetch(self, cursor: dict[str, Any]) -> ExportPage:
        offset = int(cursor["offset"])
        listed = self.client.tenant.list_conversations(
            **conversation_filters(self.query), limit=COLLECT_PAGE_SIZE, offset=offset
        )
        after = offset + len(listed.items)
        rows = [conversation_row(c) for c in listed.items]
        return ExportPage(
            rows, {"offset": after}, listed.total, not listed.items or after >= listed.total
        )


@register
class VisitorExportKind(JobKind):
    kind = Job.Kind.VISITORS_EXPORT
    max_runners = 1  # the file is written in order

    def performer(self, job: Job) -> Performer:
        return VisitorExport(job)


@register
class ConversationExportKind(JobKind):
    kind = Job.Kind.CONVERSATIONS_EXPORT
    max_runners = 1

    def performer(self, job: Job) -> Performer:
        return ConversationExport(job)


def prefetched(
    fetch: Callable[[dict[str, Any]], ExportPage],
    cursor: dict[str, Any],
    before_fetch: Callable[[], None],
) -> Iterator[ExportPage]:
    """Pages from `cursor` on, the next one fetched in a thread while the caller writes this one."""
    with ThreadPoolExecutor(1, thread_name_prefix="export-fetch") as pool:
        before_fetch()
        upcoming = pool.submit(fetch, cursor)
        while True:
            page = upcoming.result()
            if not page.last:
                before_fetch()
                upcoming = pool.submit(fetch, page.cursor)
            yield page
            if page.last:
                return


class ChunkWriter:
    """The export's CSV as it grows: rows are buffered, and stored as a chunk together with the
    cursor of the page after them once the buffer is big enough, at the last page, and whenever
    the runner stops -- so every page fetched is kept, and a resumed export continues with the
    first page it has not stored."""

    def __init__(self, job: Job, columns: list[str], first_cursor: dict[str, Any]) -> None:
        self.job = job
        state = dict(job.cursor) or {**first_cursor, "seq": 0, "rows": 0}
        self.seq, self.rows_written = int(state.pop("seq", 0)), int(state.pop("rows", 0))
        self.cursor, self.total = state, job.expected_total
        self._new_buffer()
        if self.seq == 0:
            self._writer.writerow(columns)

    def _new_buffer(self) -> None:
        self._buffer, self._buffered = io.StringIO(), 0
        self._writer = csv.writer(self._buffer)

    def add(self, page: ExportPage) -> None:
        for row in page.rows:
            self._writer.writerow([cell(value) for value in row])
        self._buffered += len(page.rows)
        self.cursor, self.total = page.cursor, page.total
        if self._buffer.tell() >= CHUNK_BYTES or page.last:
            self.store()

    def store(self) -> None:
        if not self._buffer.tell():
            return
        self.rows_written += self._buffered
        cursor = {**self.cursor, "seq": self.seq + 1, "rows": self.rows_written}
        with transaction.atomic():
            ExportChunk.objects.create(
                job=self.job,
                seq=self.seq,
                rows=self._buffered,
                data=self._buffer.getvalue().encode(),
            )
            Job.objects.filter(pk=self.job.pk).update(
                cursor=cursor, expected_total=self.total, consecutive_errors=0
            )
        self.job.cursor, self.job.consecutive_errors = cursor, 0
        self.seq += 1
        self._new_buffer()


def run_export(runner: Any, kind: JobKind, performer: Performer) -> Any:
    """The runner's work for an export job (see runner.Runner.run)."""
    from dashboard.jobs.runner import RunResult, pace

    assert isinstance(performer, ExportPerformer)
    job: Job = runner.job
    writer = ChunkWriter(job, performer.columns, performer.first_cursor())
    pages = prefetched(performer.fetch, writer.cursor, lambda: pace(kind, job))
    try:
        for page in pages:
            writer.add(page)
            if page.last:
                break
            if stopped := runner.should_stop():
                return stopped
    except Exception as error:
        writer.store()  # the pages fetched before the error are kept
        return runner._stop_for(classify(error, idempotent=True))
    finally:
        pages.close()
        writer.store()  # and those fetched before a pause or a cancel
    finished = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
        state=Job.State.DONE, finished_at=timezone.now(), sealed_token=""
    )
    if finished:
        record_finish(job)
    return RunResult("export written")
