"""Exports: everything matching a list's filter as CSV, fetched a page at a time, as a job.

Memory stays flat whatever the size: a few pages and one chunk (about 256 KB of CSV) at a
time. Each chunk is stored in the database together with the cursor of the last page it holds,
so a runner that dies resumes after the last stored chunk, and the download streams the chunks
in order. The pages are fetched one after the other by a thread of their own that runs ahead of
the writer, so the platform's answer time alone sets the pace.
"""

import csv
import io
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from dashboard.jobs.csvfiles import cell
from dashboard.jobs.engine import record_finish
from dashboard.jobs.kinds import JobKind, Performer, register, tenant_client
from dashboard.jobs.models import ExportChunk, Job
from dashboard.jobs.operations import COLLECT_PAGE_SIZE, conversation_filters, visitor_filters
from dashboard.jobs.outcomes import classify
from dashboard.jobs.runner import CHECK_EVERY, Runner, RunResult, pace
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.connextlive_records import ConversationSummary, Visitor

CHUNK_BYTES = 256 * 1024
# Fetches queued or under way while a page is written: the next page is being fetched, and the
# one after it is queued, so the fetch thread goes straight from one request to the next.
PAGES_AHEAD = 2

type Row = list[Any]


@dataclass(frozen=True, slots=True)
class ExportPage:
    """One page of the platform's typed records; the writer makes them rows, so that the fetch
    thread does no more than a plain client fetching the same page would."""

    records: list[Any]
    cursor: dict[str, Any]
    total: int
    last: bool


def _when(moment: datetime | None) -> str:
    """ISO 8601 with the offset the platform gave; empty where the record holds none."""
    return moment.isoformat() if moment is not None else ""


VISITOR_COLUMNS = ["id", "name", "email", "phone", "country", "city", "site", "tags", "online",
                   "returning", "visits", "first seen", "last seen", "created"]  # fmt: skip


def visitor_row(v: Visitor) -> Row:
    return [v.id, v.user_name, v.user_email, v.user_phone, v.country, v.city, v.site.name,
            "; ".join(v.tags), v.is_online, v.is_returning, v.visit_count,
            _when(v.first_seen_at), _when(v.last_seen_at), _when(v.created_at)]  # fmt: skip


CONVERSATION_COLUMNS = ["id", "status", "visitor id", "visitor", "visitor email", "agent",
                        "subject", "unread", "messages", "created", "updated",
                        "closed"]  # fmt: skip


def conversation_row(c: ConversationSummary) -> Row:
    return [c.id, c.status, c.visitor_id, c.visitor.user_name, c.visitor.user_email,
            c.agent.name if c.agent else "", c.subject,
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

    def row(self, record: Any) -> Row:
        raise NotImplementedError


class VisitorExport(ExportPerformer):
    columns = VISITOR_COLUMNS

    def __init__(self, job: Job) -> None:
        super().__init__(job)
        self.filters = visitor_filters(self.query)  # once: it validates a form

    def first_cursor(self) -> dict[str, Any]:
        return {"page": 1}

    def fetch(self, cursor: dict[str, Any]) -> ExportPage:
        page = int(cursor["page"])
        listed = self.client.tenant.list_visitors(
            **self.filters, page=page, limit=COLLECT_PAGE_SIZE
        )
        last = not listed.items or page >= listed.total_pages
        return ExportPage(listed.items, {"page": page + 1}, listed.total, last)

    def row(self, record: Visitor) -> Row:
        return visitor_row(record)


class ConversationExport(ExportPerformer):
    columns = CONVERSATION_COLUMNS

    def __init__(self, job: Job) -> None:
        super().__init__(job)
        self.filters = conversation_filters(self.query)

    def first_cursor(self) -> dict[str, Any]:
        return {"offset": 0}

    def fetch(self, cursor: dict[str, Any]) -> ExportPage:
        offset = int(cursor["offset"])
        listed = self.client.tenant.list_conversations(
            **self.filters, limit=COLLECT_PAGE_SIZE, offset=offset
        )
        after = offset + len(listed.items)
        return ExportPage(
            listed.items, {"offset": after}, listed.total, not listed.items or after >= listed.total
        )

    def row(self, record: ConversationSummary) -> Row:
        return conversation_row(record)


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


type Fetch = Callable[[dict[str, Any]], ExportPage]


class Prefetcher:
    """Pages from `cursor` on, fetched one after the other by one thread that keeps PAGES_AHEAD
    fetches queued or under way while the caller writes a page.

    Each fetch is queued chained on the one before it (its cursor is in that page's answer), so
    the thread starts the next request the moment an answer is in: pacing, writing and checking
    the job between two pages happen while a request is under way, not between two requests.
    `before_fetch` (the rate limit) runs in the caller's thread before each fetch is queued.
    """

    def __init__(
        self, fetch: Fetch, cursor: dict[str, Any], before_fetch: Callable[[], None]
    ) -> None:
        self._fetch, self._cursor, self._before_fetch = fetch, cursor, before_fetch
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="export-fetch")
        self._queued: deque[Future[ExportPage | None]] = deque()
        self._tail: Future[ExportPage | None] | None = None
        self._handed_out_to = cursor  # the cursor after the last page handed out

    def __iter__(self) -> Iterator[ExportPage]:
        self._fill(PAGES_AHEAD)
        while self._queued:
            page = self._queued[0].result()
            if page is None:  # the page before was the last
                return
            if not page.last:
                # Counting this page, which stays queued until it is handed out: if queuing
                # fails (the rate limit's database), close() still returns it.
                self._fill(1 + PAGES_AHEAD)
            self._queued.popleft()
            self._handed_out_to = page.cursor
            yield page

    def _fill(self, count: int) -> None:
        while len(self._queued) < count:
            self._before_fetch()
            if self._tail is None:
                self._tail = self._pool.submit(self._fetch, self._cursor)
            else:
                self._tail = self._pool.submit(_fetch_after, self._fetch, self._tail)
            self._queued.append(self._tail)

    def close(self, written_to: dict[str, Any]) -> list[ExportPage]:
        """Stop fetching: the fetches not yet started are dropped, the one under way is waited
        for. Returns the pages fetched and not handed out, in order, up to the first fetch that
        failed -- for the caller to keep, and so only if they follow on from what it wrote (the
        cursor after its last page is `written_to`)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        queued, self._queued = self._queued, deque()
        if written_to != self._handed_out_to:  # the last page handed out was not written
            return []
        return list(_fetched(queued))


def _fetched(futures: deque[Future[ExportPage | None]]) -> Iterator[ExportPage]:
    """The pages of these finished fetches, up to the first that failed or was dropped."""
    for future in futures:
        page = None if future.cancelled() or future.exception() else future.result()
        if page is None:  # failed, dropped, or after the last page
            return
        yield page


def _fetch_after(fetch: Fetch, previous: Future[ExportPage | None]) -> ExportPage | None:
    """The page after `previous`'s, or None when that was the last. `previous` is done by now:
    the pool's one thread ran it first (its failure is this one's too)."""
    page = previous.result()
    return None if page is None or page.last else fetch(page.cursor)


class ChunkWriter:
    """The export's CSV as it grows: rows are buffered, and stored as a chunk together with the
    cursor of the page after them once the buffer is big enough, at the last page, and whenever
    the runner stops -- so every page fetched is kept, and a resumed export continues with the
    first page it has not stored."""

    def __init__(
        self,
        job: Job,
        columns: list[str],
        first_cursor: dict[str, Any],
        row: Callable[[Any], Row],
    ) -> None:
        self.job, self.row = job, row
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
        row = self.row
        # Every row built before any is written: a record that fails leaves no half page behind.
        rows = [[cell(value) for value in row(record)] for record in page.records]
        self._writer.writerows(rows)
        self._buffered += len(rows)
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


def run_export(runner: Runner, kind: JobKind, performer: Performer) -> RunResult:
    """The runner's work for an export job (see runner.Runner.run)."""
    assert isinstance(performer, ExportPerformer)
    job: Job = runner.job
    writer = ChunkWriter(job, performer.columns, performer.first_cursor(), performer.row)
    pages = Prefetcher(performer.fetch, writer.cursor, lambda: pace(kind, job))
    try:
        stopped = write_pages(pages, writer, runner)
    except Exception as error:
        keep_fetched(pages, writer)  # the pages fetched before the error are kept
        return runner._stop_for(classify(error, idempotent=True))
    finally:
        keep_fetched(pages, writer)  # and those fetched before a pause, a cancel, a shutdown
    if stopped is not None:
        return stopped
    return finish_export(job)


def keep_fetched(pages: Prefetcher, writer: ChunkWriter) -> None:
    """Store every page fetched: those written and those the thread fetched ahead of them."""
    for page in pages.close(written_to=writer.cursor):
        writer.add(page)
    writer.store()


def write_pages(pages: Prefetcher, writer: ChunkWriter, runner: Runner) -> RunResult | None:
    """Write pages up to the last; returns why the runner must stop first, if it must. The
    job's state is read a few times a second, not once a page: a page takes a few hundredths of
    a second, and each look is a query."""
    last_check = time.monotonic()
    for page in pages:
        writer.add(page)
        if page.last:
            return None
        if time.monotonic() - last_check >= CHECK_EVERY:
            if stopped := runner.should_stop():
                return stopped
            last_check = time.monotonic()
    return None


def finish_export(job: Job) -> RunResult:
    finished = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
        state=Job.State.DONE, finished_at=timezone.now(), sealed_token=""
    )
    if finished:
        record_finish(job)
    return RunResult("export written")
